package main

// The summary slip (issue 22, target 5): a remittance past
// slip.summary_above items (or --slip summary) gets a slip of a line per
// block and its detail as BORDEREAU.<ref>.csv, through the real binary.

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit"
)

// slipRunJSON is what `remit sdd --json` and `remit lcr --json` print.
type slipRunJSON struct {
	Remittances []struct {
		Ref    string     `json:"ref"`
		Scheme string     `json:"scheme"`
		Count  int        `json:"count"`
		Total  string     `json:"total"`
		Files  []fileJSON `json:"files"`
		Blocks []struct {
			Count int    `json:"count"`
			Total string `json:"total"`
		} `json:"blocks"`
	} `json:"remittances"`
}

// slipWorkspace is a database of 600 pointed receivables (SDD B2B 50 in
// 001, SDD CORE 450 in 002, LCR 100 in 003) with remit.yaml holding yaml.
func slipWorkspace(t *testing.T, yaml string) (*workspace, ledger) {
	t.Helper()
	w := newWorkspace(t)
	w.initDB()
	l := genLedger(t, "S", 600)
	w.must("import", w.writeFile("receivables.csv", l.csv))
	if yaml != "" {
		w.writeFile("remit.yaml", []byte(yaml))
	}
	return w, l
}

func runJSON(t *testing.T, w *workspace, args ...string) slipRunJSON {
	t.Helper()
	r := w.must(append(args, "--json")...)
	var res slipRunJSON
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("%v\n%s", err, r)
	}
	return res
}

func fileOf(files []fileJSON, name string) (fileJSON, bool) {
	i := slices.IndexFunc(files, func(f fileJSON) bool { return f.Name == name })
	if i < 0 {
		return fileJSON{}, false
	}
	return files[i], true
}

// readDetail reads a slip's detail CSV as a French spreadsheet does and
// checks its form: a BOM, ";", CRLF, the header, amounts with a decimal
// comma. It returns the rows and the sum of the amounts per block.
func readDetail(t *testing.T, path string) (rows [][]string, blocks map[string]int64, total int64) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\ufeff")) {
		t.Errorf("%s: no UTF-8 BOM: Excel would read it as Windows-1252", path)
	}
	if bytes.Count(data, []byte("\n")) != bytes.Count(data, []byte("\r\n")) {
		t.Errorf("%s: lines not ended by CRLF", path)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.Comma = ';'
	all, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	blocks = map[string]int64{}
	for i, row := range all[1:] {
		a := row[len(row)-1]
		if !strings.Contains(a, ",") || strings.ContainsAny(a, ". \u00a0") {
			t.Fatalf("%s: line %d: amount %q, want a decimal comma and no separator", path, i+2, a)
		}
		cents, err := remit.ParseAmount(strings.Replace(a, ",", ".", 1))
		if err != nil {
			t.Fatalf("%s: line %d: amount %q: %v", path, i+2, a, err)
		}
		blocks[row[0]] += cents
		total += cents
	}
	return all, blocks, total
}

