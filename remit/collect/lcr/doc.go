// Package lcr is the LCR kind of remittance (lettres de change relevé and
// billets à ordre, BOR): its options (code entrée, Dailly, date de valeur),
// its planning (every bill checked on the rules of package remit, the
// remise split under the CFONB total limit, bills whose 10-character
// references would read the same refused), its CFONB 160 file and what its
// bordereau prints. It plugs into remit/collect through Kind and Job:
//
//	res, err := collect.Run(ctx, st, cr, lcr.Job(lcr.Options{EntryCode: 3}))
package lcr
