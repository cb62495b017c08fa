package treasury

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/statement"
)

// forecastBanks: BQ1 (default) validated at 12,450.30 and BQ2 at 1,000.00
// with 5,000.00 of overdraft, both on 30 November 2026.
func forecastBanks() []remit.Bank {
	b1, b2 := bq1(), bq2()
	b1.Balance, b1.BalanceDate = 1245030, date(2026, 11, 30)
	b1.ValueDays[remit.OpChequeOut] = 5
	b2.Balance, b2.BalanceDate = 100000, date(2026, 11, 30)
	return []remit.Bank{b1, b2}
}

func forecastInput() ForecastInput {
	return ForecastInput{
		Banks: forecastBanks(),
		To:    date(2026, 12, 31),
		Lots: []Lot{
			{Bank: "BQ2", Remittance: "R1", Block: 1, Op: remit.OpSDD, Date: date(2026, 12, 1), Total: 25000},
			{Bank: "BQ2", Remittance: "R3", Block: 1, Op: remit.OpSDD, Date: date(2026, 11, 27), Total: 30000}, // not confirmed by the validated date
			{Bank: "BQ1", Remittance: "L1", Op: remit.OpLCR, Date: date(2026, 12, 10), Total: 54000},
			{Bank: "BQ1", Remittance: "L0", Op: remit.OpLCR, Date: date(2026, 11, 20), Total: 99999, Credited: true}, // confirmed: in the balance
			{Bank: "BQ1", Remittance: "C1", Op: remit.OpCheque, Date: date(2026, 12, 5), Total: 12000},
			{Bank: "BQ2", Remittance: "R4", Block: 1, Op: remit.OpSDD, Date: date(2026, 12, 2), Total: 5000,
				Items: []Item{{Amount: 3000}, {Amount: 2000, Rejected: true}}}, // 20.00 rejected before settlement
		},
		Receivables: []Receivable{
			{Document: "F20", Journal: "BQ2", Method: "sdd", Status: remit.StatusPointed, Due: date(2026, 12, 15), Open: 10000},
			{Document: "F21", Method: "vir", Status: remit.StatusOpen, Due: date(2026, 12, 20), Open: 7550},
			{Document: "F22", Journal: "RT", Method: "lcr", Status: remit.StatusOpen, Due: date(2026, 12, 31), Open: 33300},
			{Document: "F23", Journal: "BQ2", Method: "sdd", Status: remit.StatusRemitted, Due: date(2026, 12, 15), Open: 1},
			{Document: "F24", Journal: "BQ2", Status: remit.StatusPaid, Due: date(2026, 12, 15), Open: 1},
			{Document: "F25", Journal: "BQ2", Status: StatusWrittenOff, Due: date(2026, 12, 15), Open: 1},
			{Document: "F26", Journal: "BQ2", Method: "sdd", Status: remit.StatusRejected, Due: date(2026, 11, 15), Open: 8000},
			{Document: "F27", Journal: "BQ2", Status: remit.StatusOpen, Due: date(2026, 12, 15), Open: 0}, // nothing open
		},
		Payables: []Payable{
			{Ref: "P1", Bank: "BQ2", Method: "vir", Date: date(2026, 12, 3), Amount: 700000},
			{Ref: "P2", Method: "chq", Date: date(2026, 12, 4), Amount: 20000},
		},
	}
}

func dayText(d Day) string {
	s := fmt.Sprintf("%s +%s -%s = %s", formatDay(d.Date), statement.Format(d.In), statement.Format(d.Out), statement.Format(d.Balance))
	if d.BelowLimit {
		s += " below"
	}
	return s
}

