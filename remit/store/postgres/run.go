package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/remit/treasury"
)

// tx is a write transaction on the remittances (store.Tx).
type tx struct {
	s *Store
	q pgx.Tx
}

// Update runs fn in a write transaction, committed when fn returns nil.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.inTx(ctx, func(q pgx.Tx) error { return fn(&tx{s: s, q: q}) })
}

// runTx is the transaction of a remittance run (store.RunTx). The
// creditor's lock is taken when the run first reads its pointed
// receivables; the refusals and the debits' notes are queued and written
// many at a time, before anything that could read them and before the
// commit.
type runTx struct {
	tx
	creditor int64 // whose lock the transaction holds, 0 before
	cursors  int   // the cursors declared so far, to name the next
	refusals refusalQueue
	notes    *noteQueue
	stage    *itemStage
	pay      paymentStage // a payment run's staged payments and refusals (payments.go)
}

// Run runs fn in the transaction of a remittance run, committed when fn
// returns nil.
func (s *Store) Run(ctx context.Context, fn func(store.RunTx) error) error {
	return s.inTx(ctx, func(q pgx.Tx) error {
		t := &runTx{tx: tx{s: s, q: q}}
		if err := fn(t); err != nil {
			return err
		}
		return t.flush(ctx)
	})
}

// lock takes the creditor's lock (see lockCreditor) once.
func (t *runTx) lock(ctx context.Context, creditorID int64) error {
	if t.creditor == creditorID {
		return nil
	}
	if t.creditor != 0 {
		return fmt.Errorf("a run transaction is one creditor's: %d, not %d", t.creditor, creditorID)
	}
	if err := lockCreditor(ctx, t.q, creditorID); err != nil {
		return err
	}
	t.creditor = creditorID
	return nil
}

// flush writes what is queued.
func (t *runTx) flush(ctx context.Context) error {
	if err := t.refusals.flush(ctx, t.q); err != nil {
		return err
	}
	if t.notes != nil {
		return t.notes.flush(ctx, t.q)
	}
	return nil
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
		_, err := t.q.Exec(ctx, `INSERT INTO remittance_files (remittance_id, name, format, sha256, size) VALUES ($1, $2, $3, $4, $5)`,
			remittanceID, f.Name, f.Format, f.SHA256, f.Size)
		return err
	}
	_, err := t.q.Exec(ctx, `INSERT INTO remittance_files (remittance_id, name, format, sha256, size, copies) VALUES ($1, $2, $3, $4, $5, $6)`,
		remittanceID, f.Name, f.Format, f.SHA256, f.Size, f.Copies)
	return err
}

// Document is a receivable's document number.
func (t *runTx) Document(ctx context.Context, receivableID int64) (string, error) {
	var d string
	err := t.q.QueryRow(ctx, `SELECT document FROM receivables WHERE id = $1`, receivableID).Scan(&d)
	return d, err
}

// DocumentExists reports whether the creditor has a receivable with that document.
func (t *runTx) DocumentExists(ctx context.Context, creditorID int64, document string) (bool, error) {
	var ok bool
	err := t.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM receivables WHERE creditor_id = $1 AND document = $2)`, creditorID, document).Scan(&ok)
	return ok, err
}

// EndToEndTaken reports whether an item other than a first presentation
// carries that EndToEndId.
func (t *runTx) EndToEndTaken(ctx context.Context, e2e string) (bool, error) {
	var ok bool
	err := t.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM remittance_items WHERE end_to_end_id = $1 AND end_to_end_id != document)`, e2e).Scan(&ok)
	return ok, err
}

// Refuse records a receivable's refusal (queued: see refusalQueue).
func (t *runTx) Refuse(ctx context.Context, receivableID int64, reasons, since string, todo remit.Todo) error {
	return t.refusals.add(ctx, t.q, receivableID, reasons, since, string(todo))
}

// ClearRefusals forgets an earlier run's refusal of receivables this run takes.
func (t *runTx) ClearRefusals(ctx context.Context, receivableIDs []int64) error {
	if err := t.flush(ctx); err != nil {
		return err
	}
	if len(receivableIDs) == 0 {
		return nil
	}
	_, err := t.q.Exec(ctx, `UPDATE receivables SET refusal = '' WHERE id = ANY($1::bigint[])`, receivableIDs)
	return err
}

// ExpireMandates marks the mandates expired.
func (t *runTx) ExpireMandates(ctx context.Context, mandateIDs []int64) error {
	if len(mandateIDs) == 0 {
		return nil
	}
	_, err := t.q.Exec(ctx, `UPDATE mandates SET status = 'expired', status_reason = 'no collection for 36 months' WHERE id = ANY($1::bigint[])`,
		mandateIDs)
	return err
}

// NoteDebit records a planned debit's EndToEndId and amendment, for
// RecordItems (queued: see noteQueue).
func (t *runTx) NoteDebit(ctx context.Context, receivableID int64, e2e string, a remit.Amendment) error {
	if t.notes == nil {
		t.notes = &noteQueue{}
	}
	return t.notes.add(ctx, t.q, []any{receivableID, e2e, a.Account, a.RUM, a.ICS})
}

