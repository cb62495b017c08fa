package dbcopy

// A table remit's schema holds, and the columns that order its rows.
type table struct {
	name string
	// key orders the rows (the primary key); nil: every column, for a
	// table without one (mandate_history's identical rows are identical
	// in the hash too).
	key []string
}

// tables are every table of the schema, each after the tables its foreign
// keys reference (TestTablesInDependencyOrder checks this against the
// schema), so that a target checking its foreign keys accepts each row.
var tables = []table{
	{"creditors", []string{"id"}},
	{"banks", []string{"id"}},
	{"customers", []string{"id"}},
	{"mandates", []string{"id"}},
	{"mandate_history", nil},
	{"mandate_collections", []string{"mandate_id"}},
	{"receivables", []string{"id"}},
	{"imports", []string{"id"}},
	{"payable_groups", []string{"id"}},
	{"payables", []string{"id"}},
	{"grouping_rules", []string{"id"}},
	{"remittances", []string{"id"}},
	{"remittance_files", []string{"remittance_id", "name"}},
	{"debtor_snapshots", []string{"id"}},
	{"remittance_items", []string{"id"}},
	{"returns", []string{"id"}},
	{"payments", []string{"id"}},
	{"payment_lines", []string{"payment_id", "payable_id"}},
	{"issued_cheques", []string{"creditor_id", "bank", "number"}},
	{"entry_lines", []string{"id"}},
	{"collection_ecritures", []string{"remittance_id"}},
	{"collection_reversals", []string{"remittance_id"}},
	{"statements", []string{"id"}},
	{"statement_lines", []string{"id"}},
	{"statement_targets", []string{"line_id", "position"}},
	{"allocations", []string{"id"}},
	{"writeoffs", []string{"id"}},
}

// reservedIDs are ids a table shares with another's columns: the lines of
// a collection écriture, and of its kept reversal, are entries
// first_id..last_id, which entry_lines must never reuse. A PostgreSQL
// target's sequence goes past them all.
var reservedIDs = map[string]string{
	"entry_lines": `SELECT greatest((SELECT COALESCE(max(last_id), 0) FROM collection_ecritures),
		(SELECT COALESCE(max(last_id), 0) FROM collection_reversals))`,
}
