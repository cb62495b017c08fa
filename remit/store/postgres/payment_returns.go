package postgres

import (
	"fmt"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
)

// Returns of supplier payments, as the SQLite store records them (its
// payment_returns.go): a pain.002 that rejects a transfer of a pain.001
// remit wrote, a camt.054 that reports one returned (or a whole message or
// payment block rejected). The payment is found by its EndToEndId (its
// reference, P-000123), within the original message when the file names
// it. Its payables go back to pointed, each with the bank's reason, its
// écriture is reversed (the return) and its bank fee booked, and the
// payables' lettering becomes partial. A payment comes back once: the same
// file applied again reports it as already recorded.

// paymentCandidate is a payment a return may be about.
type paymentCandidate struct {
	id, remittanceID        int64
	remCreated, remStatus   string
	status                  string
	amount                  int64
	e2e, payee, name, first string
	retReason, retDate      string
}

// paymentCandidateSelect reads the candidates; its $1 is the creditor.
const paymentCandidateSelect = `SELECT p.id, p.remittance_id, rem.created_at, rem.status, p.status, p.amount, p.end_to_end_id, p.payee,
		p.name, COALESCE((SELECT min(document) FROM payment_lines WHERE payment_id = p.id), ''), p.return_reason, p.returned_on
	FROM payments p JOIN remittances rem ON rem.id = p.remittance_id WHERE rem.creditor_id = $1`

