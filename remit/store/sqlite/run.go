package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// tx is a write transaction on the remittances (store.Tx).
type tx struct {
	s *Store
	q *sql.Tx
}

// Update runs fn in a write transaction (BEGIN IMMEDIATE), committed when
// fn returns nil.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.inTx(ctx, func(q *sql.Tx) error { return fn(&tx{s: s, q: q}) })
}

// runTx is the transaction of a remittance run (store.RunTx): without
// SQLite's foreign-key checks (see inRemittanceTx), its statements
// prepared once.
type runTx struct {
	tx
	refuse, note, doc, exists, taken *sql.Stmt
	refusePayable                    *sql.Stmt
	payments, paymentLines           *batchInsert // staged payments, written many at a time
	stage                            *itemStage
}

// Run runs fn in the transaction of a remittance run, committed when fn
// returns nil.
func (s *Store) Run(ctx context.Context, fn func(store.RunTx) error) error {
	return s.inRemittanceTx(ctx, func(q *sql.Tx) error {
		t := &runTx{tx: tx{s: s, q: q}}
		defer t.close()
		return fn(t)
	})
}

func (t *runTx) close() {
	for _, b := range []*batchInsert{t.payments, t.paymentLines} {
		if b != nil {
			b.close()
		}
	}
	for _, st := range []*sql.Stmt{t.refuse, t.note, t.doc, t.exists, t.taken, t.refusePayable} {
		if st != nil {
			st.Close()
		}
	}
	if t.stage != nil {
		t.stage.close()
	}
}

// prepared is *stmt, prepared the first time it is needed.
func (t *runTx) prepared(ctx context.Context, stmt **sql.Stmt, query string) (*sql.Stmt, error) {
	if *stmt == nil {
		var err error
		if *stmt, err = t.q.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
	}
	return *stmt, nil
}

func (t *tx) Remittance(ctx context.Context, creditorID, id int64) (remit.Remittance, error) {
	return loadRemittance(ctx, t.q, creditorID, id)
}

func (t *tx) Items(ctx context.Context, remittanceID int64, set store.ItemSet, fn func(*remit.Item) error) error {
	return items(ctx, t.q, remittanceID, set, fn)
}

func (t *tx) SlipFacts(ctx context.Context, remittanceID int64) (store.SlipFacts, error) {
	return slipFacts(ctx, t.q, remittanceID)
}

func (t *tx) FileRecorded(ctx context.Context, name string) (bool, error) {
	return fileRecorded(ctx, t.q, name)
}

func (t *tx) RecordedFileOf(ctx context.Context, name string, except int64) (ref, format string, ok bool, err error) {
	return recordedFile(ctx, t.q, name, except)
}

func (t *tx) RecordFile(ctx context.Context, remittanceID int64, f remit.FileInfo) error {
	if f.Format != remit.FormatBordereau {
		// Copies are a slip's: a bank file's row keeps the column's default (1).
		_, err := t.q.ExecContext(ctx, `INSERT INTO remittance_files (remittance_id, name, format, sha256, size) VALUES (?, ?, ?, ?, ?)`,
			remittanceID, f.Name, f.Format, f.SHA256, f.Size)
		return err
	}
	_, err := t.q.ExecContext(ctx, `INSERT INTO remittance_files (remittance_id, name, format, sha256, size, copies) VALUES (?, ?, ?, ?, ?, ?)`,
		remittanceID, f.Name, f.Format, f.SHA256, f.Size, f.Copies)
	return err
}

// Document is a receivable's document number.
func (t *runTx) Document(ctx context.Context, receivableID int64) (string, error) {
	st, err := t.prepared(ctx, &t.doc, `SELECT document FROM receivables WHERE id = ?`)
	if err != nil {
		return "", err
	}
	var d string
	err = st.QueryRowContext(ctx, receivableID).Scan(&d)
	return d, err
}

// DocumentExists reports whether the creditor has a receivable with that document.
func (t *runTx) DocumentExists(ctx context.Context, creditorID int64, document string) (bool, error) {
	st, err := t.prepared(ctx, &t.exists, `SELECT count(*) FROM receivables WHERE creditor_id = ? AND document = ?`)
	if err != nil {
		return false, err
	}
	var n int
	err = st.QueryRowContext(ctx, creditorID, document).Scan(&n)
	return n > 0, err
}

// EndToEndTaken reports whether an item other than a first presentation
// carries that EndToEndId.
func (t *runTx) EndToEndTaken(ctx context.Context, e2e string) (bool, error) {
	st, err := t.prepared(ctx, &t.taken, `SELECT count(*) FROM remittance_items WHERE end_to_end_id = ? AND end_to_end_id != document`)
	if err != nil {
		return false, err
	}
	var n int
	err = st.QueryRowContext(ctx, e2e).Scan(&n)
	return n > 0, err
}

