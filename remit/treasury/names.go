package treasury

import "github.com/remit-dev/remit/remit/statement"

// Names returns what the booked entries of a statement may name remit's
// operations by: the EndToEndIds of their details, and every word of their
// texts in upper case (documents, LCR références tireur, cheque numbers,
// also without their leading zeros), sorted. A store gives Reconcile the
// items and receivables these name (besides the lots a statement may
// credit), rather than every one it keeps: Reconcile matches an item or a
// receivable by reference only through these.
func Names(st *statement.Statement) []string {
	s := set{}
	for i := range st.Entries {
		e := &st.Entries[i]
		if !e.Booked() {
			continue
		}
		for _, id := range refsOf(e).e2e {
			s.add(id)
		}
		for _, t := range tokens(e) {
			s.add(t)
		}
		for _, n := range chequeNumbers(e) {
			s.add(n)
		}
	}
	return s.sorted()
}
