package treasury

import (
	"cmp"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
)

// Payable is a payment the company will make from one of its banks: a
// supplier payment at its execution date (until supplier payments exist,
// the caller makes them).
type Payable struct {
	Ref    string    // the payable's document, or the payment's reference
	Bank   string    // the bank's code; empty: the default bank
	Method string    // vir, chq, lcr, esp, cb: its type of operation is Method + "-out"
	Date   time.Time // the execution date
	Amount int64     // cents, > 0
}

// ForecastInput is what a forecast is made of.
type ForecastInput struct {
	// Banks are all the banks: a receivable's journal is looked up among
	// them (BankFor).
	Banks []remit.Bank
	// Only are the codes of the banks to forecast; empty: every bank.
	Only []string
	// To is the last day of the forecast.
	To time.Time
	// Lots are the remittances (and cheque deposits) not yet confirmed by
	// a statement; credited ones are left out.
	Lots []Lot
	// Receivables are those not yet remitted: open, pointed or rejected
	// ones are expected on their due date; the others are left out.
	Receivables []Receivable
	// Payables are the payments to be made.
	Payables []Payable
	// DaysOnly leaves the operations out of the projections (Flows and
	// Later stay empty): their days, balances and notes are the same, and
	// a forecaster fed one operation at a time holds no more than its days.
	DaysOnly bool
}

// Flow is one operation a forecast counts.
type Flow struct {
	Source string              // "remittance", "receivable" or "payable"
	Ref    string              // the remittance (and block), the document, the payable
	Op     remit.BankOperation // its type of operation: its bank's value days
	Date   time.Time           // its own date: collection, due or execution date
	// Expected is ExpectedValueDate: Date plus the bank's value days.
	Expected time.Time
	// On is the day the forecast counts it: Expected, or the day after
	// the validated date when Expected is not after it (Moved).
	On     time.Time
	Moved  bool
	Amount int64 // cents: positive in, negative out
}

// Day is one day of a forecast with operations.
type Day struct {
	Date       time.Time
	In, Out    int64 // cents, ≥ 0
	Balance    int64 // cents, at the end of the day
	BelowLimit bool  // Balance is below the bank's limit
}

// Projection is the forecast of one bank (soldes prévisionnels): from its
// validated balance, the balance day by day to To.
type Projection struct {
	Bank, Name, IBAN string
	Balance          int64     // the validated balance (solde validé), cents
	BalanceDate      time.Time // its date: the forecast counts from the next day
	Limit            int64     // the lowest balance allowed, cents
	To               time.Time

	Days   []Day // the days with operations, in increasing order
	Final  int64 // the balance at the end of To
	Lowest int64 // the lowest balance from BalanceDate to To
	// LowestDate is the first day of the lowest balance (BalanceDate when
	// it is never lower than the validated one).
	LowestDate time.Time
	// FirstBelow is the first day below the limit; zero when none.
	FirstBelow time.Time

	Flows []Flow // the operations counted, by day
	Later []Flow // the operations expected after To, not counted
	// LaterCount and LaterTotal are how many operations are expected
	// after To, and their amount in cents (with DaysOnly too).
	LaterCount int
	LaterTotal int64
	Notes      []string // what is worth knowing: receivables sent to the default bank, operations moved

	byDay map[int64]int // while placing: the index in Days of each day, by its Unix time
	moved int           // while placing: the operations counted moved (seed 003)
}

