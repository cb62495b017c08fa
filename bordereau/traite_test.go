package bordereau

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/ident"
)

// ribIBAN builds a valid French IBAN from a bank, branch and account.
func ribIBAN(t testing.TB, bank, branch, account string) string {
	t.Helper()
	key, err := ident.RIBKey(bank, branch, account)
	if err != nil {
		t.Fatal(err)
	}
	return ident.RIB{Bank: bank, Branch: branch, Account: account, Key: key}.IBAN()
}

func testTraites(t testing.TB) []Traite {
	return []Traite{
		{
			Document: "F2026-0101", Customer: "411LEFEVRE", Reference: "REM-2026-0043",
			Drawee:    Party{Name: "Boulangerie Lefèvre", Address: Address{Street: "3, place de l’Hôtel-de-Ville", Postcode: "38000", Town: "Grenoble"}},
			SIREN:     "732829320",
			IBAN:      ribIBAN(t, "30003", "01234", "00050012345"),
			Bank:      "Société Générale – Grenoble Victor-Hugo",
			Amount:    123456,
			Due:       day(2026, 12, 31),
			DraweeRef: "CDE-778",
		},
		{
			Document: "F2026-0102", Customer: "411MUNOZ",
			Drawee: Party{Name: "Garage Muñoz & Cie", Address: Address{Street: "ZI des Œillets", Building: "Lot 12", Postcode: "13100", Town: "Aix-en-Provence"}},
			IBAN:   ribIBAN(t, "10278", "07300", "00020471201"),
			Bank:   "Crédit Mutuel Aix Mazarin",
			Amount: 98765432,
			Due:    day(2027, 1, 15),
		},
		{
			Document: "F2026-0103", Customer: "411CAFE",
			Drawee: Party{Name: "Café « Le Relais » SARL", Address: Address{Street: "1 quai Saint-Éloi", Postcode: "21000", Town: "Dijon"}},
			SIREN:  "552 100 554",
			IBAN:   ribIBAN(t, "20041", "01005", "0500013M026"),
			Bank:   "La Banque Postale",
			Amount: 5000,
			Due:    day(2027, 2, 28),
		},
	}
}

func writeTestTraites(t testing.TB, ts []Traite, opts TraiteOptions) ([]byte, TraiteCount) {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = clock
	}
	var buf bytes.Buffer
	n, err := WriteTraites(&buf, creditor, slices.Values(ts), opts)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), n
}

// zone is a rectangle of one form, in mm from the form's top-left corner.
type zone struct {
	name string
	b    box
}

// traiteZones are the value zones checked by the tests: the boxes, plus the
// free areas of the drawer, the order text, the place and date.
func traiteZones() []zone {
	return []zone{
		{"drawer", box{3, 0.5, 82, 15.5}},
		{"order", box{88, 0.5, 98, 16}},
		{"place", box{3, 17, 45, 4.5}},
		{"date", box{49, 17, 40, 4.5}},
		{"control", zControl}, {"created", zCreated}, {"due", zDue}, {"draweeRef", zDraweeRef}, {"amount", zAmount},
		{"ref1", zRefs[0]}, {"ref2", zRefs[1]}, {"ref3", zRefs[2]}, {"valueIn", zValueIn},
		{"ribLabel", box{3, 38.5, 60, 2.8}},
		{"bank", zBank}, {"branch", zBranch}, {"account", zAccount}, {"key", zKey},
		{"domiciliation", zDomicil},
		{"accept", box{zAccept.x, zAccept.y, zAccept.w, zAccept.h}},
		{"drawee", zDrawee},
		{"signature", zSignature},
		{"siren", box{zSIREN.x, zSIREN.y, zSIREN.w, zSIREN.h + 0.5}},
		{"band", box{1, bandY + 0.5, formW - 2, formH - bandY - 1}},
	}
}

// formZones extracts every zone of the form in slot of page.
func formZones(t *testing.T, b []byte, page, slot, perPage int) map[string]string {
	t.Helper()
	tw := traiteWriter{perPage: perPage}
	ox, oy := tw.origin(slot)
	got := map[string]string{}
	for _, z := range traiteZones() {
		got[z.name] = pdfZone(t, b, page, ox+z.b.x, oy+z.b.y, z.b.w, z.b.h)
	}
	return got
}

