// Package remit is remit's domain: creditors, customers (tiers), SEPA
// mandates, receivables (échéances), remittances (remises) and their items,
// as plain values, and the rules a run applies to them, as functions on
// those values that a table test checks without a database:
//
//   - sequence.go: FRST, RCUR or OOFF from a mandate's history and what the
//     run already decided for it (SequenceType, MandateRun);
//   - mandaterules.go: expiry after 36 months, the amendments a collection
//     announces (SMNDA, original RUM, original ICS), what a return means
//     for the next collection;
//   - sddrules.go, lcrrules.go, refusal.go: why a run refuses a receivable,
//     as typed reasons with what to do about them;
//   - collection.go: the collection date requested for a due date.
//
// The store (remit/store/sqlite) keeps the values; the file formats live in
// cfonb, sepa and bordereau and know nothing of either.
//
//	var run remit.MandateRun // one per mandate and run
//	d := run.Decide(debit, policy)
//	if len(d.Reasons) == 0 {
//		run.Accept(d, debit, policy.RCUROnly)
//	}
package remit
