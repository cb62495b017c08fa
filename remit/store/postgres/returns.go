package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
)

// Bank returns, as the SQLite store records them (see its returns.go):
// each return finds its candidate collections, remit.ChooseReturn picks
// one, and the return is recorded with its effects (the item, the
// receivable, the remittance sent, the mandate, the écriture), in one
// transaction for the batch, under the creditor's lock.

// returnCandidate is a remittance item a return may be about.
type returnCandidate struct {
	remit.ReturnCandidate
	id, receivableID         int64
	document, customer, name string
	mandateID                int64 // 0: none
	seq, e2e, due            string
}

// candidateSelect reads the candidates; its $1 is the creditor.
const candidateSelect = `SELECT i.id, i.remittance_id, i.receivable_id, rem.created_at, i.status, i.amount, i.document, i.customer,
		i.name, COALESCE(i.mandate_id, 0), i.rum, i.sequence_type, i.end_to_end_id, i.due_date,
		COALESCE(rt.source, ''), COALESCE(rt.reason, ''), COALESCE(rt.returned_on, ''), COALESCE(rt.bank_msg_id, '')
	FROM remittance_lines i JOIN remittances rem ON rem.id = i.remittance_id
		LEFT JOIN returns rt ON rt.item_id = i.id
	WHERE rem.creditor_id = $1`

// e2eCond finds the items of an EndToEndId ($2): most are their document,
// found through the receivable; the index on end_to_end_id keeps only the
// others. Each branch is a search in an index.
const e2eCond = `i.id IN (SELECT ri.id FROM remittance_items ri
		WHERE ri.receivable_id IN (SELECT id FROM receivables WHERE creditor_id = $1 AND document = $2) AND ri.end_to_end_id = $2
	UNION ALL SELECT ri.id FROM remittance_items ri WHERE ri.end_to_end_id = $2 AND ri.end_to_end_id != ri.document)`

