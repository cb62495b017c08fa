package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/lcr"
	"github.com/remit-dev/remit/remit/outdir"
	"github.com/remit-dev/remit/remit/store"
)

func init() {
	extraCommands = append(extraCommands, newBordereauCmd, newTraitesCmd)
	listPDF = listPDFRun
}

// writeDocument writes a PDF into --out under name, or to the -o path, the
// crash-safe way, and prints the path it wrote. It never replaces a file a
// remittance records in --out, but the slip own names (a reprint).
func writeDocument(env *Env, st store.Store, output, name, own string, fn func(w io.Writer) error) (remit.FileInfo, error) {
	out := env.Config.GetString("out")
	dir, name := documentPath(env, output, name) // -o FOLDER: the document's own name in that folder
	if sameDir(dir, out) && name != own {
		ref, format, ok, err := st.RecordedFile(context.Background(), name)
		if err != nil {
			return remit.FileInfo{}, err
		}
		if ok {
			return remit.FileInfo{}, fmt.Errorf("%s: %w (remittance %s, %s): write the document elsewhere (-o FILE)",
				filepath.Join(dir, name), remit.ErrNameTaken, ref, format)
		}
	}
	f, err := outdir.WriteFile(dir, name, "pdf", fn)
	if err != nil {
		return f, err
	}
	if !env.wantJSON { // with --format json, the command prints the file in its object
		fmt.Fprintln(env.Out, f.Path)
	}
	return f, nil
}

// documentJSON is what bordereau and traites print with --format json: the
// file written, and for traites what was printed.
type documentJSON struct {
	Path           string `json:"path,omitempty"` // none when traites --pointed printed nothing
	SHA256         string `json:"sha256,omitempty"`
	Size           int64  `json:"size,omitempty"`
	Printed        *int   `json:"printed,omitempty"` // traites
	Pages          *int   `json:"pages,omitempty"`
	Promissory     *int   `json:"promissory,omitempty"`      // of the traites printed, the billets à ordre
	Skipped        int    `json:"skipped,omitempty"`         // outside --min and --max
	PromissoryPage int    `json:"promissory_page,omitempty"` // the page of each copy where billet à ordre forms go
	OffsetSaved    string `json:"offset_saved,omitempty"`    // the offset saved for the creditor
	// bordereau: the detail of a summary slip, written beside it.
	Detail *remit.FileInfo `json:"detail,omitempty"`

	// traites --pointed: the receivables left out, and the outcome.
	Refused    *[]traiteRefusal `json:"refused,omitempty"`
	Status     string           `json:"status,omitempty"`
	ExitStatus *int             `json:"exit_status,omitempty"`
}

