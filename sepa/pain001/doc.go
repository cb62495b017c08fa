// Package pain001 writes SEPA Credit Transfer initiation files (ISO 20022
// pain.001, versions pain.001.001.09, the default, and pain.001.001.03)
// from plain Go values, and checks them against the EPC SCT rules. It
// shares with pain.008 what package sepa holds: the EPC character set and
// its transliteration, parties and addresses, identifiers, IBAN and BIC
// checks, amounts and the TARGET2 calendar.
//
// # Writer
//
// Writer streams a message to an io.Writer: the caller declares the totals
// (one aggregate query), then streams the transfers block by block (one
// PmtInf per debtor account, execution date and batch-booking choice);
// nothing but the running sums and the blocks' ids stays in memory. Each
// header, block and transfer is checked before it is written, the declared
// NbOfTxs/CtrlSum are compared with what was written, and the first error
// is sticky:
//
//	w, err := pain001.NewWriter(f, pain001.GroupHeader{Version: pain001.V09, MsgID: id,
//		CreatedAt: now, NbOfTxs: n, CtrlSum: sum, InitiatingParty: sepa.Party{Name: "ACME SAS"}})
//	if err != nil { … }
//	for each block {
//		err = w.StartPaymentInfo(pain001.PaymentInfo{ID: …, NbOfTxs: …, CtrlSum: …,
//			ExecutionDate: date, Debtor: …, DebtorIBAN: …, DebtorBIC: …})
//		for each transfer {
//			err = w.WriteTransaction(pain001.Transaction{EndToEndID: …, Amount: cents,
//				Creditor: …, CreditorIBAN: …, RemittanceInfo: "FA-118 FA-119 AV-007"})
//		}
//	}
//	err = w.Close() // checks the totals; on any error, discard the output
//
// Amounts are int64 euro cents, formatted by integer arithmetic. Free text
// (names, address elements, remittance text) goes through sepa.Text, which
// folds it to the EPC basic character set; names are cut to 70 characters,
// but a remittance text longer than 140 characters once converted is
// refused, not cut: the creditor matches the payment with it. Identifiers
// (MsgId, PmtInfId, EndToEndId, InstrId) are never changed: an invalid one
// is an error.
//
// # Rules
//
// CheckGroupHeader, CheckPaymentInfo and CheckTransaction return every
// broken rule of one item, each a *sepa.RuleError naming the item, the
// field and the value, and wrapping a sentinel of package sepa (ErrIBAN,
// ErrCurrency, ErrRemittance, ErrDate, …). A Checker runs them over a whole
// message and adds the rules that span it (a PmtInfId or an EndToEndId used
// twice), so that a caller reports every problem in one pass before writing
// anything. Besides the identifiers, amounts (0.01 to 999 999 999.99, euro
// only) and remittance information, they require IBANs of SEPA scheme
// countries, execution dates on TARGET2 business days not before the day
// the message is created, and from the 15 November 2026 settlement date
// structured or hybrid addresses (town and country, at most two address
// lines); the payer's address whenever one of the banks is in a SEPA
// country outside the EEA.
//
// # Verify
//
// Verify streams a pain.001.001.03 or .09 file (the version from its
// namespace), whoever wrote it, through a schema model written in Go from
// the ISO 20022 message definitions (element order and cardinality,
// lengths, patterns, code lists; the official XSD files are not needed at
// run time, and the tests hold the model to them), then through the EPC
// SCT rules no schema expresses: counts and control sums, IBANs of SEPA
// countries, BICs, the EPC character set, TRF, SEPA, SLEV, euro amounts,
// the execution date, unique PmtInfId and EndToEndId, names and addresses,
// one remittance information. Every problem has its line and element path:
//
//	rep, err := pain001.VerifyWith(f, pain001.VerifyOptions{Today: now})
//	for _, p := range rep.Problems {
//		fmt.Println(p) // line 86, /Document/CstmrCdtTrfInitn/PmtInf[1]/CdtTrfTxInf[3]/CdtrAcct/Id/IBAN: IBAN TR33…: outside SEPA: TR is not a country of the SEPA schemes (EPC409-09): …
//	}
package pain001
