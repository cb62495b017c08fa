package sqlite

import (
	"context"
	"fmt"
	"io"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit"
)

// The CFONB 160 files, written from a remittance's stored parameters and
// items (see writeRemittanceFiles).

func init() {
	lcrWriter = writeLCRFile
	nationalWriter = writeNationalFile
}

// lcrReference is the remittance reference in the 03 record (zone G, 11
// characters): "REMISE 042".
func lcrReference(ref string, whole bool) string { return remiseReference("REMISE ", ref, 11, whole) }

// remiseReference is a remise's reference in its zone of n characters: the
// prefix and the remittance's reference, or the bare reference when the
// prefix leaves it no room, so that remise 10000 never reads as remise
// 1000. Remittances made before (whole false, Params.RefTail) were cut to
// n characters, and regenerate so.
func remiseReference(prefix, ref string, n int, whole bool) string {
	if whole && len(prefix)+len(ref) > n {
		return ref
	}
	return prefix + ref
}

func writeLCRFile(ctx context.Context, q querier, rem remit.Remittance, w io.Writer) error {
	eol, err := cfonb.ParseEOL(rem.Params.EOL)
	if err != nil {
		return err
	}
	cr := rem.Params.Creditor
	acct, err := cfonb.AccountFromIBAN(cr.IBAN)
	if err != nil {
		return fmt.Errorf("creditor account: %w", err)
	}
	h := cfonb.LCRHeader{Date: rem.CreatedAt, Name: cr.Name, BankName: cr.BankName, Entry: cfonb.EntryCode(rem.Params.EntryCode),
		Dailly: cfonb.Dailly(0), Account: acct, SIREN: cr.SIREN, Reference: lcrReference(rem.Ref, rem.Params.RefTail)}
	if d := rem.Params.Dailly; d != "" {
		h.Dailly = cfonb.Dailly(d[0])
	}
	if rem.Params.ValueDate != "" {
		h.ValueDate = remit.StoredDate(rem.Params.ValueDate)
	}
	lw := cfonb.NewLCRWriter(w, cfonb.WriterOptions{EOL: eol})
	if err := lw.WriteHeader(h); err != nil {
		return err
	}
	err = eachFileItem(ctx, q, rem.ID, func(it *itemRow) error {
		a, err := cfonb.AccountFromIBAN(it.iban)
		if err != nil {
			return fmt.Errorf("%s: %w", it.document, err)
		}
		ref := billReference(it.document, rem.Params.RefTail)
		b := cfonb.LCRBill{DraweeRef: ref, Name: it.name, BankName: it.bankName, Acceptance: lcrAcceptance(it.acceptance),
			Account: a, Amount: it.amount, Due: remit.StoredDate(it.due), Created: remit.StoredDate(it.issue), SIREN: it.siren, DrawerRef: ref}
		if err := lw.WriteBill(b); err != nil {
			return fmt.Errorf("%s: %w", it.document, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("remittance %s: %w", rem.Ref, err)
	}
	return lw.Close()
}

func lcrAcceptance(a string) cfonb.Acceptance {
	switch a {
	case "accepted":
		return cfonb.Accepted
	case "bor":
		return cfonb.PromissoryNote
	}
	return cfonb.NotAccepted
}

// nationalReferenceLen is the length of the référence zone (19-30) of a
// national direct debit.
const nationalReferenceLen = 12

// nationalReference is a debit's document as the référence zone carries it:
// whole when it fits, else its last 12 characters, where an ERP's numbers
// differ; planSDD refuses a debit whose reference reads as another's.
func nationalReference(document string) string {
	ref, _ := zoneReference(document, nationalReferenceLen, true)
	return ref
}

// writeNationalFile writes the old national direct-debit file (operation 08)
// of an SDD remittance: one 03…08 remise per collection date, since the
// format carries one due date per remise.
func writeNationalFile(ctx context.Context, q querier, rem remit.Remittance, w io.Writer) error {
	cr := rem.Params.Creditor
	acct, err := cfonb.AccountFromIBAN(cr.IBAN)
	if err != nil {
		return fmt.Errorf("creditor account: %w", err)
	}
	var dw *cfonb.DebitWriter
	current := ""
	err = eachFileItem(ctx, q, rem.ID, func(it *itemRow) error {
		if it.coll != current {
			if dw != nil {
				if err := dw.Close(); err != nil {
					return err
				}
			}
			current = it.coll
			dw = cfonb.NewDebitWriter(w, cfonb.WriterOptions{})
			if err := dw.WriteHeader(cfonb.DebitHeader{Operation: cfonb.OpDebit, Emitter: cr.NNE, Due: remit.StoredDate(it.coll),
				Name: cr.Name, Reference: remiseReference("PRL", rem.Ref, 7, rem.Params.RefTail), Account: acct}); err != nil {
				return err
			}
		}
		a, err := cfonb.AccountFromIBAN(it.iban)
		if err != nil {
			return fmt.Errorf("%s: %w", it.document, err)
		}
		ref := it.document // remittances made before ref_tail: cut to its first 12 characters
		if rem.Params.RefTail {
			ref = nationalReference(it.document)
		}
		if err := dw.WriteDebit(cfonb.Debit{Reference: ref, Name: it.name, BankName: it.bankName, Account: a,
			Amount: it.amount, Label: remittanceInfo(it.document, it.label)}); err != nil {
			return fmt.Errorf("%s: %w", it.document, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("remittance %s: %w", rem.Ref, err)
	}
	if dw == nil {
		return nil
	}
	return dw.Close()
}