func TestTraitesZones(t *testing.T) {
	ts := testTraites(t)
	b, n := writeTestTraites(t, ts, TraiteOptions{Created: day(2026, 11, 24)})
	keepPDF(t, "traites.pdf", b)
	if n != (TraiteCount{Printed: 3, Skipped: 0, Pages: 1}) {
		t.Errorf("count %+v", n)
	}
	if pages := pdfPages(t, b); len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	keys := make([]string, len(ts))
	for i, tr := range ts {
		keys[i] = ribKeyOf(t, tr.IBAN)
	}
	want := []map[string]string{
		{
			"drawee":  "NOM et ADRESSE du TIRÉ | Boulangerie Lefèvre | 3, place de l’Hôtel-de-Ville | 38000 Grenoble",
			"control": "1 234,56 €", "amount": "1 234,56 €", "due": "31/12/2026", "draweeRef": "CDE-778",
			"ref1": "F2026-0101", "ref2": "411LEFEVRE", "ref3": "REM-2026-0043",
			"bank": "30003", "branch": "01234", "account": "00050012345", "key": keys[0],
			"domiciliation": "Société Générale – Grenoble Victor-Hugo",
			"siren":         "N° SIREN du TIRÉ 732 829 320",
		},
		{
			"drawee":  "NOM et ADRESSE du TIRÉ | Garage Muñoz & Cie | ZI des Œillets | Lot 12, 13100 Aix-en-Provence",
			"control": "987 654,32 €", "amount": "987 654,32 €", "due": "15/01/2027", "draweeRef": "",
			"ref1": "F2026-0102", "ref2": "411MUNOZ", "ref3": "",
			"bank": "10278", "branch": "07300", "account": "00020471201", "key": keys[1],
			"domiciliation": "Crédit Mutuel Aix Mazarin",
			"siren":         "N° SIREN du TIRÉ",
		},
		{
			"drawee":  "NOM et ADRESSE du TIRÉ | Café « Le Relais » SARL | 1 quai Saint-Éloi | 21000 Dijon",
			"control": "50,00 €", "amount": "50,00 €", "due": "28/02/2027", "draweeRef": "",
			"ref1": "F2026-0103", "ref2": "411CAFE", "ref3": "",
			"bank": "20041", "branch": "01005", "account": "0500013M026", "key": keys[2],
			"domiciliation": "La Banque Postale",
			"siren":         "N° SIREN du TIRÉ 552 100 554",
		},
	}
	common := map[string]string{
		"drawer":    "Société Cœur d’Épées & Fils | 12, rue de l’Église | Bâtiment B – 3e étage | 69002 Lyon",
		"order":     "Contre cette LETTRE DE CHANGE stipulée SANS FRAIS | veuillez payer la somme indiquée ci-dessous | à l’ordre de : | Société Cœur d’Épées & Fils",
		"place":     "A Lyon",
		"date":      "le 24/11/2026",
		"created":   "24/11/2026",
		"ribLabel":  "R.I.B. du TIRÉ",
		"accept":    "ACCEPTATION ou AVAL",
		"signature": "Signature du tireur",
		"band":      "",
	}
	for slot := range 3 {
		got := formZones(t, b, 1, slot, 3)
		for name, w := range common {
			if got[name] != w {
				t.Errorf("traite %d, zone %s: %q, want %q", slot+1, name, got[name], w)
			}
		}
		for name, w := range want[slot] {
			if got[name] != w {
				t.Errorf("traite %d, zone %s: %q, want %q", slot+1, name, got[name], w)
			}
		}
	}
	p := squash(pdfPages(t, b)[0])
	mustContain(t, "captions", p, "MONTANT POUR CONTRÔLE DATE DE CRÉATION ÉCHÉANCE LCR seulement · RÉF. TIRÉ MONTANT EN €",
		"Code établ. Code guichet N° de compte Clé RIB", "DOMICILIATION", "ne rien inscrire au-dessous de cette ligne")
}