func queryCandidates(ctx context.Context, q querier, cond string, args ...any) ([]returnCandidate, error) {
	rows, err := q.Query(ctx, candidateSelect+" AND "+cond+" ORDER BY i.id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []returnCandidate
	for rows.Next() {
		var c returnCandidate
		rc := &c.ReturnCandidate
		if err := rows.Scan(&c.id, &rc.Remittance, &c.receivableID, &rc.RemittanceCreated, &rc.Status, &rc.Amount, &c.document,
			&c.customer, &c.name, &c.mandateID, &rc.RUM, &c.seq, &c.e2e, &c.due, &rc.Source, &rc.Reason, &rc.Date, &rc.MsgID); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ApplyReturns records a batch of returns in one transaction and reports
// each: applied, already recorded, unknown or refused.
func (s *Store) ApplyReturns(ctx context.Context, cr remit.Creditor, b remit.ReturnBatch) (*remit.ReturnsResult, error) {
	var res *remit.ReturnsResult
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockCreditor(ctx, tx, cr.ID); err != nil {
			return err
		}
		var err error
		res, err = s.applyReturns(ctx, tx, cr, b)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// applyReturns records a batch of returns in transaction tx, which holds
// the creditor's lock: that of ApplyReturns, or of a statement import
// whose debits are returns (source statement).
func (s *Store) applyReturns(ctx context.Context, tx pgx.Tx, cr remit.Creditor, b remit.ReturnBatch) (*remit.ReturnsResult, error) {
	switch b.Source {
	case remit.SourceManual, remit.SourcePain002, remit.SourceCamt054, remit.SourceStatement:
	default:
		return nil, fmt.Errorf("return source %q: want manual, pain.002, camt.054 or statement", b.Source)
	}
	o, err := s.entryOptions()
	if err != nil {
		return nil, fmt.Errorf("accounting entries: %w", err)
	}
	now := s.now()
	if b.CreatedAt.IsZero() {
		b.CreatedAt = now
	}
	res := &remit.ReturnsResult{Source: b.Source, Version: b.Version, File: b.File, MsgID: b.MsgID, Outcomes: []remit.ReturnOutcome{}}
	ap := &returnApplier{ctx: ctx, s: s, tx: tx, cr: cr, b: b, o: o, now: now, handled: map[int64]bool{}}
	for _, in := range b.Items {
		outs, err := ap.apply(in)
		if err != nil {
			return nil, err
		}
		res.Outcomes = append(res.Outcomes, outs...)
	}
	return res, nil
}

type returnApplier struct {
	ctx     context.Context
	s       *Store
	tx      pgx.Tx
	cr      remit.Creditor
	b       remit.ReturnBatch
	o       accounting.Options
	now     time.Time
	handled map[int64]bool // items a transaction line of this batch already reported
}

func (ap *returnApplier) outcome(in remit.ReturnInput, date string) remit.ReturnOutcome {
	return remit.ReturnOutcome{Line: in.Line, Document: in.Document, Reason: in.Reason, ReasonLabel: remit.ReasonLabel(in.Reason),
		Date: date, EndToEndID: in.EndToEndID, Mandate: in.MandateID}
}

func (ap *returnApplier) apply(in remit.ReturnInput) ([]remit.ReturnOutcome, error) {
	date := in.Date
	if date.IsZero() {
		date = ap.b.CreatedAt
	}
	day := remit.FormatDate(remit.Day(date))
	in.Reason = strings.ToUpper(strings.TrimSpace(in.Reason))
	if in.GroupLevel && in.EndToEndID == "" && in.Document == "" {
		return ap.applyGroup(in, day)
	}
	out := ap.outcome(in, day)
	if in.Reason == "" {
		out.Status, out.Message = remit.ReturnRefused, "no reason code"
		return []remit.ReturnOutcome{out}, nil
	}
	var cands []returnCandidate
	var err error
	switch {
	case in.Document != "":
		cands, err = queryCandidates(ap.ctx, ap.tx, `i.receivable_id = (SELECT id FROM receivables WHERE creditor_id = $1 AND document = $2)`,
			ap.cr.ID, in.Document)
	case in.EndToEndID != "" && in.OriginalMsgID != "":
		cands, err = queryCandidates(ap.ctx, ap.tx, e2eCond+` AND rem.msg_id = $3`, ap.cr.ID, in.EndToEndID, in.OriginalMsgID)
	case in.EndToEndID != "":
		cands, err = queryCandidates(ap.ctx, ap.tx, e2eCond, ap.cr.ID, in.EndToEndID)
	default:
		out.Status, out.Message = remit.ReturnUnknown, "no EndToEndId"
		return []remit.ReturnOutcome{out}, nil
	}
	if err != nil {
		return nil, err
	}
	if len(cands) == 0 && in.Document == "" {
		// Not a collection: perhaps a supplier payment (a pain.001 remit wrote).
		if pay, ok, err := ap.applyPayment(in, day); err != nil || ok {
			return []remit.ReturnOutcome{pay}, err
		}
	}
	if len(cands) == 0 {
		out.Status = remit.ReturnUnknown
		switch {
		case in.Document != "":
			out.Message = fmt.Sprintf("receivable %s is in no remittance", in.Document)
			var exists bool
			if err := ap.tx.QueryRow(ap.ctx, `SELECT EXISTS (SELECT 1 FROM receivables WHERE creditor_id = $1 AND document = $2)`,
				ap.cr.ID, in.Document).Scan(&exists); err != nil {
				return nil, err
			}
			if !exists {
				out.Message = fmt.Sprintf("no receivable %s", in.Document)
			}
		case in.OriginalMsgID != "":
			out.Message = fmt.Sprintf("no collection with EndToEndId %s in message %s", in.EndToEndID, in.OriginalMsgID)
		default:
			out.Message = fmt.Sprintf("no collection with EndToEndId %s", in.EndToEndID)
		}
		return []remit.ReturnOutcome{out}, nil
	}
	c, status, msg := ap.choose(in, day, cands)
	ap.fill(&out, c)
	ap.handled[c.id] = true
	if status != remit.ReturnApplied {
		out.Status, out.Message = status, msg
		return []remit.ReturnOutcome{out}, nil
	}
	if err := ap.record(in, day, c, &out); err != nil {
		return nil, err
	}
	return []remit.ReturnOutcome{out}, nil
}

func (ap *returnApplier) fill(out *remit.ReturnOutcome, c *returnCandidate) {
	out.Document, out.Customer, out.Name = c.document, c.customer, c.name
	out.Amount, out.AmountText = c.Amount, remit.FormatAmount(c.Amount)
	out.Remittance, out.EndToEndID, out.Mandate = remit.Ref(c.Remittance), c.e2e, c.RUM
}

// choose picks the collection a return is about (remit.ChooseReturn).
func (ap *returnApplier) choose(in remit.ReturnInput, day string, cands []returnCandidate) (*returnCandidate, string, string) {
	rc := make([]remit.ReturnCandidate, len(cands))
	for i := range cands {
		rc[i] = cands[i].ReturnCandidate
	}
	i, status, msg := remit.ChooseReturn(in, day, ap.b.MsgID, rc)
	return &cands[i], status, msg
}

// applyGroup applies a rejection of a whole message or payment block to each of its items.
func (ap *returnApplier) applyGroup(in remit.ReturnInput, day string) ([]remit.ReturnOutcome, error) {
	out := ap.outcome(in, day)
	if in.OriginalMsgID == "" {
		out.Status, out.Message = remit.ReturnUnknown, "a rejection of a whole message that does not name it"
		return []remit.ReturnOutcome{out}, nil
	}
	var remID int64
	var msgID, kind string
	err := ap.tx.QueryRow(ap.ctx, `SELECT id, msg_id, kind FROM remittances WHERE creditor_id = $1 AND msg_id = $2 ORDER BY id LIMIT 1`,
		ap.cr.ID, in.OriginalMsgID).Scan(&remID, &msgID, &kind)
	if errors.Is(err, pgx.ErrNoRows) {
		out.Status, out.Message = remit.ReturnUnknown, fmt.Sprintf("no remittance with message id %s", in.OriginalMsgID)
		return []remit.ReturnOutcome{out}, nil
	}
	if err != nil {
		return nil, err
	}
	cond, args := `i.remittance_id = $2`, []any{ap.cr.ID, remID}
	if in.OriginalPmtInfID != "" {
		block := 0
		for n := 1; n <= 9999; n++ {
			if remit.PaymentInfoID(msgID, n) == in.OriginalPmtInfID {
				block = n
				break
			}
		}
		if block == 0 {
			out.Status, out.Message = remit.ReturnUnknown, fmt.Sprintf("no payment block %s in message %s", in.OriginalPmtInfID, in.OriginalMsgID)
			return []remit.ReturnOutcome{out}, nil
		}
		cond, args = cond+` AND i.block = $3`, append(args, block)
		if paymentKinds[kind] {
			return ap.applyPaymentGroup(in, day, remID, block)
		}
	}
	if paymentKinds[kind] {
		return ap.applyPaymentGroup(in, day, remID, 0)
	}
	cands, err := queryCandidates(ap.ctx, ap.tx, cond, args...)
	if err != nil {
		return nil, err
	}
	var outs []remit.ReturnOutcome
	for i := len(cands) - 1; i >= 0; i-- { // file order
		c := cands[i]
		if ap.handled[c.id] {
			continue // listed on its own in this file
		}
		ap.handled[c.id] = true
		item := in
		item.GroupLevel, item.EndToEndID, item.Amount = false, c.e2e, 0
		o, st, msg := ap.choose(item, day, []returnCandidate{c})
		out := ap.outcome(item, day)
		ap.fill(&out, o)
		if st != remit.ReturnApplied {
			out.Status, out.Message = st, msg
		} else if err := ap.record(item, day, o, &out); err != nil {
			return nil, err
		}
		outs = append(outs, out)
	}
	if len(cands) == 0 {
		out.Status, out.Message = remit.ReturnUnknown, fmt.Sprintf("remittance %s holds no collection", remit.Ref(remID))
		outs = append(outs, out)
	}
	return outs, nil
}

// record applies one return to its collection.
func (ap *returnApplier) record(in remit.ReturnInput, day string, c *returnCandidate, out *remit.ReturnOutcome) error {
	ctx, tx := ap.ctx, ap.tx
	status, settled, verb := "rejected", 0, "rejected"
	if ap.b.Settled {
		status, settled, verb = "returned", 1, "returned"
	}
	if _, err := tx.Exec(ctx, `UPDATE remittance_items SET status = $1, return_reason = $2, returned_on = $3, settled_before_return = $4
		WHERE id = $5`, status, in.Reason, day, settled, c.id); err != nil {
		return err
	}
	why := fmt.Sprintf("%s %s on %s", verb, in.Reason, day)
	if l := remit.ReasonLabel(in.Reason); l != "" {
		why += " (" + l + ")"
	}
	if _, err := tx.Exec(ctx, `UPDATE receivables SET status = 'rejected', refusal = $1 WHERE id = $2`, why, c.receivableID); err != nil {
		return err
	}
	// The bank had the remittance: it can no longer be cancelled.
	if _, err := tx.Exec(ctx, `UPDATE remittances SET status = 'sent' WHERE id = $1 AND status = 'created'`, c.Remittance); err != nil {
		return err
	}
	if settled == 0 {
		// Rejected before settlement: a change of RUM or creditor identifier
		// this collection announced never reached the debtor's bank.
		if err := reannounce(ctx, tx, "i.id = $1", c.id); err != nil {
			return err
		}
	}
	effect, err := ap.mandateEffect(in, day, c, settled == 1)
	if err != nil {
		return err
	}
	var returnID int64
	if err := tx.QueryRow(ctx, `INSERT INTO returns (creditor_id, item_id, source, file, file_sha256, bank_msg_id, end_to_end_id, reason,
			additional_info, returned_on, settled, fee, mandate_effect, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`, ap.cr.ID, c.id, ap.b.Source, ap.b.File, ap.b.SHA256,
		ap.b.MsgID, in.EndToEndID, in.Reason, in.AdditionalInfo, day, settled, ap.b.Fee, effect, ap.now.Format(remit.TimestampLayout)).
		Scan(&returnID); err != nil {
		return err
	}
	if err := ap.entries(returnID, in, day, c); err != nil {
		return fmt.Errorf("%s: accounting entries: %w", c.document, err)
	}
	out.Status, out.MandateEffect = remit.ReturnApplied, effect
	if ap.b.Fee > 0 {
		out.Fee, out.FeeText = ap.b.Fee, remit.FormatAmount(ap.b.Fee)
	}
	return nil
}

// mandateEffect blocks the mandate for the blocking reasons and says what
// the return means for the mandate's next collection.
func (ap *returnApplier) mandateEffect(in remit.ReturnInput, day string, c *returnCandidate, settled bool) (string, error) {
	if c.mandateID == 0 {
		return "", nil
	}
	if remit.BlocksMandate(in.Reason) {
		reason := fmt.Sprintf("%s on %s (%s)", in.Reason, day, c.document)
		if l := remit.ReasonLabel(in.Reason); l != "" {
			reason += ": " + l
		}
		tag, err := ap.tx.Exec(ap.ctx, `UPDATE mandates SET status = 'blocked', status_reason = $1 WHERE id = $2 AND status = 'active'`,
			reason, c.mandateID)
		if err != nil {
			return "", err
		}
		if tag.RowsAffected() == 1 {
			return fmt.Sprintf("mandate %s blocked", c.RUM), nil
		}
		var st string
		if err := ap.tx.QueryRow(ap.ctx, `SELECT status FROM mandates WHERE id = $1`, c.mandateID).Scan(&st); err != nil {
			return "", err
		}
		return fmt.Sprintf("mandate %s already %s", c.RUM, st), nil
	}
	// Said from the rule the SDD run applies (countedCollection), so that
	// what remit says is what it writes; counted only where it matters.
	counted := 0
	if !settled && c.seq != remit.SeqOneOff {
		if err := ap.tx.QueryRow(ap.ctx, `SELECT (SELECT count(*) FROM remittance_items i WHERE i.mandate_id = $1 AND `+
			countedCollection("i")+`) + (SELECT count(*) FROM mandate_history WHERE mandate_id = $1)`, c.mandateID).Scan(&counted); err != nil {
			return "", err
		}
	}
	return remit.NextAfterReturn(settled, c.seq, counted > 0, ap.cr.RCUROnly), nil
}

// entries records the écriture of a return (accounting.Return): the
// reversing lines when the collection was booked, and the fee.
func (ap *returnApplier) entries(returnID int64, in remit.ReturnInput, day string, c *returnCandidate) error {
	ctx, tx := ap.ctx, ap.tx
	ri := accounting.ReturnInput{Remittance: c.Remittance, Item: c.id, Receivable: c.receivableID, Return: returnID, Date: day,
		Document: c.document, Customer: c.customer, Name: c.name, Reason: in.Reason, Due: c.due, Amount: c.Amount, Fee: ap.b.Fee}
	var b accounting.Booked
	err := tx.QueryRow(ctx, `SELECT journal, journal_label, account, account_label, aux_account, aux_label, counterpart
		FROM entries WHERE receivable_id = $1 AND item_id = $2 AND kind = 'collection' ORDER BY id LIMIT 1`, c.receivableID, c.id).
		Scan(&b.Journal, &b.JournalLabel, &b.Account, &b.AccountLabel, &b.Aux, &b.AuxLabel, &b.Counterpart)
	switch {
	case err == nil:
		ri.Booked = &b
	case !errors.Is(err, pgx.ErrNoRows):
		return err
	default: // not booked: the fee, if any, goes to the receivable's journal
		if err := tx.QueryRow(ctx, `SELECT journal FROM receivables WHERE id = $1`, c.receivableID).Scan(&ri.Journal); err != nil {
			return err
		}
	}
	e, ok := accounting.Return(ap.o, ri)
	if !ok {
		return nil
	}
	if _, err := ap.s.recordEcriture(ctx, tx, ap.cr.ID, remit.FormatDate(remit.Day(ap.now)), &e); err != nil {
		return err
	}
	return checkRemittanceBalanced(ctx, tx, c.Remittance)
}
