package cfonb_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/cfonb"
)

func Example() {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	cedant, err := cfonb.AccountFromIBAN("FR76 3000 4008 2800 0101 2345 691")
	if err != nil {
		panic(err)
	}
	drawee, err := cfonb.AccountFromIBAN("FR1420041010050500013M02606")
	if err != nil {
		panic(err)
	}

	var out strings.Builder
	w := cfonb.NewLCRWriter(&out, cfonb.WriterOptions{EOL: cfonb.LF})
	w.WriteHeader(cfonb.LCRHeader{
		Date: day(2025, 1, 20), Name: "ACME Outillage SARL", BankName: "BNP Paribas Paris Opéra",
		Entry: cfonb.EntryCollection, Account: cedant, SIREN: "123456782", Reference: "REM2025-01",
	})
	w.WriteBill(cfonb.LCRBill{
		DraweeRef: "F2025001", Name: "Dupont Matériaux", BankName: "LCL Paris", Account: drawee,
		Amount: 123456, Due: day(2025, 2, 28), Created: day(2025, 1, 15), DrawerRef: "FA2025001",
	})
	if err := w.Close(); err != nil {
		fmt.Println(err)
		return
	}
	// A | after each record shows its trailing spaces.
	fmt.Print(strings.ReplaceAll(out.String(), "\n", "|\n"))

	s, errs := cfonb.Verify(strings.NewReader(out.String()))
	fmt.Println(s.Kind, s.Operation, s.Records, s.Details, s.Total, len(errs))
	// Output:
	// 036000000001000000      200125ACME OUTILLAGE SARL     BNP PARIBAS PARIS OPERA 3 E300040082800010123456                                123456782      REM2025-01 |
	// 066000000002        F2025001  DUPONT MATERIAUX        LCL PARIS               0  20041010050500013M026000000123456    280225150125                    FA2025001 |
	// 086000000003                                                                                          000000123456                                              |
	// LCR 60 3 1 123456 0
}

func ExampleVerify() {
	file := "0308        123456       05025ABONNEMENTS DU SUD SA   PRL0125                   E     9000008012345678                                               17515      \n" +
		"0608        123456ECH-0001    M JEAN BERNARD          CAISSE EPARGNE                  03620000200123450000000000004590ABONNEMENT JANVIER 2025        30003      \n" +
		"0808        123456                                                                                    0000000000004591                                          \n"
	s, errs := cfonb.Verify(strings.NewReader(file))
	fmt.Printf("%s, operation %s: %d records, %d details, %d cents\n", s.Kind, s.Operation, s.Records, s.Details, s.Total)
	for _, err := range errs {
		fmt.Println(err)
	}
	// Output:
	// prélèvement, operation 08: 3 records, 1 details, 4590 cents
	// line 3, record 08, zone montant total (103-118) "0000000000004591": total does not match the details: their sum is 4590
}
