package sct

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/pain001"
)

// writePain001 streams a remittance's pain.001: the totals are the
// remittance's and its blocks', then the transfers come straight from the
// store, in file order.
func writePain001(ctx context.Context, items store.ItemReader, rem remit.Remittance, p Params, w io.Writer) error {
	version, err := pain001.ParseVersion(p.Pain)
	if err != nil {
		return err
	}
	pw, err := pain001.NewWriter(w, pain001.GroupHeader{Version: version, MsgID: rem.MsgID, CreatedAt: rem.CreatedAt,
		NbOfTxs: rem.Count, CtrlSum: rem.Total, InitiatingParty: sepa.Party{Name: p.Creditor.Name}})
	if err != nil {
		return err
	}
	blocks := map[int]remit.Block{}
	for _, b := range rem.Blocks {
		blocks[b.Number] = b
	}
	current := 0
	err = items.Items(ctx, rem.ID, store.ItemsSEPA, func(it *remit.Item) error {
		if it.Block != current {
			current = it.Block
			b := blocks[current]
			if err := pw.StartPaymentInfo(paymentInfo(p, remit.PaymentInfoID(rem.MsgID, current), b.CollectionDate, b.Count, b.Total)); err != nil {
				return err
			}
		}
		return pw.WriteTransaction(transaction(it))
	})
	if err != nil {
		return fmt.Errorf("remittance %s: %w", rem.Ref, err)
	}
	return pw.Close()
}

// paymentInfo is the PmtInf block of the transfers a remittance's bank
// executes on date.
func paymentInfo(p Params, id string, date time.Time, n int, total int64) pain001.PaymentInfo {
	return pain001.PaymentInfo{ID: id, BatchBooking: p.BatchBooking, NbOfTxs: n, CtrlSum: total, ExecutionDate: date,
		Debtor: sepa.Party{Name: p.Creditor.Name, Address: sepaAddress(p.Creditor.Address)}, DebtorIBAN: p.Bank.IBAN,
		DebtorBIC: p.Bank.BIC}
}

// transaction is the CdtTrfTxInf of a payment.
func transaction(it *remit.Item) pain001.Transaction {
	return pain001.Transaction{EndToEndID: it.EndToEndID, Amount: it.Amount, CreditorBIC: it.BIC, CreditorIBAN: it.IBAN,
		Creditor: sepa.Party{Name: it.Name, Address: sepaAddress(it.Address)}, RemittanceInfo: it.Label}
}

// sepaAddress is a postal address as pain.001 carries it: structured, or
// hybrid when the street or the building number is longer than its
// element (StrtNm 70, BldgNb 16 characters): they then go, whole, in
// address lines (AdrLine, at most two of 70), beside the town and country,
// rather than being cut.
func sepaAddress(a remit.Address) sepa.Address {
	out := sepa.Address{StreetName: a.Street, BuildingNumber: a.Building, PostCode: a.Postcode, TownName: a.Town, Country: a.Country}
	if sepa.TextLen(a.Street) <= 70 && sepa.TextLen(a.Building) <= 16 {
		return out
	}
	line := a.Street
	if a.Building != "" {
		line = a.Building + " " + line
	}
	out.StreetName, out.BuildingNumber = "", ""
	out.Lines = addressLines(line)
	return out
}

// addressLines cuts a street into at most two lines of 70 characters, at
// a space when it can.
func addressLines(s string) []string {
	t := sepa.Text(s, 140)
	if len(t) <= 70 {
		return []string{t}
	}
	cut := 70
	for i := 70; i > 40; i-- {
		if t[i] == ' ' {
			cut = i
			break
		}
	}
	return []string{strings.TrimSpace(t[:cut]), strings.TrimSpace(t[cut:])}
}

// writeCFONB writes the CFONB 160 virement file of an SCT remittance: one
// 03…08 remise per execution date (the format carries one date per
// remise), each transfer's libellé its remittance information cut to the
// zone (the pain.001 carries it whole).
func writeCFONB(ctx context.Context, items store.ItemReader, rem remit.Remittance, p Params, w io.Writer) error {
	acct, err := cfonb.AccountFromIBAN(p.Bank.IBAN)
	if err != nil {
		return fmt.Errorf("bank %s: %w", p.Bank.Code, err)
	}
	var tw *cfonb.TransferWriter
	current := ""
	err = items.Items(ctx, rem.ID, store.ItemsAll, func(it *remit.Item) error {
		if it.Collection != current {
			if tw != nil {
				if err := tw.Close(); err != nil {
					return err
				}
			}
			current = it.Collection
			tw = cfonb.NewTransferWriter(w, cfonb.WriterOptions{})
			if err := tw.WriteHeader(cfonb.TransferHeader{Operation: cfonb.OpTransfer, Date: remit.StoredDate(it.Collection),
				Name: p.Creditor.Name, Reference: remit.RemiseReference("VIR", rem.Ref, 7, true), Account: acct}); err != nil {
				return err
			}
		}
		a, err := cfonb.AccountFromIBAN(it.IBAN)
		if err != nil {
			return fmt.Errorf("%s: %w", it.EndToEndID, err)
		}
		ref, _ := remit.ZoneReference(it.EndToEndID, 12, true)
		if err := tw.WriteTransfer(cfonb.Transfer{Reference: ref, Name: it.Name, Account: a, Amount: it.Amount,
			Label: cfonbLabel(it.Label)}); err != nil {
			return fmt.Errorf("%s: %w", it.EndToEndID, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("remittance %s: %w", rem.Ref, err)
	}
	if tw == nil {
		return nil
	}
	return tw.Close()
}

// cfonbLabel is the libellé zone (31 characters) of a transfer.
func cfonbLabel(s string) string {
	t := cfonb.Text(s, 31)
	return strings.TrimRight(t, " ")
}
