package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
)

func TestMandatesCommand(t *testing.T) {
	c := newCLI(t)
	c.setup()
	// testNow is 2026-11-22: unused since before 2023-11-22 means expired.
	c.must("import", c.file("in.csv", `document;customer;name;amount;due_date;method;iban;mandate;mandate_signed;mandate_last_collected;scheme;town;country
F1;411A;Client A;10,00;2026-12-01;sdd;FR7630004008280001012345691;RUM-A;2025-01-15;2026-10-01;CORE;Lyon;FR
F2;411B;Client B;20,00;2026-12-01;sdd;FR7630006000011234567890189;RUM-B;2023-11-21;;B2B;Lyon;FR
F3;411C;Client C;30,00;2026-12-01;sdd;FR1420041010050500013M02606;RUM-C;2020-01-15;2023-06-30;CORE;Lyon;FR
`))
	want := `RUM                  CUSTOMER     SCHEME STATUS   SIGNED     LAST       IBAN          REASON
RUM-A                411A         CORE   active   2025-01-15 2026-10-01 FR76…5691
RUM-B                411B         B2B    active   2023-11-21            FR76…0189
RUM-C                411C         CORE   active   2020-01-15 2023-06-30 FR14…2606
`
	if out := c.must("mandates"); out != want {
		t.Errorf("mandates:\n%s\nwant:\n%s", out, want)
	}
	want = `RUM                  CUSTOMER     SCHEME STATUS   SIGNED     LAST       IBAN          REASON
RUM-B                411B         B2B    expired  2023-11-21            FR76…0189     never used in 36 months (signed 2023-11-21)
RUM-C                411C         CORE   expired  2020-01-15 2023-06-30 FR14…2606     no collection for 36 months (last 2023-06-30)
2 mandates marked expired now (no collection for 36 months)
`
	if out := c.must("mandates", "expire"); out != want {
		t.Errorf("--expired:\n%s\nwant:\n%s", out, want)
	}
	if out := c.must("mandates", "expire"); !strings.HasSuffix(out, "0 mandates marked expired now (no collection for 36 months)\n") {
		t.Errorf("--expired again:\n%s", out)
	}
	if out := c.must("mandates", "revoke", "RUM-A", "--date", "2026-11-30"); out != "mandate RUM-A (411A) revoked on 2026-11-30\n" {
		t.Errorf("revoke: %q", out)
	}
	want = `[
  {
    "rum": "RUM-A",
    "customer": "411A",
    "name": "Client A",
    "scheme": "CORE",
    "kind": "recurrent",
    "status": "revoked",
    "status_reason": "revoked on 2026-11-30",
    "signed": "2025-01-15",
    "last_collection": "2026-10-01",
    "iban": "FR76…5691"
  }
]
`
	if out := c.must("mandates", "--status", "revoked", "--json"); out != want {
		t.Errorf("json:\n%s\nwant:\n%s", out, want)
	}
	if out := c.must("mandates", "--status", "blocked"); out != "no mandate matches\n" {
		t.Errorf("blocked: %q", out)
	}
	for _, tt := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"mandates", "--status", "lost"}, ExitUsage, `--status "lost"`},
		{[]string{"mandates", "--expired", "--status", "active"}, ExitUsage, "cannot go with --status active"},
		{[]string{"mandates", "revoke", "RUM-A"}, ExitFailed, "mandate RUM-A is already revoked"},
		{[]string{"mandates", "revoke", "RUM-Z"}, ExitFailed, "mandate RUM-Z: no such mandate"},
		{[]string{"mandates", "revoke", "RUM-B", "--date", "2026-02-30"}, ExitUsage, "--date"},
		{[]string{"mandates", "unblock", "RUM-B"}, ExitFailed, "mandate RUM-B is expired, not blocked"},
		{[]string{"mandates", "unblock"}, ExitUsage, "accepts 1 arg(s)"},
	} {
		out, errs, code := c.run("", tt.args...)
		if code != tt.code || out != "" || !strings.Contains(errs, tt.err) {
			t.Errorf("remit %v: exit %d, stdout %q, stderr %q; want %d and %q", tt.args, code, out, errs, tt.code, tt.err)
		}
	}
}

// Regression (issue 15, item 2): a one-off mandate was collected again and
// again. Its second receivable is refused with the reason, and the mandate
// shows as used.
func TestOneOffMandateUsed(t *testing.T) {
	c := newCLI(t)
	c.setup()
	c.must("import", c.file("in.csv", `document;customer;name;amount;due_date;method;iban;mandate;mandate_signed;mandate_type;town;country;pointed
F1;411A;Client A;10,00;2026-12-01;sdd;FR7630004008280001012345691;RUM-1X;2025-01-15;oneoff;Lyon;FR;yes
F2;411A;Client A;20,00;2026-12-02;sdd;FR7630004008280001012345691;RUM-1X;2025-01-15;oneoff;Lyon;FR;yes
`))
	out, _, code := c.run("", "sdd")
	if code != ExitPartial || !strings.Contains(out, "  OOFF  2026-12-01        1            10,00\n") ||
		!strings.Contains(out, "  F2 411A 20,00: one-off mandate RUM-1X is collected by F1 in this run: a one-off mandate allows a single collection (collect this one on a new mandate)\n") {
		t.Errorf("sdd: exit %d\n%s", code, out)
	}
	want := `RUM                  CUSTOMER     SCHEME STATUS   SIGNED     LAST       IBAN          REASON
RUM-1X               411A         CORE   used     2025-01-15 2026-12-01 FR76…5691     one-off mandate: its single collection is made
`
	if out := c.must("mandates"); out != want {
		t.Errorf("mandates:\n%s\nwant:\n%s", out, want)
	}
	if out := c.must("mandates", "--json"); !strings.Contains(out, `"kind": "oneoff",`) || !strings.Contains(out, `"used": true`) {
		t.Errorf("mandates --json:\n%s", out)
	}
}

// TestJSONArrayAsWriteJSON: a list streamed element by element is byte for
// byte the slice writeJSON writes, empty or not.
func TestJSONArrayAsWriteJSON(t *testing.T) {
	m := mandateJSON{Mandate: remit.Mandate{RUM: "RUM-<&>", Customer: "411É", Status: "active", NewlyExpired: true}, IBAN: "FR76…5691"}
	for _, list := range [][]mandateJSON{{}, {m}, {m, m, m}} {
		var whole, streamed bytes.Buffer
		if err := writeJSON(&Env{IO: IO{Out: &whole}}, list); err != nil {
			t.Fatal(err)
		}
		arr := newJSONArray(&streamed)
		for _, v := range list {
			if err := arr.add(v); err != nil {
				t.Fatal(err)
			}
		}
		if err := arr.close(); err != nil {
			t.Fatal(err)
		}
		if streamed.String() != whole.String() {
			t.Errorf("%d elements streamed:\n%s\nwriteJSON:\n%s", len(list), streamed.String(), whole.String())
		}
	}
}
