// Package cfonb120 reads and writes CFONB 120 bank statements (relevés de
// compte sur support informatique, 120-character records): an ancien solde
// 01, movements 04 each followed by its complements 05, and a nouveau solde
// 07, for one or several accounts and days in one file. The layouts are
// those of CFONB120.md; positions in comments are 1-based and inclusive.
//
// Records are structs (amounts in int64 cents, dates as time.Time) encoded
// through a 120-byte buffer whose zones are declared once. An amount's
// last character carries its last digit and its sign ('{', 'A'-'I' for
// +0..+9, '}', 'J'-'R' for -0..-9), and position 20 its number of
// decimals. Dates are JJMMAA, years 2000-2099.
//
// The Reader gives each statement as a statement.Statement, the model
// package sepa/camt053 gives camt.053 statements in, after checking every
// zone, the order of the records, that every record repeats the 01's
// account, currency and decimals, and that the ancien solde plus the
// movements is the nouveau solde:
//
//	sts, err := cfonb120.ReadAll(f)
//	for _, e := range cfonb.Flatten(err) {
//		fmt.Println(e) // line 17, record 07, zone montant du nouveau solde (91-104) "0000000122320F": balances do not add up: …
//	}
//
// Banks' files stray from the brochure in known ways (CFONB120.md §1), and
// the Reader takes them: records on LF or CRLF lines or back to back,
// trailing blanks trimmed (a short line is padded back), Latin-1 text in
// lower case and accents (or UTF-8), blank currency and decimals (read as
// EUR and 2). Reserved zones are not read.
//
// The Writer writes statements back, computing each nouveau solde from its
// ancien solde and movements; reading what it wrote gives the same
// statements.
package cfonb120
