package sdd

import (
	"context"
	"fmt"
	"io"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/pain008"
)

// writePain008 streams a remittance's pain.008: the totals are the
// remittance's and its blocks' (one aggregate read with it), then the
// transactions come straight from the store, in file order.
func writePain008(ctx context.Context, items store.ItemReader, rem remit.Remittance, p Params, w io.Writer) error {
	version, err := pain008.ParseVersion(p.Pain)
	if err != nil {
		return err
	}
	cr := p.Creditor
	pw, err := pain008.NewWriter(w, pain008.GroupHeader{Version: version, MsgID: rem.MsgID, CreatedAt: rem.CreatedAt,
		NbOfTxs: rem.Count, CtrlSum: rem.Total, InitiatingParty: sepa.Party{Name: cr.Name}})
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
			if err := pw.StartPaymentInfo(pain008.PaymentInfo{ID: remit.PaymentInfoID(rem.MsgID, current), BatchBooking: p.BatchBooking,
				NbOfTxs: b.Count, CtrlSum: b.Total, Scheme: rem.Scheme, SeqType: b.SequenceType, CollectionDate: b.CollectionDate,
				Creditor: creditorParty(cr), CreditorIBAN: cr.IBAN, CreditorBIC: cr.BIC, CreditorSchemeID: cr.ICS}); err != nil {
				return err
			}
		}
		tx := pain008.Transaction{EndToEndID: it.EndToEndID, Amount: it.Amount, MandateID: it.RUM, MandateSigned: remit.StoredDate(it.MandateSigned),
			DebtorBIC: it.BIC, DebtorIBAN: it.IBAN, Debtor: sepa.Party{Name: it.Name, Address: sepaAddress(it.Address)},
			RemittanceInfo: remit.RemittanceInfo(it.Document, it.Label)}
		if a := it.Amendment; a.Any() {
			tx.Amendment = &pain008.Amendment{NewDebtorAccount: a.Account == "SMNDA", OriginalMandateID: a.RUM, OriginalCreditorSchemeID: a.ICS}
			if a.Account != "" && a.Account != "SMNDA" {
				tx.Amendment.OriginalDebtorIBAN = a.Account
			}
		}
		return pw.WriteTransaction(tx)
	})
	if err != nil {
		return fmt.Errorf("remittance %s: %w", rem.Ref, err)
	}
	return pw.Close()
}

func creditorParty(cr remit.Creditor) sepa.Party {
	return sepa.Party{Name: cr.Name, Address: sepaAddress(cr.Address)}
}

func sepaAddress(a remit.Address) sepa.Address {
	return sepa.Address{StreetName: a.Street, BuildingNumber: a.Building, PostCode: a.Postcode, TownName: a.Town, Country: a.Country}
}
