// Package collect is remit's use cases for remittances, over a store
// (remit/store) and a registry of kinds of remittance: a run (plan the
// pointed receivables, record the remittances, write their files, commit;
// or, dry, only plan), regenerate, cancel, mark sent, the slip printed
// again, the out folder's pending files and the crash points between; and
// the banks' side of them: statements imported and matched to what was
// sent (ImportStatements), the suspense account emptied
// (AllocateSuspense), receivables written off (WriteOff).
//
// A kind of remittance is a package of its own (collect/sdd, collect/lcr)
// that plugs in through one Kind value and its own Options; the commands
// wire the registry explicitly:
//
//	kinds := collect.NewRegistry(sdd.Kind, lcr.Kind) // regenerate, slips, labels
//	res, err := collect.Run(ctx, st, cr, sdd.Job(opts))
//
// A kind a bank credits is Banked too: it says what one of its remittances
// is on a statement (its lots), and a Confirmer kind books an écriture of
// its own when a statement credits it.
package collect
