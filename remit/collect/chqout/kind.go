// Package chqout is the kind of remittance that pays suppliers by cheque
// (remit pay-cheques): the pointed cheque payables, grouped into payments
// (remit/payables), each assigned to one of the company's banks, become a
// run of lettres-chèques (the letter to the supplier with the detachable
// cheque, numbered from --first-number, each number recorded in the
// cheque register), with the avis de paiement and the bordereau de
// paiements. Its entry in a collect.Registry is Kind; a run is Job.
package chqout

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/payplan"
	"github.com/remit-dev/remit/remit/store"
)

// Name is the kind as remittances record it.
const Name remit.Kind = "chq-out"

// FormatLetters is the format a remittance records its lettres-chèques under.
const FormatLetters = "lettres-cheques"

// LettersName is the file of a remittance's lettres-chèques.
func LettersName(ref string) string { return "CHEQUES." + ref + ".pdf" }

// ReissueName is the file of a cheque printed again under number.
func ReissueName(number int64) string { return fmt.Sprintf("CHEQUE.%07d.pdf", number) }

// Kind is the cheque-payment kind's entry in a collect.Registry.
var Kind collect.Kind = kind{}

type kind struct{}

// Params are what a cheque remittance's files are written with.
type Params struct {
	Creditor    remit.Creditor `json:"creditor"`
	Bank        remit.Bank     `json:"bank"`
	FirstNumber int64          `json:"first_number"`
	Model       string         `json:"model,omitempty"`
	OffsetX     float64        `json:"offset_x_mm,omitempty"`
	OffsetY     float64        `json:"offset_y_mm,omitempty"`
	Place       string         `json:"place,omitempty"`
	Advices     bool           `json:"advices,omitempty"`
}

// ParamsOf reads a remittance's recorded parameters.
func ParamsOf(rem remit.Remittance) (Params, error) { return collect.ParamsOf[Params](rem) }

func (kind) Name() remit.Kind { return Name }

// Method is "payables:chq": it collects no receivable, and pays the
// payables of method chq.
func (kind) Method() string { return "payables:chq" }

func (kind) Label(rem remit.Remittance) string {
	p, _ := ParamsOf(rem)
	switch {
	case p.FirstNumber == 0:
		return "Lettres-chèques (" + p.Bank.Code + ")"
	case rem.Count == 1:
		return fmt.Sprintf("Lettre-chèque n° %07d (%s)", p.FirstNumber, p.Bank.Code)
	}
	return fmt.Sprintf("Lettres-chèques n° %07d-%07d (%s)", p.FirstNumber, p.FirstNumber+int64(rem.Count)-1, p.Bank.Code)
}

func (k kind) Report(rem remit.Remittance) collect.Report {
	return collect.Report{Label: k.Label(rem), Blocks: true}
}

// Files writes the lettres-chèques, numbered from the first number
// recorded (the numbers they were printed with, whatever was reissued
// since), and the avis de paiement; both dated by the remittance.
func (kind) Files(ctx context.Context, items store.ItemReader, rem remit.Remittance, base string, name func(format, def string) string,
	write collect.FileWriter) ([]remit.FileInfo, error) {
	p, err := ParamsOf(rem)
	if err != nil {
		return nil, err
	}
	pr, ok := items.(store.PaymentReader)
	if !ok {
		return nil, errors.New("this store cannot read payments")
	}
	f, err := write(name(FormatLetters, LettersName(rem.Ref)), FormatLetters, func(w io.Writer) error {
		_, err := writeLetters(ctx, pr, rem.ID, p, p.FirstNumber, rem.CreatedAt, w)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := []remit.FileInfo{f}
	if p.Advices {
		f, err := write(name(remit.FormatAdvice, remit.AdviceName(rem.Ref)), remit.FormatAdvice, func(w io.Writer) error {
			return payplan.WriteAdvices(ctx, items, rem, p.Creditor, p.Bank, "Chèque", w)
		})
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// writeLetters prints the lettres-chèques of a remittance's payments, in
// file order, numbered from first.
func writeLetters(ctx context.Context, pr store.PaymentReader, remittanceID int64, p Params, first int64, at time.Time,
	w io.Writer) (bordereau.ChequeCount, error) {
	var iterErr error
	seq := func(yield func(bordereau.Payment) bool) {
		n := first
		iterErr = pr.Payments(ctx, remittanceID, func(pay *store.PaymentRow) error {
			b := payplan.AdvicePayment(pay, fmt.Sprintf("Chèque n° %07d", n))
			n++
			if !yield(b) {
				return errStop
			}
			return nil
		})
	}
	cnt, err := bordereau.WriteChequeLetters(w, letters(p, first), seq, options(p, at))
	if iterErr != nil && iterErr != errStop {
		return cnt, iterErr
	}
	return cnt, err
}

var errStop = errors.New("stop")

func letters(p Params, first int64) bordereau.ChequeLetters {
	return bordereau.ChequeLetters{Drawer: remit.BordereauParty(p.Creditor.Name, p.Creditor.Address), Bank: p.Bank.Name,
		Place: p.Place, FirstNumber: int(first)}
}

func options(p Params, at time.Time) bordereau.ChequeOptions {
	return bordereau.ChequeOptions{Model: p.Model, OffsetX: p.OffsetX, OffsetY: p.OffsetY, Now: at, NoZone: true}
}

// Slip makes the bordereau de paiements of the cheques.
func (kind) Slip(rem remit.Remittance, slip *bordereau.Slip) (func(it *remit.Item, si *bordereau.SlipItem), error) {
	p, err := ParamsOf(rem)
	if err != nil {
		return nil, err
	}
	slip.Payments = true
	slip.Kind = "Lettres-chèques"
	if p.FirstNumber > 0 {
		slip.Kind = fmt.Sprintf("Lettres-chèques n° %07d à %07d", p.FirstNumber, p.FirstNumber+int64(rem.Count)-1)
	}
	slip.IBAN, slip.BIC, slip.Bank = p.Bank.IBAN, p.Bank.BIC, payplan.BankLabel(p.Bank)
	slip.DatesLabel = "Date des chèques"
	slip.CollectionDates, slip.DetailTitle = true, "Chèque"
	for _, b := range rem.Blocks {
		slip.Dates = append(slip.Dates, b.CollectionDate)
	}
	n := p.FirstNumber
	return func(it *remit.Item, si *bordereau.SlipItem) {
		si.Collection = remit.StoredDate(it.Collection)
		si.Block = "Chèques du " + si.Collection.Format("02/01/2006")
		si.Account = ""
		si.Detail = fmt.Sprintf("n° %07d", n)
		n++
	}, nil
}
