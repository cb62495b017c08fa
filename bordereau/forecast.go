package bordereau

import (
	"fmt"
	"io"
	"iter"
	"math"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit/ident"
)

// Forecast is the header of a prévision de trésorerie: whose accounts, and
// the last day forecast.
type Forecast struct {
	Company string    // the company (dossier) whose accounts these are
	To      time.Time // the last day of the forecast
}

// ForecastAccount is one bank account's forecast: its validated balance
// (solde validé) and the days after it on which money is expected in or
// out. The writer computes the balance of each day from them (the seed's
// soldes prévisionnels): the caller never gives a balance but the first.
type ForecastAccount struct {
	Code        string    // the treasury journal, e.g. "BQ1"
	Name        string    // the bank (domiciliation), e.g. "BNP PARIBAS PARIS OPERA"
	IBAN        string    // the company's own account, printed in full; optional
	Balance     int64     // solde validé, cents
	BalanceDate time.Time // its date: the forecast runs from the next day to Forecast.To
	Limit       int64     // the lowest balance allowed (découvert autorisé, limite de décaissement), cents: -500000 for 5,000 € of overdraft, 0 for none

	// Days are the days with movements, in increasing order, each after
	// BalanceDate and not after Forecast.To (days with nothing need not
	// be given). They are held in memory to draw the curve: one per day
	// of the period at most.
	Days []ForecastDay
}

// ForecastDay is what is expected on an account on one day.
type ForecastDay struct {
	Date time.Time
	In   int64 // encaissements, cents ≥ 0
	Out  int64 // décaissements, cents ≥ 0
}

// ForecastOptions are the printing options of a forecast.
type ForecastOptions struct {
	Now    time.Time // the edition date: footer and PDF dates; required
	NoZone bool      // Now is a wall-clock reading of unknown zone (see SlipOptions)
}

// WriteForecast writes the prévision de trésorerie as a PDF to w: for each
// account, from a new page, its validated balance, limit, lowest and final
// projected balances, the curve of its projected balance day by day with
// the limit as a horizontal line (and the zone below it shaded), then the
// table of the days with movements (date, in, out, balance), days below
// the limit in red.
//
// accounts is ranged over once; pages are written as they are finished.
// Each account is checked before it is drawn (dates, order, amounts) and on
// any problem every problem of every account is returned, with 0 pages,
// and the document is not finished. Otherwise it returns the number of
// pages.
func WriteForecast(w io.Writer, f Forecast, accounts iter.Seq[ForecastAccount], opts ForecastOptions) (pages int, err error) {
	var probs problems
	if err := checkNow(opts.Now); err != nil {
		probs.add(err)
	}
	if f.To.IsZero() {
		probs.add(fmt.Errorf("To: %w: the last day of the forecast", ErrMissing))
	}
	if err := probs.err(); err != nil {
		return 0, err
	}
	fw := &forecastWriter{d: newDoc(w, opts.Now, opts.NoZone, "Prévision de trésorerie"), f: f, now: opts.Now}
	fw.d.footer = fw.footer
	i := 0
	for a := range accounts {
		if fw.d.failed() {
			break // the output failed: reading on would be for nothing
		}
		i++
		errs := checkAccount(i, a, f.To)
		for _, e := range errs {
			probs.add(e)
		}
		if len(errs) > 0 || probs.err() != nil {
			continue // nothing more will be finished: spare the drawing
		}
		fw.account(a)
	}
	if fw.d.failed() {
		return fw.d.finish() // the write error, not the accounts it left unread
	}
	if err := probs.err(); err != nil {
		return 0, err
	}
	if i == 0 {
		return 0, fmt.Errorf("%w: no account", ErrMissing)
	}
	fw.d.setPageCount(fw.d.pageNo())
	return fw.d.finish()
}

