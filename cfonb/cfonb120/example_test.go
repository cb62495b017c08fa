package cfonb120_test

import (
	"fmt"
	"strings"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/cfonb/cfonb120"
	"github.com/remit-dev/remit/remit/statement"
)

func ExampleReadAll() {
	file := strings.Join([]string{
		"0112345    00100EUR2 00012345678  280225                                                  0000000102345F                ",
		"0412345RPRL00100EUR2 00012345678A1030325  030325REMISE PRLV SEPA CORE            0000042  0000000012500{RPRL0303250001  ",
		"0512345RPRL00100EUR2 00012345678A1030325     REFREMIT-2025-0000042                                                      ",
		"0412345IPRL00100EUR2 00012345678B303032564030325IMPAYE PRLV SEPA DUPONT JEAN     0000000  0000000000800}                ",
		"0512345IPRL00100EUR2 00012345678B3030325     RCNREMIT-2025-0000042-002                                                  ",
		"0712345    00100EUR2 00012345678  030325                                                  0000000114045F                ",
	}, "\r\n")
	sts, err := cfonb120.ReadAll(strings.NewReader(file))
	for _, e := range cfonb.Flatten(err) {
		fmt.Println(e)
	}
	for _, s := range sts {
		fmt.Printf("%s %s: %s → %s\n", s.Account.IBAN, s.Currency, statement.Format(s.Opening.Amount), statement.Format(s.Closing.Amount))
		for _, e := range s.Entries {
			d := statement.Detail{}
			if len(e.Details) > 0 {
				d = e.Details[0]
			}
			fmt.Printf("%s %s %9s remise %q e2e %q motif %q\n", e.BookingDate.Format("02/01/2006"), e.Code.Proprietary,
				statement.Format(e.Amount), d.PmtInfID, d.EndToEndID, e.ReturnReason)
		}
	}
	// Output:
	// FR7612345001000001234567857 EUR: 10234.56 → 11404.56
	// 03/03/2025 A1   1250.00 remise "REMIT-2025-0000042" e2e "" motif ""
	// 03/03/2025 B3    -80.00 remise "" e2e "REMIT-2025-0000042-002" motif "64"
}

func ExampleWriter() {
	s := statement.Statement{
		Account:  statement.Account{IBAN: "FR7630004008280001012345691"},
		Currency: "EUR",
		Opening:  statement.Balance{Date: statement.Date(2026, 11, 30), Amount: 100000},
		Closing:  statement.Balance{Date: statement.Date(2026, 12, 1), Amount: 99550},
		Entries: []statement.Entry{{
			Amount: -450, BookingDate: statement.Date(2026, 12, 1), ValueDate: statement.Date(2026, 12, 1),
			Code: statement.Code{Proprietary: "62"}, Label: "FRAIS REMISE",
		}},
	}
	var out strings.Builder
	w := cfonb120.NewWriter(&out, cfonb120.WriterOptions{EOL: cfonb.LF})
	if err := w.Write(&s); err != nil {
		fmt.Println(err)
	}
	if err := w.Close(); err != nil {
		fmt.Println(err)
	}
	fmt.Print(strings.ReplaceAll(out.String(), "\n", "|\n")) // | shows where each record ends
	// Output:
	// 0130004    00828EUR2 00010123456  301126                                                  0000000010000{                |
	// 0430004    00828EUR2 0001012345662011226  011226FRAIS REMISE                              0000000000045}                |
	// 0730004    00828EUR2 00010123456  011226                                                  0000000009955{                |
}
