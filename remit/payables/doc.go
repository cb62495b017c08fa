// Package payables holds the domain of supplier payments (décaissements,
// seed 002 "Règlement multi-fournisseurs"): the payables (effets à payer)
// and the pure rules that turn a selection of them into payments, with no
// database and no command line. The store persists what these functions
// decide; the pain.001 writer (sepa/pain001), the lettres-chèques and the
// avis de paiement (bordereau) print the payments.
//
// The steps follow the seed's wizard:
//
//   - Payable is one effet à payer: an invoice, or a credit note (avoir,
//     a negative amount); Validate returns every problem at once.
//     Compare is the import's rule for a line whose document may already
//     be stored (idempotent re-import: what changes, what blocks).
//   - Filter is step 1's selection (due and issue dates, a supplier range
//     whose upper bound is also a prefix, method, journal, amount,
//     anomalies shown or hidden).
//   - Prepare is step 2 (préparation): contested and unapproved payables
//     are left out with the reason (Blocked), the automatic grouping rules
//     (Rules, AutoGroup) make the payments, each dated (ExecutionDate) with
//     its discounts taken at that date (DiscountOn, escompte), and a
//     target amount (montant à pointer) is reached in the order asked,
//     never exceeded. CheckGroup and Ungroup are the manual grouping.
//   - Assigner is step 3 (émission): each payment's bank, moved to the
//     bank's substitute when its projected balance would fall below the
//     bank's disbursement limit.
//   - RemittanceInfo is the 140-character text a transfer carries.
//   - Refund turns a customer's overpayment into a transfer payable.
//
// Amounts are int64 cents; rates are basis points; dates are calendar
// dates at midnight UTC. Nothing here reads a clock: the run's time comes
// in the options.
//
//	prep, err := payables.Prepare(selected, payables.PrepareOptions{
//		Dates: payables.DateOptions{Now: now}, ApprovalRequired: true,
//		Rules: rules, Target: 5_000_000, Order: payables.OrderPriorityDue,
//	})
//	if err != nil { … }
//	for _, l := range prep.Left { fmt.Println(l.Document, l.Reason) }
//	as, err := payables.NewAssigner(payables.BankOptions{Banks: banks, Balance: forecast}) // []remit.Bank
//	for _, g := range prep.Groups {
//		a := as.Assign(g) // a.Bank, a.Note
//		text := payables.RemittanceInfo(g, ref)
//		…
//	}
package payables