// checkAccount returns the problems of account i (1-based).
func checkAccount(i int, a ForecastAccount, to time.Time) []*ItemError {
	var errs []*ItemError
	bad := func(field, value string, err error) {
		errs = append(errs, &ItemError{Index: i, Document: a.Code, Field: field, Value: value, Err: err})
	}
	if strings.TrimSpace(a.Code) == "" {
		bad("Code", a.Code, ErrMissing)
	}
	if a.IBAN != "" {
		if err := ident.ValidateIBAN(ident.NormalizeIBAN(a.IBAN)); err != nil {
			bad("IBAN", a.IBAN, fmt.Errorf("%w: %w", ErrIBAN, err))
		}
	}
	if a.BalanceDate.IsZero() {
		bad("BalanceDate", "", ErrMissing)
		return errs
	}
	if daysBetween(a.BalanceDate, to) < 0 {
		bad("BalanceDate", formatDate(a.BalanceDate), fmt.Errorf("after the end of the forecast (%s): %w", formatDate(to), ErrDays))
		return errs
	}
	prev := a.BalanceDate
	for j, day := range a.Days {
		field := fmt.Sprintf("Days[%d].", j)
		switch {
		case day.Date.IsZero():
			bad(field+"Date", "", ErrMissing)
		case daysBetween(prev, day.Date) <= 0 || daysBetween(day.Date, to) < 0:
			bad(field+"Date", formatDate(day.Date), ErrDays)
		default:
			prev = day.Date
		}
		if day.In < 0 {
			bad(field+"In", plainEUR(day.In), ErrAmount)
		}
		if day.Out < 0 {
			bad(field+"Out", plainEUR(day.Out), ErrAmount)
		}
	}
	return errs
}

type forecastWriter struct {
	d   *doc
	f   Forecast
	now time.Time
	a   ForecastAccount // the account being written
}

// The alert colours: a balance below the limit.
var (
	colAlert     = rgb{178, 34, 34}
	colAlertTint = rgb{251, 231, 231}
)

// forecastSeries is an account's balance at the end of each day of the
// period: bal[0] is the validated balance, bal[i] that of BalanceDate+i.
type forecastSeries struct {
	bal      []int64
	moved    []bool // a movement that day
	low      int64  // the lowest balance of the period and its first day
	lowDay   int
	firstOut int // the first day below the limit, -1 when none
}

func series(a ForecastAccount, to time.Time) forecastSeries {
	n := daysBetween(a.BalanceDate, to) + 1
	s := forecastSeries{bal: make([]int64, n), moved: make([]bool, n), firstOut: -1}
	b := a.Balance
	next := 0
	for i := range n {
		if i > 0 && next < len(a.Days) && daysBetween(a.BalanceDate, a.Days[next].Date) == i {
			b += a.Days[next].In - a.Days[next].Out
			s.moved[i] = true
			next++
		}
		s.bal[i] = b
		if i == 0 || b < s.low {
			s.low, s.lowDay = b, i
		}
		if b < a.Limit && s.firstOut < 0 {
			s.firstOut = i
		}
	}
	return s
}

// account writes the pages of one account.
func (fw *forecastWriter) account(a ForecastAccount) {
	d := fw.d
	fw.a = a
	s := series(a, fw.f.To)
	d.addPage()
	period := "du " + formatDate(a.BalanceDate) + " au " + formatDate(fw.f.To)
	y := marginT + titleBand(d, "PRÉVISION DE TRÉSORERIE", fw.f.Company, "COMPTE", a.Code, period) + 4

	y = fw.figures(a, s, y)
	y = fw.chart(a, s, y+1) + 4
	fw.days(a, s, y)
}

