package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
)

func printCreditor(w io.Writer, c remit.Creditor) {
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %-10s %s\n", k, v)
		}
	}
	row("code", c.Code)
	row("name", c.Name)
	a := c.Address
	row("address", strings.TrimSpace(strings.Join(nonEmpty(a.Building+" "+a.Street, a.Postcode+" "+a.Town, a.Country), ", ")))
	row("ICS", c.ICS)
	row("NNE", c.NNE)
	row("SIREN", c.SIREN)
	row("IBAN", c.IBAN)
	row("BIC", c.BIC)
	row("bank", c.BankName)
	if c.RCUROnly {
		row("policy", "RCUR for first collections")
	}
	if c.ApprovalRequired {
		row("payables", "paid only once approved (bon à payer)")
	}
	if c.TraiteOffset != (remit.Offset{}) {
		row("traites", "printed with an offset of "+c.TraiteOffset.String())
	}
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// fit pads or cuts s to exactly n runes, for fixed-width tables that can
// stream any number of rows. Control and format characters (a newline or
// an escape sequence in a name, a right-to-left override) become spaces:
// they would break the table or reach the terminal.
func fit(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, s)
	c := utf8.RuneCountInString(s)
	if c == n {
		return s
	}
	if c < n {
		return s + strings.Repeat(" ", n-c)
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func right(s string, n int) string {
	c := utf8.RuneCountInString(s)
	if c >= n {
		return s
	}
	return strings.Repeat(" ", n-c) + s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// pronoun is "it" for one thing, "them" for several.
func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// frAmount writes an amount that JSON carries as "1234.56" the way tables
// do: 1 234,56.
func frAmount(s string) string {
	cents, err := remit.ParseAmount(s)
	if err != nil {
		return s
	}
	return remit.FormatAmountFR(cents)
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// addFormat gives a command the output flag every command shares:
// --format with the formats it prints (the first is the default), and
// --json, shorthand for --format json.
func addFormat(cmd *cobra.Command, formats ...string) {
	f := cmd.Flags()
	f.String("format", formats[0], "output: "+orList(formats))
	choices(f, "format", formats...)
	f.Bool("json", false, "shorthand for --format json")
}

// outputFormat is the command's --format ("json" with --json), or "" for a
// command without one.
func outputFormat(cmd *cobra.Command) string {
	f := cmd.Flags()
	if j := f.Lookup("json"); j != nil && j.Value.Type() == "bool" && j.Value.String() == "true" {
		return "json"
	}
	if fl := f.Lookup("format"); fl != nil {
		return fl.Value.String()
	}
	return ""
}

// checkFormat refuses --json with another --format.
func checkFormat(cmd *cobra.Command) error {
	f := cmd.Flags()
	if f.Changed("json") && f.Changed("format") && f.Lookup("format").Value.String() != "json" {
		return usageError("--json and --format %s: choose one (--json is --format json)", f.Lookup("format").Value.String())
	}
	return nil
}

// errRefused is returned by commands that refused every item and did
// nothing; they have already printed what was refused and why.
var errRefused = &ExitError{Code: ExitRefused, Err: errors.New("every item was refused: nothing was done")}

// itemsExit maps what a command did with its items to the exit status:
// 0 when nothing was refused, 3 when some were done and some refused, 5
// when every one was refused.
func itemsExit(done, refused int) error {
	switch {
	case refused == 0:
		return nil
	case done == 0:
		return errRefused
	}
	return errPartial
}

// currencyTotal is one currency's total in JSON: amounts of different
// currencies are never added, each has its own count.
type currencyTotal struct {
	Currency string `json:"currency"`
	Count    int    `json:"count"`
	Total    string `json:"total"`
}

// totalsJSON gives the totals of a list, by currency code; never null.
func totalsJSON(totals []remit.CurrencyTotal) []currencyTotal {
	out := make([]currencyTotal, 0, len(totals))
	for _, t := range totals {
		out = append(out, currencyTotal{Currency: t.Currency, Count: t.Count, Total: remit.FormatAmount(t.Total)})
	}
	return out
}

// endListing ends a listing written to w as the store streamed it: done
// (its totals, or its closing bracket) unless the walk failed with err,
// then the flush of what was written, which goes out even after an error.
func endListing(w *bufio.Writer, err error, done func() error) error {
	if err == nil {
		err = done()
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}