func (ap *returnApplier) paymentCandidates(cond string, args ...any) ([]paymentCandidate, error) {
	rows, err := ap.tx.Query(ap.ctx, paymentCandidateSelect+" AND "+cond+" ORDER BY p.block, p.position", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []paymentCandidate
	for rows.Next() {
		var c paymentCandidate
		if err := rows.Scan(&c.id, &c.remittanceID, &c.remCreated, &c.remStatus, &c.status, &c.amount, &c.e2e, &c.payee, &c.name,
			&c.first, &c.retReason, &c.retDate); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// applyPayment applies a return to the payment of its EndToEndId; ok is
// false when no payment has it.
func (ap *returnApplier) applyPayment(in remit.ReturnInput, day string) (remit.ReturnOutcome, bool, error) {
	cond, args := `p.end_to_end_id = $2`, []any{ap.cr.ID, in.EndToEndID}
	if in.OriginalMsgID != "" {
		cond, args = cond+` AND rem.msg_id = $3`, append(args, in.OriginalMsgID)
	}
	cands, err := ap.paymentCandidates(cond, args...)
	if err != nil || len(cands) == 0 {
		return remit.ReturnOutcome{}, false, err
	}
	ap.handled[-cands[0].id] = true
	out, err := ap.returnPayment(in, day, &cands[0])
	return out, true, err
}

// dayOf is the day of a timestamp (YYYY-MM-DD…).
func dayOf(ts string) string {
	if len(ts) >= 10 {
		return ts[:10]
	}
	return ts
}

// returnPayment applies a return to one payment, or says why not.
func (ap *returnApplier) returnPayment(in remit.ReturnInput, day string, c *paymentCandidate) (remit.ReturnOutcome, error) {
	out := ap.outcome(in, day)
	out.Document, out.Customer, out.Name = c.first, c.payee, c.name
	out.Amount, out.AmountText = c.amount, remit.FormatAmount(c.amount)
	out.Remittance, out.EndToEndID = remit.Ref(c.remittanceID), c.e2e
	switch {
	case c.retReason != "" && c.retReason == in.Reason:
		out.Status, out.Message = remit.ReturnAlready, fmt.Sprintf("already recorded (%s)", c.retDate)
	case c.retReason != "":
		out.Status, out.Message = remit.ReturnRefused, fmt.Sprintf("already %s on %s with reason %s", c.status, c.retDate, c.retReason)
	case c.status == "cancelled":
		out.Status, out.Message = remit.ReturnRefused, fmt.Sprintf("remittance %s was cancelled", remit.Ref(c.remittanceID))
	case dayOf(c.remCreated) > day:
		out.Status, out.Message = remit.ReturnRefused, fmt.Sprintf("remittance %s was created on %s, after the return date %s",
			remit.Ref(c.remittanceID), dayOf(c.remCreated), day)
	case in.Amount > 0 && in.Amount != c.amount:
		out.Status, out.Message = remit.ReturnRefused, fmt.Sprintf("the bank's amount %s differs from the payment's %s",
			remit.FormatAmountFR(in.Amount), remit.FormatAmountFR(c.amount))
	}
	if out.Status != "" {
		return out, nil
	}
	if err := ap.recordPayment(in, day, c); err != nil {
		return out, err
	}
	out.Status = remit.ReturnApplied
	if ap.b.Fee > 0 {
		out.Fee, out.FeeText = ap.b.Fee, remit.FormatAmount(ap.b.Fee)
	}
	return out, nil
}

// recordPayment records a payment's return: the payment rejected or
// returned, its payables pointed again with the reason, its écriture
// reversed and the fee booked.
func (ap *returnApplier) recordPayment(in remit.ReturnInput, day string, c *paymentCandidate) error {
	ctx, tx := ap.ctx, ap.tx
	status, verb := "rejected", "rejected by the bank"
	if ap.b.Settled {
		status, verb = "returned", "returned by the bank"
	}
	if _, err := tx.Exec(ctx, `UPDATE payments SET status = $1, return_reason = $2, returned_on = $3 WHERE id = $4`,
		status, in.Reason, day, c.id); err != nil {
		return err
	}
	why := fmt.Sprintf("payment %s %s on %s: %s", c.e2e, verb, day, in.Reason)
	if l := remit.ReasonLabel(in.Reason); l != "" {
		why += " (" + l + ")"
	}
	if in.AdditionalInfo != "" {
		why += ", " + in.AdditionalInfo
	}
	if err := repoint(ctx, tx, c.id, ap.now, why); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE remittances SET status = 'sent' WHERE id = $1 AND status = 'created'`, c.remittanceID); err != nil {
		return err
	}
	if err := ap.paymentReturnEntries(in, day, c); err != nil {
		return fmt.Errorf("%s: accounting entries: %w", c.e2e, err)
	}
	return nil
}

// paymentReturnEntries records the return's écritures as
// accounting.PaymentReturn books them: the payment's lines reversed (the
// supplier owed again, the discount lost, the bank credited back), dated
// the return date, and the bank fee.
func (ap *returnApplier) paymentReturnEntries(in remit.ReturnInput, day string, c *paymentCandidate) error {
	ctx, tx := ap.ctx, ap.tx
	rows, err := tx.Query(ctx, `SELECT journal, journal_label, account, account_label, aux_account, aux_label, counterpart, piece_ref,
			debit, credit, COALESCE(payable_id, 0) FROM entry_lines WHERE payment_id = $1 AND kind = 'payment' ORDER BY journal, number, line`, c.id)
	if err != nil {
		return err
	}
	ri := accounting.PaymentReturnInput{Remittance: c.remittanceID, Date: day, EndToEndID: c.e2e, Payee: c.payee, Name: c.name,
		Reason: in.Reason, Fee: ap.b.Fee}
	for rows.Next() {
		l := accounting.Line{Payment: c.id}
		var j [2]string
		if err := rows.Scan(&j[0], &j[1], &l.Account, &l.AccountLabel, &l.Aux, &l.AuxLabel, &l.Counterpart, &l.Piece, &l.Debit, &l.Credit,
			&l.Payable); err != nil {
			rows.Close()
			return err
		}
		ri.Booked, ri.BookedJournals = append(ri.Booked, l), append(ri.BookedJournals, j)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	ret, fee, retOK, feeOK := accounting.PaymentReturn(ap.o, ri)
	createdOn := remit.FormatDate(remit.Day(ap.now))
	for _, w := range []struct {
		e  *accounting.Ecriture
		ok bool
	}{{&ret, retOK}, {&fee, feeOK}} {
		if !w.ok {
			continue
		}
		if _, err := ap.s.writeEcriture(ctx, tx, ap.cr.ID, createdOn, w.e); err != nil {
			return err
		}
	}
	if err := reletterPayables(ctx, tx, `p.id IN (SELECT payable_id FROM payment_lines WHERE payment_id = $1)`, c.id); err != nil {
		return err
	}
	return checkRemittanceBalanced(ctx, tx, c.remittanceID)
}

// applyPaymentGroup applies a rejection of a whole payment message, or of
// one of its blocks, to each of its payments.
func (ap *returnApplier) applyPaymentGroup(in remit.ReturnInput, day string, remID int64, block int) ([]remit.ReturnOutcome, error) {
	cond, args := `p.remittance_id = $2`, []any{ap.cr.ID, remID}
	if block > 0 {
		cond, args = cond+` AND p.block = $3`, append(args, block)
	}
	cands, err := ap.paymentCandidates(cond, args...)
	if err != nil {
		return nil, err
	}
	var outs []remit.ReturnOutcome
	for i := range cands {
		if ap.handled[-cands[i].id] {
			continue // listed on its own in this file
		}
		ap.handled[-cands[i].id] = true
		item := in
		item.GroupLevel, item.EndToEndID, item.Amount = false, cands[i].e2e, 0
		out, err := ap.returnPayment(item, day, &cands[i])
		if err != nil {
			return nil, err
		}
		outs = append(outs, out)
	}
	if len(outs) == 0 {
		out := ap.outcome(in, day)
		out.Status, out.Message = remit.ReturnUnknown, fmt.Sprintf("remittance %s holds no payment", remit.Ref(remID))
		outs = append(outs, out)
	}
	return outs, nil
}