// figures draws the boxes of an account (the account, its validated
// balance and limit, the final and lowest projected balances) and the
// alert when the balance goes below the limit; it returns where they end.
func (fw *forecastWriter) figures(a ForecastAccount, s forecastSeries, y float64) float64 {
	d := fw.d
	// Three boxes: the account, its balance and limit, what is expected.
	const gap, w1, w2 = 4.0, 70.0, 56.0
	w3 := contentW - w1 - w2 - 2*gap
	x1, x2, x3 := marginL, marginL+w1+gap, marginL+w1+w2+2*gap
	d.font("B", 9.5)
	name := d.wrap(a.Name, w1-6, 2)
	var acct []string
	if a.IBAN != "" {
		acct = append(acct, "IBAN "+groupIBAN(ident.NormalizeIBAN(a.IBAN)))
	}
	const h = 27.0
	infoBox(d, x1, y, w1, h, "COMPTE "+a.Code, name, acct)
	d.draw(colRule)
	d.lineW(0.25)
	d.rect(x2, y, w2, h, "D")
	figure := func(x, yy, w float64, caption, value string, c rgb) {
		d.label(x+3, yy, caption)
		d.shrinkToFit("B", 11, w-6, value)
		d.color(c)
		d.text(x+3, yy+5.2, value)
		d.color(colInk)
	}
	figure(x2, y+4, w2, "SOLDE VALIDÉ AU "+formatDate(a.BalanceDate), formatEUR(a.Balance), colInk)
	figure(x2, y+16, w2, "DÉCOUVERT AUTORISÉ (LIMITE)", formatEUR(a.Limit), colInk)
	// Tinted red when the balance goes below the limit, each figure red
	// when it is below.
	ink := func(b int64) rgb {
		if b < a.Limit {
			return colAlert
		}
		return colBrand
	}
	tint := colTint
	if s.firstOut >= 0 {
		tint = colAlertTint
	}
	d.fill(tint)
	d.rect(x3, y, w3, h, "F")
	final := s.bal[len(s.bal)-1]
	figure(x3, y+4, w3, "SOLDE PRÉVU AU "+formatDate(fw.f.To), formatEUR(final), ink(final))
	figure(x3, y+16, w3, "SOLDE LE PLUS BAS, LE "+formatDate(fw.day(s.lowDay)), formatEUR(s.low), ink(s.low))
	y += h + 3

	if s.firstOut >= 0 {
		d.font("B", 8.5)
		d.color(colAlert)
		d.textFit(marginL, y+3.5, contentW, fmt.Sprintf("Le solde prévu passe sous la limite le %s (%s).",
			formatDate(fw.day(s.firstOut)), formatEUR(s.bal[s.firstOut])))
		d.color(colInk)
		y += 5.5
	}
	return y
}

// days draws the table of the days with movements from y, over as many
// pages as it needs, and their totals.
func (fw *forecastWriter) days(a ForecastAccount, s forecastSeries, y float64) {
	d := fw.d
	t := newTable(d, []column{
		{"Date", 28, false}, {"Encaissements", 38, true}, {"Décaissements", 38, true}, {"Solde prévu", 42, true},
		{"", contentW - 28 - 38 - 38 - 42, false},
	}, y, fw.nextPage)
	t.font, t.rowH = 8, 4.6
	if !t.ensure(headH + 2*t.rowH) { // a new page brings its own header
		t.header()
	}
	fw.dayRow(t, a.BalanceDate, 0, 0, a.Balance, "solde validé")
	var in, out int64
	for _, day := range a.Days {
		t.ensure(t.rowH)
		fw.dayRow(t, day.Date, day.In, day.Out, s.bal[daysBetween(a.BalanceDate, day.Date)], "")
		in += day.In
		out += day.Out
	}
	if len(a.Days) == 0 {
		t.empty("Aucun mouvement prévu sur la période.")
	}
	t.ensure(sumH)
	d.draw(colBrand)
	d.lineW(0.3)
	d.line(marginL, t.y, marginL+146, t.y)
	d.font("B", 8)
	x := marginL
	cells := []string{plural(len(a.Days), "jour"), formatEUR(in), formatEUR(-out), formatEUR(s.bal[len(s.bal)-1])}
	for i, c := range t.cols[:4] {
		if i == 0 {
			d.text(x+padX, t.y+3.9, cells[i])
		} else {
			d.textRight(x+c.w-padX, t.y+3.9, cells[i])
		}
		x += c.w
	}
	t.y += sumH
}

