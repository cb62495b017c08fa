// Package sdd is the SEPA direct-debit kind of remittance: its options,
// its planning (sequence type, collection date, amendment and every EPC
// rule for each pointed receivable, mandate by mandate, on the rules of
// package remit), its files (pain.008, and the national CFONB 160 debit
// file with --cfonb) and what its bordereau prints. It plugs into
// remit/collect through Kind and Job:
//
//	kinds := collect.NewRegistry(sdd.Kind, lcr.Kind)
//	res, err := collect.Run(ctx, st, cr, sdd.Job(sdd.Options{Scheme: "CORE"}))
package sdd