// Forecast projects the balance of each bank day by day, from its
// validated balance at its validated date (seed 003: "Le calcul prend pour
// situation de départ le solde validé à la date validée") to in.To:
//   - remittances not yet confirmed (Lots) on their expected value date:
//     collection or due date plus the bank's value days for their type;
//   - receivables not yet remitted on their due date plus the value days
//     of their method, at the bank of their journal (BankFor);
//   - payables on their execution date plus the value days of their
//     method issued (vir-out…), out of their bank.
//
// Seed 003: "Lorsqu'une opération de trésorerie n'a pas encore été
// rapprochée et que la date d'opération théorique est antérieure à la date
// de validation du solde du compte alors le système prévoira que cette
// opération aura lieu le lendemain de la date de validation du compte."
// An operation expected on the validated date itself is moved too: the
// validated balance is the balance at the end of that day, which an
// operation not reconciled did not reach ("Le solde réel et le solde
// théorique sont nécessairement égaux pour toutes les dates avant la date
// de validation").
//
// Every problem comes at once: a bank without a validated balance
// (ErrNoBalance), To before a validated date (ErrPeriod), an operation
// whose bank is unknown or that has no bank (ErrNoBank), an amount not
// positive (ErrAmount).
func Forecast(in ForecastInput) ([]Projection, error) {
	f := NewForecaster(in)
	for _, l := range in.Lots {
		f.Lot(l)
	}
	for _, r := range in.Receivables {
		f.Receivable(r)
	}
	for _, p := range in.Payables {
		f.Payable(p)
	}
	return f.Finish()
}

// Forecaster makes a forecast as Forecast does from operations given one
// at a time, lots first, then receivables, then payables (the order its
// problems and notes come in): with in.DaysOnly, it holds the days, not
// the operations. in's Lots, Receivables and Payables are not read.
type Forecaster struct{ f forecaster }

// NewForecaster opens the projections of in.Banks (in.Only) to in.To.
func NewForecaster(in ForecastInput) *Forecaster {
	fc := &Forecaster{f: forecaster{in: in, byCode: map[string]*Projection{}}}
	fc.f.start()
	return fc
}

// Lot counts a remittance not yet confirmed.
func (fc *Forecaster) Lot(l Lot) { fc.f.placeLot(l) }

// Receivable counts a receivable not yet remitted.
func (fc *Forecaster) Receivable(r Receivable) { fc.f.placeReceivable(r) }

// Payable counts a payment to be made.
func (fc *Forecaster) Payable(p Payable) { fc.f.placePayable(p) }

// Finish adds up the days of each projection; every problem comes at once
// (see Forecast).
func (fc *Forecaster) Finish() ([]Projection, error) {
	f := &fc.f
	if err := f.err(); err != nil {
		return nil, err
	}
	for _, p := range f.out {
		p.finish()
	}
	out := make([]Projection, len(f.out))
	for i, p := range f.out {
		out[i] = *p
	}
	return out, nil
}

// forecaster builds the projections.
type forecaster struct {
	in     ForecastInput
	out    []*Projection
	byCode map[string]*Projection // the banks forecast, by upper-case code
	banks  map[string]remit.Bank  // every bank, by upper-case code
	errs   []error
	seen   map[string]bool // problems reported, so that 100,000 receivables of one journal make one
}

func (f *forecaster) fail(err error) {
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	if msg := err.Error(); !f.seen[msg] {
		f.seen[msg] = true
		f.errs = append(f.errs, err)
	}
}

func (f *forecaster) err() error { return errors.Join(f.errs...) }

// start opens a projection for each bank forecast.
func (f *forecaster) start() {
	f.banks = map[string]remit.Bank{}
	for _, b := range f.in.Banks {
		f.banks[strings.ToUpper(b.Code)] = b
	}
	for _, code := range f.in.Only {
		if _, ok := f.banks[strings.ToUpper(code)]; !ok {
			f.fail(fmt.Errorf("bank %s: %w of that code", code, ErrNoBank))
		}
	}
	to := day(f.in.To)
	if f.in.To.IsZero() {
		f.fail(fmt.Errorf("%w: the forecast needs its last day", ErrPeriod))
	}
	for _, b := range f.in.Banks {
		if len(f.in.Only) > 0 && !slices.ContainsFunc(f.in.Only, func(c string) bool { return strings.EqualFold(c, b.Code) }) {
			continue
		}
		switch {
		case b.BalanceDate.IsZero():
			f.fail(fmt.Errorf("bank %s: %w: set it (remit bank balance %s --amount … --date …) or import a statement", b.Code, ErrNoBalance, b.Code))
			continue
		case !f.in.To.IsZero() && to.Before(day(b.BalanceDate)):
			f.fail(fmt.Errorf("bank %s: %w: %s is before %s", b.Code, ErrPeriod, formatDay(to), formatDay(b.BalanceDate)))
			continue
		}
		p := &Projection{Bank: b.Code, Name: b.Name, IBAN: b.IBAN, Balance: b.Balance, BalanceDate: day(b.BalanceDate), Limit: b.Limit, To: to}
		f.out = append(f.out, p)
		f.byCode[strings.ToUpper(b.Code)] = p
	}
}

