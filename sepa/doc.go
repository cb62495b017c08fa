// Package sepa writes SEPA Direct Debit initiation files (ISO 20022
// pain.008, versions pain.008.001.08, the default, and pain.008.001.02) from
// plain Go values, and holds the EPC rules and TARGET2 calendar they need.
//
// # Writer
//
// Writer streams a message to an io.Writer: the caller declares the totals
// (one aggregate query), then streams the transactions; nothing but the
// running sums stays in memory. Each header, PmtInf block and transaction
// is checked against the EPC rules before it is written, the declared
// NbOfTxs/CtrlSum are compared with what was written, and the first error
// is sticky:
//
//	w, err := sepa.NewWriter(f, sepa.GroupHeader{Version: sepa.V08, MsgID: id,
//		CreatedAt: now, NbOfTxs: n, CtrlSum: sum, InitiatingParty: sepa.Party{Name: "ACME SAS"}})
//	if err != nil { … }
//	for each block {
//		err = w.StartPaymentInfo(sepa.PaymentInfo{ID: …, NbOfTxs: …, CtrlSum: …, Scheme: "CORE",
//			SeqType: "RCUR", CollectionDate: date, Creditor: …, CreditorIBAN: …, CreditorSchemeID: ics})
//		for each receivable {
//			err = w.WriteTransaction(sepa.Transaction{EndToEndID: …, Amount: cents, …})
//		}
//	}
//	err = w.Close() // checks the totals; on any error, discard the output
//
// Amounts are int64 euro cents and are formatted by integer arithmetic.
// Output is UTF-8, indented by two spaces in the layout of the EPC
// examples, and deterministic. Free text (names, address elements,
// remittance text) goes through Text, which folds it to the EPC basic
// character set and cuts it to the field's length; & is written as +.
// Identifiers (MsgId, PmtInfId, EndToEndId, InstrId, MndtId) are never
// changed: an invalid one is an error.
//
// # Rules
//
// CheckGroupHeader, CheckPaymentInfo and CheckTransaction return every
// broken rule at once, each a *RuleError naming the block, the field and the
// value, and wrapping a sentinel (ErrIBAN, ErrAddress, ErrMandate, …) plus
// the package ident error behind it. The CLI runs them over all receivables
// first, to report every problem in one pass, then writes. Besides IBAN,
// BIC, ICS and RUM checks they enforce the address rule in force from the
// 15 November 2026 settlement date: creditor (and, when given, debtor)
// addresses must be structured or hybrid (town and country, at most two
// address lines).
//
// # Dates
//
// IsTARGET2BusinessDay, NextBusinessDay, AddBusinessDays,
// EarliestCollectionDate and CollectionDate compute requested collection
// dates on the TARGET2 calendar with the bank's lead time and cut-off.
//
// The same package also reads files back (a structural verifier and the
// pain.002 / camt.054 readers, in verify*.go and returns*.go); they share
// Version with the writer.
package sepa
