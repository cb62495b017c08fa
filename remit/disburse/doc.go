// Package disburse holds the use cases of supplier payments before they
// are paid (décaissements, seed 002, steps 1 and 2): importing payables,
// signing their bon à payer, contesting them, the grouping rules, pointing
// them for payment (with the automatic grouping and a target amount) and
// grouping them by hand. Each runs the domain's rules (remit/payables) on
// what a store.PayableStore reads, and has the store persist what they
// decide, in one transaction. The payment runs themselves (remit sct,
// remit pay-cheques) are kinds of remit/collect.
//
//	res, err := disburse.Import(ctx, ps, cr, f, disburse.ImportOptions{File: "factures.csv"})
//	pt, err := disburse.Point(ctx, ps, cr, store.PayableFilter{Filter: payables.Filter{Method: "vir"}},
//		disburse.PointOptions{Now: now, Target: 5_000_000})
//	for _, g := range pt.Payments { fmt.Println(g.Payee, g.Net) }
//	for _, l := range pt.Left { fmt.Println(l.Document, l.Reason) }
package disburse
