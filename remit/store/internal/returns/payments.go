package returns

import (
	"fmt"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
)

// Returns of supplier payments: a pain.002 that rejects a transfer of a
// pain.001 remit wrote, a camt.054 that reports one returned (or a whole
// message or payment block rejected). The payment is found by its
// EndToEndId (its reference, P-000123), within the original message when
// the file names it. Its payables go back to pointed, each with the bank's
// reason (remit payables list shows it; the next remit sct pays them
// again), its écriture is reversed (the return) and its bank fee booked, and
// the payables' lettering becomes partial. A payment comes back once: the
// same file applied again reports it as already recorded.

// applyPayment applies a return to the payment of its EndToEndId; ok is
// false when no payment has it.
func (ap *applier) applyPayment(in remit.ReturnInput, day string) (remit.ReturnOutcome, bool, error) {
	cands, err := ap.tx.Payments(ap.ctx, Find{EndToEndID: in.EndToEndID, MsgID: in.OriginalMsgID})
	if err != nil || len(cands) == 0 {
		return remit.ReturnOutcome{}, false, err
	}
	ap.handled[-cands[0].ID] = true
	out, err := ap.returnPayment(in, day, &cands[0])
	return out, true, err
}

// returnPayment applies a return to one payment, or says why not.
func (ap *applier) returnPayment(in remit.ReturnInput, day string, c *Payment) (remit.ReturnOutcome, error) {
	out := ap.outcome(in, day)
	out.Document, out.Customer, out.Name = c.First, c.Payee, c.Name
	out.Amount, out.AmountText = c.Amount, remit.FormatAmount(c.Amount)
	out.Remittance, out.EndToEndID = remit.Ref(c.Remittance), c.EndToEndID
	switch {
	case c.Reason != "" && c.Reason == in.Reason:
		out.Status, out.Message = remit.ReturnAlready, fmt.Sprintf("already recorded (%s)", c.Date)
	case c.Reason != "":
		out.Status, out.Message = remit.ReturnRefused, fmt.Sprintf("already %s on %s with reason %s", c.Status, c.Date, c.Reason)
	case c.Status == "cancelled":
		out.Status, out.Message = remit.ReturnRefused, fmt.Sprintf("remittance %s was cancelled", remit.Ref(c.Remittance))
	case dayOf(c.RemittanceCreated) > day:
		out.Status, out.Message = remit.ReturnRefused, fmt.Sprintf("remittance %s was created on %s, after the return date %s",
			remit.Ref(c.Remittance), dayOf(c.RemittanceCreated), day)
	case in.Amount > 0 && in.Amount != c.Amount:
		out.Status, out.Message = remit.ReturnRefused, fmt.Sprintf("the bank's amount %s differs from the payment's %s",
			remit.FormatAmountFR(in.Amount), remit.FormatAmountFR(c.Amount))
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

// dayOf is the day of a timestamp (YYYY-MM-DD…).
func dayOf(ts string) string {
	if len(ts) > 10 {
		return ts[:10]
	}
	return ts
}

// recordPayment records a payment's return: the payment rejected or
// returned, its payables pointed again with the reason, its écriture
// reversed and the fee booked.
func (ap *applier) recordPayment(in remit.ReturnInput, day string, c *Payment) error {
	status, verb := "rejected", "rejected by the bank"
	if ap.b.Settled {
		status, verb = "returned", "returned by the bank"
	}
	why := fmt.Sprintf("payment %s %s on %s: %s", c.EndToEndID, verb, day, in.Reason)
	if l := remit.ReasonLabel(in.Reason); l != "" {
		why += " (" + l + ")"
	}
	if in.AdditionalInfo != "" {
		why += ", " + in.AdditionalInfo
	}
	if err := ap.tx.MarkPayment(ap.ctx, c, status, in.Reason, day, why); err != nil {
		return err
	}
	if err := ap.tx.RemittanceSent(ap.ctx, c.Remittance); err != nil {
		return err
	}
	if err := ap.paymentReturnEntries(in, day, c); err != nil {
		return fmt.Errorf("%s: accounting entries: %w", c.EndToEndID, err)
	}
	return nil
}

// paymentReturnEntries records the return's écritures as
// accounting.PaymentReturn books them: the payment's lines reversed (the
// supplier owed again, the discount lost, the bank credited back), dated
// the return date, and the bank fee.
func (ap *applier) paymentReturnEntries(in remit.ReturnInput, day string, c *Payment) error {
	ri := accounting.PaymentReturnInput{Remittance: c.Remittance, Date: day, EndToEndID: c.EndToEndID, Payee: c.Payee, Name: c.Name,
		Reason: in.Reason, Fee: ap.b.Fee}
	var err error
	if ri.Booked, ri.BookedJournals, err = ap.tx.PaymentBooked(ap.ctx, c.ID); err != nil {
		return err
	}
	ret, fee, retOK, feeOK := accounting.PaymentReturn(ap.o, ri)
	var es []*accounting.Ecriture
	if retOK {
		es = append(es, &ret)
	}
	if feeOK {
		es = append(es, &fee)
	}
	return ap.tx.RecordPaymentReturn(ap.ctx, remit.FormatDate(remit.Day(ap.now)), c, es)
}

// applyPaymentGroup applies a rejection of a whole payment message, or of
// one of its blocks, to each of its payments.
func (ap *applier) applyPaymentGroup(in remit.ReturnInput, day string, remID int64, block int) ([]remit.ReturnOutcome, error) {
	cands, err := ap.tx.Payments(ap.ctx, Find{Remittance: remID, Block: block})
	if err != nil {
		return nil, err
	}
	var outs []remit.ReturnOutcome
	for i := range cands {
		if ap.handled[-cands[i].ID] {
			continue // listed on its own in this file
		}
		ap.handled[-cands[i].ID] = true
		item := in
		item.GroupLevel, item.EndToEndID, item.Amount = false, cands[i].EndToEndID, 0
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
