package payables

import (
	"fmt"
	"testing"

	"github.com/remit-dev/remit/sepa"
)

func TestRemittanceInfo(t *testing.T) {
	group := func(discount bool, ps ...Payable) Group {
		if discount {
			ps[0].Discount = Discount{Rate: 200, Until: day("2026-12-31")}
		}
		g, errs := CheckGroup(ps, nil, false, nil)
		if len(ps) == 1 {
			g, _ = newGroup(ps, false, nil)
		} else if len(errs) > 0 {
			t.Fatal(errs)
		}
		Settle(&g, day("2026-12-10"), "", true)
		return g
	}
	many := func(n int, width int) []Payable {
		var ps []Payable
		for i := 0; i < n; i++ {
			ps = append(ps, inv(fmt.Sprintf("FA-2026-%0*d", width, i+1), "401SUN", 10000, "2026-12-10"))
		}
		return ps
	}
	for _, tc := range []struct {
		name string
		g    Group
		want string
	}{
		{"one document", group(false, inv("FA-2026-118", "401SUN", 120000, "2026-12-10")), "FA-2026-118"},
		{"one document with its discount", group(true, inv("FA-2026-118", "401SUN", 120000, "2026-12-10")),
			"FA-2026-118 1200,00 ESCOMPTE -24,00"},
		{"a credit note netted", group(false, inv("FA-2026-118", "401SUN", 120000, "2026-12-10"), inv("AV-2026-007", "401SUN", -15000, "2026-12-10")),
			"AV-2026-007 -150,00 FA-2026-118 1200,00"},
		{"characters outside the EPC set", group(false, inv("FA_2026#118", "401SUN", 120000, "2026-12-10")), "FA-2026 118"},
		// 7 × "FA-2026-0001 100,00" (19) + spaces = 139: fits.
		{"the detailed list up to 140", group(false, many(7, 4)...),
			"FA-2026-0001 100,00 FA-2026-0002 100,00 FA-2026-0003 100,00 FA-2026-0004 100,00 FA-2026-0005 100,00 FA-2026-0006 100,00 FA-2026-0007 100,00"},
		// 8 of them do not; the numbers alone do (8 × 12 + 7 = 103).
		{"then the numbers alone", group(false, many(8, 4)...),
			"FA-2026-0001 FA-2026-0002 FA-2026-0003 FA-2026-0004 FA-2026-0005 FA-2026-0006 FA-2026-0007 FA-2026-0008"},
		{"then a summary", group(false, many(14, 4)...), "ACME-P-000118 : 14 documents, detail sur l'avis de paiement"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := RemittanceInfo(tc.g, "ACME-P-000118")
			if got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
			if len(got) > sepa.MaxRemittance || sepa.Text(got, sepa.MaxRemittance) != got {
				t.Fatalf("%q is not EPC text of at most 140", got)
			}
		})
	}
}
