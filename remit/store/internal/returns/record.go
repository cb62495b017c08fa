package returns

import (
	"fmt"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
)

// record applies one return to its collection.
func (ap *applier) record(in remit.ReturnInput, day string, c *Item, out *remit.ReturnOutcome) error {
	ctx, tx := ap.ctx, ap.tx
	status, verb := "rejected", "rejected"
	if ap.b.Settled {
		status, verb = "returned", "returned"
	}
	why := fmt.Sprintf("%s %s on %s", verb, in.Reason, day)
	if l := remit.ReasonLabel(in.Reason); l != "" {
		why += " (" + l + ")"
	}
	if err := tx.MarkItem(ctx, c, Mark{Status: status, Reason: in.Reason, Day: day, Settled: ap.b.Settled, Why: why}); err != nil {
		return err
	}
	// The bank had the remittance: it can no longer be cancelled.
	if err := tx.RemittanceSent(ctx, c.Remittance); err != nil {
		return err
	}
	if !ap.b.Settled {
		// Rejected before settlement: a change of RUM or creditor identifier
		// this collection announced never reached the debtor's bank.
		if err := tx.Reannounce(ctx, c.ID); err != nil {
			return err
		}
	}
	effect, err := ap.mandateEffect(in, day, c, ap.b.Settled)
	if err != nil {
		return err
	}
	returnID, err := tx.InsertReturn(ctx, Row{Item: c.ID, Source: ap.b.Source, File: ap.b.File, SHA256: ap.b.SHA256, BankMsgID: ap.b.MsgID,
		EndToEndID: in.EndToEndID, Reason: in.Reason, AdditionalInfo: in.AdditionalInfo, Day: day, Settled: ap.b.Settled, Fee: ap.b.Fee,
		MandateEffect: effect, CreatedAt: ap.now.Format(remit.TimestampLayout)})
	if err != nil {
		return err
	}
	if err := ap.entries(returnID, in, day, c); err != nil {
		return fmt.Errorf("%s: accounting entries: %w", c.Document, err)
	}
	out.Status, out.MandateEffect = remit.ReturnApplied, effect
	if ap.b.Fee > 0 {
		out.Fee, out.FeeText = ap.b.Fee, remit.FormatAmount(ap.b.Fee)
	}
	return nil
}

// mandateEffect blocks the mandate for the blocking reasons and says what
// the return means for the mandate's next collection.
func (ap *applier) mandateEffect(in remit.ReturnInput, day string, c *Item, settled bool) (string, error) {
	if c.Mandate == 0 {
		return "", nil
	}
	if remit.BlocksMandate(in.Reason) {
		reason := fmt.Sprintf("%s on %s (%s)", in.Reason, day, c.Document)
		if l := remit.ReasonLabel(in.Reason); l != "" {
			reason += ": " + l
		}
		blocked, st, err := ap.tx.BlockMandate(ap.ctx, c.Mandate, reason)
		if err != nil {
			return "", err
		}
		if blocked {
			return fmt.Sprintf("mandate %s blocked", c.RUM), nil
		}
		return fmt.Sprintf("mandate %s already %s", c.RUM, st), nil
	}
	// Said from the rule the SDD run applies (the store's count of the
	// collections it counts), so that what remit says is what it writes;
	// counted only where it matters.
	counted := false
	if !settled && c.Seq != remit.SeqOneOff {
		var err error
		if counted, err = ap.tx.Collected(ap.ctx, c.Mandate); err != nil {
			return "", err
		}
	}
	return remit.NextAfterReturn(settled, c.Seq, counted, ap.cr.RCUROnly), nil
}

// entries records the écriture of a return (accounting.Return): the
// reversing lines when the collection was booked, and the fee.
func (ap *applier) entries(returnID int64, in remit.ReturnInput, day string, c *Item) error {
	ri := accounting.ReturnInput{Remittance: c.Remittance, Item: c.ID, Receivable: c.Receivable, Return: returnID, Date: day,
		Document: c.Document, Customer: c.Customer, Name: c.Name, Reason: in.Reason, Due: c.Due, Amount: c.Amount, Fee: ap.b.Fee}
	booked, journal, err := ap.tx.Booked(ap.ctx, c)
	if err != nil {
		return err
	}
	// not booked: the fee, if any, goes to the receivable's journal
	ri.Booked, ri.Journal = booked, journal
	e, ok := accounting.Return(ap.o, ri)
	if !ok {
		return nil
	}
	return ap.tx.RecordEcriture(ap.ctx, remit.FormatDate(remit.Day(ap.now)), &e, c.Remittance)
}