func ribKeyOf(t *testing.T, iban string) string {
	t.Helper()
	r := ident.RIBFromIBAN(iban)
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	return r.Key
}

func TestTraitesMinMax(t *testing.T) {
	ts := testTraites(t) // 1 234,56 €, 987 654,32 €, 50,00 €
	tests := []struct {
		min, max int64
		printed  []string
	}{
		{0, 0, []string{"F2026-0101", "F2026-0102", "F2026-0103"}},
		{6000, 0, []string{"F2026-0101", "F2026-0102"}},
		{0, 123456, []string{"F2026-0101", "F2026-0103"}}, // bounds are inclusive
		{5001, 1000000, []string{"F2026-0101"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d-%d", tt.min, tt.max), func(t *testing.T) {
			b, n := writeTestTraites(t, ts, TraiteOptions{Min: tt.min, Max: tt.max})
			if n.Printed != len(tt.printed) || n.Skipped != 3-len(tt.printed) {
				t.Errorf("count %+v, want %d printed", n, len(tt.printed))
			}
			p := strings.Join(pdfPages(t, b), "")
			for _, tr := range ts {
				if in := strings.Contains(p, tr.Document); in != slices.Contains(tt.printed, tr.Document) {
					t.Errorf("%s printed: %v", tr.Document, in)
				}
			}
		})
	}
	var buf bytes.Buffer
	n, err := WriteTraites(&buf, creditor, slices.Values(ts), TraiteOptions{Min: 99_000_000, Now: clock})
	if !errors.Is(err, ErrNoTraite) || n.Skipped != 3 || buf.Len() != 0 {
		t.Errorf("all skipped: %+v, %v, %d bytes", n, err, buf.Len())
	}
}

// frameText is every caption of the standard form; the alignment test
// removes them and expects only X to remain.
var frameText = []string{
	"Contre cette", "LETTRE DE CHANGE", "stipulée", "SANS FRAIS", "veuillez payer la somme indiquée ci-dessous",
	"à l’ordre de :", "MONTANT POUR CONTRÔLE", "DATE DE CRÉATION", "ÉCHÉANCE", "LCR seulement · RÉF. TIRÉ", "Valeur en",
	"MONTANT EN €", "R.I.B. du TIRÉ", "Code établ.", "Code guichet", "N° de compte", "Clé RIB", "DOMICILIATION",
	"ACCEPTATION ou AVAL", "NOM et ADRESSE du TIRÉ", "Signature du tireur", "N° SIREN du TIRÉ",
	"ne rien inscrire au-dessous de cette ligne",
}

func TestTraitesAlignment(t *testing.T) {
	b, n := writeTestTraites(t, nil, TraiteOptions{Alignment: true})
	keepPDF(t, "alignment.pdf", b)
	pages := pdfPages(t, b)
	if len(pages) != 1 || n.Pages != 1 || n.Printed != 0 {
		t.Fatalf("%d pages, count %+v; want one page", len(pages), n)
	}
	rest := pages[0]
	for _, l := range frameText {
		rest = strings.ReplaceAll(rest, l, "")
	}
	for _, f := range strings.Fields(rest) {
		if f != "A" && f != "le" && strings.Trim(f, "X") != "" {
			t.Errorf("alignment page: %q is not X", f)
		}
	}
	onlyX := regexp.MustCompile(`^X+( \| X+)*$`)
	for slot := range 3 {
		got := formZones(t, b, 1, slot, 3)
		got["valueIn"] = strings.TrimPrefix(got["valueIn"], "Valeur en ")
		for _, z := range []string{"drawer", "control", "created", "due", "draweeRef", "amount", "ref1", "ref2", "ref3",
			"bank", "branch", "account", "key", "domiciliation", "valueIn"} {
			if !onlyX.MatchString(got[z]) {
				t.Errorf("slot %d zone %s: %q, want X", slot, z, got[z])
			}
		}
		if got["bank"] != "XXXXX" || got["account"] != "XXXXXXXXXXX" || got["key"] != "XX" {
			t.Errorf("slot %d: RIB zones %q %q %q", slot, got["bank"], got["account"], got["key"])
		}
	}
}

