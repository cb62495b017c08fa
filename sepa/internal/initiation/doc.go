// Package initiation holds what the two customer initiation messages,
// pain.008 (SEPA direct debits, sepa/pain008) and pain.001 (SEPA credit
// transfers, sepa/pain001), do the same way beyond what package sepa
// already shares (texts, parties, rule checks on values):
//
//   - writer.go: the skeleton of the streaming writers (buffered output,
//     sticky errors, the declared NbOfTxs and CtrlSum of the message and of
//     each PmtInf block compared with what was written) and the XML of the
//     elements both write alike (group header, the head of a PmtInf block,
//     PmtId, Purp, RmtInf, FinInstnId);
//   - verify.go: the EPC rules both check alike on a file being read
//     (totals, identifiers, amounts, the character set, addresses,
//     remittance information…), run inside the schema validator of
//     sepa/internal/schema.
//
// What differs stays in each message's package: the element lists of the
// two schemas, the rules only one scheme has, and each message's own
// wording. Message says which message a Writer or Rules serves.
package initiation

// Message describes one of the two messages to the shared code.
type Message struct {
	Root     string // the message element: CstmrDrctDbtInitn, CstmrCdtTrfInitn
	AmountIn string // the parent of a transaction's InstdAmt: DrctDbtTxInf, Amt
	// Payments and Dated are the words of the problems: "SEPA direct debits
	// are in EUR", "collections from 2026-11-15 need a structured address".
	Payments string // "SEPA direct debits", "SEPA credit transfers"
	Dated    string // "collections", "payments"
	// ErrPrefix and ErrState make the errors of a Writer used out of order:
	// "sepa: Close without any payment info block: pain.008 writer misuse".
	ErrPrefix string
	ErrState  error
}