// bank returns the bank of code (the default bank for ""), and its
// projection if it is forecast.
func (f *forecaster) bank(code, what string) (remit.Bank, *Projection, bool) {
	if code == "" {
		c, err := BankFor(f.in.Banks, "")
		if err != nil {
			f.fail(fmt.Errorf("%s: %w", what, err))
			return remit.Bank{}, nil, false
		}
		code = c.Bank.Code
	}
	b, ok := f.banks[strings.ToUpper(code)]
	if !ok {
		f.fail(fmt.Errorf("%s: bank %s: %w of that code", what, code, ErrNoBank))
		return remit.Bank{}, nil, false
	}
	p := f.byCode[strings.ToUpper(code)]
	return b, p, p != nil
}

func (f *forecaster) placeLot(l Lot) {
	if l.Credited {
		return
	}
	what := "remittance " + l.Remittance
	if l.Block > 0 {
		what += fmt.Sprintf(" block %d", l.Block)
	}
	if l.expected() <= 0 {
		f.fail(fmt.Errorf("%s: %w: %d cents", what, ErrAmount, l.expected()))
		return
	}
	if b, p, ok := f.bank(l.Bank, what); ok {
		p.place(b, Flow{Source: "remittance", Ref: strings.TrimPrefix(what, "remittance "), Op: l.Op, Date: day(l.Date), Amount: l.expected()}, f.in.DaysOnly)
	}
}

func (f *forecaster) placeReceivable(r Receivable) {
	switch r.Status {
	case remit.StatusOpen, remit.StatusPointed, remit.StatusRejected:
	default:
		return
	}
	if r.Open <= 0 {
		return // nothing more to come
	}
	c, err := BankFor(f.in.Banks, r.Journal)
	if err != nil {
		f.fail(fmt.Errorf("receivable %s: %w", r.Document, err))
		return
	}
	p := f.byCode[strings.ToUpper(c.Bank.Code)]
	if p == nil {
		return
	}
	if c.Note != "" && !slices.Contains(p.Notes, "receivables of "+c.Note) {
		p.Notes = append(p.Notes, "receivables of "+c.Note)
	}
	p.place(c.Bank, Flow{Source: "receivable", Ref: r.Document, Op: remit.BankOperation(r.Method), Date: day(r.Due), Amount: r.Open}, f.in.DaysOnly)
}

func (f *forecaster) placePayable(pay Payable) {
	what := "payable " + pay.Ref
	if pay.Amount <= 0 {
		f.fail(fmt.Errorf("%s: %w: %d cents", what, ErrAmount, pay.Amount))
		return
	}
	op := remit.BankOperation("")
	if pay.Method != "" {
		op = remit.BankOperation(pay.Method + "-out")
	}
	if b, p, ok := f.bank(pay.Bank, what); ok {
		p.place(b, Flow{Source: "payable", Ref: pay.Ref, Op: op, Date: day(pay.Date), Amount: -pay.Amount}, f.in.DaysOnly)
	}
}

// place counts fl on its expected day, the seed's rule applied, into the
// day's movements; it keeps fl in Flows or Later unless daysOnly.
func (p *Projection) place(b remit.Bank, fl Flow, daysOnly bool) {
	fl.Expected = ExpectedValueDate(b, fl.Op, fl.Date)
	fl.On = fl.Expected
	if !fl.On.After(p.BalanceDate) {
		fl.On, fl.Moved = p.BalanceDate.AddDate(0, 0, 1), true
	}
	if fl.On.After(p.To) {
		p.LaterCount++
		p.LaterTotal += fl.Amount
		if !daysOnly {
			p.Later = append(p.Later, fl)
		}
		return
	}
	if fl.Moved {
		p.moved++
	}
	p.addDay(fl.On, fl.Amount)
	if !daysOnly {
		p.Flows = append(p.Flows, fl)
	}
}