// sameDir reports whether a and b are one folder (false when either is missing).
func sameDir(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

func newBordereauCmd(env *Env) *cobra.Command {
	var copies int
	var output, slipMode string
	cmd := &cobra.Command{
		Use:   "bordereau REF",
		Short: "Print (again) the remittance slip of a remittance",
		Long: `bordereau writes the bordereau de remise of a remittance, the slip that goes to
the bank with the file: creditor, account, reference, file name and sha256, the
items by payment block with subtotals, count and total, a signature box.
It writes BORDEREAU.<ref>.pdf into --out, or -o FILE.

The slip is the one the remittance was made with: a summary (a line per block,
with its count and total) when it records the detail BORDEREAU.<ref>.csv, else
the detail of every item. --slip summary or detail prints the other one: the
summary writes its detail beside the PDF (FILE.csv for -o FILE.pdf). Printed
again in place, the slip must be the recorded one; write another elsewhere (-o).`,
		Example: `  remit bordereau 12 --copies 2
  remit bordereau 12 --slip summary -o recap.pdf`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := refArg(args[0])
			if err != nil {
				return err
			}
			if copies < 1 || copies > 9 {
				return usageError("--copies %d: from 1 to 9", copies)
			}
			st, cr, err := env.storeAndCreditor(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			rem, err := st.Remittance(cmd.Context(), cr.ID, id)
			if err != nil {
				return err
			}
			out, slip := env.Config.GetString("out"), remit.BordereauName(remit.Ref(id))
			dir := out
			if rem.Status == remit.RemittanceCancelled {
				// Printed ANNULÉE, where cancel put the remittance's files, never
				// under the slip's own name in --out.
				dir, slip = filepath.Join(out, remit.CancelledFolder), "CANCELLED."+slip
				if output == "" {
					output = filepath.Join(dir, slip)
				}
			}
			detail, blocks, err := bordereauDetail(env, cmd, st, &rem, slipMode, output, dir, slip)
			if err != nil {
				return err
			}
			f, err := writeDocument(env, st, output, slip, slip, func(w io.Writer) error {
				_, err := collect.WriteBordereau(cmd.Context(), st, kinds(), w, rem, copies, blocks)
				return err
			})
			if err != nil {
				return err
			}
			if outputFormat(cmd) == "json" {
				if err := writeJSON(env, documentJSON{Path: f.Path, SHA256: f.SHA256, Size: f.Size, Detail: detail}); err != nil {
					return err
				}
			}
			if f.Name != slip || !sameDir(filepath.Dir(f.Path), dir) {
				return nil
			}
			// Printed again in place: the record follows the new file.
			if dir != out {
				f.Name = remit.CancelledFolder + "/" + f.Name
			}
			return st.RecordReprint(cmd.Context(), id, f, copies)
		},
	}
	cmd.Flags().IntVar(&copies, "copies", 1, "number of copies, 1 to 9")
	intRange(cmd.Flags(), "copies", 1, 9)
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file instead of --out")
	cmd.Flags().StringVar(&slipMode, "slip", "", "detail (every item) or summary (a line per block, the items in a CSV beside the PDF); "+
		"default: the slip the remittance was made with")
	choices(cmd.Flags(), "slip", "", collect.SlipDetail, collect.SlipSummary)
	addFormat(cmd, "table", "json")
	return cmd
}

// bordereauDetail decides whether `remit bordereau` prints the summary
// slip (mode, else the slip the remittance recorded) and sets rem's files
// so that WriteBordereau prints it: for a summary, it first writes the
// detail beside the slip (atomically) and returns it, with the blocks the
// slip prints; for the detail, the recorded detail file leaves the list.
// The slip printed in place (the recorded one's name and folder) must be
// the recorded kind of slip.
func bordereauDetail(env *Env, cmd *cobra.Command, st store.Store, rem *remit.Remittance, mode, output, dir, slip string) (*remit.FileInfo,
	[]bordereau.SlipBlock, error) {
	at := slices.IndexFunc(rem.Files, func(f remit.FileInfo) bool { return f.Format == remit.FormatBordereauDetail })
	recorded := slices.ContainsFunc(rem.Files, func(f remit.FileInfo) bool { return f.Format == remit.FormatBordereau })
	summary := at >= 0
	switch mode {
	case collect.SlipSummary:
		summary = true
	case collect.SlipDetail:
		summary = false
	}
	pdfDir, pdfName := documentPath(env, output, slip)
	inPlace := pdfName == slip && sameDir(pdfDir, dir)
	if inPlace && recorded && summary != (at >= 0) {
		was, other := "the detail of every item", "a summary"
		if at >= 0 {
			was, other = "a summary", "the detail of every item"
		}
		return nil, nil, usageError("remittance %s: its slip %s is %s; --slip %s prints %s: write it elsewhere (-o FILE)", rem.Ref, slip, was, mode, other)
	}
	if !summary {
		if at >= 0 {
			rem.Files = slices.Delete(slices.Clone(rem.Files), at, at+1)
		}
		return nil, nil, nil
	}
	var blocks []bordereau.SlipBlock
	name := strings.TrimSuffix(pdfName, filepath.Ext(pdfName)) + ".csv"
	own := strings.TrimSuffix(slip, ".pdf") + ".csv"
	f, err := writeDocument(env, st, filepath.Join(pdfDir, name), own, own, func(w io.Writer) (err error) {
		blocks, err = collect.WriteBordereauDetail(cmd.Context(), st, kinds(), w, *rem)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	f.Format = remit.FormatBordereauDetail
	listed := f
	files := slices.Clone(rem.Files)
	if at >= 0 {
		if inPlace {
			listed.Name = files[at].Name // as recorded: cancelled/CANCELLED.…
		}
		files[at] = listed
	} else {
		files = append(files, listed)
	}
	rem.Files = files
	return &f, blocks, nil
}

// documentPath is the folder and name writeDocument writes a document
// named name to, with -o output.
func documentPath(env *Env, output, name string) (dir, file string) {
	dir = env.Config.GetString("out")
	if fi, err := os.Stat(output); output != "" && err == nil && fi.IsDir() {
		return output, name
	} else if output != "" {
		return filepath.Dir(output), filepath.Base(output)
	}
	return dir, name
}

type traitesOptions struct {
	*Env
	Pointed          bool
	Sel              selectionFlags
	Place            string
	Date             string
	ValueIn          string
	Min, Max         string
	Model            string
	Copies           int
	PerPage          int
	Alignment        bool
	OffsetX, OffsetY string
	Output           string
}

func newTraitesCmd(env *Env) *cobra.Command {
	opts := &traitesOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "traites [REF]",
		Short: "Print the traites (lettres de change, billets à ordre) of a remittance or of pointed receivables",
		Long: `traites prints one traite per receivable on the normalised form: a lettre de
change relevé, or a billet à ordre for a receivable imported with acceptance
bor (the customer promises to pay). It prints the items of remittance REF, or
with --pointed the receivables the selection flags choose (by default pointed
LCR receivables not yet remitted).

The date of creation is each invoice's issue date; "A <place> le <date>" is the
date de remise: --date, by default the remittance's date (today for --pointed).

To print on pre-printed forms (--model preimprime), align the printer first:
--alignment prints one page of forms filled with X; move them with --offset-x
and --offset-y (millimetres, right and down; negative: left and up) until the
X fall into the boxes. The offset is saved for the creditor and applies to
every traite printed after. Billets à ordre need their own forms: on
pre-printed paper they come after the lettres de change, from a new page.`,
		Example: `  remit traites 12 --place Lyon --date 2026-12-01 --min 100 --max 50000
  remit traites --pointed --method lcr
  remit traites --alignment --model preimprime --offset-x 1.5 --offset-y -2
  remit traites 12 --model preimprime --value-in "marchandises"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return traitesRun(cmd, opts, args) },
	}
	f := cmd.Flags()
	f.BoolVar(&opts.Pointed, "pointed", false, "traites for the pointed receivables the filters select, not yet remitted")
	opts.Sel.register(f, remit.StatusPointed)
	f.Lookup("method").DefValue = "lcr"
	f.Set("method", "lcr")
	f.StringVar(&opts.Place, "place", "", "lieu de création (default: the creditor's town)")
	f.StringVar(&opts.Date, "date", "", `date de remise, printed after "A <place> le" (default: the remittance's date; today with --pointed)`)
	f.StringVar(&opts.ValueIn, "value-in", "", `the "Valeur en" zone: what the bills are given for, e.g. marchandises or compte (default: blank)`)
	valueKind(f, "date", "date")
	f.StringVar(&opts.Min, "min", "", "do not print traites below this amount")
	valueKind(f, "min", "amount")
	f.StringVar(&opts.Max, "max", "", "do not print traites above this amount")
	valueKind(f, "max", "amount")
	f.StringVar(&opts.Model, "model", bordereau.ModelStandard, "form model: standard (full form) or preimprime (values only, for pre-printed paper)")
	choices(f, "model", bordereau.ModelStandard, bordereau.ModelPreprinted)
	f.IntVar(&opts.Copies, "copies", 1, "number of copies, 1 to 9")
	intRange(f, "copies", 1, 9)
	f.IntVar(&opts.PerPage, "per-page", 3, "traites per A4 page: 1, 2 or 3")
	intRange(f, "per-page", 1, 3)
	f.BoolVar(&opts.Alignment, "alignment", false, "print one alignment page filled with X (--copies times)")
	f.StringVar(&opts.OffsetX, "offset-x", "", "move the forms right by this many mm (negative: left), e.g. 1.5; saved for the creditor")
	f.StringVar(&opts.OffsetY, "offset-y", "", "move the forms down by this many mm (negative: up); saved for the creditor")
	valueKind(f, "offset-x", "offset")
	valueKind(f, "offset-y", "offset")
	f.StringVarP(&opts.Output, "output", "o", "", "write to this file instead of --out")
	addFormat(cmd, "table", "json")
	return cmd
}

// traiteOptions reads the options of remit traites and the offsets given
// (flag, variable or file), in tenths of a millimetre.
func (opts *traitesOptions) traiteOptions() (o bordereau.TraiteOptions, offset [2]*int, err error) {
	o = bordereau.TraiteOptions{Model: opts.Model, Place: opts.Place, ValueIn: opts.ValueIn, Copies: opts.Copies,
		PerPage: opts.PerPage, Alignment: opts.Alignment, Now: opts.Now()}
	for i, a := range []struct{ flag, v string }{{"--offset-x", opts.OffsetX}, {"--offset-y", opts.OffsetY}} {
		if a.v != "" {
			n, err := remit.ParseOffset(a.v)
			if err != nil {
				return o, offset, usageError("%s %q: %v", a.flag, a.v, err)
			}
			offset[i] = &n
		}
	}
	if opts.Date != "" {
		if o.Created, err = remit.ParseDate(opts.Date); err != nil {
			return o, offset, usageError("--date %q: %v", opts.Date, err)
		}
	}
	for _, a := range []struct {
		flag, v string
		dst     *int64
	}{{"--min", opts.Min, &o.Min}, {"--max", opts.Max, &o.Max}} {
		if a.v != "" {
			if *a.dst, err = remit.ParseAmount(a.v); err != nil {
				return o, offset, usageError("%s %q: %v", a.flag, a.v, err)
			}
		}
	}
	if opts.Copies < 1 || opts.Copies > 9 {
		return o, offset, usageError("--copies %d: from 1 to 9", opts.Copies)
	}
	return o, offset, nil
}

func traitesRun(cmd *cobra.Command, opts *traitesOptions, args []string) error {
	ctx := cmd.Context()
	o, offset, err := opts.traiteOptions()
	if err != nil {
		return err
	}
	var src remit.TraiteSource
	name := ""
	switch {
	case opts.Alignment:
		name = "TRAITES.ALIGNEMENT.pdf"
	case len(args) == 1 && !opts.Pointed:
		if src.RemittanceID, err = refArg(args[0]); err != nil {
			return err
		}
		name = "TRAITES." + remit.Ref(src.RemittanceID) + ".pdf"
	case len(args) == 0 && opts.Pointed:
		if src.Filter, err = opts.Sel.filter(opts.Now()); err != nil {
			return err
		}
		if opts.Sel.DueFrom == "" && opts.Sel.DueTo == "" {
			src.Filter.DueFrom, src.Filter.DueTo = time.Time{}, time.Time{} // every pointed one, whatever its month
		}
		name = "TRAITES." + opts.Now().Format("20060102") + ".pdf"
	default:
		return usageError("give a remittance reference, or --pointed, or --alignment")
	}
	st, cr, err := opts.storeAndCreditor(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	if src.RemittanceID != 0 {
		rem, err := st.Remittance(ctx, cr.ID, src.RemittanceID)
		if err != nil {
			return err
		}
		if rem.Kind != lcr.Name {
			return usageError("remittance %s is a %s remittance: traites are for LCR", rem.Ref, strings.ToUpper(string(rem.Kind)))
		}
		if o.Created.IsZero() {
			o.Created = rem.CreatedAt // the date de remise
		}
	}
	saved := cr.TraiteOffset
	if offset[0] != nil {
		cr.TraiteOffset.X = *offset[0]
	}
	if offset[1] != nil {
		cr.TraiteOffset.Y = *offset[1]
	}
	o.OffsetX, o.OffsetY = cr.TraiteOffset.MM()
	var refused *[]traiteRefusal // traites --pointed: what it left out
	if src.RemittanceID == 0 && !opts.Alignment {
		refused = &[]traiteRefusal{}
		// Pointed receivables: print those that can be, list the others.
		o.LeaveOut = func(t bordereau.Traite, problems []*bordereau.ItemError) {
			*refused = append(*refused, refusedTraite(t, problems))
		}
	}
	var count bordereau.TraiteCount
	var iterErr error
	file, err := writeDocument(opts.Env, st, opts.Output, name, "", func(w io.Writer) error {
		ts := func(yield func(bordereau.Traite) bool) {
			for t, err := range collect.Traites(ctx, st, cr, src) {
				if err != nil {
					iterErr = err
					return
				}
				if !yield(t) {
					return
				}
			}
		}
		var err error
		count, err = bordereau.WriteTraites(w, remit.DrawerParty(cr), ts, o)
		if iterErr != nil {
			return iterErr
		}
		return err
	})
	if err != nil && !(errors.Is(err, bordereau.ErrNoTraite) && count.Refused > 0) {
		return err
	}
	j := documentJSON{Path: file.Path, SHA256: file.SHA256, Size: file.Size, Refused: refused}
	if err != nil {
		return opts.printTraites(j, count) // every one refused: no file
	}
	if cr.TraiteOffset != saved {
		if err := st.SetTraiteOffset(ctx, cr.ID, cr.TraiteOffset); err != nil {
			return err
		}
		if j.OffsetSaved = cr.TraiteOffset.String(); !opts.wantJSON {
			fmt.Fprintf(opts.Out, "offset saved for creditor %s: %s\n", cr.Code, cr.TraiteOffset)
		}
	}
	return opts.printTraites(j, count)
}

// traiteRefusal is a pointed receivable remit traites left out, and why.
type traiteRefusal struct {
	Document string   `json:"document"`
	Customer string   `json:"customer"`
	Name     string   `json:"name"`
	Amount   string   `json:"amount"`
	Problems []string `json:"problems"`
}

// refusedTraite says why a traite could not be printed, in the user's
// words, its IBAN masked as in every refusal.
func refusedTraite(t bordereau.Traite, problems []*bordereau.ItemError) traiteRefusal {
	r := traiteRefusal{Document: t.Document, Customer: t.Customer, Name: t.Drawee.Name, Amount: remit.FormatAmount(t.Amount)}
	for _, p := range problems {
		field := map[string]string{"IBAN": "IBAN", "Due": "due date", "Drawee.Name": "drawee's name", "Amount": "amount",
			"SIREN": "SIREN"}[p.Field]
		if field == "" {
			field = p.Field
		}
		if p.Value != "" {
			field += " " + p.Value
		}
		r.Problems = append(r.Problems, maskIBANs(field+": "+p.Err.Error()))
	}
	return r
}

// printTraites says what remit traites printed and what it left out: exit
// status 3 when it left some out, 5 when it printed none.
func (opts *traitesOptions) printTraites(j documentJSON, count bordereau.TraiteCount) error {
	exit := error(nil)
	if j.Refused != nil {
		exit = itemsExit(count.Printed, count.Refused)
		code := exitCode(exit)
		j.Status, j.ExitStatus = statusName(code), &code
	}
	if opts.wantJSON {
		if !opts.Alignment {
			j.Printed, j.Pages, j.Promissory = &count.Printed, &count.Pages, &count.Promissory
			j.Skipped, j.PromissoryPage = count.Skipped, count.PromissoryPage
		}
		if err := writeJSON(opts.Env, j); err != nil {
			return err
		}
		return exit
	}
	if !opts.Alignment && count.Printed == 0 {
		fmt.Fprintln(opts.Out, "no traite printed")
	} else if !opts.Alignment {
		fmt.Fprintf(opts.Out, "%s printed on %s", plural(count.Printed, "traite", "traites"), plural(count.Pages, "page", "pages"))
		if count.Promissory > 0 {
			fmt.Fprintf(opts.Out, ", of which %s", plural(count.Promissory, "billet à ordre", "billets à ordre"))
		}
		if count.Skipped > 0 {
			fmt.Fprintf(opts.Out, ", %d outside the minimum and maximum amounts", count.Skipped)
		}
		fmt.Fprintln(opts.Out)
		switch {
		case count.PromissoryPage > 1:
			fmt.Fprintf(opts.Out, "load billet à ordre forms from page %d (of each copy): the pages before are lettres de change\n",
				count.PromissoryPage)
		case count.PromissoryPage == 1:
			fmt.Fprintln(opts.Out, "load billet à ordre forms: no lettre de change among them")
		}
	}
	if j.Refused != nil && len(*j.Refused) > 0 {
		n := len(*j.Refused)
		fmt.Fprintf(opts.Out, "refused %s (no traite printed for %s; correct %s and import again, or unpoint %s):\n",
			plural(n, "receivable", "receivables"), pronoun(n), pronoun(n), pronoun(n))
		for _, r := range *j.Refused {
			fmt.Fprintf(opts.Out, "  %s %s %s: %s\n", r.Document, r.Customer, frAmount(r.Amount), strings.Join(r.Problems, "; "))
		}
	}
	return exit
}

func listPDFRun(cmd *cobra.Command, opts *listOptions, st store.Store, cr remit.Creditor, f remit.Filter) error {
	name := "ECHEANCES." + opts.Now().Format("20060102") + ".pdf"
	_, err := writeDocument(opts.Env, st, opts.Output, name, "", func(w io.Writer) error {
		_, err := collect.WriteDueList(cmd.Context(), st, w, cr, f, describeFilter(f), st.Now())
		return err
	})
	return err
}

// describeFilter prints the selection the way the list's header shows it.
func describeFilter(f remit.Filter) string {
	var parts []string
	if !f.DueFrom.IsZero() || !f.DueTo.IsZero() {
		from, to := "…", "…"
		if !f.DueFrom.IsZero() {
			from = f.DueFrom.Format("02/01/2006")
		}
		if !f.DueTo.IsZero() {
			to = f.DueTo.Format("02/01/2006")
		}
		parts = append(parts, "Échéances du "+from+" au "+to)
	}
	if f.CustomerFrom != "" || f.CustomerTo != "" {
		parts = append(parts, "Clients "+orDots(f.CustomerFrom)+" à "+orDots(f.CustomerTo))
	}
	switch f.Method {
	case "", "any":
		parts = append(parts, "tout mode de règlement")
	case "none":
		parts = append(parts, "sans mode de règlement")
	default:
		parts = append(parts, "mode "+remit.MethodLabel(f.Method))
	}
	switch f.Journal {
	case "", "any":
	case "none":
		parts = append(parts, "sans journal de banque")
	default:
		parts = append(parts, "journal "+f.Journal)
	}
	if f.Status != "" && f.Status != "all" {
		parts = append(parts, "statut "+strings.ToLower(remit.StatusLabel(f.Status)))
	}
	if len(f.Documents) > 0 {
		parts = append(parts, "pièces "+strings.Join(f.Documents, ", "))
	}
	return strings.Join(parts, " · ")
}

func orDots(s string) string {
	if s == "" {
		return "…"
	}
	return s
}