func TestTraitesPerPage(t *testing.T) {
	ts := testTraites(t)
	for _, tt := range []struct{ per, copies, pages int }{{1, 1, 3}, {2, 1, 2}, {3, 1, 1}, {1, 2, 6}, {3, 3, 3}} {
		b, n := writeTestTraites(t, ts, TraiteOptions{PerPage: tt.per, Copies: tt.copies})
		pages := pdfPages(t, b)
		if len(pages) != tt.pages || n.Pages != tt.pages {
			t.Errorf("%d per page × %d copies: %d pages (count %+v), want %d", tt.per, tt.copies, len(pages), n, tt.pages)
		}
		if tt.per == 1 {
			// The one form on each page sits at its slot: check its amount zone.
			for i, tr := range ts {
				got := formZones(t, b, i+1, 0, 1)
				if got["amount"] != plain(tr.Amount) {
					t.Errorf("1 per page, page %d: amount zone %q", i+1, got["amount"])
				}
			}
		}
	}
}

func TestTraitesPreprinted(t *testing.T) {
	ts := testTraites(t)
	b, _ := writeTestTraites(t, ts, TraiteOptions{Model: ModelPreprinted, Created: day(2026, 11, 24)})
	keepPDF(t, "traites-preprinted.pdf", b)
	p := pdfPages(t, b)[0]
	for _, l := range frameText {
		if strings.Contains(p, l) {
			t.Errorf("pre-printed model prints the caption %q", l)
		}
	}
	got := formZones(t, b, 1, 0, 3)
	if got["amount"] != "1 234,56 €" || got["account"] != "00050012345" || got["place"] != "Lyon" {
		t.Errorf("pre-printed values misplaced: %q %q %q", got["amount"], got["account"], got["place"])
	}
}

func TestTraitesErrors(t *testing.T) {
	ts := testTraites(t)
	run := func(ts []Traite, opts TraiteOptions) error {
		opts.Now = clock
		var buf bytes.Buffer
		_, err := WriteTraites(&buf, creditor, slices.Values(ts), opts)
		if err != nil && finished(buf.Bytes()) {
			t.Error("finished the PDF despite the error")
		}
		return err
	}
	if err := run(ts, TraiteOptions{Model: "fantaisie"}); !errors.Is(err, ErrModel) {
		t.Errorf("model: %v", err)
	}
	if err := run(ts, TraiteOptions{PerPage: 4}); !errors.Is(err, ErrPerPage) {
		t.Errorf("per page: %v", err)
	}
	if err := run(ts, TraiteOptions{Copies: 12}); !errors.Is(err, ErrCopies) {
		t.Errorf("copies: %v", err)
	}
	bad := slices.Clone(ts)
	bad[0].IBAN = "FR7630004008280001012345600"                                  // bad check digits
	bad[1].IBAN = "DE89370400440532013000"                                       // valid, not French
	bad[2].Amount = 0                                                            // no amount
	bad[2].SIREN = "123456789"                                                   // bad Luhn
	bad = append(bad, Traite{Document: "F-VIDE", IBAN: ts[0].IBAN, Amount: 100}) // no name, no due date
	err := run(bad, TraiteOptions{})
	for _, w := range []error{ErrAccount, ErrAmount, ErrMissing, ident.ErrCheckDigits} {
		if !errors.Is(err, w) {
			t.Errorf("error %v should wrap %v", err, w)
		}
	}
	for _, w := range []string{`item 1 (F2026-0101): IBAN`, `item 2 (F2026-0102): IBAN "DE89370400440532013000"`,
		`item 3 (F2026-0103): Amount "0,00 €"`, `item 3 (F2026-0103): SIREN "123456789"`,
		`item 4 (F-VIDE): Due`, `item 4 (F-VIDE): Drawee.Name`} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error should mention %s:\n%v", w, err)
		}
	}
}

