package bordereau

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// forecastAccounts: one account that dips below its overdraft limit in
// December, one that stays well above it, one with no movement.
func forecastAccounts() []ForecastAccount {
	bq1 := ForecastAccount{Code: "BQ1", Name: "BNP PARIBAS PARIS OPERA", IBAN: "FR7630004008280001012345691",
		Balance: 1245030, BalanceDate: day(2026, 11, 30), Limit: -500000}
	moves := []ForecastDay{
		{Date: day(2026, 12, 2), In: 350000},
		{Date: day(2026, 12, 4), Out: 1280000},
		{Date: day(2026, 12, 7), In: 84050, Out: 120000},
		{Date: day(2026, 12, 10), Out: 985000},
		{Date: day(2026, 12, 15), In: 1500000},
		{Date: day(2026, 12, 31), Out: 640000},
		{Date: day(2027, 1, 5), In: 2230000},
		{Date: day(2027, 1, 15), Out: 310000},
		{Date: day(2027, 1, 29), In: 45000, Out: 450000},
	}
	bq1.Days = moves
	bq2 := ForecastAccount{Code: "BQ2", Name: "CIC LYON", Balance: 8200000, BalanceDate: day(2026, 11, 28)}
	for i := range 40 {
		bq2.Days = append(bq2.Days, ForecastDay{Date: day(2026, 11, 29).AddDate(0, 0, i+i/3), In: int64(100000 + i*1111), Out: int64(90000 + (i%7)*23456)})
	}
	bq3 := ForecastAccount{Code: "BQ3", Name: "LA BANQUE POSTALE", Balance: -12000, BalanceDate: day(2026, 12, 1), Limit: -100000}
	return []ForecastAccount{bq1, bq2, bq3}
}

