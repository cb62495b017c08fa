package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/crash"
	"github.com/remit-dev/remit/remit/importcsv"
)

// An import decides in Go, line by line, what each line does to the
// customers, mandates and receivables (the SQLite store's rules, see
// sqlite.BeginImport), from their rows read a batch of lines at a time (one
// query per table per batch), and writes what the batch decided with a few
// statements: the new customers and mandates inserted many at a time (their
// ids returned), the changed ones updated from arrays, the new receivables
// copied (COPY). A line with a problem changes nothing.

// importBatch is how many lines an import reads its rows for and writes at
// once.
const importBatch = 2048

// customerRow is a customer as the import leaves it so far.
type customerRow struct {
	id                                                    int64 // 0: new, not written yet
	code, name, street, building, postcode, town, country string
	iban, bic, bankName, siren                            string
	priority                                              int
	dirty                                                 bool // changed since read or written
	queued                                                bool // in the import's list to write
}

// mandateRow is a mandate as the import leaves it so far.
type mandateRow struct {
	id                                             int64 // 0: new, not written yet
	customer                                       string
	rum, scheme, kind, signed, iban, bic, previous string
	status, reason                                 string
	dirty                                          bool
	queued                                         bool
	histories                                      map[string]bool // collection dates recorded by this import
}

// documentRow is a receivable as the import knows it.
type documentRow struct {
	id       int64 // 0: inserted by this import, not written yet
	hash     string
	status   string
	importID int64
}

// newReceivable is a receivable to insert, its customer and mandate
// (RUM, "" for none) named: their ids are known once they are written.
type newReceivable struct {
	in                *importcsv.Receivable
	customer, mandate string
}

// changedReceivable is a known receivable's new values.
type changedReceivable struct {
	newReceivable
	id     int64
	status string
}

// importer is the transaction of one import (importcsv.Tx).
type importer struct {
	s          *Store
	tx         pgx.Tx
	creditorID int64
	importID   int64
	skip       bool
	res        *remit.ImportResult
	held       []*importcsv.Line // lines Apply held back (without SkipInvalid)

	customers map[string]*customerRow
	mandates  map[string]*mandateRow
	documents map[string]*documentRow // this batch's
	// what the batches decided and write writes, in the order of the lines
	touchedCustomers []*customerRow
	touchedMandates  []*mandateRow
	inserts          []newReceivable
	updates          []changedReceivable
	rehashed         []int64 // remitted receivables found unchanged: their line_hash and import_id
	rehashes         []string
	histories        [][]any // mandate, date, iban
	historyOf        []*mandateRow
	unchanged        []string // documents of older imports found unchanged (temp.import_unchanged)
	seenCreated      bool
	pending          int // lines decided, not written
}

// BeginImport starts the transaction of one receivables import
// (importcsv.Import reads the file and hands it the valid lines); it takes
// the creditor's lock first.
func (s *Store) BeginImport(ctx context.Context, o remit.ImportOptions, res *remit.ImportResult) (importcsv.Tx, error) {
	tx, err := s.Pool.Begin(ctx)
	if err != nil {
		return nil, s.wrap(err)
	}
	im := &importer{s: s, tx: tx, creditorID: o.Creditor.ID, skip: o.SkipInvalid, res: res,
		customers: map[string]*customerRow{}, mandates: map[string]*mandateRow{}, documents: map[string]*documentRow{}}
	if err := lockCreditor(ctx, tx, o.Creditor.ID); err != nil {
		tx.Rollback(ctx)
		return nil, s.wrap(err)
	}
	if err := tx.QueryRow(ctx, `INSERT INTO imports (file, sha256, imported_at, lines, inserted, updated, unchanged, rejected)
		VALUES ($1, '', $2, 0, 0, 0, 0, 0) RETURNING id`, o.File, s.now().Format(remit.TimestampLayout)).Scan(&im.importID); err != nil {
		tx.Rollback(ctx)
		return nil, s.wrap(err)
	}
	return im, nil
}

