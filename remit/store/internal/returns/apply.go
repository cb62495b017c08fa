package returns

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
)

// Apply records a batch of returns in tx and reports each: applied,
// already recorded, unknown or refused. o are the entry options of the
// écritures, now the store's clock.
func Apply(ctx context.Context, tx Tx, cr remit.Creditor, b remit.ReturnBatch, o accounting.Options, now time.Time) (*remit.ReturnsResult, error) {
	switch b.Source {
	case remit.SourceManual, remit.SourcePain002, remit.SourceCamt054, remit.SourceStatement:
	default:
		return nil, fmt.Errorf("return source %q: want manual, pain.002, camt.054 or statement", b.Source)
	}
	if b.CreatedAt.IsZero() {
		b.CreatedAt = now
	}
	res := &remit.ReturnsResult{Source: b.Source, Version: b.Version, File: b.File, MsgID: b.MsgID, Outcomes: []remit.ReturnOutcome{}}
	ap := &applier{ctx: ctx, tx: tx, cr: cr, b: b, o: o, now: now, handled: map[int64]bool{}}
	for _, in := range b.Items {
		outs, err := ap.apply(in)
		if err != nil {
			return nil, err
		}
		res.Outcomes = append(res.Outcomes, outs...)
	}
	return res, nil
}

// applier applies the returns of one batch.
type applier struct {
	ctx     context.Context
	tx      Tx
	cr      remit.Creditor
	b       remit.ReturnBatch
	o       accounting.Options
	now     time.Time
	handled map[int64]bool // items (payments: -id) a transaction line of this batch already reported
}

func (ap *applier) outcome(in remit.ReturnInput, date string) remit.ReturnOutcome {
	return remit.ReturnOutcome{Line: in.Line, Document: in.Document, Reason: in.Reason, ReasonLabel: remit.ReasonLabel(in.Reason),
		Date: date, EndToEndID: in.EndToEndID, Mandate: in.MandateID}
}

func (ap *applier) apply(in remit.ReturnInput) ([]remit.ReturnOutcome, error) {
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
	var cands []Item
	var err error
	switch {
	case in.Credit && in.EndToEndID != "":
		// A transfer of ours came back: a payment, never a collection.
	case in.Document != "":
		cands, err = ap.tx.Items(ap.ctx, Find{Document: in.Document})
	case in.EndToEndID != "":
		cands, err = ap.tx.Items(ap.ctx, Find{EndToEndID: in.EndToEndID, MsgID: in.OriginalMsgID})
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
		return ap.unknown(in, out)
	}
	c, status, msg := ap.choose(in, day, cands)
	ap.fill(&out, c)
	ap.handled[c.ID] = true
	if status != remit.ReturnApplied {
		out.Status, out.Message = status, msg
		return []remit.ReturnOutcome{out}, nil
	}
	if err := ap.record(in, day, c, &out); err != nil {
		return nil, err
	}
	return []remit.ReturnOutcome{out}, nil
}

// unknown reports a return that matches no collection, nor payment.
func (ap *applier) unknown(in remit.ReturnInput, out remit.ReturnOutcome) ([]remit.ReturnOutcome, error) {
	out.Status = remit.ReturnUnknown
	switch {
	case in.Document != "":
		out.Message = fmt.Sprintf("receivable %s is in no remittance", in.Document)
		exists, err := ap.tx.ReceivableExists(ap.ctx, in.Document)
		if err != nil {
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

func (ap *applier) fill(out *remit.ReturnOutcome, c *Item) {
	out.Document, out.Customer, out.Name = c.Document, c.Customer, c.Name
	out.Amount, out.AmountText = c.Amount, remit.FormatAmount(c.Amount)
	out.Remittance, out.EndToEndID, out.Mandate = remit.Ref(c.Remittance), c.EndToEndID, c.RUM
}

// choose picks the collection a return is about among the candidates,
// newest first (remit.ChooseReturn).
func (ap *applier) choose(in remit.ReturnInput, day string, cands []Item) (*Item, string, string) {
	rc := make([]remit.ReturnCandidate, len(cands))
	for i := range cands {
		rc[i] = cands[i].ReturnCandidate
	}
	i, status, msg := remit.ChooseReturn(in, day, ap.b.MsgID, rc)
	return &cands[i], status, msg
}

// applyGroup applies a rejection of a whole message or payment block to each of its items.
func (ap *applier) applyGroup(in remit.ReturnInput, day string) ([]remit.ReturnOutcome, error) {
	out := ap.outcome(in, day)
	if in.OriginalMsgID == "" {
		out.Status, out.Message = remit.ReturnUnknown, "a rejection of a whole message that does not name it"
		return []remit.ReturnOutcome{out}, nil
	}
	remID, payments, ok, err := ap.tx.Remittance(ap.ctx, in.OriginalMsgID)
	if err != nil {
		return nil, err
	}
	if !ok {
		out.Status, out.Message = remit.ReturnUnknown, fmt.Sprintf("no remittance with message id %s", in.OriginalMsgID)
		return []remit.ReturnOutcome{out}, nil
	}
	block := 0
	if in.OriginalPmtInfID != "" {
		if block = blockOf(in.OriginalMsgID, in.OriginalPmtInfID); block == 0 {
			out.Status, out.Message = remit.ReturnUnknown, fmt.Sprintf("no payment block %s in message %s", in.OriginalPmtInfID, in.OriginalMsgID)
			return []remit.ReturnOutcome{out}, nil
		}
	}
	if payments {
		return ap.applyPaymentGroup(in, day, remID, block)
	}
	cands, err := ap.tx.Items(ap.ctx, Find{Remittance: remID, Block: block})
	if err != nil {
		return nil, err
	}
	var outs []remit.ReturnOutcome
	for i := len(cands) - 1; i >= 0; i-- { // file order
		c := cands[i]
		if ap.handled[c.ID] {
			continue // listed on its own in this file
		}
		ap.handled[c.ID] = true
		item := in
		item.GroupLevel, item.EndToEndID, item.Amount = false, c.EndToEndID, 0
		o, st, msg := ap.choose(item, day, []Item{c})
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

// blockOf is the number of the payment block of a message whose
// PmtInfId is pmtInfID; 0 when none of the first 9,999 is.
func blockOf(msgID, pmtInfID string) int {
	for n := 1; n <= 9999; n++ {
		if remit.PaymentInfoID(msgID, n) == pmtInfID {
			return n
		}
	}
	return 0
}
