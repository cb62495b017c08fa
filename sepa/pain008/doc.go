// Package pain008 writes SEPA Direct Debit initiation files (ISO 20022
// pain.008, versions pain.008.001.08, the default, and pain.008.001.02)
// from plain Go values, checks them against the EPC SDD rules, and verifies
// pain.008 files whoever wrote them. It shares with pain.001 what package
// sepa holds: the EPC character set and its transliteration, parties and
// addresses, identifiers, IBAN and BIC checks, amounts and the TARGET2
// calendar.
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
//	w, err := pain008.NewWriter(f, pain008.GroupHeader{Version: pain008.V08, MsgID: id,
//		CreatedAt: now, NbOfTxs: n, CtrlSum: sum, InitiatingParty: sepa.Party{Name: "ACME SAS"}})
//	if err != nil { … }
//	for each block {
//		err = w.StartPaymentInfo(pain008.PaymentInfo{ID: …, NbOfTxs: …, CtrlSum: …, Scheme: "CORE",
//			SeqType: "RCUR", CollectionDate: date, Creditor: …, CreditorIBAN: …, CreditorSchemeID: ics})
//		for each receivable {
//			err = w.WriteTransaction(pain008.Transaction{EndToEndID: …, Amount: cents, …})
//		}
//	}
//	err = w.Close() // checks the totals; on any error, discard the output
//
// Amounts are int64 euro cents and are formatted by integer arithmetic.
// Output is UTF-8, indented by two spaces in the layout of the EPC
// examples, and deterministic. Free text (names, address elements,
// remittance text) goes through sepa.Text, which folds it to the EPC basic
// character set and cuts it to the field's length; & is written as +.
// Identifiers (MsgId, PmtInfId, EndToEndId, InstrId, MndtId) are never
// changed: an invalid one is an error.
//
// # Rules
//
// CheckGroupHeader, CheckPaymentInfo and CheckTransaction return every
// broken rule at once, each a *sepa.RuleError naming the block, the field
// and the value, and wrapping a sentinel (sepa.ErrIBAN, sepa.ErrAddress,
// ErrMandate, …) plus the package ident error behind it. The CLI runs them
// over all receivables first, to report every problem in one pass, then
// writes. Besides IBAN, BIC, ICS and RUM checks they enforce the address
// rule in force from the 15 November 2026 settlement date: creditor (and,
// when given, debtor) addresses must be structured or hybrid (town and
// country, at most two address lines).
//
// # Verify
//
// Verify streams a pain.008.001.02 or .08 file (the version from its
// namespace) through a schema model written in Go from the ISO 20022
// message definitions (element order and cardinality, lengths, patterns,
// code lists; the official XSD files are not needed at run time), then
// through the rules no schema expresses: counts and control sums, IBAN, BIC
// and ICS check digits, the EPC character set, sequence types, unique
// EndToEndIds, structured or hybrid addresses. Every problem has its line
// and element path:
//
//	rep, err := pain008.Verify(f)
//	for _, p := range rep.Problems {
//		fmt.Println(p) // line 57, /Document/CstmrDrctDbtInitn/PmtInf[2]/DrctDbtTxInf[1]/Purp: element not expected here (after RmtInf)
//	}
package pain008