// With LeaveOut, a traite that cannot be printed (a foreign account) is
// left out and handed over with its problems; the others are printed.
func TestTraitesLeaveOut(t *testing.T) {
	ts := testTraites(t)
	ts[1].IBAN = "NL91ABNA0417164300" // valid, not French
	ts[1].Due = time.Time{}
	type out struct {
		doc  string
		errs []*ItemError
	}
	var left []out
	leave := func(t Traite, errs []*ItemError) { left = append(left, out{t.Document, errs}) }
	b, n := writeTestTraites(t, ts, TraiteOptions{LeaveOut: leave, Copies: 2})
	p := strings.Join(pdfPages(t, b), "")
	if n != (TraiteCount{Printed: 2, Refused: 1, Pages: 2}) || len(left) != 1 || left[0].doc != "F2026-0102" || len(left[0].errs) != 2 ||
		!errors.Is(left[0].errs[0], ErrMissing) || !errors.Is(left[0].errs[1], ErrAccount) || left[0].errs[1].Index != 2 {
		t.Errorf("count %+v, left out %+v", n, left)
	}
	if !strings.Contains(p, "F2026-0101") || strings.Contains(p, "F2026-0102") || !strings.Contains(p, "F2026-0103") {
		t.Errorf("printed:\n%s", p)
	}
	// Without LeaveOut, nothing is printed.
	var buf bytes.Buffer
	if _, err := WriteTraites(&buf, creditor, slices.Values(ts), TraiteOptions{Now: clock}); !errors.Is(err, ErrAccount) || finished(buf.Bytes()) {
		t.Errorf("without LeaveOut: %v", err)
	}
	// Every one left out: nothing to print, and each handed over.
	for i := range ts {
		ts[i].Amount = -1
	}
	buf.Reset()
	left = nil
	n, err := WriteTraites(&buf, creditor, slices.Values(ts), TraiteOptions{Now: clock, LeaveOut: leave})
	if !errors.Is(err, ErrNoTraite) || n.Refused != 3 || len(left) != 3 || n.Printed != 0 || buf.Len() != 0 {
		t.Errorf("all left out: %+v, %v, %d bytes", n, err, buf.Len())
	}
}

// A billet à ordre is a promise of the drawee (souscripteur), not an order
// to the drawee: it gets its own form (issue 15, item 9).
func TestTraitesPromissory(t *testing.T) {
	ts := testTraites(t)
	ts[1].Promissory = true
	b, n := writeTestTraites(t, ts, TraiteOptions{Created: day(2026, 11, 24)})
	keepPDF(t, "traites-bor.pdf", b)
	if n.Printed != 3 || n.Promissory != 1 || n.PromissoryPage != 0 {
		t.Errorf("count %+v", n)
	}
	for slot, want := range []struct{ order, drawee, signature, accept, siren string }{
		{"Contre cette LETTRE DE CHANGE stipulée SANS FRAIS | veuillez payer la somme indiquée ci-dessous",
			"NOM et ADRESSE du TIRÉ", "Signature du tireur", "ACCEPTATION ou AVAL", "N° SIREN du TIRÉ 732 829 320"},
		{"Contre ce BILLET À ORDRE stipulé SANS FRAIS | nous paierons la somme indiquée ci-dessous",
			"NOM et ADRESSE du SOUSCRIPTEUR", "Signature du souscripteur", "BON POUR AVAL", "N° SIREN"},
	} {
		got := formZones(t, b, 1, slot, 3)
		if !strings.HasPrefix(got["order"], want.order+" | à l’ordre de : | Société Cœur d’Épées & Fils") {
			t.Errorf("traite %d: order text %q", slot+1, got["order"])
		}
		if !strings.HasPrefix(got["drawee"], want.drawee+" | ") || got["signature"] != want.signature ||
			got["accept"] != want.accept || got["siren"] != want.siren {
			t.Errorf("traite %d: drawee %q, signature %q, accept %q, siren %q", slot+1, got["drawee"], got["signature"],
				got["accept"], got["siren"])
		}
	}
	page := pdfPages(t, b)[0]
	if c := strings.Count(page, "LETTRE DE CHANGE"); c != 2 {
		t.Errorf("%d lettres de change on the page, want 2", c)
	}
	mustContain(t, "billet à ordre", squash(page), "R.I.B. du SOUSCRIPTEUR", "RÉF. SOUSCRIPTEUR")
}

