package treasury

import (
	"encoding/json"
	"time"

	"github.com/remit-dev/remit/remit/statement"
)

// A forecast in JSON has its amounts as decimal strings ("12450.30", as
// remit's other JSON outputs) and its dates as 2006-01-02.

type jsonFlow struct {
	Source   string `json:"source"`
	Ref      string `json:"ref"`
	Op       string `json:"op,omitempty"`
	Date     string `json:"date"`
	Expected string `json:"expected"`
	On       string `json:"on"`
	Moved    bool   `json:"moved,omitempty"`
	Amount   string `json:"amount"`
}

type jsonDay struct {
	Date       string `json:"date"`
	In         string `json:"in"`
	Out        string `json:"out"`
	Balance    string `json:"balance"`
	BelowLimit bool   `json:"below_limit"`
}

type jsonProjection struct {
	Bank        string     `json:"bank"`
	Name        string     `json:"name"`
	IBAN        string     `json:"iban"`
	Balance     string     `json:"balance"`
	BalanceDate string     `json:"balance_date"`
	Limit       string     `json:"limit"`
	To          string     `json:"to"`
	Final       string     `json:"final"`
	Lowest      string     `json:"lowest"`
	LowestDate  string     `json:"lowest_date"`
	FirstBelow  string     `json:"first_below_limit,omitempty"`
	Days        []jsonDay  `json:"days"`
	Flows       []jsonFlow `json:"operations"`
	Later       []jsonFlow `json:"later,omitempty"`
	Notes       []string   `json:"notes,omitempty"`
}

func jsonDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}

func jsonFlows(fs []Flow) []jsonFlow {
	out := make([]jsonFlow, len(fs))
	for i, f := range fs {
		out[i] = jsonFlow{Source: f.Source, Ref: f.Ref, Op: string(f.Op), Date: jsonDate(f.Date), Expected: jsonDate(f.Expected),
			On: jsonDate(f.On), Moved: f.Moved, Amount: statement.Format(f.Amount)}
	}
	return out
}

// MarshalJSON writes the projection for programs (remit forecast --format
// json): amounts as decimal strings, dates as 2006-01-02.
func (p Projection) MarshalJSON() ([]byte, error) {
	j := jsonProjection{Bank: p.Bank, Name: p.Name, IBAN: p.IBAN, Balance: statement.Format(p.Balance), BalanceDate: jsonDate(p.BalanceDate),
		Limit: statement.Format(p.Limit), To: jsonDate(p.To), Final: statement.Format(p.Final), Lowest: statement.Format(p.Lowest),
		LowestDate: jsonDate(p.LowestDate), FirstBelow: jsonDate(p.FirstBelow), Days: make([]jsonDay, len(p.Days)),
		Flows: jsonFlows(p.Flows), Later: jsonFlows(p.Later), Notes: p.Notes}
	for i, d := range p.Days {
		j.Days[i] = jsonDay{Date: jsonDate(d.Date), In: statement.Format(d.In), Out: statement.Format(d.Out),
			Balance: statement.Format(d.Balance), BelowLimit: d.BelowLimit}
	}
	if len(p.Later) == 0 {
		j.Later = nil
	}
	return json.Marshal(j)
}
