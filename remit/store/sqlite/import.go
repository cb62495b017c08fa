package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/maphash"
	"strconv"
	"strings"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/crash"
	"github.com/remit-dev/remit/remit/csvread"
	"github.com/remit-dev/remit/remit/importcsv"
)

// BeginImport starts the transaction of one receivables import
// (importcsv.Import reads the file and hands it the valid lines): customers,
// mandates and receivables are written a batch of lines at a time, the
// customers and mandates the batch names looked up together, the
// receivables inserted together (with SkipInvalid, a line at a time, each
// in its savepoint), and a line whose document the database has is
// compared with it. Customer and mandate rows a line would write again unchanged
// are remembered, not rewritten.
func (s *Store) BeginImport(ctx context.Context, o remit.ImportOptions, res *remit.ImportResult) (importcsv.Tx, error) {
	tx, release, err := s.beginBulk(ctx)
	if err != nil {
		return nil, err
	}
	im, err := newImporter(ctx, tx, s, o, res)
	if err != nil {
		release() // the statements prepared go with the transaction
		return nil, err
	}
	im.release = release
	return im, nil
}

type cachedCustomer struct {
	id   int64
	hash uint64 // of the values last written
}

// cachedMandate is a mandate as the last line that named it left it: a
// line with the same mandate values (line) changes nothing.
type cachedMandate struct {
	id         int64
	customerID int64
	line       uint64 // hash of the line's scheme, IBAN, signature date, kind and BIC
	history    uint64 // hash of the last collection date and IBAN recorded, 0 when none
}

// importCacheSize bounds the customer and mandate caches: past it they
// start again empty, so an import's memory does not grow with its size.
const importCacheSize = 1 << 17

type importer struct {
	tx          *sql.Tx
	st          *Store
	creditorID  int64
	importID    int64
	skip        bool
	customers   map[string]cachedCustomer
	mandates    map[string]cachedMandate
	insRecv     *sql.Stmt
	insBatch    *sql.Stmt
	getRecv     *sql.Stmt
	updRecv     *sql.Stmt
	insCustomer *sql.Stmt
	newCustomer *sql.Stmt // tried first while the file names new customers
	getCustomer *sql.Stmt // tried first while it names known ones (knownCustomers)
	insMandate  *sql.Stmt
	hasHistory  *sql.Stmt
	newHistory  *sql.Stmt // a history row the mandate does not have
	getMandate  *sql.Stmt
	// Whether the last customer and mandate looked up one at a time (a
	// line in its savepoint, SkipInvalid) were in the database: a file
	// names new ones (a first import) or known ones (the next month's, on
	// the same customers), seldom both in turn, so the next is looked for
	// first the way the last was found.
	knownCustomers, knownMandates bool
	// What lookUp read for the batch being written (Flush), and whether
	// one is: its lines' customers and mandates are then inserted first
	// unless it found them.
	ahead  lookedUp
	looked bool
	// Whether lookUp reads the batch's customers, its mandates: until a
	// batch finds none of them (a file of new ones: a first import), and
	// again once a line's insert finds one there.
	lookCustomers, lookMandates bool
	batch                       []pendingLine
	args                        []any
	seed                        maphash.Seed
	insSeen                     *sql.Stmt // remembers a document found unchanged (temp.import_unchanged)
	getSeen                     *sql.Stmt
	res                         *remit.ImportResult // counts what the import writes
	release                     func()              // ends the transaction (beginBulk's)
}