// On pre-printed paper a billet à ordre needs a billet à ordre form: they
// come after the lettres de change, from a new page, in every copy.
func TestTraitesPromissoryPreprinted(t *testing.T) {
	ts := testTraites(t)
	ts[0].Promissory = true
	b, n := writeTestTraites(t, ts, TraiteOptions{Model: ModelPreprinted, Copies: 2})
	if n.Printed != 3 || n.Promissory != 1 || n.PromissoryPage != 2 || n.Pages != 4 {
		t.Fatalf("count %+v, want the billet à ordre alone on page 2 of each copy", n)
	}
	pages := pdfPages(t, b)
	for i, want := range []string{"F2026-0102 F2026-0103", "F2026-0101", "F2026-0102 F2026-0103", "F2026-0101"} {
		var docs []string
		for _, f := range strings.Fields(pages[i]) {
			if strings.HasPrefix(f, "F2026-") {
				docs = append(docs, f)
			}
		}
		if got := strings.Join(docs, " "); got != want {
			t.Errorf("page %d: %s, want %s", i+1, got, want)
		}
	}
}

// The date of creation is the document's issue date; "A … le …" is the
// date de remise; "Valeur en" says what the bill is for (issue 17, item 13).
func TestTraitesIssueDateAndValueIn(t *testing.T) {
	ts := testTraites(t)
	ts[0].Issued = day(2026, 10, 31)
	b, _ := writeTestTraites(t, ts, TraiteOptions{Created: day(2026, 11, 24), ValueIn: "marchandises"})
	for slot, created := range []string{"31/10/2026", "24/11/2026", "24/11/2026"} {
		got := formZones(t, b, 1, slot, 3)
		if got["created"] != created || got["date"] != "le 24/11/2026" || got["valueIn"] != "Valeur en marchandises" {
			t.Errorf("traite %d: created %q, date %q, valeur en %q", slot+1, got["created"], got["date"], got["valueIn"])
		}
	}
	b, _ = writeTestTraites(t, ts[:1], TraiteOptions{Model: ModelPreprinted, Created: day(2026, 11, 24), ValueIn: "compte"})
	if got := formZones(t, b, 1, 0, 3); got["created"] != "31/10/2026" || got["valueIn"] != "compte" {
		t.Errorf("pre-printed: created %q, valeur en %q", got["created"], got["valueIn"])
	}
}

// The offset moves every value by as many millimetres, and the alignment
// page comes in as many copies as asked (issue 17, item 13).
func TestTraitesOffsetAndAlignmentCopies(t *testing.T) {
	ts := testTraites(t)
	b, _ := writeTestTraites(t, ts, TraiteOptions{Model: ModelPreprinted, PerPage: 2, OffsetX: 6, OffsetY: -4.5})
	moved := traiteWriter{perPage: 2, dx: 6, dy: -4.5}
	ox, oy := moved.origin(1)
	if got := pdfZone(t, b, 1, ox+zAmount.x, oy+zAmount.y, zAmount.w, zAmount.h); got != plain(ts[1].Amount) {
		t.Errorf("amount at the moved place: %q", got)
	}
	still := traiteWriter{perPage: 2}
	ox, oy = still.origin(1)
	if got := pdfZone(t, b, 1, ox+zAccount.x, oy+zAccount.y, zAccount.w, zAccount.h); got == "00020471201" {
		t.Errorf("the account is still at the unmoved place")
	}
	if _, err := WriteTraites(&bytes.Buffer{}, creditor, slices.Values(ts), TraiteOptions{OffsetY: 31, Now: clock}); !errors.Is(err, ErrOffset) {
		t.Errorf("31 mm: %v", err)
	}

	b, n := writeTestTraites(t, nil, TraiteOptions{Alignment: true, Copies: 3, OffsetX: 2})
	if pages := pdfPages(t, b); len(pages) != 3 || n.Pages != 3 {
		t.Errorf("alignment × 3 copies: %d pages (count %+v)", len(pages), n)
	}
}