// Apply decides one valid line. Without SkipInvalid, it holds the line
// back and decides a batch at a time, returning the batch's problems;
// with SkipInvalid, it decides the line at once and returns its problems,
// the line then changing nothing.
func (im *importer) Apply(ctx context.Context, ln *importcsv.Line) error {
	if !im.skip {
		im.held = append(im.held, ln)
		if len(im.held) < importBatch {
			return nil
		}
		return im.Flush(ctx)
	}
	if err := im.read(ctx, []*importcsv.Line{ln}); err != nil {
		return err
	}
	if err := im.decide(ctx, ln); err != nil {
		return err
	}
	if im.pending >= importBatch {
		return im.write(ctx)
	}
	return nil
}

// Flush decides the lines held back and writes what was decided.
func (im *importer) Flush(ctx context.Context) error {
	lines := im.held
	im.held = im.held[:0]
	if err := im.read(ctx, lines); err != nil {
		return err
	}
	var problems []error
	for _, ln := range lines {
		if err := im.decide(ctx, ln); err != nil {
			if !isProblem(err) {
				return err
			}
			problems = append(problems, err)
		}
	}
	if len(problems) > 0 {
		return errors.Join(problems...) // the import is void: nothing to write
	}
	return im.write(ctx)
}

// isProblem reports whether err is a line's problems.
func isProblem(err error) bool {
	var le *remit.LineError
	if errors.As(err, &le) {
		return true
	}
	j, ok := err.(interface{ Unwrap() []error })
	return ok && len(j.Unwrap()) > 0
}

// Record records the import: its file's SHA-256 and its counts.
func (im *importer) Record(ctx context.Context, sum string) error {
	res := im.res
	_, err := im.tx.Exec(ctx, `UPDATE imports SET sha256 = $1, lines = $2, inserted = $3, updated = $4, unchanged = $5, rejected = $6 WHERE id = $7`,
		sum, res.Lines, res.Inserted, res.Updated, res.Unchanged, res.Rejected, im.importID)
	return err
}

// Commit commits the import's transaction.
func (im *importer) Commit() error {
	crash.Point("before-commit")
	return im.s.wrap(im.tx.Commit(context.Background()))
}

// Rollback ends the transaction: rolled back unless Commit committed it.
func (im *importer) Rollback() { im.tx.Rollback(context.Background()) }