func newImporter(ctx context.Context, tx *sql.Tx, st *Store, o remit.ImportOptions, res *remit.ImportResult) (*importer, error) {
	im := &importer{tx: tx, st: st, creditorID: o.Creditor.ID, skip: o.SkipInvalid, res: res,
		customers: map[string]cachedCustomer{}, mandates: map[string]cachedMandate{}, seed: maphash.MakeSeed(),
		lookCustomers: true, lookMandates: true}
	r, err := tx.ExecContext(ctx, `INSERT INTO imports (file, sha256, imported_at, lines, inserted, updated, unchanged, rejected)
		VALUES (?, '', ?, 0, 0, 0, 0, 0)`, o.File, st.now().Format("2006-01-02T15:04:05"))
	if err != nil {
		return nil, err
	}
	im.importID, _ = r.LastInsertId()
	if im.insRecv, err = tx.PrepareContext(ctx, `INSERT INTO receivables (`+receivableInsertCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (creditor_id, document) DO NOTHING`); err != nil {
		return nil, err
	}
	if im.insBatch, err = tx.PrepareContext(ctx, batchInsertSQL(importBatch)); err != nil {
		return nil, err
	}
	if im.insCustomer, err = tx.PrepareContext(ctx, `INSERT INTO customers (creditor_id, account, name, street, building, postcode, town, country,
			priority, iban, bic, bank_name, siren) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (creditor_id, account) DO UPDATE SET name = excluded.name,
			street = COALESCE(NULLIF(excluded.street, ''), street), building = COALESCE(NULLIF(excluded.building, ''), building),
			postcode = COALESCE(NULLIF(excluded.postcode, ''), postcode), town = COALESCE(NULLIF(excluded.town, ''), town),
			country = COALESCE(NULLIF(excluded.country, ''), country), priority = excluded.priority,
			iban = COALESCE(NULLIF(excluded.iban, ''), iban),
			bic = CASE WHEN excluded.iban != '' THEN excluded.bic ELSE COALESCE(NULLIF(excluded.bic, ''), bic) END,
			bank_name = COALESCE(NULLIF(excluded.bank_name, ''), bank_name), siren = COALESCE(NULLIF(excluded.siren, ''), siren)
		RETURNING id`); err != nil {
		return nil, err
	}
	if im.newCustomer, err = tx.PrepareContext(ctx, `INSERT INTO customers (creditor_id, account, name, street, building, postcode, town,
			country, priority, iban, bic, bank_name, siren) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (creditor_id, account) DO NOTHING`); err != nil {
		return nil, err
	}
	if im.insMandate, err = tx.PrepareContext(ctx, `INSERT INTO mandates (creditor_id, customer_id, rum, signed_on, scheme, kind, iban, bic)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (creditor_id, rum) DO NOTHING`); err != nil {
		return nil, err
	}
	if im.getMandate, err = tx.PrepareContext(ctx, `SELECT `+knownMandateCols+`
		FROM mandates m JOIN customers c ON c.id = m.customer_id WHERE m.creditor_id = ? AND m.rum = ?`); err != nil {
		return nil, err
	}
	if im.getCustomer, err = tx.PrepareContext(ctx, `SELECT `+knownCustomerCols+` FROM customers WHERE creditor_id = ? AND account = ?`); err != nil {
		return nil, err
	}
	if im.hasHistory, err = tx.PrepareContext(ctx, `SELECT EXISTS (SELECT 1 FROM mandate_history WHERE mandate_id = ? AND collected_on = ?)`); err != nil {
		return nil, err
	}
	if im.newHistory, err = tx.PrepareContext(ctx, `INSERT INTO mandate_history (mandate_id, collected_on, iban) VALUES (?, ?, ?)`); err != nil {
		return nil, err
	}
	// The documents of this file found unchanged (their import_id is an
	// older import's), for a later line with the same document: on disk,
	// not in memory, so a re-import of millions of lines stays small.
	for _, q := range []string{`DROP TABLE IF EXISTS temp.import_unchanged`,
		`CREATE TEMP TABLE import_unchanged (document TEXT PRIMARY KEY) WITHOUT ROWID`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return nil, err
		}
	}
	if im.insSeen, err = tx.PrepareContext(ctx, `INSERT OR IGNORE INTO temp.import_unchanged VALUES (?)`); err != nil {
		return nil, err
	}
	if im.getSeen, err = tx.PrepareContext(ctx, `SELECT count(*) FROM temp.import_unchanged WHERE document = ?`); err != nil {
		return nil, err
	}
	if im.getRecv, err = tx.PrepareContext(ctx, `SELECT id, line_hash, status, import_id FROM receivables WHERE creditor_id = ? AND document = ?`); err != nil {
		return nil, err
	}
	if im.updRecv, err = tx.PrepareContext(ctx, `UPDATE receivables SET customer_id = ?, issue_date = ?, due_date = ?, amount = ?,
		currency = ?, method = ?, journal = ?, mandate_id = ?, acceptance = ?, label = ?, status = ?, refusal = '', line_hash = ?, import_id = ?,
		cheque_number = ?, drawer_bank = ? WHERE id = ?`); err != nil {
		return nil, err
	}
	return im, nil
}

// close closes the prepared statements.
func (im *importer) close() {
	for _, s := range []*sql.Stmt{im.insRecv, im.insBatch, im.getRecv, im.updRecv, im.insCustomer, im.newCustomer, im.getCustomer,
		im.insMandate, im.hasHistory, im.newHistory, im.getMandate, im.insSeen, im.getSeen} {
		if s != nil {
			s.Close()
		}
	}
}

// Record records the import: its file's SHA-256 and its counts.
func (im *importer) Record(ctx context.Context, sum string) error {
	res := im.res
	_, err := im.tx.ExecContext(ctx, `UPDATE imports SET sha256 = ?, lines = ?, inserted = ?, updated = ?, unchanged = ?, rejected = ? WHERE id = ?`,
		sum, res.Lines, res.Inserted, res.Updated, res.Unchanged, res.Rejected, im.importID)
	return err
}

// Commit commits the import's transaction.
func (im *importer) Commit() error {
	crash.Point("before-commit")
	return im.tx.Commit()
}

// Rollback ends the transaction: rolled back unless Commit committed it.
func (im *importer) Rollback() {
	im.close()
	im.release()
}

// Apply writes one valid line. A *LineError return (or several joined)
// means the line conflicts with what the database holds, or, returned
// when the batch is written, earlier lines of the batch; any other error
// is fatal.
func (im *importer) Apply(ctx context.Context, ln *importcsv.Line) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	// A stop is seen here, between lines: the line's statements run
	// without watching ctx (the driver would start a goroutine for each).
	ctx = context.WithoutCancel(ctx)
	in := &ln.Value
	if !im.skip {
		// Batched: most lines are new receivables, inserted many at a time,
		// their customers and mandates looked up together (Flush).
		im.batch = append(im.batch, pendingLine{ln: ln})
		if len(im.batch) == importBatch {
			return im.Flush(ctx)
		}
		return nil
	}
	// A rejected line must leave no trace: undo its partial writes.
	if _, err := im.tx.ExecContext(ctx, "SAVEPOINT line"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			im.tx.ExecContext(ctx, "ROLLBACK TO line")
			// What this line wrote is gone: forget what the caches learnt from it.
			clear(im.customers)
			clear(im.mandates)
		}
		im.tx.ExecContext(ctx, "RELEASE line")
	}()
	custID, mandateID, err := im.owners(ctx, ln)
	if err != nil {
		return err
	}
	r, err := im.insRecv.ExecContext(ctx, in.Document, custID, in.Issue, in.Due, in.Amount, in.Currency, in.Method, in.Journal,
		mandateID, in.Acceptance, in.Label, in.Status(), in.Hash, im.importID, im.creditorID, in.Cheque, in.DrawerBank)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 1 {
		im.res.Inserted++
		return nil
	}
	return im.existing(ctx, ln, custID, mandateID)
}

// owners writes the line's customer and its mandate, if it names one, and
// returns their ids.
func (im *importer) owners(ctx context.Context, ln *importcsv.Line) (int64, sql.NullInt64, error) {
	custID, err := im.customer(ctx, ln)
	if err != nil {
		return 0, sql.NullInt64{}, err
	}
	if ln.Value.Mandate.RUM == "" {
		return custID, sql.NullInt64{}, nil
	}
	id, err := im.mandate(ctx, ln, custID)
	return custID, sql.NullInt64{Int64: id, Valid: id != 0}, err
}

// importBatch is how many receivables one INSERT writes.
const importBatch = 256

type pendingLine struct {
	ln        *importcsv.Line
	custID    int64
	mandateID sql.NullInt64
}

// Flush inserts the pending receivables in one statement; the lines whose
// document already exists go through existing, one by one. Their conflicts
// are returned as line problems, joined.
func (im *importer) Flush(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ctx = context.WithoutCancel(ctx) // as in Apply
	if len(im.batch) == 0 {
		return nil
	}
	// The lines' customers and mandates, in the lines' order. The first
	// line with a problem ends the batch: the lines after it are not
	// written, as Scan writes none after a problem.
	if err := im.lookUp(ctx); err != nil {
		return err
	}
	im.looked = true
	var problem error
	for i := range im.batch {
		p := &im.batch[i]
		var err error
		if p.custID, p.mandateID, err = im.owners(ctx, p.ln); err != nil {
			if _, ok := csvread.AsProblems(err); !ok {
				return err
			}
			problem, im.batch = err, im.batch[:i]
			break
		}
	}
	im.looked, im.ahead = false, lookedUp{}
	if err := im.insertBatch(ctx); err != nil {
		if _, ok := csvread.AsProblems(err); !ok {
			return err
		}
		return errors.Join(problem, err)
	}
	return problem
}

// insertBatch inserts the batch's receivables in one statement; the lines
// whose document already exists go through existing, one by one. Their
// conflicts are returned as line problems, joined.
func (im *importer) insertBatch(ctx context.Context) error {
	res := im.res
	if len(im.batch) == 0 {
		return nil
	}
	stmt := im.insBatch
	if len(im.batch) != importBatch {
		var err error
		if stmt, err = im.tx.PrepareContext(ctx, batchInsertSQL(len(im.batch))); err != nil {
			return err
		}
		defer stmt.Close()
	}
	args := im.args[:0]
	for _, p := range im.batch {
		in := &p.ln.Value
		args = append(args, in.Document, p.custID, in.Issue, in.Due, in.Amount, in.Currency, in.Method, in.Journal,
			p.mandateID, in.Acceptance, in.Label, in.Status(), in.Hash, im.importID, im.creditorID, in.Cheque, in.DrawerBank)
	}
	im.args = args
	// Rows this statement inserts get ids above the largest one before it
	// (SQLite's rowid rule): that tells, when some documents already
	// existed, which lines were inserted, without a RETURNING clause.
	var before int64
	if err := im.tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM receivables`).Scan(&before); err != nil {
		return err
	}
	r, err := stmt.ExecContext(ctx, args...)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == int64(len(im.batch)) {
		res.Inserted += len(im.batch)
		im.batch = im.batch[:0]
		return nil
	}
	claimed := make(map[string]bool, len(im.batch))
	var problems []error
	for _, p := range im.batch {
		var id int64
		var hash, status string
		var importID int64
		doc := p.ln.Value.Document
		if err := im.getRecv.QueryRowContext(ctx, im.creditorID, doc).Scan(&id, &hash, &status, &importID); err != nil {
			return err
		}
		if id > before && !claimed[doc] {
			claimed[doc] = true // a second line with the same document is a conflict
			res.Inserted++
			continue
		}
		if err := im.known(ctx, p.ln, p.custID, p.mandateID, id, hash, status, importID); err != nil {
			if _, ok := csvread.AsProblems(err); !ok {
				return err
			}
			problems = append(problems, err)
		}
	}
	im.batch = im.batch[:0]
	return errors.Join(problems...)
}

