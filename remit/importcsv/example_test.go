package importcsv_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/remit-dev/remit/remit/importcsv"
)

func ExampleFile_Read() {
	f, err := importcsv.Open(strings.NewReader("document;customer;name;amount;due_date;method;iban;mandate\n"+
		"F1;411DUPONT;Dupont SARL;1234,56;31/12/2026;sdd;fr76 3000 4008 2800 0101 2345 691;RUM-1\n"+
		"F2;411DUPONT;Dupont SARL;12.345;2026-02-30;sdd;;RUM_2\n"), "")
	if err != nil {
		panic(err)
	}
	for {
		ln, err := f.Read()
		if err == io.EOF {
			break
		}
		for _, p := range ln.Problems {
			fmt.Println(p)
		}
		if len(ln.Problems) == 0 {
			r := ln.Value
			fmt.Println(ln.Num, r.Document, r.Customer.Code, r.Amount, r.Due, r.Method, r.Customer.IBAN, r.Mandate.RUM)
		}
	}
	// Output:
	// 2 F1 411DUPONT 123456 2026-12-31 sdd FR7630004008280001012345691 RUM-1
	// line 3, column amount "12.345": more than 2 decimals
	// line 3, column due_date "2026-02-30": not a date (write YYYY-MM-DD or DD/MM/YYYY)
	// line 3, column mandate "RUM_2": invalid characters at position 4
}