// dayRow draws one day of the table, in red when its balance is below the
// limit.
func (fw *forecastWriter) dayRow(t *table, date time.Time, in, out, balance int64, note string) {
	if balance < fw.a.Limit {
		fw.d.color(colAlert)
		note = strings.TrimPrefix(note+", sous la limite", ", ")
	}
	t.row(formatDate(date), amountOrBlank(in), amountOrBlank(-out), formatEUR(balance), note)
	fw.d.color(colInk)
}

// day is the date of day i of the current account's period.
func (fw *forecastWriter) day(i int) time.Time { return fw.a.BalanceDate.AddDate(0, 0, i) }

func amountOrBlank(c int64) string {
	if c == 0 {
		return ""
	}
	return formatEUR(c)
}

func (fw *forecastWriter) nextPage() float64 {
	fw.d.addPage()
	return runningHeader(fw.d, "PRÉVISION DE TRÉSORERIE", fw.a.Code+" · "+fw.a.Name, "au "+formatDate(fw.f.To), fw.f.Company, "Suite")
}

func (fw *forecastWriter) footer() {
	footerLine(fw.d, "Prévision de trésorerie · "+fw.f.Company+" · édité le "+formatDateTime(fw.now),
		fmt.Sprintf("Page %d/%s", fw.d.pageNo(), pagesAlias), nil)
}

// Chart geometry, in millimetres.
const (
	chartH      = 88.0 // the whole chart, labels included
	chartLeft   = 24.0 // room for the amounts, left of the plot
	chartBottom = 9.0  // room for the dates, under the plot
	chartTop    = 4.0
)

// chart draws the curve of the projected balance from y and returns where
// it ends. Amounts become coordinates here (float64), and only here; every
// label is formatted from integer cents.
func (fw *forecastWriter) chart(a ForecastAccount, s forecastSeries, y float64) float64 {
	d := fw.d
	px, pw := marginL+chartLeft, contentW-chartLeft-2
	py, ph := y+chartTop, chartH-chartTop-chartBottom
	lo, hi := a.Limit, a.Limit
	for _, b := range s.bal {
		lo, hi = min(lo, b), max(hi, b)
	}
	step, lo, hi := axisScale(lo, hi, 6)
	ypos := func(v int64) float64 { return py + ph - float64(v-lo)/float64(hi-lo)*ph }
	n := len(s.bal)
	xpos := func(i int) float64 {
		if n == 1 {
			return px + pw/2
		}
		return px + float64(i)/float64(n-1)*pw
	}

	// Below the limit: a pale red zone, then the plot's frame and grid.
	ly := ypos(a.Limit)
	d.fill(colAlertTint)
	d.rect(px, ly, pw, py+ph-ly, "F")
	d.draw(colRule)
	d.lineW(0.15)
	d.font("", 6.5)
	d.color(colMuted)
	for v := lo; v <= hi; v += step {
		yy := ypos(v)
		if v == 0 {
			d.draw(colMuted)
			d.lineW(0.3)
		}
		d.line(px, yy, px+pw, yy)
		if v == 0 {
			d.draw(colRule)
			d.lineW(0.15)
		}
		d.textRight(px-1.5, yy+1, formatEuros(v))
	}
	d.draw(colMuted)
	d.lineW(0.25)
	d.rect(px, py, pw, ph, "D")

	// Dates under the plot: a tick every day when they are few, a label
	// every few days, as many as fit.
	every := dateStep(n, int(pw/12))
	for i := range n {
		x := xpos(i)
		labelled := i%every == 0
		if n <= 93 || labelled {
			d.line(x, py+ph, x, py+ph+ternary(labelled, 1.6, 0.8))
		}
		if labelled {
			d.textCenter(x, py+ph+4.3, formatDate(fw.day(i))[:5])
		}
	}
	d.font("", 6.5)
	d.textRight(px+pw, py+ph+8, "Dates ("+yearSpan(a.BalanceDate, fw.f.To)+"), soldes en fin de journée")
	d.color(colInk)

	// The limit.
	d.draw(colAlert)
	d.lineW(0.4)
	d.dash(2, 1.2)
	d.line(px, ly, px+pw, ly)
	d.dash()
	d.font("B", 6.5)
	d.color(colAlert)
	d.textRight(px+pw-1.5, ly-1.2, "Découvert autorisé "+formatEUR(a.Limit))
	d.color(colInk)

	// The balance, in steps: it changes on the days with movements.
	pts := make([][2]float64, 0, 2*n)
	pts = append(pts, [2]float64{xpos(0), ypos(s.bal[0])})
	for i := 1; i < n; i++ {
		if s.bal[i] != s.bal[i-1] {
			pts = append(pts, [2]float64{xpos(i), ypos(s.bal[i-1])}, [2]float64{xpos(i), ypos(s.bal[i])})
		}
	}
	pts = append(pts, [2]float64{xpos(n - 1), ypos(s.bal[n-1])})
	d.draw(colBrand)
	d.lineW(0.6)
	d.p.polyline(pts)
	for i := range n {
		if !s.moved[i] && i != 0 {
			continue
		}
		c := colBrand
		if s.bal[i] < a.Limit {
			c = colAlert
		}
		d.fill(c)
		x, yy := xpos(i), ypos(s.bal[i])
		const r = 0.9
		d.p.polygon([][2]float64{{x, yy - r}, {x + r, yy}, {x, yy + r}, {x - r, yy}}, "F")
	}
	return y + chartH
}