func writeTestForecast(t testing.TB, as []ForecastAccount) ([]byte, int) {
	t.Helper()
	var buf bytes.Buffer
	pages, err := WriteForecast(&buf, Forecast{Company: "Société Cœur d’Épées & Fils", To: day(2027, 1, 31)}, slices.Values(as), ForecastOptions{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(pdfPages(t, buf.Bytes())); got != pages {
		t.Errorf("WriteForecast says %d pages, the PDF has %d", pages, got)
	}
	return buf.Bytes(), pages
}

// TestForecastFigures checks every figure of the first account: the
// balances the writer computes day by day, the lowest and final ones, the
// first day under the limit, and the table.
func TestForecastFigures(t *testing.T) {
	as := forecastAccounts()
	b, _ := writeTestForecast(t, as)
	keepPDF(t, "forecast.pdf", b)
	pages := pdfPages(t, b)
	p := squash(pages[0])
	mustContain(t, "BQ1", p,
		"PRÉVISION DE TRÉSORERIE", "Société Cœur d’Épées & Fils", "COMPTE", "BQ1", "du 30/11/2026 au 31/01/2027",
		"BNP PARIBAS PARIS OPERA", "IBAN FR76 3000 4008 2800 0101 2345 691",
		"SOLDE VALIDÉ AU 30/11/2026", "12 450,30 €", "DÉCOUVERT AUTORISÉ (LIMITE)", "-5 000,00 €",
		"SOLDE PRÉVU AU 31/01/2027", "SOLDE LE PLUS BAS, LE 10/12/2026",
		"Découvert autorisé -5 000,00 €", "Dates (2026–2027), soldes en fin de journée",
		"Date Encaissements Décaissements Solde prévu",
		"30/11/2026 12 450,30 € solde validé",
	)
	// The balances, computed here the long way.
	bal := as[0].Balance
	var in, out int64
	low, lowDay := bal, ""
	first := ""
	for _, d := range as[0].Days {
		bal += d.In - d.Out
		in += d.In
		out += d.Out
		line := formatDate(d.Date) + " " + strings.TrimSpace(strings.Join([]string{amountText(d.In), amountText(-d.Out), plain(bal)}, " "))
		line = strings.Join(strings.Fields(line), " ")
		if bal < as[0].Limit {
			line += " sous la limite"
			if first == "" {
				first = fmt.Sprintf("Le solde prévu passe sous la limite le %s (%s).", formatDate(d.Date), plain(bal))
			}
		}
		mustContain(t, "BQ1 table", p, line)
		if bal < low {
			low, lowDay = bal, formatDate(d.Date)
		}
	}
	if lowDay != "10/12/2026" || first == "" {
		t.Fatalf("test data: lowest %s on %s, first %q", plain(low), lowDay, first)
	}
	mustContain(t, "BQ1", p, first, plain(low), fmt.Sprintf("9 jours %s %s %s", plain(in), plain(-out), plain(bal)))
	// Axis: whole euros on the left, dates every week under the plot.
	mustContain(t, "BQ1 axis", p, "30/11", "07/12", "14/12", "28/12", "25/01")
	if !regexp.MustCompile(`(?m)^-10 000 €$|\b-10 000 €`).MatchString(p) {
		t.Errorf("no -10 000 € tick on the amount axis")
	}
}

func amountText(c int64) string {
	if c == 0 {
		return ""
	}
	return plain(c)
}

// TestForecastAccounts: each account from a new page, a long one going on
// with its header, one without movement, and page numbers of the whole.
func TestForecastAccounts(t *testing.T) {
	b, n := writeTestForecast(t, forecastAccounts())
	pages := pdfPages(t, b)
	var firsts []string
	for i, raw := range pages {
		p := squash(raw)
		mustContain(t, fmt.Sprintf("page %d", i+1), p, fmt.Sprintf("Page %d/%d", i+1, n),
			"Prévision de trésorerie · Société Cœur d’Épées & Fils · édité le 24/11/2026 à 09:41")
		if m := regexp.MustCompile(`COMPTE (BQ\d)`).FindStringSubmatch(p); m != nil {
			firsts = append(firsts, m[1])
		} else {
			mustContain(t, fmt.Sprintf("page %d", i+1), p, "PRÉVISION DE TRÉSORERIE BQ2 · CIC LYON au 31/01/2027", "Suite")
		}
	}
	if !slices.Equal(firsts, []string{"BQ1", "BQ2", "BQ3"}) {
		t.Errorf("accounts start %v", firsts)
	}
	last := squash(pages[len(pages)-1])
	mustContain(t, "BQ3", last, "Aucun mouvement prévu sur la période.", "0 jour", "-120,00 €")
	if strings.Contains(last, "sous la limite") {
		t.Error("BQ3 stays above its limit")
	}
}

// TestForecastErrors: every problem of every account at once.
func TestForecastErrors(t *testing.T) {
	as := forecastAccounts()
	as[0].Days[3].Date = as[0].Days[2].Date // twice the same day
	as[0].Days[4].Out = -1
	as[1].Days[len(as[1].Days)-1].Date = day(2027, 2, 1) // after To
	as[1].Days[0].Date = day(2026, 11, 28)               // the validated day itself
	as[2].BalanceDate = day(2027, 2, 2)
	as = append(as, ForecastAccount{IBAN: "FR7630004008280001012345690"})
	var buf bytes.Buffer
	_, err := WriteForecast(&buf, Forecast{To: day(2027, 1, 31)}, slices.Values(as), ForecastOptions{Now: clock})
	for _, want := range []string{
		`item 1 (BQ1): Days[3].Date "07/12/2026": days must be in increasing order`,
		`item 1 (BQ1): Days[4].Out "-0,01 €": amount must be positive`,
		`item 2 (BQ2): Days[0].Date "28/11/2026": days must be`,
		`item 2 (BQ2): Days[39].Date "01/02/2027": days must be`,
		`item 3 (BQ3): BalanceDate "02/02/2027": after the end of the forecast (31/01/2027)`,
		`item 4: Code "": missing`, `item 4: IBAN "FR7630004008280001012345690": not a valid IBAN`, `item 4: BalanceDate "": missing`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if !errors.Is(err, ErrDays) || finished(buf.Bytes()) {
		t.Errorf("err %v, finished %v", err, finished(buf.Bytes()))
	}
	for _, c := range []struct {
		f    Forecast
		opts ForecastOptions
		as   []ForecastAccount
	}{
		{Forecast{To: day(2027, 1, 31)}, ForecastOptions{}, forecastAccounts()},
		{Forecast{}, ForecastOptions{Now: clock}, forecastAccounts()},
		{Forecast{To: day(2027, 1, 31)}, ForecastOptions{Now: clock}, nil},
	} {
		buf.Reset()
		if _, err := WriteForecast(&buf, c.f, slices.Values(c.as), c.opts); !errors.Is(err, ErrMissing) || finished(buf.Bytes()) {
			t.Errorf("%+v %+v: %v", c.f, c.opts, err)
		}
	}
}

func TestAxisScale(t *testing.T) {
	for _, c := range []struct {
		lo, hi, step, lo2, hi2 int64
	}{
		{-500000, 1245030, 500000, -500000, 1500000},
		{0, 0, 50000, -100000, 100000},
		{1, 99, 100, 0, 100},
		{-123456789, 987654321, 200000000, -200000000, 1000000000},
		{100000, 100050, 100, 100000, 100100},
	} {
		step, lo, hi := axisScale(c.lo, c.hi, 6)
		if step != c.step || lo != c.lo2 || hi != c.hi2 {
			t.Errorf("axisScale(%d, %d) = %d, %d, %d; want %d, %d, %d", c.lo, c.hi, step, lo, hi, c.step, c.lo2, c.hi2)
		}
		if (hi-lo)/step > 7 { // one more when the bounds round outwards
			t.Errorf("axisScale(%d, %d): %d steps", c.lo, c.hi, (hi-lo)/step)
		}
	}
}
