package sct

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/payplan"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/pain001"
)

// Job is a credit-transfer run with its options.
func Job(o Options) collect.Job { return &job{o: o} }

type job struct {
	o       Options
	hdr     pain001.GroupHeader
	cr      remit.Creditor
	checked map[string][]error // the EPC rules of each bank and execution date's block
}

func (j *job) Kind() collect.Kind     { return Kind }
func (j *job) Common() collect.Common { return j.o.Common }

func (j *job) Prepare(cr remit.Creditor, now time.Time) error {
	if err := j.o.check(now); err != nil {
		return err
	}
	var errs []error
	for _, e := range cr.Validate() {
		errs = append(errs, e)
	}
	if cr.Address.Town == "" || cr.Address.Country == "" {
		errs = append(errs, errors.New("no structured address: town and country are required (remit creditor set --town --country)"))
	}
	if len(errs) > 0 {
		return fmt.Errorf("creditor %s cannot pay by SEPA transfer: %w", cr.Code, errors.Join(errs...))
	}
	return nil
}

// PaymentRef is a payment's reference, its EndToEndId.
func PaymentRef(id int64) string { return payplan.PaymentRef(id) }

// Plan plans the pointed transfers (payplan.Plan), each checked against
// the EPC SCT rules and, with --cfonb, for a French account.
func (j *job) Plan(ctx context.Context, tx store.RunTx, cr remit.Creditor, now time.Time, res *collect.Result) (collect.Plan, error) {
	j.cr, j.checked = cr, map[string][]error{}
	j.hdr = pain001.GroupHeader{Version: j.o.Version, MsgID: "PLAN", CreatedAt: now, InitiatingParty: sepa.Party{Name: cr.Name}}
	o := j.o
	return payplan.Plan(ctx, tx, cr, now, res, payplan.Policy{Kind: Name, Method: payables.MethodTransfer,
		Dates:     payables.DateOptions{Cutoff: o.Cutoff, Requested: o.ExecutionDate, Lead: o.LeadDays},
		Discounts: !o.NoDiscounts, Bank: o.Bank, Treasury: o.Treasury, Common: o.Common, Check: j.check,
		Params: func(_ context.Context, _ store.PaymentRunTx, bank remit.Bank, _ int) (any, error) {
			return Params{Creditor: cr, Bank: bank, Pain: string(o.Version), BatchBooking: o.BatchBooking, CFONB: o.CFONB,
				Advices: !o.NoAdvices}, nil
		}})
}

// check returns the rules a transfer breaks: in euros only, its block's
// EPC rules (the bank's account, the execution date, the payer), once per
// block, and its own; with --cfonb, a French account.
func (j *job) check(bank remit.Bank, g payables.Group, _, info string) remit.Reasons {
	var why remit.Reasons
	if g.Currency != "EUR" {
		why.Add(remit.ReasonCurrency, remit.TodoUnpoint, "in %s: a SEPA credit transfer pays in euros only; pay it by an international transfer", g.Currency)
		return why
	}
	pi := paymentInfo(Params{Creditor: j.cr, Bank: bank}, "CHECK", g.Date, 1, g.Net)
	key := bank.Code + "|" + remit.FormatDate(g.Date)
	blockErrs, ok := j.checked[key]
	if !ok {
		blockErrs = pain001.CheckPaymentInfo(pi, j.hdr)
		j.checked[key] = blockErrs
	}
	it := remit.Item{EndToEndID: "CHECK", Amount: g.Net, BIC: g.BIC, IBAN: g.IBAN, Name: g.Name, Address: g.Address, Label: info}
	tx := transaction(&it)
	tx.Currency = g.Currency
	for _, e := range append(blockErrs, pain001.CheckTransaction(tx, pi, j.hdr)...) {
		why = append(why, remit.Reason{Code: remit.ReasonEPC, Todo: remit.TodoCorrect, Text: ruleReason(e)})
	}
	if j.o.CFONB {
		if _, err := cfonb.AccountFromIBAN(g.IBAN); err != nil {
			why.Add(remit.ReasonNotFrench, remit.TodoUnpoint, "the CFONB 160 virement file carries French accounts only (%s): pay it in a run without --cfonb",
				masked(g.IBAN))
		}
	}
	return why
}

// masked shows an IBAN's country, check digits and last four characters.
func masked(iban string) string {
	if len(iban) <= 8 {
		return iban
	}
	return iban[:4] + "…" + iban[len(iban)-4:]
}

// ruleReason keeps a rule error's text without its "transaction …: " prefix.
func ruleReason(err error) string {
	var re *sepa.RuleError
	if errors.As(err, &re) {
		msg := re.Error()
		if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, re.Block) {
			return msg[i+2:]
		}
		return msg
	}
	return err.Error()
}