// addDay adds amount to the movements of day on.
func (p *Projection) addDay(on time.Time, amount int64) {
	if p.byDay == nil {
		p.byDay = map[int64]int{}
	}
	i, ok := p.byDay[on.Unix()]
	if !ok {
		i = len(p.Days)
		p.byDay[on.Unix()] = i
		p.Days = append(p.Days, Day{Date: on})
	}
	if amount >= 0 {
		p.Days[i].In += amount
	} else {
		p.Days[i].Out -= amount
	}
}

var sourceOrder = map[string]int{"remittance": 0, "receivable": 1, "payable": 2}

func compareFlows(a, b Flow) int {
	return cmp.Or(a.On.Compare(b.On), cmp.Compare(sourceOrder[a.Source], sourceOrder[b.Source]), strings.Compare(a.Ref, b.Ref),
		cmp.Compare(a.Amount, b.Amount))
}

// finish sorts the operations and adds up the days.
func (p *Projection) finish() {
	slices.SortStableFunc(p.Flows, compareFlows)
	slices.SortStableFunc(p.Later, compareFlows)
	bal := p.Balance
	p.Lowest, p.LowestDate = bal, p.BalanceDate
	if bal < p.Limit {
		p.FirstBelow = p.BalanceDate
	}
	slices.SortFunc(p.Days, func(a, b Day) int { return a.Date.Compare(b.Date) })
	moved := p.moved
	p.byDay, p.moved = nil, 0
	for i := range p.Days {
		d := &p.Days[i]
		bal += d.In - d.Out
		d.Balance, d.BelowLimit = bal, bal < p.Limit
		if bal < p.Lowest {
			p.Lowest, p.LowestDate = bal, d.Date
		}
		if d.BelowLimit && p.FirstBelow.IsZero() {
			p.FirstBelow = d.Date
		}
	}
	p.Final = bal
	if moved > 0 {
		what := "operations expected by %s and not yet reconciled are"
		if moved == 1 {
			what = "operation expected by %s and not yet reconciled is"
		}
		p.Notes = append(p.Notes, fmt.Sprintf("%d "+what+" counted on %s (seed 003)", moved, formatDay(p.BalanceDate), formatDay(p.BalanceDate.AddDate(0, 0, 1))))
	}
}

// BalanceOn returns the projected balance at the end of day d: the
// validated balance before any operation, the final one after To.
func (p *Projection) BalanceOn(d time.Time) int64 {
	d = day(d)
	bal := p.Balance
	for _, x := range p.Days {
		if x.Date.After(d) {
			break
		}
		bal = x.Balance
	}
	return bal
}

// ForecastAccount returns the projection as bordereau.WriteForecast draws
// it.
func (p *Projection) ForecastAccount() bordereau.ForecastAccount {
	a := bordereau.ForecastAccount{Code: p.Bank, Name: p.Name, IBAN: p.IBAN, Balance: p.Balance, BalanceDate: p.BalanceDate, Limit: p.Limit}
	for _, d := range p.Days {
		a.Days = append(a.Days, bordereau.ForecastDay{Date: d.Date, In: d.In, Out: d.Out})
	}
	return a
}

// ForecastAccounts returns the projections as bordereau.WriteForecast
// takes them:
//
//	bordereau.WriteForecast(w, bordereau.Forecast{Company: name, To: to}, treasury.ForecastAccounts(ps), opts)
func ForecastAccounts(ps []Projection) iter.Seq[bordereau.ForecastAccount] {
	return func(yield func(bordereau.ForecastAccount) bool) {
		for i := range ps {
			if !yield(ps[i].ForecastAccount()) {
				return
			}
		}
	}
}
