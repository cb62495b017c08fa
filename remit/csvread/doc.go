// Package csvread reads delimited files (CSV) into checked lines, with one
// contract for every file remit imports (receivables: remit/importcsv;
// supplier payables: remit/payables/csvin):
//
//   - the character set: UTF-8, a BOM dropped, or Windows-1252,
//     ISO-8859-15 or ISO-8859-1 when told (ParseEncoding);
//   - the separator , or ; (the one the header line holds more of), RFC 4180
//     quoting;
//   - the header: column names in any case, empty columns after the last
//     named one ignored, an unknown, unnamed or repeated column a problem, a
//     missing required column a problem that makes the lines unreadable
//     (Format, Header);
//   - bounds, so that memory stays flat whatever the file holds: a line
//     (MaxLine), a record (MaxRecord), a field (MaxField);
//   - every problem a *remit.LineError naming the line, the column, the
//     value and the reason, all of them found in one pass; printed
//     through Shown, which masks the account of a problem in the iban
//     column;
//   - the all-or-nothing and --skip-invalid rules, and the rejects file
//     (Scan, RejectFile).
//
// What a line means is the caller's: a Parser turns a record into a value
// with its problems, an Applier writes the valid ones. Scan reads and
// parses on one goroutine while the Applier writes on the caller's:
//
//	rd, err := csvread.Open(f, csvread.Format{Columns: cols, Required: 2, Command: "remit import"}, "windows-1252")
//	…
//	res, err := csvread.Scan(rd, parse, csvread.ScanOptions{SkipInvalid: true, Rejects: rejects}, applier)
//	for _, p := range res.Problems { fmt.Println(csvread.Shown(p)) } // line 12, column iban "FR76***…5692": bad check digits
package csvread
