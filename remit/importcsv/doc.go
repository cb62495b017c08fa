// Package importcsv reads the receivables import file (remit import): its
// columns (Columns), and how a line reads into a Receivable with every
// problem it has, without a database; remit/csvread holds what every
// imported file shares (encodings, header, limits, the all-or-nothing and
// --skip-invalid rules, the rejects file).
//
// Import is the use case: it reads and checks the file on one goroutine
// while a store's transaction (Store, Tx: remit/store/sqlite's) applies the
// valid lines on the caller's, and commits all of them or none:
//
//	res, err := importcsv.Import(ctx, st, f, remit.ImportOptions{Creditor: cr, File: "in.csv", SkipInvalid: skip})
//	if errors.Is(err, remit.ErrImportInvalid) {
//		for _, p := range res.Problems { fmt.Println(csvread.Shown(p)) } // line 12, column iban "FR76***…5692": bad check digits
//	}
//
// What needs stored state (a document already imported, a mandate of
// another customer, a remitted receivable that cannot change) is the
// store's to judge, as Tx.Apply's problems.
package importcsv
