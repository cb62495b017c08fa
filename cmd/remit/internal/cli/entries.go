package cli

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/outdir"
	"github.com/remit-dev/remit/remit/store"
)

type entriesOptions struct {
	*Env
	cmd *cobra.Command
}

func init() { extraCommands = append(extraCommands, newEntriesCmd) }

func newEntriesCmd(env *Env) *cobra.Command {
	opts := &entriesOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "entries [REF...]",
		Short: "Export the accounting entries (FEC or CSV) of remittances or of a period",
		Long: `entries writes the accounting entries remit recorded: the collection écritures
of the given remittances with their rejects, fees and reversals, or, with no
reference, every entry; --from and --to keep the entries dated in the range.

--format fec writes the French FEC layout (article A. 47 A-1 LPF): the 18
columns, a header line, tab-separated, CR LF line ends, dates AAAAMMJJ,
amounts 1234,56, in ISO-8859-15 unless --encoding utf-8. --format csv writes
plain UTF-8 CSV for programs, --format json (--json) one JSON object with the
lines (the CSV's columns) and their count and totals. Lines come in the order
they were recorded.

The entries are written when remittances and returns are recorded, with the
settings under entries.* in the configuration (see README).`,
		Example: `  remit entries 12 13 --format fec > ecritures.txt
  remit entries --from 2026-12-01 --to 2026-12-31 -o decembre.txt
  remit entries 12 --format csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.cmd = cmd
			return entriesRun(opts, args)
		},
	}
	f := cmd.Flags()
	f.String("from", "", "first entry date (YYYY-MM-DD)")
	valueKind(f, "from", "date")
	f.String("to", "", "last entry date (YYYY-MM-DD)")
	valueKind(f, "to", "date")
	addFormat(cmd, "fec", "csv", "json")
	f.String("encoding", remit.EncodingLatin9, "FEC encoding: iso-8859-15 or utf-8")
	choices(f, "encoding", remit.EncodingLatin9, remit.EncodingUTF8)
	valueKind(f, "encoding", "encoding")
	f.StringP("output", "o", "", "write to this file instead of standard output")
	return cmd
}

type entryWriter interface {
	Write(accounting.Entry) error
	Close() error
}

func entriesRun(opts *entriesOptions, args []string) error {
	ctx := opts.cmd.Context()
	v := opts.Config
	var f accounting.EntryFilter
	for _, a := range args {
		id, err := refArg(a)
		if err != nil {
			return err
		}
		f.Remittances = append(f.Remittances, id)
	}
	var err error
	for _, d := range []struct {
		flag string
		to   *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if s := v.GetString("entries." + d.flag); s != "" {
			if *d.to, err = remit.ParseDate(s); err != nil {
				return usageError("--%s %q: %v", d.flag, s, err)
			}
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return usageError("--from %s is after --to %s", f.From.Format(remit.DateLayout), f.To.Format(remit.DateLayout))
	}
	format := strings.ToLower(v.GetString("entries.format"))
	if outputFormat(opts.cmd) == "json" {
		format = "json" // --json
	}
	if format != "fec" && format != "csv" && format != "json" {
		return usageError("--format %q: want fec, csv or json", format)
	}
	// Check the encoding before opening anything.
	if _, err := accounting.NewFECWriter(io.Discard, v.GetString("entries.encoding")); err != nil && format == "fec" {
		return usageError("--encoding: %v", err)
	}
	st, cr, err := opts.storeAndCreditor(opts.cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.CheckRemittancesExist(ctx, cr.ID, f.Remittances); err != nil {
		return err
	}
	return writeOutput(opts.Out, v.GetString("entries.output"), func(w io.Writer) error {
		var ew entryWriter = accounting.NewEntryCSVWriter(w)
		if format == "json" {
			ew = &entryJSONWriter{w: w, m: jsonMembers{w: w, key: "entries"}}
		}
		if format == "fec" {
			fw, err := accounting.NewFECWriter(w, v.GetString("entries.encoding"))
			if err != nil {
				return err
			}
			ew = fw
		}
		if err := st.Entries(ctx, cr.ID, f, ew.Write); err != nil {
			return err
		}
		return ew.Close()
	})
}

// entryJSONWriter writes {"entries": [...], "count", "debit", "credit"}:
// one line a line of entry as they stream (the CSV export's columns, amounts
// 1234.56), then their count and totals.
type entryJSONWriter struct {
	w             io.Writer
	m             jsonMembers
	debit, credit int64
}

type entryJSON struct {
	Journal      string `json:"journal"`
	JournalLabel string `json:"journal_label"`
	Number       int64  `json:"number"`
	Line         int    `json:"line"`
	Date         string `json:"date"`
	Account      string `json:"account"`
	AccountLabel string `json:"account_label"`
	Aux          string `json:"aux_account"`
	AuxLabel     string `json:"aux_label"`
	Piece        string `json:"piece_ref"`
	PieceDate    string `json:"piece_date"`
	Label        string `json:"label"`
	Debit        string `json:"debit"`
	Credit       string `json:"credit"`
	Lettering    string `json:"lettering"`
	LetteredOn   string `json:"lettered_on"`
	ValidDate    string `json:"valid_date"`
	Kind         string `json:"kind"`
	Remittance   string `json:"remittance"`
}

func (jw *entryJSONWriter) Write(e accounting.Entry) error {
	jw.debit += e.Debit
	jw.credit += e.Credit
	return jw.m.add(entryJSON{Journal: e.Journal, JournalLabel: e.JournalLabel, Number: e.Number, Line: e.Line, Date: e.Date,
		Account: e.Account, AccountLabel: e.AccountLabel, Aux: e.Aux, AuxLabel: e.AuxLabel, Piece: e.Piece, PieceDate: e.PieceDate,
		Label: e.Label, Debit: remit.FormatAmount(e.Debit), Credit: remit.FormatAmount(e.Credit), Lettering: e.Lettering,
		LetteredOn: e.LetteredOn, ValidDate: e.ValidDate, Kind: string(e.Kind), Remittance: e.Remittance})
}

func (jw *entryJSONWriter) Close() error {
	_, err := fmt.Fprintf(jw.w, "%s  \"count\": %d,\n  \"debit\": %q,\n  \"credit\": %q\n}\n", jw.m.end(), jw.m.n,
		remit.FormatAmount(jw.debit), remit.FormatAmount(jw.credit))
	return err
}

// writeOutput runs fn on standard output, or writes the file the crash-safe
// way (remit.WriteFile) and prints its path.
func writeOutput(stdout io.Writer, path string, fn func(io.Writer) error) error {
	if path == "" || path == "-" {
		bw := bufio.NewWriter(stdout)
		if err := fn(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	f, err := outdir.WriteFile(filepath.Dir(path), filepath.Base(path), "export", fn)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, f.Path)
	return nil
}

// entryOptionsFromConfig reads the entries.* settings. Every key is
// optional; an invalid combination (a masked counterpart with
// centralisation) is refused here, before any remittance is made.
//
//	entries.generate         false writes no entries (default true)
//	entries.journal          journal of receivables without one (default BQ)
//	entries.counterpart      counterpart account, masks AA MM allowed (default 512000)
//	entries.centralize       one counterpart line per écriture (default false)
//	entries.date             remittance (default) or collection
//	entries.label            counterpart label (default "Recettes au {JJ}/{MM}/{AA}")
//	entries.customer_label   customer label (default "{doc} {name}")
//	entries.customer_account collective account (default 411000)
//	entries.auxiliary        false: the customer code is the account (default true)
//	entries.fee_account      bank fees (default 627000)
//	entries.fee_counterpart  account the fees are taken from (default the journal's counterpart)
//	entries.suspense_account compte d'attente (default 471000)
//	entries.loss_account     a write-off's loss (default 654000)
//	entries.vat_account      the VAT a write-off gives back (default 445710)
//	entries.return_label, entries.fee_label, entries.reversal_label
//	                         (each kind of line's label: accounting.Rules)
//	entries.journals         per journal code: {counterpart: ..., label: ...} or just the counterpart
//	entries.accounts         CompteLib per account or account prefix
func entryOptionsFromConfig(v *viper.Viper) (accounting.Options, error) {
	o := accounting.Options{
		Journal:         v.GetString("entries.journal"),
		Counterpart:     v.GetString("entries.counterpart"),
		Centralize:      v.GetBool("entries.centralize"),
		Date:            v.GetString("entries.date"),
		Labels:          map[accounting.Kind]string{},
		CustomerLabel:   v.GetString("entries.customer_label"),
		CustomerAccount: v.GetString("entries.customer_account"),
		FeeAccount:      v.GetString("entries.fee_account"),
		FeeCounterpart:  v.GetString("entries.fee_counterpart"),
		SupplierAccount: v.GetString("entries.supplier_account"),
		DiscountAccount: v.GetString("entries.discount_account"),
		SupplierLabel:   v.GetString("entries.supplier_label"),
		PaymentLabel:    v.GetString("entries.payment_label"),
		DiscountLabel:   v.GetString("entries.discount_label"),
		SuspenseAccount: v.GetString("entries.suspense_account"),
		LossAccount:     v.GetString("entries.loss_account"),
		VATAccount:      v.GetString("entries.vat_account"),
	}
	for _, r := range accounting.Rules {
		if r.Setting != "" {
			o.Labels[r.Kind] = v.GetString("entries." + r.Setting)
		}
	}
	if v.IsSet("entries.generate") {
		o.Disabled = !v.GetBool("entries.generate")
	}
	if v.IsSet("entries.auxiliary") {
		o.Direct = !v.GetBool("entries.auxiliary")
	}
	if js := v.GetStringMap("entries.journals"); len(js) > 0 {
		o.Journals = map[string]accounting.JournalOptions{}
		for _, code := range sortedKeys(js) {
			switch j := js[code].(type) {
			case map[string]any:
				o.Journals[code] = accounting.JournalOptions{Counterpart: configString(j["counterpart"]), Label: configString(j["label"])}
			default:
				o.Journals[code] = accounting.JournalOptions{Counterpart: configString(j)}
			}
		}
	}
	if as := v.GetStringMapString("entries.accounts"); len(as) > 0 {
		o.AccountLabels = as
	}
	if err := o.Validate(); err != nil {
		return o, &ExitError{Code: ExitUsage, Err: fmt.Errorf("configuration entries: %w", err)}
	}
	return o, nil
}

func configString(x any) string {
	if x == nil {
		return ""
	}
	return fmt.Sprint(x)
}

// setEntryOptions applies the configuration's entry settings to the store.
func setEntryOptions(st store.Store, v *viper.Viper) error {
	o, err := entryOptionsFromConfig(v)
	if err != nil {
		return err
	}
	s, ok := st.(interface {
		SetEntryOptions(accounting.Options) error
	})
	if !ok {
		return fmt.Errorf("store %T: no accounting entries", st)
	}
	return s.SetEntryOptions(o)
}
