package cli

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/store"
)

// payableSelection are the filters of seed 002's selection screen (step
// 1), shared by payables list, point and unpoint.
type payableSelection struct {
	DueFrom, DueTo           string
	IssueFrom, IssueTo       string
	SupplierFrom, SupplierTo string
	Method, Journal, Status  string
	Documents                []string
	MaxAmount                string
	Anomalies                string
}

func (s *payableSelection) register(f *pflag.FlagSet, status bool) {
	f.StringVar(&s.DueFrom, "due-from", "", "first due date")
	f.StringVar(&s.DueTo, "due-to", "", "last due date")
	f.StringVar(&s.IssueFrom, "issue-from", "", "first issue date")
	f.StringVar(&s.IssueTo, "issue-to", "", "last issue date")
	f.StringVar(&s.SupplierFrom, "supplier-from", "", "first supplier account")
	f.StringVar(&s.SupplierTo, "supplier-to", "", "last supplier account (also matches as a prefix: 401M takes 401MARTIN)")
	f.StringVar(&s.Method, "method", "any", "payment method: vir, chq, none (no method) or any")
	choices(f, "method", "vir", "chq", "none", "any")
	f.StringVar(&s.Journal, "journal", "any", "the bank (treasury journal) named, none or any")
	f.StringArrayVar(&s.Documents, "document", nil, "a document number (repeatable)")
	f.StringVar(&s.MaxAmount, "max-amount", "", "only payables of at most this amount, e.g. 5000.00 (credit notes always pass)")
	f.StringVar(&s.Anomalies, "anomalies", "", "hide (leave out the contested payables and, when approval is required, the unapproved) or only")
	choices(f, "anomalies", "", "hide", "only")
	for _, d := range []string{"due-from", "due-to", "issue-from", "issue-to"} {
		valueKind(f, d, "date")
	}
	valueKind(f, "max-amount", "amount")
	if status {
		f.StringVar(&s.Status, "status", "all", "open, pointed, remitted, paid or all")
		choices(f, "status", "open", "pointed", "remitted", "paid", "all")
	}
}

// filter builds the store's filter. No date bound lists every payable.
func (s *payableSelection) filter() (store.PayableFilter, error) {
	f := payables.Filter{SupplierFrom: s.SupplierFrom, SupplierTo: s.SupplierTo, Method: s.Method, Journal: s.Journal,
		Documents: s.Documents, Anomalies: s.Anomalies}
	if s.Status != "all" {
		f.Status = payables.Status(s.Status)
	}
	dates := []struct {
		flag, v string
		set     func(t time.Time)
	}{
		{"due-from", s.DueFrom, func(t time.Time) { f.DueFrom = t }},
		{"due-to", s.DueTo, func(t time.Time) { f.DueTo = t }},
		{"issue-from", s.IssueFrom, func(t time.Time) { f.IssueFrom = t }},
		{"issue-to", s.IssueTo, func(t time.Time) { f.IssueTo = t }},
	}
	for _, d := range dates {
		if d.v == "" {
			continue
		}
		t, err := remit.ParseDate(d.v)
		if err != nil {
			return store.PayableFilter{}, usageError("--%s %q: %v", d.flag, d.v, err)
		}
		d.set(t)
	}
	if s.MaxAmount != "" {
		a, err := remit.ParseAmount(s.MaxAmount)
		if err != nil {
			return store.PayableFilter{}, usageError("--max-amount %q: %v", s.MaxAmount, err)
		}
		f.AmountTo = a
	}
	if err := f.Validate(); err != nil {
		return store.PayableFilter{}, usageError("%v", err)
	}
	return store.PayableFilter{Filter: f}, nil
}

type payablesListOptions struct {
	*Env
	Sel     payableSelection
	Refused bool
}