const receivableInsertCols = `document, customer_id, issue_date, due_date, amount, currency, method, journal, mandate_id, acceptance, label, status, line_hash, import_id, creditor_id, cheque_number, drawer_bank`

func batchInsertSQL(n int) string {
	row := "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	return `INSERT INTO receivables (` + receivableInsertCols + `) VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ") +
		` ON CONFLICT (creditor_id, document) DO NOTHING`
}

// existing handles a line whose document the database already has: an
// identical line changes nothing, a changed one updates a receivable that
// is not yet remitted.
func (im *importer) existing(ctx context.Context, ln *importcsv.Line, custID int64, mandateID sql.NullInt64) error {
	in := &ln.Value
	var id, importID int64
	var hash, cur string
	if err := im.getRecv.QueryRowContext(ctx, im.creditorID, in.Document).Scan(&id, &hash, &cur, &importID); err != nil {
		return err
	}
	return im.known(ctx, ln, custID, mandateID, id, hash, cur, importID)
}

// known is existing once the receivable's row is read.
func (im *importer) known(ctx context.Context, ln *importcsv.Line, custID int64, mandateID sql.NullInt64,
	id int64, hash, cur string, importID int64) error {
	in := &ln.Value
	lineErr := func(col, val string, e error) error {
		return &remit.LineError{Line: ln.Num, Column: col, Value: val, Err: e}
	}
	if hash == in.Hash {
		if importID != im.importID {
			if _, err := im.insSeen.ExecContext(ctx, in.Document); err != nil {
				return err
			}
		}
		im.res.Unchanged++
		return nil
	}
	seen := importID == im.importID
	if !seen {
		var n int
		if err := im.getSeen.QueryRowContext(ctx, in.Document).Scan(&n); err != nil {
			return err
		}
		seen = n > 0
	}
	if seen {
		return lineErr("document", in.Document, errors.New("appears on an earlier line of this file with other values"))
	}
	switch cur {
	case remit.StatusRemitted, remit.StatusPaid, remit.StatusWrittenOff:
		return im.remitted(ctx, ln, id, cur)
	}
	status := cur
	switch in.Pointed {
	case importcsv.PointedYes:
		status = remit.StatusPointed
	case importcsv.PointedNo:
		status = remit.StatusOpen
	}
	if _, err := im.updRecv.ExecContext(ctx, custID, in.Issue, in.Due, in.Amount, in.Currency, in.Method, in.Journal,
		mandateID, in.Acceptance, in.Label, status, in.Hash, im.importID, in.Cheque, in.DrawerBank, id); err != nil {
		return err
	}
	im.res.Updated++
	return nil
}

