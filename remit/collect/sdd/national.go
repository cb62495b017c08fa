package sdd

import (
	"context"
	"fmt"
	"hash/maphash"
	"io"
	"slices"

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
// with the first document that gave them; the others by a 64-bit hash alone
// (hashSet), which only such a reference is looked up in: 8 bytes a debit
// (1,000,000 debits held 190 MB as strings, 20 MB in a map of hashes).
type nationalRefs struct {
	changed map[string]string // a cut or transliterated reference → the first document with it
	plain   hashSet           // the hash of each document carried as it is
	seed    maphash.Seed
	cut     int
	example string
}

func newNationalRefs() nationalRefs {
	return nationalRefs{changed: map[string]string{}, seed: maphash.MakeSeed()}
}

// seen returns the document of the run whose reference reads as ref.
func (n *nationalRefs) seen(ref, document string) (first string, ok bool) {
	if first, ok := n.changed[ref]; ok {
		return first, true
	}
	if ref != document && n.plain.has(maphash.String(n.seed, ref)) {
		return ref, true // the document that reads so is ref itself
	}
	return "", false
}

func (n *nationalRefs) accept(ref, document string, moved bool) {
	if ref == document {
		n.plain.add(maphash.String(n.seed, ref))
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

// A hashSet keeps its latest hashes as they come, up to hashSetTail
// (32 kB, scanned), then sorts them into a run; runs of the same length
// merge, up to hashSetRun (512 kB): a look-up is a scan and a binary
// search a run.
const (
	hashSetTail = 1 << 12
	hashSetRun  = 1 << 16
)

// hashSet is a set of 64-bit hashes in 8 bytes each, for a run that adds
// one a debit and looks up few: nothing grows by copying a whole (a Go map
// of a million hashes holds 20 MB and doubles its tables as it fills).
type hashSet struct {
	runs [][]uint64 // each sorted
	tail []uint64
}

func (s *hashSet) add(h uint64) {
	if s.tail == nil {
		s.tail = make([]uint64, 0, hashSetTail)
	}
	s.tail = append(s.tail, h)
	if len(s.tail) < hashSetTail {
		return
	}
	run := slices.Clone(s.tail)
	slices.Sort(run)
	s.tail = s.tail[:0]
	for last := len(s.runs) - 1; last >= 0 && len(s.runs[last]) == len(run) && len(run) < hashSetRun; last-- {
		run = mergeSorted(s.runs[last], run)
		s.runs = s.runs[:last]
	}
	s.runs = append(s.runs, run)
}

func (s *hashSet) has(h uint64) bool {
	if slices.Contains(s.tail, h) {
		return true
	}
	for _, run := range s.runs {
		if _, ok := slices.BinarySearch(run, h); ok {
			return true
		}
	}
	return false
}

// mergeSorted is the sorted run of a's and b's hashes, each sorted.
func mergeSorted(a, b []uint64) []uint64 {
	out := make([]uint64, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0] <= b[0] {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
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
