package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/remit-dev/remit/fixtures"
)

// demoMarker marks a folder as the demo's: only then does the demo replace
// a remit.db it finds there.
const demoMarker = ".remit-demo"

// run prepares the folder and the dated receivables, then runs the steps.
func (d *demo) run() error {
	if err := d.prepare(); err != nil {
		return err
	}
	today := startOfDay(d.now)
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	steps := [][]string{
		{"init"},
		{"creditor", "set", "--name", "ACME OUTILLAGE SARL", "--ics", "FR72ZZZ123456", "--siren", "123456782",
			"--street", "Rue de la Paix", "--building", "12", "--postcode", "75002", "--town", "Paris", "--country", "FR"},
		// Two banks: the fixtures' direct debits are in journal BQ1, their
		// LCRs in BQ2.
		{"bank", "add", "BQ1", "--iban", "FR7630004008280001012345691", "--bic", "BNPAFRPP", "--name", "BNP PARIBAS PARIS OPERA",
			"--account", "512100", "--nne", "123456", "--value-days", "sdd=1,chq=1", "--default"},
		{"bank", "add", "BQ2", "--iban", "FR7610096000502468013579016", "--bic", "CMCIFRPP", "--name", "CIC LYON", "--account", "512200",
			"--nne", "654321", "--value-days", "sdd=1,lcr=2,chq=1", "--limit", "-5000.00", "--substitute", "BQ1"},
		{"bank", "balance", "BQ1", "--amount", "12450.30", "--date", day(-1)},
		{"bank", "balance", "BQ2", "--amount", "-1520.00", "--date", day(-1)},
	}
	for _, f := range fixtures.Names {
		steps = append(steps, []string{"import", f})
	}
	steps = append(steps,
		// The fixtures' due dates run from today-4 to today+56.
		[]string{"point", "--method", "sdd", "--due-from", day(-30), "--due-to", day(30)},
		[]string{"point", "--method", "lcr", "--due-from", day(-30), "--due-to", day(60)},
		[]string{"list", "--status", "pointed", "--due-from", day(-30), "--due-to", day(60)},
		[]string{"sdd"},
		[]string{"lcr"},
		// The cheques received, deposited per bank with their slips.
		[]string{"point", "--method", "chq", "--due-from", day(-30), "--due-to", day(0)},
		[]string{"cheques"},
		[]string{"remittances"},
		[]string{"banks"},
		// What the banks are still to credit, day by day, for two months.
		[]string{"forecast", "--bank", "BQ2", "--to", day(60)},
		[]string{"forecast", "--to", day(60), "--format", "pdf", "-o", filepath.Join("out", "PREVISION.pdf")},
	)
	for _, s := range steps {
		if err := d.remit(s...); err != nil {
			return err
		}
	}
	rems, err := d.remittances()
	if err != nil {
		return err
	}
	var files []string
	for _, r := range rems {
		if r.Kind == "lcr" {
			if err := d.remit("traites", r.Ref); err != nil {
				return err
			}
		}
		for _, f := range r.Files {
			if !strings.HasSuffix(f.Name, ".pdf") {
				files = append(files, filepath.Join("out", f.Name))
			}
		}
	}
	if len(rems) == 0 || len(files) == 0 {
		return errors.New("the demo made no remittance file")
	}
	sort.Strings(files)
	for _, s := range [][]string{
		{"show", rems[0].Ref},
		{"mandates"},
		append([]string{"verify"}, files...),
		{"entries", "--format", "fec", "-o", filepath.Join("out", "ECRITURES.fec")},
	} {
		if err := d.remit(s...); err != nil {
			return err
		}
	}
	fmt.Fprintf(d.out, "demo: %s holds remit.db and out/ (PAIEMENT.*, BORDEREAU.*.pdf, TRAITES.*.pdf, PREVISION.pdf, ECRITURES.fec); try: cd %s && %s list --status all\n",
		d.dir, d.dir, d.binFromDir())
	return nil
}

// binFromDir is the binary's path relative to the demo folder, to print.
func (d *demo) binFromDir() string {
	dir, err := filepath.Abs(d.dir)
	if err != nil {
		return d.binPath()
	}
	rel, err := filepath.Rel(dir, d.binPath())
	if err != nil || strings.HasPrefix(rel, "../../..") {
		return d.binPath()
	}
	return rel
}

// prepare creates the folder, removes what an earlier demo left in it and
// writes the receivables dated from today.
func (d *demo) prepare() error {
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return err
	}
	marker := filepath.Join(d.dir, demoMarker)
	if _, err := os.Stat(marker); errors.Is(err, os.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(d.dir, "remit.db")); err == nil {
			return fmt.Errorf("%s holds a remit.db the demo did not make: it is left alone; give the demo another folder (-dir)", d.dir)
		}
		if err := os.WriteFile(marker, []byte("written by remit's demo (make demo), which may replace remit.db and out/ here\n"), 0o644); err != nil {
			return err
		}
	}
	for _, name := range []string{"remit.db", "remit.db-wal", "remit.db-shm", "remit.db.lock", "out"} {
		if err := os.RemoveAll(filepath.Join(d.dir, name)); err != nil {
			return err
		}
	}
	for _, name := range fixtures.Names {
		dated, err := fixtures.Dated(name, d.now)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(d.dir, name), dated, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// remit runs the binary in the demo folder, printing the command first. A
// step that does not exit 0 stops the demo.
func (d *demo) remit(args ...string) error {
	fmt.Fprintf(d.out, "$ remit %s\n", shellJoin(args))
	cmd := d.command(args...)
	cmd.Stdout, cmd.Stderr = d.out, d.errOut
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("remit %s: %w", args[0], err)
	}
	return nil
}

func (d *demo) command(args ...string) *exec.Cmd {
	cmd := exec.Command(d.binPath(), args...)
	cmd.Dir = d.dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "REMIT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "REMIT_NOW="+d.now.Format(time.RFC3339))
	return cmd
}

// binPath is the binary's path as seen from the demo folder.
func (d *demo) binPath() string {
	if p, err := filepath.Abs(d.bin); err == nil {
		return p
	}
	return d.bin
}

// remittance is what the demo needs of `remit remittances --json`.
type remittance struct {
	Ref   string `json:"ref"`
	Kind  string `json:"kind"`
	Files []struct {
		Name string `json:"name"`
	} `json:"files"`
}

func (d *demo) remittances() ([]remittance, error) {
	cmd := d.command("remittances", "--json")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("remit remittances --json: %w\n%s", err, stderr.Bytes())
	}
	var rems []remittance
	if err := json.Unmarshal(out, &rems); err != nil {
		return nil, fmt.Errorf("remit remittances --json: %w", err)
	}
	sort.Slice(rems, func(i, j int) bool { return rems[i].Ref < rems[j].Ref })
	return rems, nil
}

// shellJoin quotes the arguments that need it, to print a command a user
// can paste.
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " '\"$&;|<>()*?[]#~`\\") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		q[i] = a
	}
	return strings.Join(q, " ")
}

// startOfDay is midnight of t's date, in t's location.
func startOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}
