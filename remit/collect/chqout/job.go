package chqout

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/payplan"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/store"
)

// Options control a cheque run.
type Options struct {
	collect.Common
	// FirstNumber is the number of the first cheque (1 to 9 999 999); 0:
	// the one after the last the register has for the bank. With it, the
	// cheques of the run are drawn on one bank.
	FirstNumber int64
	// BookStart is the first number of a bank's cheque book the register
	// does not know yet; the numbers go on from the register's last
	// otherwise (remit run: a setting given every night must not collide
	// with the numbers of the nights before).
	BookStart   int64
	Bank        string    // draw every cheque on this bank, whatever its limit
	Date        time.Time // the cheques' date; zero: today
	Model       string    // bordereau.ModelStandard (default) or bordereau.ModelPreprinted
	OffsetX     float64   // millimetres, right (see bordereau.ChequeOptions)
	OffsetY     float64   // millimetres, down
	Place       string    // "À <place>, le <date>"; empty: the creditor's town
	NoDiscounts bool
	NoAdvices   bool
	Treasury    payplan.Treasury // nil: the creditor's account (payplan.CreditorBank)
}

// ErrOption marks the options a run refuses (a usage error).
var ErrOption = payplan.ErrOption

// ErrNumber means the numbers asked for are taken.
var ErrNumber = errors.New("cheque numbers already used")

// MaxNumber is the highest cheque number (7 digits).
const MaxNumber = 9999999

func (o *Options) check(now time.Time) error {
	switch o.Model {
	case "":
		o.Model = bordereau.ModelStandard
	case bordereau.ModelStandard, bordereau.ModelPreprinted:
	default:
		return payplan.Optionf("--model %q: want %s or %s", o.Model, bordereau.ModelStandard, bordereau.ModelPreprinted)
	}
	if o.FirstNumber < 0 || o.FirstNumber > MaxNumber || o.BookStart < 0 || o.BookStart > MaxNumber {
		return payplan.Optionf("--first-number %d: want 1 to %d", max(o.FirstNumber, o.BookStart), MaxNumber)
	}
	for _, v := range []float64{o.OffsetX, o.OffsetY} {
		if v < -bordereau.MaxOffset || v > bordereau.MaxOffset {
			return payplan.Optionf("offset %g mm: at most %g either way", v, bordereau.MaxOffset)
		}
	}
	if !o.Date.IsZero() && remit.Day(o.Date).Before(remit.Day(now)) {
		return payplan.Optionf("--date %s is in the past", remit.FormatDate(o.Date))
	}
	if o.OutDir == "" {
		o.OutDir = "out"
	}
	return nil
}

// Job is a cheque run with its options.
func Job(o Options) collect.Job { return &job{o: o} }

type job struct{ o Options }

func (j *job) Kind() collect.Kind     { return Kind }
func (j *job) Common() collect.Common { return j.o.Common }

func (j *job) Prepare(cr remit.Creditor, now time.Time) error {
	if err := j.o.check(now); err != nil {
		return err
	}
	if errs := cr.Validate(); len(errs) > 0 {
		return fmt.Errorf("creditor %s cannot draw cheques: %w", cr.Code, errors.Join(errs...))
	}
	return nil
}

// Plan plans the pointed cheque payments (payplan.Plan), dated the day of
// the run (or --date), each drawn on a bank; the numbers are given when a
// bank's remittance is recorded, in file order.
func (j *job) Plan(ctx context.Context, tx store.RunTx, cr remit.Creditor, now time.Time, res *collect.Result) (collect.Plan, error) {
	o := j.o
	date := o.Date
	if date.IsZero() {
		date = remit.Day(now)
	}
	banks := map[string]bool{}
	pl, err := payplan.Plan(ctx, tx, cr, now, res, payplan.Policy{Kind: Name, Method: payables.MethodCheque,
		Dates: payables.DateOptions{Requested: date}, Discounts: !o.NoDiscounts, Bank: o.Bank, Treasury: o.Treasury, Common: o.Common,
		Check: func(bank remit.Bank, g payables.Group, _, _ string) remit.Reasons {
			banks[bank.Code] = true
			return nil
		},
		Params: func(ctx context.Context, tx store.PaymentRunTx, bank remit.Bank, count int) (any, error) {
			p := Params{Creditor: cr, Bank: bank, FirstNumber: o.FirstNumber, Model: o.Model, OffsetX: o.OffsetX, OffsetY: o.OffsetY,
				Place: o.Place, Advices: !o.NoAdvices}
			if tx == nil {
				return p, nil // a dry run: no number yet
			}
			first, err := numbers(ctx, tx, cr, bank, o.FirstNumber, o.BookStart, count)
			p.FirstNumber = first
			return p, err
		},
		Recorded: func(ctx context.Context, tx store.PaymentRunTx, id int64, bank remit.Bank, count int) error {
			rem, err := tx.Remittance(ctx, cr.ID, id)
			if err != nil {
				return err
			}
			p, err := ParamsOf(rem)
			if err != nil {
				return err
			}
			reg, ok := tx.(store.ChequeRegister)
			if !ok {
				return errors.New("this store keeps no cheque register")
			}
			return reg.RecordCheques(ctx, id, cr.ID, bank.Code, p.FirstNumber, LettersName(rem.Ref), now)
		}})
	if err != nil {
		return nil, err
	}
	if o.FirstNumber > 0 && len(banks) > 1 {
		pl.Close()
		codes := make([]string, 0, len(banks))
		for b := range banks {
			codes = append(codes, b)
		}
		return nil, payplan.Optionf("--first-number %d: the cheques are drawn on several banks (%s): run once per bank with --bank",
			o.FirstNumber, strings.Join(codes, ", "))
	}
	return pl, nil
}

// numbers checks that count numbers from first (0: after the last used,
// or bookStart for a book the register does not know) are free on bank's
// cheques, and returns the first.
func numbers(ctx context.Context, tx store.PaymentRunTx, cr remit.Creditor, bank remit.Bank, first, bookStart int64, count int) (int64, error) {
	reg, ok := tx.(store.ChequeRegister)
	if !ok {
		return 0, errors.New("this store keeps no cheque register")
	}
	last, err := reg.LastCheque(ctx, cr.ID, bank.Code)
	if err != nil {
		return 0, err
	}
	if first == 0 && last == 0 && bookStart > 0 {
		first = bookStart
	}
	if first == 0 {
		if last == 0 {
			return 0, payplan.Optionf("no cheque of %s printed yet: give the number of the first cheque of the book (--first-number)",
				bank.Code)
		}
		first = last + 1
	}
	end := first + int64(count) - 1
	if end > MaxNumber {
		return 0, payplan.Optionf("cheques %d to %d: the last is over %d", first, end, MaxNumber)
	}
	used, err := reg.ChequesUsed(ctx, cr.ID, bank.Code, first, end)
	if err != nil {
		return 0, err
	}
	if len(used) > 0 {
		return 0, fmt.Errorf("%w: cheque %07d of %s is already in the register (remit cheque-register); the next free after the last used is %07d",
			ErrNumber, used[0], bank.Code, last+1)
	}
	return first, nil
}
