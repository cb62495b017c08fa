package sdd

import (
	"context"
	"fmt"
	"hash/maphash"
	"io"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
)

// nationalReferenceLen is the length of the référence zone (19-30) of a
// national direct debit.
const nationalReferenceLen = 12

// nationalReference is a debit's document as the référence zone carries it:
// whole when it fits, else its last 12 characters, where an ERP's numbers
// differ, and whether those differ from its first 12; the planner refuses a
// debit whose reference reads as another's.
func nationalReference(document string) (ref string, moved bool) {
	return remit.ZoneReference(document, nationalReferenceLen, true)
}

// writeNational writes the old national direct-debit file (operation 08)
// of an SDD remittance: one 03…08 remise per collection date, since the
// format carries one due date per remise.
func writeNational(ctx context.Context, items store.ItemReader, rem remit.Remittance, p Params, w io.Writer) error {
	cr := p.Creditor
	acct, err := cfonb.AccountFromIBAN(cr.IBAN)
	if err != nil {
		return fmt.Errorf("creditor account: %w", err)
	}
	var dw *cfonb.DebitWriter
	current := ""
	err = items.Items(ctx, rem.ID, store.ItemsAll, func(it *remit.Item) error {
		if it.Collection != current {
			if dw != nil {
				if err := dw.Close(); err != nil {
					return err
				}
			}
			current = it.Collection
			dw = cfonb.NewDebitWriter(w, cfonb.WriterOptions{})
			if err := dw.WriteHeader(cfonb.DebitHeader{Operation: cfonb.OpDebit, Emitter: cr.NNE, Due: remit.StoredDate(it.Collection),
				Name: cr.Name, Reference: remit.RemiseReference("PRL", rem.Ref, 7, p.RefTail), Account: acct}); err != nil {
				return err
			}
		}
		a, err := cfonb.AccountFromIBAN(it.IBAN)
		if err != nil {
			return fmt.Errorf("%s: %w", it.Document, err)
		}
		ref := it.Document // remittances made before ref_tail: cut to its first 12 characters
		if p.RefTail {
			ref, _ = nationalReference(it.Document)
		}
		if err := dw.WriteDebit(cfonb.Debit{Reference: ref, Name: it.Name, BankName: it.BankName, Account: a,
			Amount: it.Amount, Label: remit.RemittanceInfo(it.Document, it.Label)}); err != nil {
			return fmt.Errorf("%s: %w", it.Document, err)
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

// nationalRefs are the references of a run's national direct-debit file
// (--cfonb), so that no two debits of the run read alike in its 12-character
// zone, and how many carry the end of a document too long for it.
//
// A document the zone carries as it is (12 characters or fewer, all in the
// CFONB set) is unique among the creditor's receivables, so it can only read
// like a reference that was cut or transliterated. Those few are kept whole,
// with the first document that gave them; the others by a 64-bit hash alone,
// which only such a reference is looked up in: 8 bytes a debit instead of two
// strings and a map entry (1,000,000 debits held 190 MB).
type nationalRefs struct {
	changed map[string]string   // a cut or transliterated reference → the first document with it
	plain   map[uint64]struct{} // the hash of each document carried as it is
	seed    maphash.Seed
	cut     int
	example string
}

func newNationalRefs() nationalRefs {
	return nationalRefs{changed: map[string]string{}, plain: map[uint64]struct{}{}, seed: maphash.MakeSeed()}
}

// seen returns the document of the run whose reference reads as ref.
func (n *nationalRefs) seen(ref, document string) (first string, ok bool) {
	if first, ok := n.changed[ref]; ok {
		return first, true
	}
	if ref != document {
		if _, ok := n.plain[maphash.String(n.seed, ref)]; ok {
			return ref, true // the document that reads so is ref itself
		}
	}
	return "", false
}

func (n *nationalRefs) accept(ref, document string, moved bool) {
	if ref == document {
		n.plain[maphash.String(n.seed, ref)] = struct{}{}
	} else {
		n.changed[ref] = document
	}
	if moved {
		if n.cut == 0 {
			n.example = document + " → " + ref
		}
		n.cut++
	}
}

// note says, once, that documents were carried by their last characters.
func (n *nationalRefs) note() []string {
	if n.cut == 0 {
		return nil
	}
	what := "1 debit carries the last 12 characters of its document"
	if n.cut > 1 {
		what = fmt.Sprintf("%d debits carry the last 12 characters of their documents", n.cut)
	}
	return []string{fmt.Sprintf("%s in the référence zone of the national direct-debit file (%s); "+
		"each reads differently from the others of the run", what, n.example)}
}
