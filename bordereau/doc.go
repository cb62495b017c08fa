// Package bordereau prints the paper side of a remittance as PDF: the
// bordereau de remise that goes to the bank with a SEPA or CFONB file
// (WriteSlip; of supplier payments with Slip.Payments; one line per block
// with SlipOptions.Summary), paper lettres de change relevé
// (WriteTraites), the list of unpaid due dates (WriteDueList), and the
// remise de chèques that goes to the bank with received cheques
// (WriteChequeDeposit). For supplier payments: lettres-chèques, a letter
// with a detachable cheque per payment (WriteChequeLetters), and avis de
// paiement (WritePaymentAdvices). For the treasury: the prévision de
// trésorerie, each bank account's projected balance day by day drawn as a
// curve against its limit (WriteForecast). AmountInWords writes an amount
// in French words, as on a cheque.
//
// It takes plain Go values and an io.Writer, never a database: rows come as
// an iter.Seq so a caller can stream them from a query. Neither rows nor
// pages are kept in memory: each page goes to w as soon as it is full (see
// pdfStream), so a slip of a million lines needs no more memory than one of
// ten. Amounts are int64 cents, printed the French way ("1 234,56 €"),
// dates JJ/MM/AAAA. Debtors' and suppliers' accounts are masked here, so
// no caller can forget to.
//
// Output is deterministic: the same data and the same clock (Options.Now)
// give the same bytes; the documents added for supplier payments and the
// treasury refuse a zero clock rather than read the time. Text uses the
// PDF core font Helvetica in cp1252, which covers French (é è ç à œ Œ € « »
// ’); any other character is folded to ASCII (ő→o) or printed as '?', in
// one place (cp1252).
//
// The writers check their input and return every problem at once, as
// *ItemError values naming the item, wrapping sentinel reasons (ErrTotal,
// ErrNotGrouped, ErrAccount…). Because pages are streamed, w may hold the
// start of an unfinished document when a writer returns an error: write to
// a temporary file and keep it only on success, as remit does.
//
//	s := bordereau.Slip{
//		Creditor:  bordereau.Party{Name: "Dupont SARL", Address: bordereau.Address{Town: "Lyon"}},
//		ICS:       "FR12ZZZ123456",
//		IBAN:      "FR7630004008280001012345691",
//		Bank:      "BNP Paribas Lyon",
//		Reference: "REM-2026-0042",
//		Kind:      "Prélèvement SEPA CORE",
//		Count:     n,     // from the query that built the bank file
//		Total:     total, // cents
//	}
//	pages, err := bordereau.WriteSlip(f, s, items, bordereau.SlipOptions{Copies: 2, Now: now})
package bordereau