// TestForecast checks two banks' forecasts figure by figure.
func TestForecast(t *testing.T) {
	ps, err := Forecast(forecastInput())
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Bank != "BQ1" || ps[1].Bank != "BQ2" {
		t.Fatalf("%d projections", len(ps))
	}
	for _, tt := range []struct {
		p                     Projection
		days                  []string
		final, lowest         int64
		lowestDate, firstBelw time.Time
		later, notes          []string
	}{
		{ps[0], []string{
			"2026-12-08 +120.00 -0.00 = 12570.30", // cheques deposited Saturday 5: taken Monday 7, one value day
			"2026-12-11 +0.00 -200.00 = 12370.30", // a cheque issued on Friday 4, cashed five business days later
			"2026-12-14 +540.00 -0.00 = 12910.30", // LCRs due Thursday 10, two value days
			"2026-12-21 +75.50 -0.00 = 12985.80"}, // a transfer due Sunday 20 (no journal: the default bank)
			1298580, 1237030, date(2026, 12, 11), time.Time{},
			[]string{"F22 2027-01-05 333.00"}, // due Thursday 31 December + 2 business days (1 January closed): after the forecast
			[]string{"receivables of journal RT is no bank: default bank BQ1"}},
		{ps[1], []string{
			"2026-12-01 +380.00 -0.00 = 1380.00",          // R3 (27 Nov + 1 = 30 Nov) and F26 (15 Nov + 1), not reconciled: the day after the validated date
			"2026-12-02 +250.00 -0.00 = 1630.00",          // R1 on 1 Dec + 1 value day
			"2026-12-03 +30.00 -7000.00 = -5340.00 below", // R4 without its reject; a transfer of 7,000.00 out
			"2026-12-16 +100.00 -0.00 = -5240.00 below"},
			-524000, -534000, date(2026, 12, 3), date(2026, 12, 3), nil,
			[]string{"2 operations expected by 2026-11-30 and not yet reconciled are counted on 2026-12-01 (seed 003)"}},
	} {
		p := tt.p
		var days []string
		for _, d := range p.Days {
			days = append(days, dayText(d))
		}
		var later []string
		for _, f := range p.Later {
			later = append(later, fmt.Sprintf("%s %s %s", f.Ref, formatDay(f.On), statement.Format(f.Amount)))
		}
		if !slices.Equal(days, tt.days) || p.Final != tt.final || p.Lowest != tt.lowest || !p.LowestDate.Equal(tt.lowestDate) ||
			!p.FirstBelow.Equal(tt.firstBelw) || !slices.Equal(later, tt.later) || !slices.Equal(p.Notes, tt.notes) {
			t.Errorf("%s:\n days %q\n final %d lowest %d on %s first below %s\n later %q\n notes %q", p.Bank, days, p.Final, p.Lowest,
				formatDay(p.LowestDate), formatDay(p.FirstBelow), later, p.Notes)
		}
	}
	r3 := ps[1].Flows[0]
	if r3.Ref != "R3 block 1" || !r3.Moved || !r3.Expected.Equal(date(2026, 11, 30)) || !r3.On.Equal(date(2026, 12, 1)) || r3.Source != "remittance" {
		t.Errorf("R3: %+v", r3)
	}
	for _, tt := range []struct {
		d    time.Time
		want int64
	}{{date(2026, 11, 30), 100000}, {date(2026, 11, 1), 100000}, {date(2026, 12, 2), 163000}, {date(2026, 12, 10), -534000}, {date(2027, 6, 1), -524000}} {
		if got := ps[1].BalanceOn(tt.d); got != tt.want {
			t.Errorf("BQ2 on %s: %d, want %d", formatDay(tt.d), got, tt.want)
		}
	}
}

// TestForecastMovedOnValidatedDate: an operation expected on the validated
// date itself, not reconciled, is counted the day after it.
func TestForecastMovedOnValidatedDate(t *testing.T) {
	in := ForecastInput{Banks: forecastBanks(), To: date(2026, 12, 31),
		Lots: []Lot{{Bank: "BQ1", Remittance: "R5", Op: remit.OpSDD, Date: date(2026, 11, 30), Total: 100}}}
	ps, err := Forecast(in)
	if err != nil {
		t.Fatal(err)
	}
	if f := ps[0].Flows[0]; !f.Moved || !f.On.Equal(date(2026, 12, 1)) || !f.Expected.Equal(date(2026, 11, 30)) {
		t.Errorf("%+v", f)
	}
	in.Lots[0].Date = date(2026, 12, 1)
	ps, _ = Forecast(in)
	if f := ps[0].Flows[0]; f.Moved || !f.On.Equal(date(2026, 12, 1)) {
		t.Errorf("%+v", f)
	}
}

func TestForecastOnly(t *testing.T) {
	in := forecastInput()
	in.Only = []string{"bq2"}
	ps, err := Forecast(in)
	if err != nil || len(ps) != 1 || ps[0].Bank != "BQ2" || len(ps[0].Days) != 4 {
		t.Fatalf("%+v %v", ps, err)
	}
	// A bank forecast alone needs no validated balance of the others.
	in.Banks[0].Balance, in.Banks[0].BalanceDate = 0, time.Time{}
	if _, err := Forecast(in); err != nil {
		t.Fatal(err)
	}
}

func TestForecastErrors(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(*ForecastInput)
		is     error
		want   string
	}{
		{"no validated balance", func(in *ForecastInput) { in.Banks[1].Balance, in.Banks[1].BalanceDate = 0, time.Time{} }, ErrNoBalance,
			"bank BQ2: no validated balance: set it (remit bank balance BQ2 --amount … --date …) or import a statement"},
		{"before the validated date", func(in *ForecastInput) { in.To = date(2026, 11, 29) }, ErrPeriod,
			"bank BQ1: end of the forecast before the validated date: 2026-11-29 is before 2026-11-30\nbank BQ2: end of the forecast before the validated date: 2026-11-29 is before 2026-11-30"},
		{"no end", func(in *ForecastInput) { in.To = time.Time{} }, ErrPeriod, "end of the forecast before the validated date: the forecast needs its last day"},
		{"unknown bank", func(in *ForecastInput) { in.Only = []string{"BQ7"} }, ErrNoBank, "bank BQ7: no bank of that code"},
		{"a lot of an unknown bank", func(in *ForecastInput) { in.Lots[0].Bank = "BQ9" }, ErrNoBank, "remittance R1 block 1: bank BQ9: no bank of that code"},
		{"no default bank", func(in *ForecastInput) { in.Banks[0].Default = false }, ErrNoBank,
			"receivable F21: no journal: no bank: no default bank (remit bank add … --default)\n" +
				"receivable F22: journal RT: no bank of that code and no default bank (remit bank add RT … or --default)\n" +
				"payable P2: no journal: no bank: no default bank (remit bank add … --default)"},
		{"amounts", func(in *ForecastInput) { in.Payables[0].Amount, in.Lots[1].Total = 0, -5 }, ErrAmount,
			"remittance R3 block 1: amount must be positive: -5 cents\npayable P1: amount must be positive: 0 cents"},
	} {
		in := forecastInput()
		tt.change(&in)
		ps, err := Forecast(in)
		if !errors.Is(err, tt.is) || err.Error() != tt.want || ps != nil {
			t.Errorf("%s:\n got %v\nwant %s", tt.name, err, tt.want)
		}
	}
}

