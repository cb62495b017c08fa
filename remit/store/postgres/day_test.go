package postgres_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/fixtures"
	"github.com/remit-dev/remit/remit/store/dbcopy"
	"github.com/remit-dev/remit/remit/testtool"
)

// A day of remit on SQLite, copied to PostgreSQL: the tables and views read
// the same. The day has direct debits with a centralised counterpart, a
// remittance sent, a reject with its fee, an LCR remittance cancelled and
// remitted again (its écritures reversed, the new ones relettered) with a
// counterpart masked AA/MM on the customers' own accounts.
func TestViewsSameRowsAfterADay(t *testing.T) {
	bin := buildRemit(t)
	dir := t.TempDir()
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	for _, n := range fixtures.Names {
		b, err := fixtures.Dated(n, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	remit := func(env []string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), append([]string{"REMIT_NOW=" + now.Format(time.RFC3339), "REMIT_DB=remit.db", "REMIT_OUT=out"},
			env...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("remit %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	remit(nil, "init")
	remit(nil, "creditor", "set", "--name", "ACME OUTILLAGE SARL", "--ics", "FR72ZZZ123456", "--iban", "FR7630004008280001012345691",
		"--bic", "BNPAFRPP", "--nne", "123456", "--siren", "123456782", "--bank-name", "BNP PARIBAS", "--street", "Rue de la Paix",
		"--building", "12", "--postcode", "75002", "--town", "Paris", "--country", "FR")
	for _, n := range fixtures.Names {
		remit(nil, "import", n)
	}
	remit(nil, "point", "--method", "sdd", "--due-from", "2026-11-01", "--due-to", "2026-12-20")
	remit([]string{"REMIT_ENTRIES_CENTRALIZE=true"}, "sdd")
	remit(nil, "point", "--method", "lcr", "--due-from", "2026-11-01", "--due-to", "2027-02-01")
	remit(nil, "lcr")
	remit(nil, "mark-sent", "002")
	remit(nil, "reject", "F2026-0052", "--reason", "AM04", "--fee", "5.50", "--date", "2026-12-08")
	remit(nil, "cancel", "003", "--yes")
	if err := os.WriteFile(filepath.Join(dir, "remit.yaml"), []byte("entries:\n  auxiliary: false\n  customer_label: \"{name} - {doc}\"\n"+
		"  journals:\n    LCR: \"09AAMM00\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	remit(nil, "lcr")

	pool, dsn := newPostgres(t)
	src := filepath.Join(dir, "remit.db")
	rep, err := dbcopy.Copy(context.Background(), src, dsn, dbcopy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows copied", rep.Rows())
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	sdb, err := sql.Open("sqlite", "file:"+src+"?"+q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	sameContents(t, sdb, pool)
	var returns, reversals, collectionLines int
	pool.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE kind = 'return'), count(*) FILTER (WHERE kind = 'reversal'),
		count(*) FILTER (WHERE kind = 'collection' AND item_id IS NOT NULL) FROM entries`).Scan(&returns, &reversals, &collectionLines)
	if returns == 0 || reversals == 0 || collectionLines < 50 {
		t.Errorf("the day made %d return lines, %d reversal lines, %d collection lines", returns, reversals, collectionLines)
	}
}

// buildRemit builds ./cmd/remit into a temporary folder.
func buildRemit(t *testing.T) string {
	t.Helper()
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if p, err := exec.LookPath("go"); err == nil {
		gobin = p
	}
	bin := filepath.Join(t.TempDir(), "remit")
	cmd := exec.Command(gobin, "build", "-o", bin, "./cmd/remit")
	cmd.Dir = testtool.RepoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
