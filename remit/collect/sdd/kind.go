package sdd

import (
	"context"
	"io"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/store"
)

// Name is the kind as remittances record it, and the payment method of the
// receivables it collects.
const Name remit.Kind = "sdd"

// FormatCFONBDebit is the format a remittance records its national
// direct-debit file under (its pain.008 is recorded under its version).
const FormatCFONBDebit = "cfonb-debit"

// Kind is the SEPA direct-debit kind's entry in a collect.Registry.
var Kind collect.Kind = kind{}

type kind struct{}

// Params are what an SDD remittance's files are written with, recorded
// with it (the JSON names are those of the remittances made before kinds
// had parameters of their own: older remittances read the same).
type Params struct {
	Creditor     remit.Creditor `json:"creditor"`
	Pain         string         `json:"pain,omitempty"`
	BatchBooking *bool          `json:"batch_booking,omitempty"`
	RCUROnly     bool           `json:"rcur_only,omitempty"`
	CFONB        bool           `json:"cfonb,omitempty"` // national direct-debit file written too
	// RefTail: no reference of the national file is cut: a document longer
	// than its 12-character référence zone is carried by its last 12
	// characters, a remise reference that "PRL" would push out of its 7 is
	// written bare; remittances made before it was set carry the first
	// characters.
	RefTail bool `json:"ref_tail,omitempty"`
}

// ParamsOf reads a remittance's recorded parameters.
func ParamsOf(rem remit.Remittance) (Params, error) { return collect.ParamsOf[Params](rem) }

func (kind) Name() remit.Kind { return Name }
func (kind) Method() string   { return string(Name) }

func (kind) Label(rem remit.Remittance) string {
	if p, _ := ParamsOf(rem); p.Pain != "" {
		return "SDD " + rem.Scheme + " " + p.Pain
	}
	return "SDD " + rem.Scheme
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
		f, err := write(name(FormatCFONBDebit, base), FormatCFONBDebit, func(w io.Writer) error {
			return writeNational(ctx, items, rem, p, w)
		})
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	f, err := write(name(p.Pain, base+".xml"), p.Pain, func(w io.Writer) error {
		return writePain008(ctx, items, rem, p, w)
	})
	if err != nil {
		return nil, err
	}
	return append(out, f), nil
}

func (kind) Slip(rem remit.Remittance, slip *bordereau.Slip) (func(it *remit.Item, si *bordereau.SlipItem), error) {
	p, err := ParamsOf(rem)
	if err != nil {
		return nil, err
	}
	slip.Kind = "Prélèvement SEPA " + rem.Scheme
	slip.ICS = p.Creditor.ICS
	slip.DatesLabel = "Dates de prélèvement"
	slip.CollectionDates, slip.DetailTitle = true, "Séquence"
	if p.CFONB {
		slip.Kind += " et prélèvement national (CFONB)"
		slip.NNE = p.Creditor.NNE
	}
	seen := map[string]bool{}
	for _, b := range rem.Blocks {
		if !seen[b.Date] {
			seen[b.Date] = true
			slip.Dates = append(slip.Dates, b.CollectionDate)
		}
	}
	return func(it *remit.Item, si *bordereau.SlipItem) {
		si.Collection = remit.StoredDate(it.Collection)
		si.Block = it.Sequence + " · " + rem.Scheme + " · prélèvement le " + si.Collection.Format("02/01/2006")
		si.Detail = it.Sequence
	}, nil
}
