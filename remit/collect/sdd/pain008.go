package sdd

import (
	"context"
	"fmt"
	"io"
	"time"

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
			pi := issuerBlock(cr, rem.Scheme, b.SequenceType, b.CollectionDate)
			pi.ID, pi.BatchBooking, pi.NbOfTxs, pi.CtrlSum = remit.PaymentInfoID(rem.MsgID, current), p.BatchBooking, b.Count, b.Total
			if err := pw.StartPaymentInfo(pi); err != nil {
				return err
			}
		}
		return pw.WriteTransaction(itemTransaction(it))
	})
	if err != nil {
		return fmt.Errorf("remittance %s: %w", rem.Ref, err)
	}
	return pw.Close()
}

// issuerBlock is a payment block of creditor cr as a remittance's issuing
// bank names it (collect.RunBanks.Issuer): the writer's blocks, and the
// planner's checks of every debit (a rule may depend on the creditor's
// account: a debtor's address is required when it is outside the EEA).
func issuerBlock(cr remit.Creditor, scheme, seq string, collection time.Time) pain008.PaymentInfo {
	return pain008.PaymentInfo{Scheme: scheme, SeqType: seq, CollectionDate: collection,
		Creditor: creditorParty(cr), CreditorIBAN: cr.IBAN, CreditorBIC: cr.BIC, CreditorSchemeID: cr.ICS}
}

// itemTransaction is an item as the pain.008 carries it: the writer's
// transactions, and the planner's checks of every debit.
func itemTransaction(it *remit.Item) pain008.Transaction {
	tx := pain008.Transaction{EndToEndID: it.EndToEndID, Amount: it.Amount, MandateID: it.RUM, MandateSigned: remit.StoredDate(it.MandateSigned),
		DebtorBIC: it.BIC, DebtorIBAN: it.IBAN, Debtor: sepa.Party{Name: it.Name, Address: sepaAddress(it.Address)},
		RemittanceInfo: remit.RemittanceInfo(it.Document, it.Label)}
	if a := it.Amendment; a.Any() {
		tx.Amendment = &pain008.Amendment{NewDebtorAccount: a.Account == "SMNDA", OriginalMandateID: a.RUM, OriginalCreditorSchemeID: a.ICS}
		if a.Account != "" && a.Account != "SMNDA" {
			tx.Amendment.OriginalDebtorIBAN = a.Account // an older remit's items
		}
	}
	return tx
}

func creditorParty(cr remit.Creditor) sepa.Party {
	return sepa.Party{Name: cr.Name, Address: sepaAddress(cr.Address)}
}

func sepaAddress(a remit.Address) sepa.Address {
	return sepa.Address{StreetName: a.Street, BuildingNumber: a.Building, PostCode: a.Postcode, TownName: a.Town, Country: a.Country}
}
