package cheque

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/store"
)

// Name is the kind as remittances record it, and the payment method of the
// receivables it collects.
const Name remit.Kind = "chq"

// Kind is the remise de chèques' entry in a collect.Registry.
var Kind collect.Kind = kind{}

type kind struct{}

// Params are what a remise's slip is printed with, recorded with it.
type Params struct {
	// Creditor is the company as the slip names it, with the account the
	// cheques are deposited to (the bank's).
	Creditor remit.Creditor `json:"creditor"`
	// EntryAccount is the account the cheques are booked on until the bank
	// credits them (5112 chèques à encaisser): the store books the
	// remise's collection there, whatever its journals.
	EntryAccount string `json:"entry_account"`
}

// ParamsOf reads a remittance's recorded parameters.
func ParamsOf(rem remit.Remittance) (Params, error) { return collect.ParamsOf[Params](rem) }

func (kind) Name() remit.Kind              { return Name }
func (kind) Method() string                { return string(Name) }
func (kind) Label(remit.Remittance) string { return "Remise de chèques" }
func (kind) Report(remit.Remittance) collect.Report {
	return collect.Report{Label: "Remise de chèques"}
}

// Files: a remise de chèques has no bank file; its slip is its document.
func (kind) Files(context.Context, store.ItemReader, remit.Remittance, string, func(format, def string) string,
	collect.FileWriter) ([]remit.FileInfo, error) {
	return nil, nil
}

// errOwnSlip: the remise prints its own slip (PrintSlip), not a bordereau de remise.
var errOwnSlip = errors.New("a remise de chèques prints its own slip, the bordereau de versement")

func (kind) Slip(remit.Remittance, *bordereau.Slip) (func(*remit.Item, *bordereau.SlipItem), error) {
	return nil, errOwnSlip
}

// PrintSlip writes the bordereau de versement: the account credited (the
// bank's), one line per cheque (number, drawer, drawer's bank, amount), the
// count and total; dated by the remise's creation, so that it prints the
// same bytes again.
func (kind) PrintSlip(ctx context.Context, items store.ItemReader, w io.Writer, rem remit.Remittance, copies int) (int, error) {
	p, err := ParamsOf(rem)
	if err != nil {
		return 0, err
	}
	cr := p.Creditor
	dep := bordereau.ChequeDeposit{Holder: remit.BordereauParty(cr.Name, cr.Address), Bank: bankLine(cr.BankName, rem.Bank), IBAN: cr.IBAN,
		BIC: cr.BIC, Reference: rem.Ref, Date: remit.Day(rem.CreatedAt), Count: rem.Count, Total: rem.Total}
	var iterErr error
	cheques := func(yield func(bordereau.DepositCheque) bool) {
		iterErr = items.Items(ctx, rem.ID, store.ItemsCheque, func(it *remit.Item) error {
			if !yield(bordereau.DepositCheque{Number: it.ChequeNumber, Drawer: it.Name, Bank: it.DrawerBank, Document: it.Document,
				Amount: it.Amount}) {
				return errStop
			}
			return nil
		})
	}
	pages, err := bordereau.WriteChequeDeposit(w, dep, cheques, bordereau.DepositOptions{Copies: copies, Now: rem.CreatedAt, NoZone: true})
	if iterErr != nil && iterErr != errStop {
		return pages, iterErr
	}
	return pages, err
}

var errStop = errors.New("stop")

// bankLine names the bank credited: its domiciliation and, for the
// company's own copy, its journal.
func bankLine(name, journal string) string {
	switch {
	case journal == "":
		return name
	case strings.TrimSpace(name) == "":
		return "Journal " + journal
	}
	return name + " · journal " + journal
}