func newPayablesListCmd(env *Env) *cobra.Command {
	opts := &payablesListOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List payables with selection filters",
		Long: `list prints the payables the filters select, by due date: a table for people, or
--format csv|json for programs. Without date flags every payable is listed.

A payable that cannot be paid as it stands is an anomaly (seed 002): contested
(never paid until remit payables resolve), or not approved when the creditor
requires a bon à payer; the table says why under it, --anomalies hide leaves them
out, --anomalies only lists them. A pointed payable shows its group (G12: one
payment for several payables); one a payment run left pointed shows why.`,
		Example: `  remit payables list --due-to 2026-12-31 --supplier-from 401A --supplier-to 401M --method vir
  remit payables list --status pointed --format json
  remit payables list --anomalies only`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return payablesListRun(cmd, opts) },
	}
	opts.Sel.register(cmd.Flags(), true)
	cmd.Flags().BoolVar(&opts.Refused, "refused", false, "only the pointed payables a payment run left pointed, and why")
	addFormat(cmd, "table", "csv", "json")
	return cmd
}

func payablesListRun(cmd *cobra.Command, opts *payablesListOptions) error {
	f, err := opts.Sel.filter()
	if err != nil {
		return err
	}
	f.Refused = opts.Refused
	st, ps, cr, err := opts.openPayables(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	f.ApprovalRequired = cr.ApprovalRequired
	w := bufio.NewWriterSize(opts.Out, 1<<16)
	defer w.Flush()
	var emit func(store.PayableRow) error
	var done func(totals []remit.CurrencyTotal) error
	switch outputFormat(cmd) {
	case "json":
		opts.wroteJSON = true
		emit, done = payablesJSON(w, cr.ApprovalRequired)
	case "csv":
		emit, done = payablesCSV(w, cr.ApprovalRequired)
	default:
		emit, done = payablesTable(w, cr.ApprovalRequired)
	}
	var totals []remit.CurrencyTotal
	err = ps.Payables(cmd.Context(), cr.ID, f, func(r store.PayableRow) error {
		totals = remit.AddTotal(totals, r.Currency, r.Amount)
		return emit(r)
	})
	if err != nil {
		return err
	}
	return done(totals)
}

// anomaly says why a payable cannot be paid as it stands, or "".
func anomaly(r store.PayableRow, approvalRequired bool) payables.Reason {
	reason, _ := payables.Blocked(r.Payable, approvalRequired)
	return reason
}

func groupName(r store.PayableRow) string {
	if r.Group == 0 {
		return ""
	}
	return fmt.Sprintf("G%d", r.Group)
}

func payablesTable(w io.Writer, approvalRequired bool) (func(store.PayableRow) error, func([]remit.CurrencyTotal) error) {
	n := 0
	emit := func(r store.PayableRow) error {
		if n == 0 {
			fmt.Fprintf(w, "%s %s %s %s %s %s %s %s %s %s\n", fit("DOCUMENT", 14), fit("SUPPLIER", 12), fit("NAME", 24),
				fit("DUE", 10), fit("METHOD", 6), fit("JOURNAL", 7), fit("STATUS", 8), right("AMOUNT", 14), fit("CUR", 3), "GROUP")
		}
		n++
		method := string(r.Method)
		if method == "" {
			method = "-"
		}
		ref := groupName(r)
		if r.Payment != "" {
			ref = "remise " + r.Payment
		}
		_, err := fmt.Fprintf(w, "%s %s %s %s %s %s %s %s %s %s\n", fit(r.Document, 14), fit(r.Supplier, 12), fit(r.Name, 24),
			remit.FormatDate(r.Due), fit(method, 6), fit(r.Journal, 7), fit(string(r.Status), 8),
			right(remit.FormatAmountFR(r.Amount), 14), fit(r.Currency, 3), ref)
		if err != nil {
			return err
		}
		if a := anomaly(r, approvalRequired); a.Code != "" && (r.Status == payables.StatusOpen || r.Status == payables.StatusPointed) {
			_, err = fmt.Fprintf(w, "%s %s\n", fit("", 14), a)
		} else if r.Refusal != "" {
			_, err = fmt.Fprintf(w, "%s refused (since %s): %s\n", fit("", 14), r.RefusedAt, r.Refusal)
		}
		return err
	}
	done := func(totals []remit.CurrencyTotal) error {
		if n == 0 {
			_, err := fmt.Fprintln(w, "no payable matches")
			return err
		}
		for _, t := range totals {
			fmt.Fprintf(w, "%s, total %s %s\n", plural(t.Count, "payable", "payables"), remit.FormatAmountFR(t.Total), t.Currency)
		}
		return nil
	}
	return emit, done
}

var payableListColumns = []string{"document", "supplier", "name", "amount", "currency", "due_date", "issue_date", "method", "journal",
	"priority", "status", "group", "remittance", "approved", "contested", "anomaly", "refusal"}

func payablesCSV(w io.Writer, approvalRequired bool) (func(store.PayableRow) error, func([]remit.CurrencyTotal) error) {
	cw := csv.NewWriter(w)
	cw.Write(payableListColumns)
	emit := func(r store.PayableRow) error {
		rec := []string{r.Document, r.Supplier, r.Name, remit.FormatAmount(r.Amount), r.Currency, remit.FormatDate(r.Due),
			remit.FormatDate(r.Issue), string(r.Method), r.Journal, fmt.Sprint(r.Priority), string(r.Status), groupName(r), r.Payment,
			r.Column("approved"), r.Column("contested"), string(anomaly(r, approvalRequired).Code), r.Refusal}
		for i, f := range rec {
			rec[i] = remit.SpreadsheetCell(f)
		}
		return cw.Write(rec)
	}
	done := func([]remit.CurrencyTotal) error { cw.Flush(); return cw.Error() }
	return emit, done
}

// payableJSON is a payable as list --format json prints it.
type payableJSON struct {
	Document   string           `json:"document"`
	Supplier   string           `json:"supplier"`
	Name       string           `json:"name"`
	Amount     string           `json:"amount"`
	Currency   string           `json:"currency"`
	DueDate    string           `json:"due_date"`
	IssueDate  string           `json:"issue_date,omitempty"`
	Method     string           `json:"method"`
	Journal    string           `json:"journal"`
	Priority   int              `json:"priority"`
	IBAN       string           `json:"iban,omitempty"` // masked
	Parent     string           `json:"parent,omitempty"`
	Discount   *discountJSON    `json:"discount,omitempty"`
	Approved   bool             `json:"approved"`
	Contested  bool             `json:"contested"`
	Reason     string           `json:"contest_reason,omitempty"`
	Status     string           `json:"status"`
	Group      string           `json:"group,omitempty"`
	Remittance *string          `json:"remittance"`
	Anomaly    *payables.Reason `json:"anomaly,omitempty"`
	Refusal    string           `json:"refusal,omitempty"`
	Since      string           `json:"refused_since,omitempty"`
}

type discountJSON struct {
	Rate  string `json:"rate"`
	Until string `json:"until"`
}

func toPayableJSON(r store.PayableRow, approvalRequired bool) payableJSON {
	j := payableJSON{Document: r.Document, Supplier: r.Supplier, Name: r.Name, Amount: remit.FormatAmount(r.Amount),
		Currency: r.Currency, DueDate: remit.FormatDate(r.Due), IssueDate: remit.FormatDate(r.Issue), Method: string(r.Method),
		Journal: r.Journal, Priority: r.Priority, IBAN: maskIBAN(r.IBAN), Parent: r.Parent, Approved: r.Approved,
		Contested: r.Contested, Reason: r.ContestReason, Status: string(r.Status), Group: groupName(r), Refusal: r.Refusal,
		Since: r.RefusedAt}
	if !r.Discount.IsZero() {
		j.Discount = &discountJSON{Rate: r.Discount.Rate.Decimal(), Until: remit.FormatDate(r.Discount.Until)}
	}
	if r.Payment != "" {
		ref := r.Payment
		j.Remittance = &ref
	}
	if a := anomaly(r, approvalRequired); a.Code != "" && (r.Status == payables.StatusOpen || r.Status == payables.StatusPointed) {
		j.Anomaly = &a
	}
	return j
}

// payablesJSON writes {"payables": [...], "totals": [...]}, one payable a
// line as they stream.
func payablesJSON(w io.Writer, approvalRequired bool) (func(store.PayableRow) error, func([]remit.CurrencyTotal) error) {
	m := &jsonMembers{w: w, key: "payables"}
	emit := func(r store.PayableRow) error { return m.add(toPayableJSON(r, approvalRequired)) }
	done := func(totals []remit.CurrencyTotal) error {
		end := m.end()
		t, err := json.Marshal(totalsJSON(totals))
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, end+`  "totals": `+string(t)+"\n}\n")
		return err
	}
	return emit, done
}