// remitted handles a changed line of a remitted (or paid) receivable. What
// its own columns say (amount, dates, customer, mandate…) cannot change: each
// change is a problem naming the column, the remitted value and the new one.
// What the line says of its customer and mandate (IBAN, address, name…) was
// recorded before (customer, mandate): it is for the next collection, and
// does not block the file; the pointed column does not apply.
func (im *importer) remitted(ctx context.Context, ln *importcsv.Line, id int64, status string) error {
	in := &ln.Value
	var cur struct {
		customer, issue, due, currency, method, journal, rum, acceptance, label string
		amount, remittance                                                      int64
		sent                                                                    [9]string // as the remittance sent the debtor
	}
	err := im.tx.QueryRowContext(ctx, `SELECT c.account, r.issue_date, r.due_date, r.amount, r.currency, r.method, r.journal,
			COALESCE(m.rum, ''), r.acceptance, r.label, COALESCE(i.remittance_id, 0),
			COALESCE(i.name, ''), COALESCE(i.iban, ''), COALESCE(i.bic, ''), COALESCE(i.street, ''), COALESCE(i.building, ''),
			COALESCE(i.postcode, ''), COALESCE(i.town, ''), COALESCE(i.country, ''), COALESCE(i.bank_name, '')
		FROM receivables r JOIN customers c ON c.id = r.customer_id LEFT JOIN mandates m ON m.id = r.mandate_id
			LEFT JOIN remittance_lines i ON i.id = (SELECT max(x.id) FROM remittance_items x WHERE x.receivable_id = r.id AND x.status != 'cancelled')
		WHERE r.id = ?`, id).Scan(&cur.customer, &cur.issue, &cur.due, &cur.amount, &cur.currency, &cur.method, &cur.journal,
		&cur.rum, &cur.acceptance, &cur.label, &cur.remittance,
		&cur.sent[0], &cur.sent[1], &cur.sent[2], &cur.sent[3], &cur.sent[4], &cur.sent[5], &cur.sent[6], &cur.sent[7], &cur.sent[8])
	if err != nil {
		return err
	}
	what := in.Document + " was " + status
	if status == remit.StatusPaid {
		what = in.Document + " is paid"
	} else if status == remit.StatusWrittenOff {
		what = in.Document + " is written off"
	} else if cur.remittance != 0 {
		what += " (remittance " + remit.Ref(cur.remittance) + ")"
	}
	var errs []error
	for _, c := range []struct{ column, was, now string }{
		{"customer", cur.customer, in.Customer.Code},
		{"amount", remit.FormatAmount(cur.amount), remit.FormatAmount(in.Amount)},
		{"currency", cur.currency, in.Currency},
		{"due_date", cur.due, in.Due},
		{"issue_date", cur.issue, in.Issue},
		{"method", cur.method, in.Method},
		{"journal", cur.journal, in.Journal},
		{"mandate", cur.rum, in.Mandate.RUM},
		{"acceptance", cur.acceptance, in.Acceptance},
		{"label", cur.label, in.Label},
	} {
		if c.was == c.now {
			continue
		}
		was := "without one"
		if c.was != "" {
			was = "with " + strconv.Quote(c.was)
		}
		errs = append(errs, &remit.LineError{Line: ln.Num, Column: c.column, Value: c.now, Err: fmt.Errorf(
			"%s %s: a remitted receivable cannot change; reject it or cancel its remittance first, or import the change under a new document",
			what, was)})
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	// Only the customer's or the mandate's details differ: kept for the next collection.
	var changed []string
	cu, a := &in.Customer, &in.Customer.Address
	for i, c := range []struct{ column, now string }{{"name", cu.Name}, {"iban", cu.IBAN}, {"bic", cu.BIC}, {"street", a.Street},
		{"building", a.Building}, {"postcode", a.Postcode}, {"town", a.Town}, {"country", a.Country}, {"bank_name", cu.BankName}} {
		if c.now != "" && c.now != cur.sent[i] && cur.remittance != 0 {
			changed = append(changed, c.column)
		}
	}
	if _, err := im.tx.ExecContext(ctx, `UPDATE receivables SET line_hash = ?, import_id = ? WHERE id = ?`, in.Hash, im.importID, id); err != nil {
		return err
	}
	im.res.Unchanged++
	if len(changed) > 0 {
		im.res.KeptCount++
		if len(im.res.Kept) < remit.MaxKept {
			im.res.Kept = append(im.res.Kept, remit.KeptLine{Line: ln.Num, Document: in.Document, Remittance: remit.Ref(cur.remittance),
				Columns: changed})
		}
	}
	return nil
}

// customer writes the line's customer (its details, the empty ones kept
// as the database has them) and returns its id.
func (im *importer) customer(ctx context.Context, ln *importcsv.Line) (int64, error) {
	c, a := &ln.Value.Customer, &ln.Value.Customer.Address
	hash := im.customerHash(c)
	if cached, ok := im.customers[c.Code]; ok && cached.hash == hash {
		return cached.id, nil
	}
	var id int64
	found := false
	if k, ok := im.ahead.customers[c.Code]; ok {
		var err error
		if id, err = im.writeOver(ctx, ln, k); err != nil {
			return 0, err
		}
		found = true
	} else if !im.looked && im.knownCustomers {
		var err error
		if id, found, err = im.knownCustomer(ctx, ln); err != nil {
			return 0, err
		}
		im.knownCustomers = found
	}
	if !found {
		// A new customer: a plain insert, no statement journal (the upsert
		// needs one), no RETURNING.
		r, err := im.newCustomer.ExecContext(ctx, im.creditorID, c.Code, c.Name, a.Street, a.Building, a.Postcode, a.Town, a.Country,
			c.Priority, c.IBAN, c.BIC, c.BankName, c.SIREN)
		if err != nil {
			return 0, err
		}
		id, _ = r.LastInsertId()
		if n, _ := r.RowsAffected(); n != 1 {
			// Known after all.
			im.knownCustomers, im.lookCustomers = true, true
			if id, found, err = im.knownCustomer(ctx, ln); err != nil {
				return 0, err
			}
			if !found {
				return 0, fmt.Errorf("customer %s: neither inserted nor found", c.Code)
			}
		}
	}
	if len(im.customers) >= importCacheSize {
		clear(im.customers)
	}
	im.customers[strings.Clone(c.Code)] = cachedCustomer{id: id, hash: hash}
	return id, nil
}

// knownCustomer looks the line's customer up and, found, writes the line
// over it (insCustomer) only if that changes it (importcsv.Customer.Over),
// and returns its id and true. Unchanged customers are the rule from a
// file's second month on, and rewriting each would make every page of the
// table dirty, month after month.
func (im *importer) knownCustomer(ctx context.Context, ln *importcsv.Line) (int64, bool, error) {
	var k knownCustomer
	err := im.getCustomer.QueryRowContext(ctx, im.creditorID, ln.Value.Customer.Code).Scan(k.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	id, err := im.writeOver(ctx, ln, k)
	return id, true, err
}

// writeOver writes the line's customer over k, the row the database has,
// only if that changes it, and returns its id.
func (im *importer) writeOver(ctx context.Context, ln *importcsv.Line, k knownCustomer) (int64, error) {
	c, a := &ln.Value.Customer, &ln.Value.Customer.Address
	if c.Over(k.cur) == k.cur {
		return k.id, nil
	}
	delete(im.ahead.customers, c.Code) // no longer what the database has
	var id int64
	err := im.insCustomer.QueryRowContext(ctx, im.creditorID, c.Code, c.Name, a.Street, a.Building, a.Postcode, a.Town, a.Country,
		c.Priority, c.IBAN, c.BIC, c.BankName, c.SIREN).Scan(&id)
	return id, err
}

// mandate writes the mandate the line names (a new one, or the changes
// of a known one: a new IBAN, signature date, kind or BIC) and returns its
// id; a mandate of another customer, or another scheme, is a problem.
func (im *importer) mandate(ctx context.Context, ln *importcsv.Line, custID int64) (int64, error) {
	want, iban, bic := &ln.Value.Mandate, ln.Value.Customer.IBAN, ln.Value.Customer.BIC
	lineErr := func(col, val string, e error) error {
		return &remit.LineError{Line: ln.Num, Column: col, Value: val, Err: e}
	}
	line := im.mandateHash(&ln.Value)
	if c, ok := im.mandates[want.RUM]; ok && c.line == line && c.customerID == custID {
		return c.id, im.remember(ctx, ln, c)
	}
	scheme := want.Scheme
	if scheme == "" {
		scheme = "CORE"
	}
	kind := want.Kind
	if kind == "" {
		kind = "recurrent"
	}
	var m knownMandate
	get := func() error {
		return im.getMandate.QueryRowContext(ctx, im.creditorID, want.RUM).Scan(m.dest()...)
	}
	// Looked up first while the file names known mandates, else inserted
	// first (knownMandates).
	found := false
	if k, ok := im.ahead.mandates[want.RUM]; ok {
		m, found = k, true
	} else if !im.looked && im.knownMandates {
		switch err := get(); {
		case err == nil:
			found = true
		case errors.Is(err, sql.ErrNoRows):
			im.knownMandates = false
		default:
			return 0, err
		}
	}
	if !found {
		r, err := im.insMandate.ExecContext(ctx, im.creditorID, custID, want.RUM, want.Signed, scheme, kind, iban, bic)
		if err != nil {
			return 0, err
		}
		if n, _ := r.RowsAffected(); n == 1 {
			id, _ := r.LastInsertId()
			return id, im.rememberNew(ctx, ln, cachedMandate{id: id, customerID: custID, line: line})
		}
		im.knownMandates, im.lookMandates = true, true
		if err := get(); err != nil {
			return 0, err
		}
	}
	if m.customerID != custID {
		return 0, lineErr("mandate", want.RUM, fmt.Errorf("belongs to customer %s", m.customerCode))
	}
	if want.Scheme != "" && want.Scheme != m.scheme {
		return 0, lineErr("scheme", want.Scheme, fmt.Errorf("mandate %s is %s: a mandate cannot change scheme (sign a new one)", want.RUM, m.scheme))
	}
	changed := false
	if iban != "" && iban != m.iban {
		// Same mandate, new account: keep the mandate, remember the old IBAN;
		// the next collection announces the change (SMNDA).
		if _, err := im.tx.ExecContext(ctx, `UPDATE mandates SET previous_iban = iban, iban = ?, bic = ? WHERE id = ?`, iban, bic, m.id); err != nil {
			return 0, err
		}
		// A mandate blocked because its account was closed or wrong is usable again on the new account.
		if _, err := unblockForNewIBAN(ctx, im.tx, m.id); err != nil {
			return 0, err
		}
		m.iban, m.bic, changed = iban, bic, true
		delete(im.ahead.mandates, want.RUM) // no longer what the database has
	}
	if (want.Signed != "" && want.Signed != m.signed) || (want.Kind != "" && want.Kind != m.kind) || (bic != m.bic && !changed) {
		if want.Signed != "" {
			m.signed = want.Signed
		}
		if want.Kind != "" {
			m.kind = want.Kind
		}
		m.bic = bic
		if _, err := im.tx.ExecContext(ctx, `UPDATE mandates SET signed_on = ?, kind = ?, bic = ? WHERE id = ?`, m.signed, m.kind, m.bic, m.id); err != nil {
			return 0, err
		}
		delete(im.ahead.mandates, want.RUM)
	}
	c := im.mandates[want.RUM] // keeps the history already recorded
	if c.id != m.id {
		c = cachedMandate{}
	}
	c.id, c.customerID, c.line = m.id, custID, line
	return m.id, im.remember(ctx, ln, c)
}

// remember records the line's collection made before remit managed the
// mandate (once), then caches the mandate.
func (im *importer) remember(ctx context.Context, ln *importcsv.Line, c cachedMandate) error {
	m, iban := &ln.Value.Mandate, ln.Value.Customer.IBAN
	if m.LastCollected != "" {
		if h := im.hash(m.LastCollected, iban); h != c.history {
			// Looked for, then inserted: an INSERT … WHERE NOT EXISTS would
			// cost a statement journal (rememberNew), for a row most
			// mandates already have from their last month's file.
			has, err := im.hasCollection(ctx, c.id, m.LastCollected)
			if err != nil {
				return err
			}
			if !has {
				if _, err := im.newHistory.ExecContext(ctx, c.id, m.LastCollected, iban); err != nil {
					return err
				}
				if im.ahead.read[c.id] {
					im.ahead.history[historyKey{c.id, m.LastCollected}] = true
				}
			}
			c.history = h
		}
	}
	im.cacheMandate(m.RUM, c)
	return nil
}

// rememberNew is remember for a mandate this line created: it has no
// history yet, so its earlier collection goes in without a look (an
// INSERT … SELECT … WHERE NOT EXISTS a line costs SQLite a statement
// journal, a page write a line once it spills to disk).
func (im *importer) rememberNew(ctx context.Context, ln *importcsv.Line, c cachedMandate) error {
	m, iban := &ln.Value.Mandate, ln.Value.Customer.IBAN
	if m.LastCollected != "" {
		if _, err := im.newHistory.ExecContext(ctx, c.id, m.LastCollected, iban); err != nil {
			return err
		}
		c.history = im.hash(m.LastCollected, iban)
	}
	im.cacheMandate(m.RUM, c)
	return nil
}

// cacheMandate caches mandate rum as c.
func (im *importer) cacheMandate(rum string, c cachedMandate) {
	if old, ok := im.mandates[rum]; ok && old == c {
		return
	}
	if len(im.mandates) >= importCacheSize {
		clear(im.mandates)
	}
	im.mandates[strings.Clone(rum)] = c
}

// hash sums values for the caches (separated, so "ab","c" differs from "a","bc").
func (im *importer) hash(values ...string) uint64 {
	var h maphash.Hash
	h.SetSeed(im.seed)
	for _, v := range values {
		h.WriteString(v)
		h.WriteByte(0)
	}
	return h.Sum64()
}
