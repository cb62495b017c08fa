// Package cfonb reads and writes CFONB 160-character bank remittance
// files: remises of LCR/BOR (lettres de change relevé, operation 60), of
// national prélèvements (operations 08, 85, 89) and of national virements
// (operation 02 and its variants). The layouts are those of
// CFONB160.md; positions in comments are 1-based and inclusive.
//
// Every record is a struct (amounts in int64 cents, dates as time.Time,
// codes as small typed values) encoded through a 160-byte buffer whose
// zones are declared once per record type. Numeric zones are right-aligned
// and zero-filled and refuse a value that does not fit; text zones go
// through Text, the one documented transliteration to the CFONB character
// set; reserved zones are blank.
//
// Writing streams one remise per writer, numbering the records and writing
// the total from its own sum on Close; errors are sticky:
//
//	debtor, err := cfonb.AccountFromIBAN("FR1420041010050500013M02606") // refuses non-French IBANs
//	...
//	w := cfonb.NewLCRWriter(bufio.NewWriter(f), cfonb.WriterOptions{EOL: cfonb.CRLF})
//	w.WriteHeader(cfonb.LCRHeader{Date: today, Name: "ACME", Entry: cfonb.EntryCollection, Account: cedant})
//	for _, r := range receivables {
//		w.WriteBill(cfonb.LCRBill{Name: r.Name, Account: r.Account, Amount: r.Cents, Due: r.Due, Created: r.Date})
//	}
//	if err := w.Close(); err != nil { // the first problem, with its line and zone
//		return err
//	}
//
// Reading streams too, with NewReader; Verify reads a whole file and
// returns its Summary and every problem found, each a *FieldError:
//
//	line 4, record 06, zone montant (103-114) "00001234567X": not a number
package cfonb