// TestForecastPDF: the projections are what bordereau.WriteForecast takes.
func TestForecastPDF(t *testing.T) {
	ps, err := Forecast(forecastInput())
	if err != nil {
		t.Fatal(err)
	}
	a := ps[1].ForecastAccount()
	if a.Code != "BQ2" || a.Name != "CIC LYON" || a.Balance != 100000 || a.Limit != -500000 || !a.BalanceDate.Equal(date(2026, 11, 30)) ||
		len(a.Days) != 4 || a.Days[2] != (bordereau.ForecastDay{Date: date(2026, 12, 3), In: 3000, Out: 700000}) {
		t.Errorf("%+v", a)
	}
	var buf bytes.Buffer
	pages, err := bordereau.WriteForecast(&buf, bordereau.Forecast{Company: "EXEMPLE SA", To: date(2026, 12, 31)}, ForecastAccounts(ps),
		bordereau.ForecastOptions{Now: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)})
	if err != nil || pages < 2 || !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("%d pages, %v", pages, err)
	}
	n := 0
	for range ForecastAccounts(ps) {
		n++
		break // stops early without trouble
	}
	if n != 1 {
		t.Error(n)
	}
}

func TestForecastJSON(t *testing.T) {
	in := ForecastInput{Banks: forecastBanks(), Only: []string{"BQ2"}, To: date(2026, 12, 31),
		Lots:     []Lot{{Bank: "BQ2", Remittance: "R1", Block: 1, Op: remit.OpSDD, Date: date(2026, 11, 27), Total: 25000}},
		Payables: []Payable{{Ref: "P1", Bank: "BQ2", Method: "vir", Date: date(2026, 12, 3), Amount: 700000}}}
	ps, err := Forecast(in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(ps)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"bank":"BQ2","name":"CIC LYON","iban":"FR7610096000502468013579016","balance":"1000.00","balance_date":"2026-11-30",` +
		`"limit":"-5000.00","to":"2026-12-31","final":"-5750.00","lowest":"-5750.00","lowest_date":"2026-12-03","first_below_limit":"2026-12-03",` +
		`"days":[{"date":"2026-12-01","in":"250.00","out":"0.00","balance":"1250.00","below_limit":false},` +
		`{"date":"2026-12-03","in":"0.00","out":"7000.00","balance":"-5750.00","below_limit":true}],` +
		`"operations":[{"source":"remittance","ref":"R1 block 1","op":"sdd","date":"2026-11-27","expected":"2026-11-30","on":"2026-12-01","moved":true,"amount":"250.00"},` +
		`{"source":"payable","ref":"P1","op":"vir-out","date":"2026-12-03","expected":"2026-12-03","on":"2026-12-03","amount":"-7000.00"}],` +
		`"notes":["1 operation expected by 2026-11-30 and not yet reconciled is counted on 2026-12-01 (seed 003)"]}]`
	if string(b) != want {
		t.Errorf("\n got %s\nwant %s", b, want)
	}
	if !strings.Contains(string(b), `"below_limit":true`) {
		t.Error("no day below the limit")
	}
}

// TestForecastDaysOnly checks that a forecast without its operations has
// the days, balances, notes and operations after To of the full one, for
// every last day (some operations later, some moved).
func TestForecastDaysOnly(t *testing.T) {
	for _, to := range []time.Time{date(2026, 12, 1), date(2026, 12, 4), date(2026, 12, 16), date(2026, 12, 31)} {
		in := forecastInput()
		in.To = to
		full, err := Forecast(in)
		if err != nil {
			t.Fatal(err)
		}
		in.DaysOnly = true
		days, err := Forecast(in)
		if err != nil || len(days) != len(full) {
			t.Fatalf("%s: %d projections, %v", formatDay(to), len(days), err)
		}
		for i := range full {
			var total int64
			for _, f := range full[i].Later {
				total += f.Amount
			}
			want := full[i]
			if want.LaterCount != len(want.Later) || want.LaterTotal != total {
				t.Errorf("%s %s: later %d, %d; want %d, %d", formatDay(to), want.Bank, want.LaterCount, want.LaterTotal, len(want.Later), total)
			}
			want.Flows, want.Later = nil, nil
			if !reflect.DeepEqual(days[i], want) {
				t.Errorf("%s %s:\n%+v\nwant\n%+v", formatDay(to), want.Bank, days[i], want)
			}
		}
	}
}
