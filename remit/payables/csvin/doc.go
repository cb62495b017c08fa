// Package csvin reads the payables import file (remit payables import)
// into payables values, with the receivables import's contract, which
// remit/csvread holds for both: UTF-8 with or without a BOM, or
// Windows-1252 / ISO-8859-15 / ISO-8859-1 when told; the separator , or ;
// found from the header; case-insensitive column names, empty columns
// after the last named one ignored, an unknown, unnamed or repeated column
// a problem; lines, records and fields bounded (csvread.MaxLine,
// csvread.MaxRecord, csvread.MaxField); every problem a *remit.LineError
// naming the line, the column, the value and the reason, all of them in
// one pass. What is this package's own is the payables' columns and how a
// line reads into a payables.Incoming.
//
// The columns (payables.Columns) are document, supplier, name, amount and
// due_date (required), then method, currency, issue_date, journal, iban,
// bic, street, building, postcode, town, country, priority, label,
// discount_rate, discount_until, parent, approved, contested and pointed.
// An amount is negative for a credit note; discount_rate is a percentage
// (2, 1.5, 1,25 %); approved and pointed are yes or no; contested is yes
// or no, or the reason of the dispute itself.
//
// Scan streams a file to a function that applies each valid line (the
// store's, through payables.Compare) and carries the all-or-nothing and
// --skip-invalid rules; ReadAll does the same in memory:
//
//	res, err := csvin.Scan(f, csvin.Options{Encoding: enc, SkipInvalid: skip, Rejects: tmp},
//		func(in payables.Incoming) error {
//			out := payables.Compare(stored(in.Document), in, approvalRequired)
//			… // write out.Payable, or return out.Problems joined
//		})
//	for _, p := range res.Problems { fmt.Println(csvread.Shown(p)) } // line 12, column iban "FR76***…5692": bad check digits
package csvin
