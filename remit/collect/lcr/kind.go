package lcr

import (
	"context"
	"fmt"
	"io"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/store"
)

// Name is the kind as remittances record it, and the payment method of the
// receivables it collects.
const Name remit.Kind = "lcr"

// FormatCFONBLCR is the format a remittance records its CFONB file under.
const FormatCFONBLCR = "cfonb-lcr"

// Kind is the LCR kind's entry in a collect.Registry.
var Kind collect.Kind = kind{}

type kind struct{}

// Params are what an LCR remittance's file is written with, recorded with
// it (the JSON names are those of the remittances made before kinds had
// parameters of their own: older remittances read the same).
type Params struct {
	Creditor  remit.Creditor `json:"creditor"`
	EOL       string         `json:"eol,omitempty"`
	EntryCode int            `json:"entry_code,omitempty"`
	Dailly    string         `json:"dailly,omitempty"`
	ValueDate string         `json:"value_date,omitempty"`
	// RefTail: no reference is cut: a bill carries a document longer than
	// the 10-character référence zones by its last 10 characters, where
	// sequential numbers differ, and a remise reference that "REMISE "
	// would push out of its 11 characters is written bare (10000, not
	// "REMISE 1000"); remittances made before it was set carry the first
	// characters.
	RefTail bool `json:"ref_tail,omitempty"`
}

// ParamsOf reads a remittance's recorded parameters.
func ParamsOf(rem remit.Remittance) (Params, error) { return collect.ParamsOf[Params](rem) }

func (kind) Name() remit.Kind { return Name }
func (kind) Method() string   { return string(Name) }

func (kind) Label(rem remit.Remittance) string {
	p, _ := ParamsOf(rem)
	return fmt.Sprintf("LCR code %d", p.EntryCode)
}

func (kind) Report(rem remit.Remittance) collect.Report {
	p, _ := ParamsOf(rem)
	return collect.Report{Label: fmt.Sprintf("LCR code entrée %d (%s)", p.EntryCode, EntryCodeLabel(p.EntryCode)), ValueDate: p.ValueDate}
}

func (kind) Files(ctx context.Context, items store.ItemReader, rem remit.Remittance, base string, name func(format, def string) string,
	write collect.FileWriter) ([]remit.FileInfo, error) {
	p, err := ParamsOf(rem)
	if err != nil {
		return nil, err
	}
	f, err := write(name(FormatCFONBLCR, base), FormatCFONBLCR, func(w io.Writer) error {
		return writeFile(ctx, items, rem, p, w)
	})
	if err != nil {
		return nil, err
	}
	return []remit.FileInfo{f}, nil
}

func (kind) Slip(rem remit.Remittance, slip *bordereau.Slip) (func(it *remit.Item, si *bordereau.SlipItem), error) {
	p, err := ParamsOf(rem)
	if err != nil {
		return nil, err
	}
	slip.Kind = fmt.Sprintf("LCR – code entrée %d (%s)", p.EntryCode, EntryCodeLabel(p.EntryCode))
	if p.ValueDate != "" {
		slip.Kind += ", valeur " + remit.StoredDate(p.ValueDate).Format("02/01/2006")
	}
	if p.Dailly != "" && p.Dailly != "0" {
		slip.Kind += ", Dailly " + p.Dailly
	}
	slip.NNE = p.Creditor.NNE
	slip.DraweeBanks, slip.DetailTitle = true, "Acceptation"
	block := "LCR · code entrée " + fmt.Sprint(p.EntryCode)
	return func(it *remit.Item, si *bordereau.SlipItem) {
		si.Block = block
		si.Bank, si.Detail = it.BankName, acceptanceLabel(it.Acceptance)
	}, nil
}

func acceptanceLabel(a string) string {
	switch a {
	case "accepted":
		return "Acceptée"
	case "bor":
		return "BOR"
	}
	return "Non acceptée"
}

// referenceLen is the length of the référence tiré and tireur zones.
const referenceLen = 10

// billReference is a bill's document as the 10-character zones référence
// tiré and référence tireur of the CFONB 06 record carry it (see
// remit.ZoneReference): its last 10 characters when tail (Params.RefTail),
// else its first 10 (remittances made before).
func billReference(document string, tail bool) (ref string, moved bool) {
	return remit.ZoneReference(document, referenceLen, tail)
}

// writeFile writes an LCR remittance's CFONB 160 file.
func writeFile(ctx context.Context, items store.ItemReader, rem remit.Remittance, p Params, w io.Writer) error {
	eol, err := cfonb.ParseEOL(p.EOL)
	if err != nil {
		return err
	}
	cr := p.Creditor
	acct, err := cfonb.AccountFromIBAN(cr.IBAN)
	if err != nil {
		return fmt.Errorf("creditor account: %w", err)
	}
	// The remittance reference goes in the 03 record (zone G, 11 characters).
	h := cfonb.LCRHeader{Date: rem.CreatedAt, Name: cr.Name, BankName: cr.BankName, Entry: cfonb.EntryCode(p.EntryCode),
		Dailly: cfonb.Dailly(0), Account: acct, SIREN: cr.SIREN, Reference: remit.RemiseReference("REMISE ", rem.Ref, 11, p.RefTail)}
	if d := p.Dailly; d != "" {
		h.Dailly = cfonb.Dailly(d[0])
	}
	if p.ValueDate != "" {
		h.ValueDate = remit.StoredDate(p.ValueDate)
	}
	lw := cfonb.NewLCRWriter(w, cfonb.WriterOptions{EOL: eol})
	if err := lw.WriteHeader(h); err != nil {
		return err
	}
	err = items.Items(ctx, rem.ID, store.ItemsAll, func(it *remit.Item) error {
		a, err := cfonb.AccountFromIBAN(it.IBAN)
		if err != nil {
			return fmt.Errorf("%s: %w", it.Document, err)
		}
		ref, _ := billReference(it.Document, p.RefTail)
		b := cfonb.LCRBill{DraweeRef: ref, Name: it.Name, BankName: it.BankName, Acceptance: acceptance(it.Acceptance),
			Account: a, Amount: it.Amount, Due: remit.StoredDate(it.Due), Created: remit.StoredDate(it.Issue), SIREN: it.SIREN, DrawerRef: ref}
		if err := lw.WriteBill(b); err != nil {
			return fmt.Errorf("%s: %w", it.Document, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("remittance %s: %w", rem.Ref, err)
	}
	return lw.Close()
}

func acceptance(a string) cfonb.Acceptance {
	switch a {
	case "accepted":
		return cfonb.Accepted
	case "bor":
		return cfonb.PromissoryNote
	}
	return cfonb.NotAccepted
}
