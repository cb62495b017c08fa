// Package accounting is remit's bookkeeping: the entry options (journals,
// counterpart accounts with the masks AA and MM, centralisation, entry
// dates, label templates, account labels), lettering, one function per
// entry rule, and the FEC and CSV writers of the entries recorded.
//
// Each rule is written once, here, in Go, and gives values: écritures
// (Header and Lines) that the store records as they are, numbering each
// journal's écritures in sequence.
//
//   - Collection (collection.go): a new remittance's collection, one
//     écriture per journal and entry date; planned from the store's
//     counts of items (NewCollection), its lines then streamed item by
//     item (Collection.Lines), so that a remittance of a million items is
//     never held. A store may instead keep a CollectionEcriture whole and
//     render its lines when read (remit/store/sqlite does, for the usual
//     remittance of one écriture).
//   - Deposit (deposit.go): a remise de chèques booked on 511… and
//     credited by its bank.
//   - Return (returns.go): a reject or return, and the bank's fee.
//   - Reversal (reversal.go): a cancelled remittance's écritures, reversed
//     line by line.
//   - Suspense, Payment, Allocation, WriteOff (treasury.go): what a bank
//     statement's lines and the suspense account book, of no remittance.
//   - Disbursement, PaymentReturn (disbursement.go): a remittance of
//     supplier payments (401, the discount 765, 512), its payments' lines
//     streamed as they are read; a payment rejected or returned, and the
//     bank's fee.
//   - Letter, LetterPayable (lettering.go, disbursement.go): the lettering
//     of a receivable's customer lines, or a payable's supplier lines,
//     from what they settle, complete or partial; the store sums them and
//     records what the rule says.
//
// Rules (kind.go) lists the kinds of entry line, one line each: the kind,
// the setting of its label template and the default. A new kind is a
// function from a domain value and the Options to an Ecriture whose lines
// carry the kind, plus one line in Rules; the store records any Ecriture
// that Check accepts (store.Tx.RecordEcriture), and reversal, lettering
// and the exports take it as it is.
//
//	o, err := accounting.Options{Journal: "BQ1", Centralize: true}.Normalize()
//	e, ok := accounting.Return(o, accounting.ReturnInput{…, Booked: &booked, Fee: 250})
//	if ok {
//		err = e.Check() // the store checks it again, numbers and records it
//	}
package accounting