// CreateRemittance records a new remittance and returns its id.
func (t *runTx) CreateRemittance(ctx context.Context, r store.NewRemittance) (int64, error) {
	if err := t.flush(ctx); err != nil {
		return 0, err
	}
	var bank any // NULL: no bank
	if r.Bank != "" {
		var id int64
		err := t.q.QueryRow(ctx, `SELECT id FROM banks WHERE creditor_id = $1 AND code = $2`, r.CreditorID, r.Bank).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, fmt.Errorf("bank %s: %w of that code", r.Bank, treasury.ErrNoBank)
		}
		if err != nil {
			return 0, err
		}
		bank = id
	}
	var id int64
	err := t.q.QueryRow(ctx, `INSERT INTO remittances (creditor_id, kind, scheme, status, created_at, item_count, total, params, run_id,
			bank_id)
		VALUES ($1, $2, $3, 'created', $4, $5, $6, $7, $8, $9) RETURNING id`, r.CreditorID, string(r.Kind), r.Scheme,
		r.CreatedAt.Format(remit.TimestampLayout), r.Count, r.Total, string(r.Params), r.RunID, bank).Scan(&id)
	return id, err
}

// SetMessageID sets a remittance's MsgId.
func (t *runTx) SetMessageID(ctx context.Context, remittanceID int64, msgID string) error {
	_, err := t.q.Exec(ctx, `UPDATE remittances SET msg_id = $1 WHERE id = $2`, msgID, remittanceID)
	return err
}

// ClearAnnounced forgets the changes of RUM or creditor identifier the
// remittance announces: they are not announced twice.
func (t *runTx) ClearAnnounced(ctx context.Context, remittanceID int64) error {
	_, err := t.q.Exec(ctx, `UPDATE mandates SET original_rum = '', original_ics = ''
		WHERE id IN (SELECT mandate_id FROM remittance_items WHERE remittance_id = $1 AND (amend_rum != '' OR amend_ics != ''))`, remittanceID)
	return err
}

// Items streams a remittance's items outside a transaction (a slip printed again).
func (s *Store) Items(ctx context.Context, remittanceID int64, set store.ItemSet, fn func(*remit.Item) error) error {
	return items(ctx, s.Pool, remittanceID, set, fn)
}

// SlipFacts are what a bordereau says of a remittance's items as a whole.
func (s *Store) SlipFacts(ctx context.Context, remittanceID int64) (store.SlipFacts, error) {
	return slipFacts(ctx, s.Pool, remittanceID)
}

// FileRecorded reports whether a remittance records a file of that name.
func (s *Store) FileRecorded(ctx context.Context, name string) (bool, error) {
	return fileRecorded(ctx, s.Pool, name)
}

// refusalQueue holds refusals until a batch is full, then writes them with
// one statement.
type refusalQueue struct {
	ids                   []int64
	reasons, since, todos []string
}

// queueBatch is how many queued rows one statement writes.
const queueBatch = 2048

func (q *refusalQueue) add(ctx context.Context, tx pgx.Tx, id int64, reasons, since, todo string) error {
	q.ids, q.reasons, q.since, q.todos = append(q.ids, id), append(q.reasons, reasons), append(q.since, since), append(q.todos, todo)
	if len(q.ids) < queueBatch {
		return nil
	}
	return q.flush(ctx, tx)
}

func (q *refusalQueue) flush(ctx context.Context, tx pgx.Tx) error {
	if len(q.ids) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE receivables r SET refusal = x.reasons, refused_at = x.since, refusal_todo = x.todo
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS x(id, reasons, since, todo) WHERE r.id = x.id`,
		q.ids, q.reasons, q.since, q.todos)
	q.ids, q.reasons, q.since, q.todos = q.ids[:0], q.reasons[:0], q.since[:0], q.todos[:0]
	return err
}

// noteQueue holds the debits' notes (NoteDebit) until a batch is full,
// then copies them into the temporary table plan_extras, which
// debitItemsInsert reads.
type noteQueue struct {
	rows    [][]any
	created bool
}

func (q *noteQueue) add(ctx context.Context, tx pgx.Tx, row []any) error {
	q.rows = append(q.rows, row)
	if len(q.rows) < queueBatch {
		return nil
	}
	return q.flush(ctx, tx)
}

func (q *noteQueue) flush(ctx context.Context, tx pgx.Tx) error {
	if len(q.rows) == 0 {
		return nil
	}
	if !q.created {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE plan_extras (receivable_id bigint PRIMARY KEY, e2e text NOT NULL,
			amend_iban text NOT NULL, amend_rum text NOT NULL, amend_ics text NOT NULL) ON COMMIT DROP`); err != nil {
			return err
		}
		q.created = true
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"plan_extras"}, []string{"receivable_id", "e2e", "amend_iban", "amend_rum", "amend_ics"},
		pgx.CopyFromRows(q.rows))
	q.rows = q.rows[:0]
	return err
}

// The store's interfaces.
var (
	_ store.Store = (*Store)(nil)
	_ store.RunTx = (*runTx)(nil)
)
