// Package sct is the kind of remittance that pays suppliers by SEPA credit
// transfer (remit sct): the pointed transfer payables, grouped into
// payments (remit/payables), each assigned to one of the company's banks
// with its disbursement limit, become one pain.001 per bank (a PmtInf per
// execution date), optionally with the CFONB 160 virement file, and a
// bordereau de paiements. Its entry in a collect.Registry is Kind; a run
// is Job.
package sct

import (
	"context"
	"fmt"
	"io"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/payplan"
	"github.com/remit-dev/remit/remit/store"
)

// Name is the kind as remittances record it.
const Name remit.Kind = "sct"

// FormatCFONBTransfer is the format a remittance records its CFONB 160
// virement file under (its pain.001 is recorded under its version).
const FormatCFONBTransfer = "cfonb-transfer"

// Kind is the credit-transfer kind's entry in a collect.Registry.
var Kind collect.Kind = kind{}

type kind struct{}

// Params are what an SCT remittance's files are written with, recorded
// with it: the creditor (the payer), the bank that pays, as they were.
type Params struct {
	Creditor     remit.Creditor `json:"creditor"`
	Bank         remit.Bank     `json:"bank"`
	Pain         string         `json:"pain"`
	BatchBooking *bool          `json:"batch_booking,omitempty"`
	CFONB        bool           `json:"cfonb,omitempty"`   // CFONB 160 virement file written too
	Advices      bool           `json:"advices,omitempty"` // avis de paiement AVIS.<ref>.pdf written too
}

// ParamsOf reads a remittance's recorded parameters.
func ParamsOf(rem remit.Remittance) (Params, error) { return collect.ParamsOf[Params](rem) }

func (kind) Name() remit.Kind { return Name }

// Method is "payables:vir": it collects no receivable, and pays the
// payables of method vir.
func (kind) Method() string { return "payables:vir" }

func (kind) Label(rem remit.Remittance) string {
	p, _ := ParamsOf(rem)
	s := "SCT"
	if p.Pain != "" {
		s += " " + p.Pain
	}
	if p.Bank.Code != "" {
		s += " (" + p.Bank.Code + ")"
	}
	return s
}

func (k kind) Report(rem remit.Remittance) collect.Report {
	return collect.Report{Label: k.Label(rem), Blocks: true}
}

func (kind) Files(ctx context.Context, items store.ItemReader, rem remit.Remittance, base string, name func(format, def string) string,
	write collect.FileWriter) ([]remit.FileInfo, error) {
	p, err := ParamsOf(rem)
	if err != nil {
		return nil, err
	}
	var out []remit.FileInfo
	if p.CFONB {
		f, err := write(name(FormatCFONBTransfer, base), FormatCFONBTransfer, func(w io.Writer) error {
			return writeCFONB(ctx, items, rem, p, w)
		})
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	f, err := write(name(p.Pain, base+".xml"), p.Pain, func(w io.Writer) error {
		return writePain001(ctx, items, rem, p, w)
	})
	if err != nil {
		return nil, err
	}
	out = append(out, f)
	if p.Advices {
		f, err := write(name(remit.FormatAdvice, remit.AdviceName(rem.Ref)), remit.FormatAdvice, func(w io.Writer) error {
			return payplan.WriteAdvices(ctx, items, rem, p.Creditor, p.Bank, "Virement SEPA", w)
		})
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// Slip makes the bordereau de paiements: the company orders, its bank's
// account is debited, each line is a payment to a supplier.
func (kind) Slip(rem remit.Remittance, slip *bordereau.Slip) (func(it *remit.Item, si *bordereau.SlipItem), error) {
	p, err := ParamsOf(rem)
	if err != nil {
		return nil, err
	}
	slip.Payments = true
	slip.Kind = "Virement SEPA"
	if p.CFONB {
		slip.Kind += " et virement CFONB"
	}
	slip.IBAN, slip.BIC, slip.Bank = p.Bank.IBAN, p.Bank.BIC, payplan.BankLabel(p.Bank)
	slip.DatesLabel = "Dates d'exécution"
	slip.CollectionDates, slip.DetailTitle = true, "Pièces"
	for _, b := range rem.Blocks {
		slip.Dates = append(slip.Dates, b.CollectionDate)
	}
	return func(it *remit.Item, si *bordereau.SlipItem) {
		si.Collection = remit.StoredDate(it.Collection)
		si.Block = "Virement SEPA · exécution le " + si.Collection.Format("02/01/2006")
		si.Detail = pieces(it.Documents)
	}, nil
}

// pieces says how many documents a payment settles, for the slip.
func pieces(n int) string {
	if n == 1 {
		return "1 pièce"
	}
	return fmt.Sprintf("%d pièces", n)
}