// Refuse records a receivable's refusal.
func (t *runTx) Refuse(ctx context.Context, receivableID int64, reasons, since string, todo remit.Todo) error {
	st, err := t.prepared(ctx, &t.refuse, `UPDATE receivables SET refusal = ?, refused_at = ?, refusal_todo = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, reasons, since, string(todo), receivableID)
	return err
}

// ClearRefusals forgets an earlier run's refusal of receivables this run takes.
func (t *runTx) ClearRefusals(ctx context.Context, receivableIDs []int64) error {
	return clearRefusals(ctx, t.q, receivableIDs)
}

// ExpireMandates marks the mandates expired.
func (t *runTx) ExpireMandates(ctx context.Context, mandateIDs []int64) error {
	for _, id := range mandateIDs {
		if _, err := t.q.ExecContext(ctx, `UPDATE mandates SET status = 'expired', status_reason = 'no collection for 36 months' WHERE id = ?`, id); err != nil {
			return err
		}
	}
	return nil
}

// NoteDebit records a planned debit's EndToEndId and amendment in
// temp.plan_extras, which PointedDebits created.
func (t *runTx) NoteDebit(ctx context.Context, receivableID int64, e2e string, a remit.Amendment) error {
	st, err := t.prepared(ctx, &t.note, `INSERT INTO temp.plan_extras VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, receivableID, e2e, a.Account, a.RUM, a.ICS)
	return err
}

// CreateRemittance records a new remittance and returns its id.
func (t *runTx) CreateRemittance(ctx context.Context, r store.NewRemittance) (int64, error) {
	var bank any // NULL: no bank
	if r.Bank != "" {
		var id int64
		err := t.q.QueryRowContext(ctx, `SELECT id FROM banks WHERE creditor_id = ? AND code = ?`, r.CreditorID, r.Bank).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("bank %s: %w of that code", r.Bank, treasury.ErrNoBank)
		}
		if err != nil {
			return 0, err
		}
		bank = id
	}
	res, err := t.q.ExecContext(ctx, `INSERT INTO remittances (creditor_id, kind, scheme, status, created_at, item_count, total, params, run_id,
			bank_id)
		VALUES (?, ?, ?, 'created', ?, ?, ?, ?, ?, ?)`, r.CreditorID, string(r.Kind), r.Scheme, r.CreatedAt.Format(remit.TimestampLayout),
		r.Count, r.Total, string(r.Params), r.RunID, bank)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// Banks lists the creditor's banks, inside the run's transaction.
func (t *runTx) Banks(ctx context.Context, creditorID int64) ([]remit.Bank, error) {
	rows, err := readBanks(ctx, t.q, creditorID)
	return plainBanks(rows), err
}

// SetMessageID sets a remittance's MsgId.
func (t *runTx) SetMessageID(ctx context.Context, remittanceID int64, msgID string) error {
	_, err := t.q.ExecContext(ctx, `UPDATE remittances SET msg_id = ? WHERE id = ?`, msgID, remittanceID)
	return err
}

// ClearAnnounced forgets the changes of RUM or creditor identifier the
// remittance announces: they are not announced twice.
func (t *runTx) ClearAnnounced(ctx context.Context, remittanceID int64) error {
	_, err := t.q.ExecContext(ctx, `UPDATE mandates SET original_rum = '', original_ics = ''
		WHERE id IN (SELECT mandate_id FROM remittance_items WHERE remittance_id = ? AND (amend_rum != '' OR amend_ics != ''))`, remittanceID)
	return err
}

// CollectionEntries writes a new remittance's écritures.
func (t *runTx) CollectionEntries(ctx context.Context, rem remit.Remittance) error {
	if paymentKinds[string(rem.Kind)] {
		return t.s.paymentEntries(ctx, t.q, rem)
	}
	return t.s.collectionEntries(ctx, t.q, rem)
}

// Items streams a remittance's items outside a transaction (a slip printed again).
func (s *Store) Items(ctx context.Context, remittanceID int64, set store.ItemSet, fn func(*remit.Item) error) error {
	return items(ctx, s.db, remittanceID, set, fn)
}

// SlipFacts are what a bordereau says of a remittance's items as a whole.
func (s *Store) SlipFacts(ctx context.Context, remittanceID int64) (store.SlipFacts, error) {
	return slipFacts(ctx, s.db, remittanceID)
}

// FileRecorded reports whether a remittance records a file of that name.
func (s *Store) FileRecorded(ctx context.Context, name string) (bool, error) {
	return fileRecorded(ctx, s.db, name)
}

// The store's interfaces.
var (
	_ store.Store = (*Store)(nil)
	_ store.RunTx = (*runTx)(nil)
)