// read reads the rows the lines name that the import does not know yet:
// their customers, their mandates, their receivables, and which of their
// documents an earlier line found unchanged.
func (im *importer) read(ctx context.Context, lines []*importcsv.Line) error {
	var codes, rums, docs []string
	for _, ln := range lines {
		in := &ln.Value
		if _, ok := im.customers[in.Customer.Code]; !ok {
			codes = append(codes, in.Customer.Code)
		}
		if rum := in.Mandate.RUM; rum != "" {
			if _, ok := im.mandates[rum]; !ok {
				rums = append(rums, rum)
			}
		}
		if _, ok := im.documents[in.Document]; !ok {
			docs = append(docs, in.Document)
		}
	}
	if len(codes) > 0 {
		rows, err := im.tx.Query(ctx, `SELECT id, account, name, street, building, postcode, town, country, iban, bic, bank_name, siren, priority
			FROM customers WHERE creditor_id = $1 AND account = ANY($2::text[])`, im.creditorID, codes)
		if err != nil {
			return err
		}
		for rows.Next() {
			c := &customerRow{}
			if err := rows.Scan(&c.id, &c.code, &c.name, &c.street, &c.building, &c.postcode, &c.town, &c.country, &c.iban, &c.bic,
				&c.bankName, &c.siren, &c.priority); err != nil {
				rows.Close()
				return err
			}
			im.customers[c.code] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if len(rums) > 0 {
		rows, err := im.tx.Query(ctx, `SELECT m.id, c.account, m.rum, m.scheme, m.kind, m.signed_on, m.iban, m.bic, m.previous_iban,
				m.status, m.status_reason
			FROM mandates m JOIN customers c ON c.id = m.customer_id WHERE m.creditor_id = $1 AND m.rum = ANY($2::text[])`, im.creditorID, rums)
		if err != nil {
			return err
		}
		for rows.Next() {
			m := &mandateRow{}
			if err := rows.Scan(&m.id, &m.customer, &m.rum, &m.scheme, &m.kind, &m.signed, &m.iban, &m.bic, &m.previous,
				&m.status, &m.reason); err != nil {
				rows.Close()
				return err
			}
			im.mandates[m.rum] = m
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if len(docs) == 0 {
		return nil
	}
	rows, err := im.tx.Query(ctx, `SELECT document, id, line_hash, status, import_id FROM receivables
		WHERE creditor_id = $1 AND document = ANY($2::text[])`, im.creditorID, docs)
	if err != nil {
		return err
	}
	for rows.Next() {
		var doc string
		d := &documentRow{}
		if err := rows.Scan(&doc, &d.id, &d.hash, &d.status, &d.importID); err != nil {
			rows.Close()
			return err
		}
		im.documents[doc] = d
	}
	rows.Close()
	return rows.Err()
}

// decide decides one line from what the import knows, and queues what it
// changes; a line with problems changes nothing.
func (im *importer) decide(ctx context.Context, ln *importcsv.Line) error {
	in := &ln.Value
	cust := im.mergeCustomer(in)
	var mand *mandateRow
	if in.Mandate.RUM != "" {
		var err error
		if mand, err = im.mergeMandate(ln, cust); err != nil {
			return err
		}
	}
	if err := im.decideReceivable(ctx, ln, cust); err != nil {
		return err
	}
	// The line stands: what it says of its customer and mandate too.
	c := im.customerRef(cust.code)
	cust.queued = c.queued
	*c = *cust
	if !c.queued {
		c.queued = true
		im.touchedCustomers = append(im.touchedCustomers, c)
	}
	if mand != nil {
		ref := im.mandateRef(mand.rum)
		mand.queued = ref.queued
		*ref = *mand
		if !ref.queued {
			ref.queued = true
			im.touchedMandates = append(im.touchedMandates, ref)
		}
		if m := in.Mandate; m.LastCollected != "" && !ref.histories[m.LastCollected] {
			if ref.histories == nil {
				ref.histories = map[string]bool{}
			}
			ref.histories[m.LastCollected] = true
			im.histories = append(im.histories, []any{nil, m.LastCollected, in.Customer.IBAN})
			im.historyOf = append(im.historyOf, ref)
		}
	}
	im.pending++
	return nil
}

// customerRef is the import's row of a customer, made when new.
func (im *importer) customerRef(code string) *customerRow {
	c := im.customers[code]
	if c == nil {
		c = &customerRow{}
		im.customers[code] = c
	}
	return c
}

// mandateRef is the import's row of a mandate, made when new.
func (im *importer) mandateRef(rum string) *mandateRow {
	m := im.mandates[rum]
	if m == nil {
		m = &mandateRow{}
		im.mandates[rum] = m
	}
	return m
}

// mergeCustomer is the customer as the line leaves it: its details, the
// empty ones kept as they were; a new one as the line gives it.
func (im *importer) mergeCustomer(in *importcsv.Receivable) *customerRow {
	c := &in.Customer
	old := im.customers[c.Code]
	if old == nil {
		return &customerRow{code: c.Code, name: c.Name, street: c.Address.Street, building: c.Address.Building, postcode: c.Address.Postcode,
			town: c.Address.Town, country: c.Address.Country, iban: c.IBAN, bic: c.BIC, bankName: c.BankName, siren: c.SIREN,
			priority: c.Priority, dirty: true}
	}
	m := c.Over(importcsv.Customer{Code: old.code, Name: old.name, Address: remit.Address{Street: old.street, Building: old.building,
		Postcode: old.postcode, Town: old.town, Country: old.country}, IBAN: old.iban, BIC: old.bic, BankName: old.bankName,
		SIREN: old.siren, Priority: old.priority})
	n := *old
	n.name, n.street, n.building, n.postcode, n.town, n.country = m.Name, m.Address.Street, m.Address.Building, m.Address.Postcode,
		m.Address.Town, m.Address.Country
	n.iban, n.bic, n.bankName, n.siren, n.priority = m.IBAN, m.BIC, m.BankName, m.SIREN, m.Priority
	n.dirty = n.dirty || n != *old
	return &n
}

// mergeMandate is the mandate as the line leaves it: a new one; or the
// changes of a known one (a new IBAN, signature date, kind or BIC); a
// mandate of another customer, or of another scheme, is a problem.
func (im *importer) mergeMandate(ln *importcsv.Line, cust *customerRow) (*mandateRow, error) {
	want, iban, bic := &ln.Value.Mandate, ln.Value.Customer.IBAN, ln.Value.Customer.BIC
	lineErr := func(col, val string, e error) error {
		return &remit.LineError{Line: ln.Num, Column: col, Value: val, Err: e}
	}
	old := im.mandates[want.RUM]
	if old == nil {
		m := &mandateRow{customer: cust.code, rum: want.RUM, scheme: want.Scheme, kind: want.Kind, signed: want.Signed, iban: iban, bic: bic,
			status: remit.MandateActive, dirty: true}
		if m.scheme == "" {
			m.scheme = "CORE"
		}
		if m.kind == "" {
			m.kind = remit.MandateRecurrent
		}
		return m, nil
	}
	if old.customer != cust.code {
		return nil, lineErr("mandate", want.RUM, fmt.Errorf("belongs to customer %s", old.customer))
	}
	if want.Scheme != "" && want.Scheme != old.scheme {
		return nil, lineErr("scheme", want.Scheme, fmt.Errorf("mandate %s is %s: a mandate cannot change scheme (sign a new one)", want.RUM, old.scheme))
	}
	m := *old
	changed := false
	if iban != "" && iban != m.iban {
		// Same mandate, new account: keep the mandate, remember the old IBAN;
		// the next collection announces the change (SMNDA). A mandate
		// blocked because its account was closed or wrong is usable again.
		m.previous, m.iban, m.bic, changed = m.iban, iban, bic, true
		if code, _, _ := strings.Cut(m.reason, " "); m.status == remit.MandateBlocked && remit.AccountReason(code) {
			m.status, m.reason = remit.MandateActive, ""
		}
	}
	if (want.Signed != "" && want.Signed != m.signed) || (want.Kind != "" && want.Kind != m.kind) || (bic != m.bic && !changed) {
		if want.Signed != "" {
			m.signed = want.Signed
		}
		if want.Kind != "" {
			m.kind = want.Kind
		}
		m.bic = bic
	}
	m.dirty = m.dirty || m.previous != old.previous || m.iban != old.iban || m.bic != old.bic || m.signed != old.signed ||
		m.kind != old.kind || m.status != old.status || m.reason != old.reason
	return &m, nil
}

// decideReceivable decides what the line does to its receivable: a new
// one; nothing for the same line again; new values for one not yet
// remitted; a problem for another line of the file with the same document
// and other values, or a remitted one whose own columns change.
func (im *importer) decideReceivable(ctx context.Context, ln *importcsv.Line, cust *customerRow) error {
	in := &ln.Value
	d := im.documents[in.Document]
	if d == nil {
		im.documents[in.Document] = &documentRow{hash: in.Hash, status: in.Status(), importID: im.importID}
		im.inserts = append(im.inserts, newReceivable{in: in, customer: cust.code, mandate: in.Mandate.RUM})
		im.res.Inserted++
		return nil
	}
	if d.hash == in.Hash {
		if d.importID != im.importID && d.importID != -1 {
			im.unchanged = append(im.unchanged, in.Document)
			d.importID = -1 // this import found it unchanged: known without a look-up
		}
		im.res.Unchanged++
		return nil
	}
	seen := d.importID == im.importID || d.importID == -1
	if !seen && im.seenCreated {
		if err := im.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM import_unchanged WHERE document = $1)`, in.Document).Scan(&seen); err != nil {
			return err
		}
	}
	if seen {
		return &remit.LineError{Line: ln.Num, Column: "document", Value: in.Document,
			Err: errors.New("appears on an earlier line of this file with other values")}
	}
	switch d.status {
	case remit.StatusRemitted, remit.StatusPaid, remit.StatusWrittenOff:
		return im.remitted(ctx, ln, d)
	}
	status := d.status
	switch in.Pointed {
	case importcsv.PointedYes:
		status = remit.StatusPointed
	case importcsv.PointedNo:
		status = remit.StatusOpen
	}
	im.updates = append(im.updates, changedReceivable{newReceivable: newReceivable{in: in, customer: cust.code, mandate: in.Mandate.RUM},
		id: d.id, status: status})
	d.hash, d.status, d.importID = in.Hash, status, im.importID
	im.res.Updated++
	return nil
}

// remitted handles a changed line of a remitted (or paid) receivable, as
// the SQLite store does: each change of its own columns is a problem; what
// the line says of its customer and mandate is kept for the next
// collection, and said.
func (im *importer) remitted(ctx context.Context, ln *importcsv.Line, d *documentRow) error {
	in := &ln.Value
	if d.id == 0 {
		return errors.New("import: a receivable remitted before it was written") // cannot happen: this import writes none remitted
	}
	var cur struct {
		customer, issue, due, currency, method, journal, rum, acceptance, label string
		amount, remittance                                                      int64
		sent                                                                    [9]string // as the remittance sent the debtor
	}
	err := im.tx.QueryRow(ctx, `SELECT c.account, r.issue_date, r.due_date, r.amount, r.currency, r.method, r.journal,
			COALESCE(m.rum, ''), r.acceptance, r.label, COALESCE(i.remittance_id, 0),
			COALESCE(i.name, ''), COALESCE(i.iban, ''), COALESCE(i.bic, ''), COALESCE(i.street, ''), COALESCE(i.building, ''),
			COALESCE(i.postcode, ''), COALESCE(i.town, ''), COALESCE(i.country, ''), COALESCE(i.bank_name, '')
		FROM receivables r JOIN customers c ON c.id = r.customer_id LEFT JOIN mandates m ON m.id = r.mandate_id
			LEFT JOIN remittance_lines i ON i.id = (SELECT max(x.id) FROM remittance_items x WHERE x.receivable_id = r.id AND x.status != 'cancelled')
		WHERE r.id = $1`, d.id).Scan(&cur.customer, &cur.issue, &cur.due, &cur.amount, &cur.currency, &cur.method, &cur.journal,
		&cur.rum, &cur.acceptance, &cur.label, &cur.remittance,
		&cur.sent[0], &cur.sent[1], &cur.sent[2], &cur.sent[3], &cur.sent[4], &cur.sent[5], &cur.sent[6], &cur.sent[7], &cur.sent[8])
	if err != nil {
		return err
	}
	what := in.Document + " was " + d.status
	if d.status == remit.StatusPaid {
		what = in.Document + " is paid"
	} else if d.status == remit.StatusWrittenOff {
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
	im.rehashed, im.rehashes = append(im.rehashed, d.id), append(im.rehashes, in.Hash)
	d.hash, d.importID = in.Hash, im.importID
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

// importCacheSize bounds the customers and mandates an import keeps in
// memory between batches: past it they are read again.
const importCacheSize = 1 << 17

// write writes what the lines decided since the last write.
func (im *importer) write(ctx context.Context) error {
	for _, step := range []func(context.Context) error{im.writeCustomers, im.writeMandates, im.writeHistories, im.writeReceivables} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	im.pending = 0
	for _, c := range im.touchedCustomers {
		c.dirty, c.queued = false, false
	}
	for _, m := range im.touchedMandates {
		m.dirty, m.queued = false, false
	}
	im.touchedCustomers, im.touchedMandates = im.touchedCustomers[:0], im.touchedMandates[:0]
	clear(im.documents)
	if len(im.customers) > importCacheSize {
		clear(im.customers)
	}
	if len(im.mandates) > importCacheSize {
		clear(im.mandates)
	}
	return nil
}

// writeCustomers inserts the new customers (their ids returned) and
// updates the changed ones.
func (im *importer) writeCustomers(ctx context.Context) error {
	var fresh, changed []*customerRow
	for _, c := range im.touchedCustomers {
		switch {
		case c.id == 0:
			fresh = append(fresh, c)
		case c.dirty:
			changed = append(changed, c)
		}
	}
	cols := func(cs []*customerRow) (ids []int64, text [11][]string, prio []int32) {
		for _, c := range cs {
			ids = append(ids, c.id)
			for i, v := range []string{c.code, c.name, c.street, c.building, c.postcode, c.town, c.country, c.iban, c.bic, c.bankName, c.siren} {
				text[i] = append(text[i], v)
			}
			prio = append(prio, int32(c.priority))
		}
		return
	}
	if len(fresh) > 0 {
		_, t, prio := cols(fresh)
		rows, err := im.tx.Query(ctx, `INSERT INTO customers (creditor_id, account, name, street, building, postcode, town, country,
				iban, bic, bank_name, siren, priority)
			SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
				$10::text[], $11::text[], $12::text[], $13::int[])
			RETURNING id, account`, im.creditorID, t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], prio)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var code string
			if err := rows.Scan(&id, &code); err != nil {
				rows.Close()
				return err
			}
			im.customers[code].id = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if len(changed) > 0 {
		ids, t, prio := cols(changed)
		if _, err := im.tx.Exec(ctx, `UPDATE customers c SET name = x.name, street = x.street, building = x.building, postcode = x.postcode,
				town = x.town, country = x.country, iban = x.iban, bic = x.bic, bank_name = x.bank_name, siren = x.siren, priority = x.priority
			FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
				$10::text[], $11::text[], $12::text[], $13::int[])
				AS x(id, account, name, street, building, postcode, town, country, iban, bic, bank_name, siren, priority)
			WHERE c.id = x.id`, ids, t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], prio); err != nil {
			return err
		}
	}
	return nil
}

// writeMandates inserts the new mandates (their ids returned) and updates
// the changed ones.
func (im *importer) writeMandates(ctx context.Context) error {
	var fresh, changed []*mandateRow
	for _, m := range im.touchedMandates {
		switch {
		case m.id == 0:
			fresh = append(fresh, m)
		case m.dirty:
			changed = append(changed, m)
		}
	}
	if len(fresh) > 0 {
		var cust []int64
		var t [6][]string
		for _, m := range fresh {
			cust = append(cust, im.customers[m.customer].id)
			for i, v := range []string{m.rum, m.signed, m.scheme, m.kind, m.iban, m.bic} {
				t[i] = append(t[i], v)
			}
		}
		rows, err := im.tx.Query(ctx, `INSERT INTO mandates (creditor_id, customer_id, rum, signed_on, scheme, kind, iban, bic)
			SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
			RETURNING id, rum`, im.creditorID, cust, t[0], t[1], t[2], t[3], t[4], t[5])
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var rum string
			if err := rows.Scan(&id, &rum); err != nil {
				rows.Close()
				return err
			}
			im.mandates[rum].id = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if len(changed) > 0 {
		var ids []int64
		var t [7][]string
		for _, m := range changed {
			ids = append(ids, m.id)
			for i, v := range []string{m.previous, m.iban, m.bic, m.signed, m.kind, m.status, m.reason} {
				t[i] = append(t[i], v)
			}
		}
		if _, err := im.tx.Exec(ctx, `UPDATE mandates m SET previous_iban = x.previous, iban = x.iban, bic = x.bic, signed_on = x.signed,
				kind = x.kind, status = x.status, status_reason = x.reason
			FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
				AS x(id, previous, iban, bic, signed, kind, status, reason)
			WHERE m.id = x.id`, ids, t[0], t[1], t[2], t[3], t[4], t[5], t[6]); err != nil {
			return err
		}
	}
	return nil
}

// writeHistories records the collections made before remit managed the
// mandates, each (mandate, date) once, the first line's IBAN.
func (im *importer) writeHistories(ctx context.Context) error {
	if len(im.histories) == 0 {
		return nil
	}
	var ids []int64
	var dates, ibans []string
	for i, h := range im.histories {
		ids, dates, ibans = append(ids, im.historyOf[i].id), append(dates, h[1].(string)), append(ibans, h[2].(string))
	}
	_, err := im.tx.Exec(ctx, `INSERT INTO mandate_history (mandate_id, collected_on, iban)
		SELECT x.m, x.d, x.iban FROM unnest($1::bigint[], $2::text[], $3::text[]) WITH ORDINALITY AS x(m, d, iban, n)
		WHERE NOT EXISTS (SELECT 1 FROM mandate_history h WHERE h.mandate_id = x.m AND h.collected_on = x.d)
		ORDER BY x.n`, ids, dates, ibans)
	im.histories, im.historyOf = im.histories[:0], im.historyOf[:0]
	return err
}

// writeReceivables copies the new receivables, updates the changed ones,
// and remembers the documents found unchanged.
func (im *importer) writeReceivables(ctx context.Context) error {
	if len(im.inserts) > 0 {
		rows := make([][]any, len(im.inserts))
		for i, r := range im.inserts {
			in := r.in
			var mandate any
			if r.mandate != "" {
				mandate = im.mandates[r.mandate].id
			}
			rows[i] = []any{in.Document, im.customers[r.customer].id, in.Issue, in.Due, in.Amount, in.Currency, in.Method, in.Journal, mandate,
				in.Acceptance, in.Label, in.Status(), in.Hash, im.importID, im.creditorID, in.Cheque, in.DrawerBank}
		}
		if _, err := im.tx.CopyFrom(ctx, pgx.Identifier{"receivables"}, []string{"document", "customer_id", "issue_date", "due_date",
			"amount", "currency", "method", "journal", "mandate_id", "acceptance", "label", "status", "line_hash", "import_id",
			"creditor_id", "cheque_number", "drawer_bank"}, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		im.inserts = im.inserts[:0]
	}
	if len(im.updates) > 0 {
		n := len(im.updates)
		ids, custs, mands, amounts := make([]int64, n), make([]int64, n), make([]*int64, n), make([]int64, n)
		var t [11][]string
		for i, u := range im.updates {
			in := u.in
			ids[i], custs[i], amounts[i] = u.id, im.customers[u.customer].id, in.Amount
			if u.mandate != "" {
				mands[i] = &im.mandates[u.mandate].id
			}
			for j, v := range []string{in.Issue, in.Due, in.Currency, in.Method, in.Journal, in.Acceptance, in.Label, u.status, in.Hash,
				in.Cheque, in.DrawerBank} {
				t[j] = append(t[j], v)
			}
		}
		if _, err := im.tx.Exec(ctx, `UPDATE receivables r SET customer_id = x.customer, issue_date = x.issue, due_date = x.due,
				amount = x.amount, currency = x.currency, method = x.method, journal = x.journal, mandate_id = x.mandate,
				acceptance = x.acceptance, label = x.label, status = x.status, refusal = '', line_hash = x.hash, import_id = $13,
				cheque_number = x.cheque, drawer_bank = x.drawer
			FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[],
				$9::text[], $10::text[], $11::text[], $12::text[], $14::text[], $15::text[], $16::text[])
				AS x(id, customer, mandate, amount, issue, due, currency, method, journal, acceptance, label, status, hash, cheque, drawer)
			WHERE r.id = x.id`, ids, custs, mands, amounts, t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], im.importID, t[8],
			t[9], t[10]); err != nil {
			return err
		}
		im.updates = im.updates[:0]
	}
	if len(im.rehashed) > 0 {
		if _, err := im.tx.Exec(ctx, `UPDATE receivables r SET line_hash = x.hash, import_id = $3
			FROM unnest($1::bigint[], $2::text[]) AS x(id, hash) WHERE r.id = x.id`, im.rehashed, im.rehashes, im.importID); err != nil {
			return err
		}
		im.rehashed, im.rehashes = im.rehashed[:0], im.rehashes[:0]
	}
	if len(im.unchanged) > 0 {
		// On the server, not in memory: a re-import of millions of lines stays small.
		if !im.seenCreated {
			if _, err := im.tx.Exec(ctx, `CREATE TEMP TABLE import_unchanged (document text PRIMARY KEY) ON COMMIT DROP`); err != nil {
				return err
			}
			im.seenCreated = true
		}
		rows := make([][]any, len(im.unchanged))
		for i, d := range im.unchanged {
			rows[i] = []any{d}
		}
		if _, err := im.tx.CopyFrom(ctx, pgx.Identifier{"import_unchanged"}, []string{"document"}, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		im.unchanged = im.unchanged[:0]
	}
	return nil
}