func TestSummarySlipAuto(t *testing.T) {
	w, l := slipWorkspace(t, "slip:\n  summary_above: 100\n")
	sdd := runJSON(t, w, "sdd")
	lcr := runJSON(t, w, "lcr")
	rems := append(sdd.Remittances, lcr.Remittances...)
	if len(rems) != 3 {
		t.Fatalf("want 3 remittances (B2B, CORE, LCR), got %+v", rems)
	}
	var all int64
	for _, rem := range rems {
		csvName, pdfName := "BORDEREAU."+rem.Ref+".csv", "BORDEREAU."+rem.Ref+".pdf"
		detail, hasCSV := fileOf(rem.Files, csvName)
		slip, hasPDF := fileOf(rem.Files, pdfName)
		if !hasPDF {
			t.Fatalf("remittance %s: no slip in %+v", rem.Ref, rem.Files)
		}
		// Past 100 items the summary, up to 100 (LCR has 100) the detail.
		if summary := rem.Count > 100; hasCSV != summary {
			t.Fatalf("remittance %s, %d items, threshold 100: detail CSV listed %v, want %v: %+v", rem.Ref, rem.Count, hasCSV, summary, rem.Files)
		}
		text := pdfText(t, filepath.Join(w.out, pdfName))
		if sum, _ := sha256File(t, filepath.Join(w.out, pdfName)); sum != slip.SHA256 {
			t.Errorf("%s: sha256 %s, listed %s", pdfName, sum, slip.SHA256)
		}
		cents, err := remit.ParseAmount(rem.Total)
		if err != nil {
			t.Fatal(err)
		}
		all += cents
		if !hasCSV {
			if _, err := os.Stat(filepath.Join(w.out, csvName)); err == nil {
				t.Errorf("%s written for a detail slip", csvName)
			}
			if strings.Contains(text, "Récapitulatif") || !strings.Contains(text, "Sous-total") {
				t.Errorf("%s: want the detail slip:\n%s", pdfName, text)
			}
			continue
		}
		if detail.Format != remit.FormatBordereauDetail {
			t.Errorf("%s: format %q", csvName, detail.Format)
		}
		path := filepath.Join(w.out, csvName)
		if sum, size := sha256File(t, path); sum != detail.SHA256 || size != detail.Size {
			t.Errorf("%s: sha256 %s size %d, listed %s %d", csvName, sum, size, detail.SHA256, detail.Size)
		}
		// The summary slip names its detail with its sha256, and has no item line.
		if !strings.Contains(text, "Récapitulatif") || !strings.Contains(text, csvName) || !strings.Contains(text, detail.SHA256) {
			t.Errorf("%s: want a summary naming %s and its sha256 %s:\n%s", pdfName, csvName, detail.SHA256, text)
		}
		if strings.Contains(text, "S-000") || strings.Contains(text, "Sous-total") {
			t.Errorf("%s: a summary slip lists items:\n%s", pdfName, text)
		}
		rows, blocks, total := readDetail(t, path)
		// 450 items would be 10 pages; a line per block (the header lists
		// every collection date) fits on 2.
		if pages := strings.Count(text, "\f"); pages > 2+len(blocks)/45 {
			t.Errorf("%s: %d pages for %d blocks", pdfName, pages, len(blocks))
		}
		wantHeader := []string{"Bloc", "Pièce", "Client", "Nom", "Compte", "Échéance", "Prélèvement", "Séquence", "Montant"}
		if !slices.Equal(rows[0], wantHeader) {
			t.Errorf("%s: header %q, want %q", csvName, rows[0], wantHeader)
		}
		if len(rows)-1 != rem.Count || total != cents {
			t.Errorf("%s: %d lines for %s, the remittance has %d for %s", csvName, len(rows)-1, remit.FormatAmount(total), rem.Count, rem.Total)
		}
		// Each block of the CSV is a line of the slip, with its total.
		var got, want []string
		for label, sum := range blocks {
			if !strings.Contains(text, label) {
				t.Errorf("%s: block %q of the CSV not on the slip", pdfName, label)
			}
			got = append(got, remit.FormatAmount(sum))
		}
		for _, b := range rem.Blocks {
			want = append(want, b.Total)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: block totals %v, the remittance's %v", csvName, got, want)
		}
		// Accounts masked as the slip prints them, nothing whole.
		for _, row := range rows[1:] {
			if !strings.HasPrefix(row[4], "**** ") || len(row[4]) != 9 {
				t.Fatalf("%s: account %q not masked", csvName, row[4])
			}
		}
		if !strings.Contains(string(must(os.ReadFile(path))), "Société Dupont & Fils") {
			t.Errorf("%s: names not in UTF-8", csvName)
		}
	}
	if all != l.total {
		t.Errorf("remitted %s, the ledger holds %s", remit.FormatAmount(all), remit.FormatAmount(l.total))
	}
	// The printed list of files names the detail too.
	show := w.must("show", "002")
	if !strings.Contains(show.stdout, "BORDEREAU.002.csv") {
		t.Errorf("remit show 002 does not list the detail:\n%s", show.stdout)
	}
	// regenerate gives the same bytes, summary and detail included, and
	// `remit bordereau` prints the recorded slip again.
	w.checkRegenerate()
	r := w.must("bordereau", "002", "--json")
	var doc struct {
		SHA256 string    `json:"sha256"`
		Detail *fileJSON `json:"detail"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if rec, _ := fileOf(w.show("002").Files, "BORDEREAU.002.pdf"); doc.SHA256 != rec.SHA256 || doc.Detail == nil {
		t.Errorf("remit bordereau 002 printed %+v, recorded %s", doc, rec.SHA256)
	}
	w.checkConsistent(l.docs, false)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// slips says, for each remittance of res, whether its slip is a summary
// (it lists BORDEREAU.<ref>.csv), as "001:summary 002:detail".
func slips(t *testing.T, w *workspace, res ...slipRunJSON) string {
	t.Helper()
	var s []string
	for _, r := range res {
		for _, rem := range r.Remittances {
			_, csv := fileOf(rem.Files, "BORDEREAU."+rem.Ref+".csv")
			_, pdf := fileOf(rem.Files, "BORDEREAU."+rem.Ref+".pdf")
			kind := "none"
			switch {
			case csv && pdf:
				kind = "summary"
			case pdf:
				kind = "detail"
			case csv:
				t.Errorf("remittance %s: a detail without its slip: %+v", rem.Ref, rem.Files)
			}
			if _, err := os.Stat(filepath.Join(w.out, "BORDEREAU."+rem.Ref+".csv")); (err == nil) != csv {
				t.Errorf("remittance %s: BORDEREAU.%s.csv on disk %v, listed %v", rem.Ref, rem.Ref, err == nil, csv)
			}
			s = append(s, rem.Ref+":"+kind)
		}
	}
	return strings.Join(s, " ")
}

func TestSummarySlipFlagAndSettings(t *testing.T) {
	base, _ := slipWorkspace(t, "")
	cases := []struct {
		name  string
		yaml  string
		env   []string
		args  [][]string // the commands run, each with --json
		want  string
		regen bool
	}{
		// 2,500 items by default: none of these.
		{name: "default", args: [][]string{{"sdd"}, {"lcr"}}, want: "001:detail 002:detail 003:detail"},
		{name: "flag summary", args: [][]string{{"sdd", "--slip", "summary"}, {"lcr", "--slip", "summary"}},
			want: "001:summary 002:summary 003:summary", regen: true},
		{name: "flag detail over the key", yaml: "slip:\n  summary_above: 10\n", args: [][]string{{"sdd", "--slip", "detail"}, {"lcr"}},
			want: "001:detail 002:detail 003:summary"},
		{name: "key", yaml: "slip:\n  summary_above: 50\n", args: [][]string{{"sdd"}, {"lcr"}}, want: "001:detail 002:summary 003:summary"},
		{name: "environment", env: []string{"REMIT_SLIP_SUMMARY_ABOVE=60"}, args: [][]string{{"sdd"}, {"lcr"}},
			want: "001:detail 002:summary 003:summary"},
		{name: "sdd.slip in the file", yaml: "sdd:\n  slip: summary\n", args: [][]string{{"sdd"}, {"lcr"}},
			want: "001:summary 002:summary 003:detail"},
		{name: "no-bordereau wins", args: [][]string{{"sdd", "--slip", "summary", "--no-bordereau"}}, want: "001:none 002:none"},
		// remit run: each kind's key, or run.slip for all of them.
		{name: "run, sdd.slip", yaml: "sdd:\n  slip: summary\n", args: [][]string{{"run"}}, want: "001:summary 002:summary 003:detail", regen: true},
		{name: "run --slip", yaml: "sdd:\n  slip: detail\nslip:\n  summary_above: 0\n", args: [][]string{{"run", "--slip", "summary"}},
			want: "001:summary 002:summary 003:summary"},
		{name: "run, the key", yaml: "slip:\n  summary_above: 100\n", args: [][]string{{"run"}}, want: "001:detail 002:summary 003:detail"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := base.clone(t)
			if c.yaml != "" {
				w.writeFile("remit.yaml", []byte(c.yaml))
			}
			var res []slipRunJSON
			for _, args := range c.args {
				r := w.runEnv(c.env, append(args, "--json")...)
				if r.code != 0 {
					t.Fatalf("%s", r)
				}
				var got slipRunJSON // remit run's summary lists its remittances alike
				if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
					t.Fatalf("%v\n%s", err, r)
				}
				res = append(res, got)
			}
			if got := slips(t, w, res...); got != c.want {
				t.Errorf("slips %s, want %s", got, c.want)
			}
			if c.regen {
				w.checkRegenerate()
			}
		})
	}

	// Below the threshold the slip is the detail slip, byte for byte.
	auto, detail := base.clone(t), base.clone(t)
	a, d := runJSON(t, auto, "sdd"), runJSON(t, detail, "sdd", "--slip", "detail")
	for i, rem := range a.Remittances {
		fa, _ := fileOf(rem.Files, "BORDEREAU."+rem.Ref+".pdf")
		fd, _ := fileOf(d.Remittances[i].Files, "BORDEREAU."+rem.Ref+".pdf")
		if fa.SHA256 == "" || fa.SHA256 != fd.SHA256 {
			t.Errorf("remittance %s: the slip of --slip auto (%s) differs from --slip detail's (%s)", rem.Ref, fa.SHA256, fd.SHA256)
		}
	}

	// Bad values: exit 2 with what is wrong, nothing remitted.
	for _, bad := range []struct {
		yaml string
		args []string
		want string
	}{
		{"", []string{"sdd", "--slip", "short"}, "--slip"},
		{"slip:\n  summary_above: -1\n", []string{"sdd"}, "slip.summary_above"},
		{"slip:\n  summary_above: many\n", []string{"sdd"}, "summary_above"},
		{"run:\n  slip: all\n", []string{"run"}, "slip"},
	} {
		w := base.clone(t)
		if bad.yaml != "" {
			w.writeFile("remit.yaml", []byte(bad.yaml))
		}
		r := w.run(bad.args...)
		if r.code != 2 || !strings.Contains(r.stderr, bad.want) {
			t.Errorf("want exit 2 naming %s: %s", bad.want, r)
		}
		if n := w.queryInt(`SELECT count(*) FROM remittances`); n != 0 {
			t.Errorf("%v: %d remittances made", bad.args, n)
		}
	}
}

// The table output lists the detail among the files; `remit bordereau`
// prints the other slip elsewhere, never in place of the recorded one.
func TestSummarySlipTableAndReprint(t *testing.T) {
	w, _ := slipWorkspace(t, "")
	r := w.must("lcr", "--slip", "summary")
	if !strings.Contains(r.stdout, "PAIEMENT.001, BORDEREAU.001.csv, BORDEREAU.001.pdf") {
		t.Errorf("remit lcr does not list the detail:\n%s", r.stdout)
	}
	w.must("sdd")
	// 002 has a detail slip: a summary in its place is refused.
	r = w.run("bordereau", "002", "--slip", "summary")
	if r.code != 2 || !strings.Contains(r.stderr, "-o FILE") {
		t.Errorf("want exit 2, write it elsewhere: %s", r)
	}
	rec, _ := fileOf(w.show("002").Files, "BORDEREAU.002.pdf")
	if sum, _ := sha256File(t, filepath.Join(w.out, "BORDEREAU.002.pdf")); sum != rec.SHA256 {
		t.Errorf("the refused reprint changed the slip")
	}
	r = w.must("bordereau", "002", "--slip", "summary", "-o", filepath.Join(w.dir, "recap.pdf"), "--json")
	var doc struct {
		Path   string    `json:"path"`
		Detail *fileJSON `json:"detail"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || doc.Detail == nil || doc.Detail.Name != "recap.csv" {
		t.Fatalf("%v: %s", err, r)
	}
	text := pdfText(t, filepath.Join(w.dir, "recap.pdf"))
	if !strings.Contains(text, "recap.csv") || !strings.Contains(text, doc.Detail.SHA256) || strings.Contains(text, "Sous-total") {
		t.Errorf("recap.pdf: want a summary naming recap.csv %s:\n%s", doc.Detail.SHA256, text)
	}
	rows, _, total := readDetail(t, filepath.Join(w.dir, "recap.csv"))
	rem := w.show("002")
	if cents, _ := remit.ParseAmount(rem.Total); len(rows)-1 != rem.Count || total != cents {
		t.Errorf("recap.csv: %d lines, %d cents; remittance 002: %d, %s", len(rows)-1, total, rem.Count, rem.Total)
	}
	// The LCR detail has the drawee's bank and the acceptance.
	rows, _, _ = readDetail(t, filepath.Join(w.out, "BORDEREAU.001.csv"))
	want := []string{"Bloc", "Pièce", "Client", "Nom", "Domiciliation", "Compte", "Échéance", "Acceptation", "Montant"}
	if !slices.Equal(rows[0], want) {
		t.Errorf("LCR detail header %q, want %q", rows[0], want)
	}
	// The summary printed again in place is the recorded one.
	r = w.must("bordereau", "001", "--json")
	if rec, _ := fileOf(w.show("001").Files, "BORDEREAU.001.pdf"); !strings.Contains(r.stdout, rec.SHA256) {
		t.Errorf("remit bordereau 001 printed another slip than the recorded %s: %s", rec.SHA256, r.stdout)
	}
}

// The detail is written as every file of a run: under a temporary name,
// renamed before the commit; a run killed before it leaves no detail, and
// the next run writes it whole.
func TestSummarySlipDetailAtomic(t *testing.T) {
	w, l := slipWorkspace(t, "")
	// 001 (B2B): PAIEMENT.001.xml is renamed first, BORDEREAU.001.csv second.
	r := w.runEnv([]string{"REMIT_CRASH_AT=before-rename:2"}, "sdd", "--slip", "summary")
	if !r.killed {
		t.Fatalf("want killed: %s", r)
	}
	wantOut(t, w, []string{".BORDEREAU.001.csv.remit-tmp-"}, []string{"BORDEREAU.001.csv", "BORDEREAU.001.pdf"})
	wantRemittances(t, w, 0)
	res := runJSON(t, w, "sdd", "--slip", "summary")
	if got := slips(t, w, res); got != "001:summary 002:summary" {
		t.Errorf("slips %s", got)
	}
	w.checkConsistent(l.docs, false)
	w.checkRegenerate()
}

// Supplier payments share the slip's path: sct and pay-cheques write the
// summary of a bordereau de paiements and its detail alike.
func TestSummarySlipPayments(t *testing.T) {
	w := newWorkspace(t)
	w.env = []string{"REMIT_PAY_CHEQUES_FIRST_NUMBER=4500001"}
	w.initDB()
	w.must("grouping", "set", "vir", "--within-days", "30")
	w.must("grouping", "set", "chq", "--within-days", "30")
	w.must("payables", "import", w.writeFile("payables.csv", genPayables(t, "P", 100).csv))
	sct := runJSON(t, w, "sct", "--slip", "summary", "--no-advices")
	chq := runJSON(t, w, "pay-cheques", "--slip", "summary", "--no-advices")
	if got := slips(t, w, sct, chq); got != "001:summary 002:summary" {
		t.Fatalf("slips %s", got)
	}
	for i, want := range [][]string{
		{"Bloc", "Pièce", "Fournisseur", "Nom", "Compte", "Échéance", "Exécution", "Pièces", "Montant"},
		{"Bloc", "Pièce", "Fournisseur", "Nom", "Compte", "Échéance", "Exécution", "Chèque", "Montant"},
	} {
		rem := append(sct.Remittances, chq.Remittances...)[i]
		rows, _, total := readDetail(t, filepath.Join(w.out, "BORDEREAU."+rem.Ref+".csv"))
		if !slices.Equal(rows[0], want) {
			t.Errorf("remittance %s: header %q, want %q", rem.Ref, rows[0], want)
		}
		if cents, _ := remit.ParseAmount(rem.Total); len(rows)-1 != rem.Count || total != cents {
			t.Errorf("remittance %s: %d lines for %d cents, the remittance has %d for %s", rem.Ref, len(rows)-1, total, rem.Count, rem.Total)
		}
		if text := pdfText(t, filepath.Join(w.out, "BORDEREAU."+rem.Ref+".pdf")); !strings.Contains(text, "BORDEREAU DE PAIEMENTS") ||
			!strings.Contains(text, "Récapitulatif") {
			t.Errorf("remittance %s: want the summary of a bordereau de paiements:\n%s", rem.Ref, text)
		}
	}
	w.checkRegenerate()
}

// A remise de chèques keeps its bordereau de versement whole, whatever the
// threshold: it lists the cheques the bank counts.
func TestSummarySlipNotForCheques(t *testing.T) {
	w := newWorkspace(t)
	w.initDB()
	w.writeFile("remit.yaml", []byte("slip:\n  summary_above: 0\n"))
	w.must("import", w.writeFile("c.csv", []byte("document,customer,name,amount,due_date,method,cheque_number,drawer_bank,town,country,pointed\n"+
		"C1,411A,Alpha SA,100.00,2026-11-20,chq,0000042,CREDIT AGRICOLE,Lyon,FR,yes\n")))
	if r := w.must("cheques"); !strings.HasSuffix(strings.SplitN(r.stdout, "\n", 2)[0], "  BORDEREAU.001.pdf") {
		t.Errorf("want the bordereau de versement alone: %s", r)
	}
	if _, err := os.Stat(filepath.Join(w.out, "BORDEREAU.001.csv")); err == nil {
		t.Error("a detail written for a remise de chèques")
	}
	r := w.run("bordereau", "1", "--slip", "summary", "-o", filepath.Join(w.dir, "x.pdf"))
	if r.code != 1 || !strings.Contains(r.stderr, "prints its own slip, which has no summary") {
		t.Errorf("want a refusal: %s", r)
	}
}
