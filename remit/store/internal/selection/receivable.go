package selection

import (
	"strings"

	"github.com/remit-dev/remit/remit"
)

// ReceivableSelect reads what ScanReceivable scans: a receivable (alias
// r), its customer (c) and its last remittance not cancelled; a WHERE
// follows.
const ReceivableSelect = `SELECT r.id, r.document, c.account, c.name, r.amount, r.currency, r.issue_date, r.due_date,
	r.method, r.journal, r.status, r.refusal, r.refused_at, r.refusal_todo, c.priority, r.label,
	COALESCE((SELECT ri.remittance_id FROM remittance_items ri WHERE ri.receivable_id = r.id AND ri.status != 'cancelled'
		ORDER BY ri.id DESC LIMIT 1), 0)
	FROM receivables r JOIN customers c ON c.id = r.customer_id`

// Scanner is a row of a query (both database/sql's rows and pgx's have it).
type Scanner interface {
	Scan(dest ...any) error
}

// Rows is what the readers need of a query's rows (*sql.Rows and pgx.Rows
// alike); the store closes them.
type Rows interface {
	Scanner
	Next() bool
	Err() error
}

// EachReceivable calls fn for each row of ReceivableSelect, until fn
// returns an error.
func EachReceivable(rows Rows, fn func(remit.Receivable) error) error {
	for rows.Next() {
		r, err := ScanReceivable(rows)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ReadTotals reads the rows of currency, count(*), sum(amount), one a
// currency: the count of them all and the totals.
func ReadTotals(rows Rows) (int, []remit.CurrencyTotal, error) {
	n := 0
	var out []remit.CurrencyTotal
	for rows.Next() {
		var t remit.CurrencyTotal
		if err := rows.Scan(&t.Currency, &t.Count, &t.Total); err != nil {
			return 0, nil, err
		}
		n += t.Count
		out = append(out, t)
	}
	return n, out, rows.Err()
}

// ReadMethodCounts reads the rows of method, currency, count(*).
func ReadMethodCounts(rows Rows) ([]MethodCount, error) {
	var out []MethodCount
	for rows.Next() {
		var m MethodCount
		if err := rows.Scan(&m.Method, &m.Currency, &m.N); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ScanReceivable scans a row of ReceivableSelect.
func ScanReceivable(row Scanner) (remit.Receivable, error) {
	var r remit.Receivable
	var issue, due, refusedAt, todo string
	var remID int64
	err := row.Scan(&r.ID, &r.Document, &r.Customer, &r.Name, &r.Amount, &r.Currency, &issue, &due,
		&r.Method, &r.Journal, &r.Status, &r.Refusal, &refusedAt, &todo, &r.Priority, &r.Label, &remID)
	r.IssueDate, r.DueDate = remit.StoredDate(issue), remit.StoredDate(due)
	if r.Status == remit.StatusPointed && r.Refusal != "" {
		r.RefusedAt, r.Todo = strings.Replace(refusedAt, "T", " ", 1), remit.Todo(todo)
	}
	if remID != 0 {
		r.Remittance = remit.Ref(remID)
	}
	return r, err
}

// ReadCounts reads the rows of a key and a count into a map.
func ReadCounts(rows Rows) (map[string]int, error) {
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// ReadDocuments reads the rows of a document, in order, up to the first
// that does not start with prefix.
func ReadDocuments(rows Rows, prefix string) ([]string, error) {
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		if !strings.HasPrefix(d, prefix) {
			break
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
