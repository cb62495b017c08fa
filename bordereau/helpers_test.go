package bordereau

import (
	"bytes"
	"flag"
	"fmt"
	"github.com/remit-dev/remit/remit/testtool"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var (
	update = flag.Bool("update", false, "rewrite the golden checksums in testdata/")
	keep   = flag.String("keep", "", "also write every generated PDF to this folder, to look at it")
)

// clock is the injected "now" of every test document.
var clock = time.Date(2026, 11, 24, 9, 41, 0, 0, time.FixedZone("CET", 3600))

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var creditor = Party{
	Name: "Société Cœur d’Épées & Fils",
	Address: Address{
		Street:   "12, rue de l’Église",
		Building: "Bâtiment B – 3ᵉ étage",
		Postcode: "69002",
		Town:     "Lyon",
		Country:  "FR",
	},
}

func testSlip() Slip {
	return Slip{
		Creditor:  creditor,
		ICS:       "FR12ZZZ123456",
		NNE:       "123456",
		IBAN:      "FR7630004008280001012345691",
		BIC:       "BNPAFRPPLYO",
		Bank:      "BNP Paribas – Lyon Bellecour",
		Reference: "REM-2026-0042",
		Kind:      "Prélèvement SEPA CORE",
		Files: []File{
			{Name: "PRLV-REM-2026-0042.xml", SHA256: strings.Repeat("0123456789abcdef", 4)},
		},
		MessageID:  "REMIT-20261124-0042",
		Created:    time.Date(2026, 11, 24, 9, 40, 12, 0, clock.Location()),
		DueFrom:    day(2026, 11, 29),
		DueTo:      day(2026, 12, 5),
		DatesLabel: "Dates de prélèvement",
		Dates:      []time.Time{day(2026, 12, 1), day(2026, 12, 5)},

		CollectionDates: true,
		DetailTitle:     "Séquence",
	}
}

// testItems makes n items spread over the given blocks, in order. Amounts
// and names vary so that columns and totals are exercised.
func testItems(n int, blocks []string) []SlipItem {
	names := []string{"Boulangerie Lefèvre", "Garage Muñoz & Cie", "Œuvres sociales du Comité", "Café « Le Relais »",
		"L’Atelier du Pâtissier", "Établissements Durand-Ducasse Frères et Associés Réunis", "Hôtel de la Gare", "Pharmacie Saint-Éloi"}
	items := make([]SlipItem, n)
	per := (n + len(blocks) - 1) / len(blocks)
	for i := range items {
		seq := "RCUR"
		if i%7 == 0 {
			seq = "FRST"
		}
		items[i] = SlipItem{
			Block:      blocks[min(i/per, len(blocks)-1)],
			Document:   fmt.Sprintf("F2026-%05d", i+1),
			Customer:   fmt.Sprintf("411C%04d", i%5000),
			Name:       names[i%len(names)],
			Account:    fmt.Sprintf("FR76300040082800010%08d", i),
			Due:        day(2026, 11, 29+i%7),
			Collection: day(2026, 12, 1+i%5),
			Detail:     seq,
			Amount:     int64(1000 + (i*7919)%250000),
		}
	}
	return items
}

func sum(items []SlipItem) (int, int64) {
	var t int64
	for _, it := range items {
		t += it.Amount
	}
	return len(items), t
}

// keepPDF writes b to the -keep folder, if any.
func keepPDF(t testing.TB, name string, b []byte) {
	t.Helper()
	if *keep == "" {
		return
	}
	if err := os.MkdirAll(*keep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*keep, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// pdfPages extracts the text of each page with pdftotext -layout; the PDF
// page count is len(result) (pdftotext ends every page with a form feed).
func pdfPages(t testing.TB, b []byte) []string {
	t.Helper()
	bin := testtool.Tool(t, "pdftotext")
	cmd := exec.Command(bin, "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(b)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("pdftotext complains: %s", stderr.String())
	}
	pages := strings.Split(string(out), "\f")
	return pages[:len(pages)-1] // after the last form feed: nothing
}

// squash collapses the runs of spaces pdftotext -layout uses for columns,
// so tests can look for "label value" regardless of the layout.
func squash(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

// plain is formatEUR as pdftotext gives it back (NBSP extracts as a space).
func plain(cents int64) string { return strings.ReplaceAll(formatEUR(cents), nbsp, " ") }

func mustContain(t testing.TB, where, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s: %q not found", where, w)
		}
	}
}

// pdfZone extracts the text of a rectangle of page (1-based) given in
// millimetres from the top-left corner, squashed to single spaces, lines
// joined by " | ". Tests use it to check that a value is in its zone.
func pdfZone(t testing.TB, b []byte, page int, x, y, w, h float64) string {
	t.Helper()
	bin := testtool.Tool(t, "pdftotext")
	pt := func(mm float64) string { return fmt.Sprintf("%d", int(mm*72/25.4+0.5)) }
	cmd := exec.Command(bin, "-layout", "-enc", "UTF-8", "-r", "72",
		"-f", fmt.Sprint(page), "-l", fmt.Sprint(page),
		"-x", pt(x), "-y", pt(y), "-W", pt(w), "-H", pt(h), "-", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	var lines []string
	for _, l := range strings.Split(strings.Trim(string(out), "\f\n "), "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, " | ")
}

// finished tells whether b is a whole PDF, trailer included: a writer that
// fails leaves at most the first pages of one.
func finished(b []byte) bool { return bytes.HasSuffix(b, []byte("%%EOF\n")) }