func ternary(c bool, a, b float64) float64 {
	if c {
		return a
	}
	return b
}

// axisScale widens [lo, hi] (cents) to whole steps of 1, 2 or 5 times a
// power of ten euros, at most ticks steps, and returns the step and the
// new bounds.
func axisScale(lo, hi int64, ticks int64) (step, lo2, hi2 int64) {
	if hi == lo {
		lo, hi = lo-100_000, hi+100_000 // a flat line: ± 1,000 € around it
	}
	span := hi - lo
	step = 100 // 1 €
	for span/step > ticks {
		if step > math.MaxInt64/10 {
			break
		}
		switch m := step / pow10(step); m {
		case 1:
			step *= 2
		case 2:
			step = step / 2 * 5
		default:
			step *= 2 // 5 → 10
		}
	}
	return step, floorTo(lo, step), ceilTo(hi, step)
}

// pow10 is the largest power of ten not above v > 0.
func pow10(v int64) int64 {
	p := int64(1)
	for p <= v/10 {
		p *= 10
	}
	return p
}

func floorTo(v, step int64) int64 {
	q := v / step
	if v%step != 0 && v < 0 {
		q--
	}
	return q * step
}

func ceilTo(v, step int64) int64 {
	q := v / step
	if v%step != 0 && v > 0 {
		q++
	}
	return q * step
}

// formatEuros formats a whole number of euros given in cents: "-5 000 €".
func formatEuros(cents int64) string {
	c := formatCents(cents)
	return c[:len(c)-3] + nbsp + "€"
}

// dateStep is how many days apart the date labels go so that at most max
// of them show: a day, two, a week, two weeks, four weeks, then as needed.
func dateStep(days, max int) int {
	for _, s := range []int{1, 2, 7, 14, 28} {
		if (days+s-1)/s <= max {
			return s
		}
	}
	return (days + max - 1) / max
}

// yearSpan is "2026" or "2026–2027".
func yearSpan(from, to time.Time) string {
	if from.Year() == to.Year() {
		return fmt.Sprint(from.Year())
	}
	return fmt.Sprintf("%d–%d", from.Year(), to.Year())
}
