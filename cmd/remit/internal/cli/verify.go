package cli

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/sepa/pain001"
	"github.com/remit-dev/remit/sepa/pain008"
)

func init() { extraCommands = append(extraCommands, newVerifyCmd) }

type verifyOptions struct {
	*Env
	XSDDir string
	JSON   bool // --format json: one object with every file's verdict
}

func newVerifyCmd(env *Env) *cobra.Command {
	opts := &verifyOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "verify FILE...",
		Short: "Check bank files: pain.008 and pain.001 XML and CFONB 160, whoever wrote them",
		Long: `verify detects the kind of each file (pain.008.001.02 or .08 and pain.001.001.03 or
.09 by their namespace, CFONB 160 LCR or direct debit by its operation code) and
checks it, printing one line per problem and a verdict per file.

pain.008 is checked by remit's own validation of the ISO 20022 message (element
order and cardinality, lengths, patterns, code lists), then by the rules no
schema expresses: counts and control sums, IBAN, BIC and creditor identifier
check digits, the EPC character set, name lengths, sequence types, structured
or hybrid addresses, collection dates (a TARGET2 business day after the
creation date and after today) and mandate signature dates. pain.001 (SEPA
credit transfers) is checked the same way against its own model and the EPC
SCT rules: TRF, SEPA, SLEV, euro amounts, IBANs of SEPA countries, creditor
name and IBAN, unique ids, one remittance information, addresses, and an
execution date on a TARGET2 business day, not before the creation date nor
before today. With --xsd-dir DIR (a folder holding the official schema files)
and xmllint installed, the official schema is run too and any disagreement
reported.

CFONB 160 files are read record by record: lengths, order, numbering, zones,
dates, amounts, RIB formats and the total.

A warning (printed "FILE: warning: …") is something a bank accepts: a UTF-8
byte order mark before the XML, a date de valeur on an LCR encaissement.

--format json prints one object: each file's path, kind, verdict (sound),
counts, total, problems and warnings, and how many files are sound.

Exit status: 0 when every file is sound, 1 otherwise, 2 for an --xsd-dir that is not a folder.`,
		Example: `  remit verify out/PAIEMENT.012 out/PAIEMENT.013.xml
  remit verify --xsd-dir /usr/share/iso20022 bank/*.xml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = outputFormat(cmd) == "json"
			return verifyRun(opts, args)
		},
	}
	cmd.Flags().StringVar(&opts.XSDDir, "xsd-dir", "", "folder of the official ISO 20022 schemas, to run them with xmllint as well")
	addFormat(cmd, "table", "json")
	return cmd
}

func verifyRun(opts *verifyOptions, files []string) error {
	xmllint := ""
	if opts.XSDDir != "" {
		if fi, err := os.Stat(opts.XSDDir); err != nil || !fi.IsDir() {
			return usageError("--xsd-dir %s: no such folder: give the folder that holds the official schemas (pain.008.001.08.xsd, …)", opts.XSDDir)
		}
		p, err := exec.LookPath("xmllint")
		if err != nil {
			return usageError("--xsd-dir needs xmllint (Debian: apt-get install libxml2-utils)")
		}
		xmllint = p
	}
	var reports []fileReport
	bad := 0
	for _, name := range files {
		r := verifyFile(opts, name, xmllint)
		if !r.Sound {
			bad++
		}
		if opts.JSON {
			reports = append(reports, r)
		} else {
			r.print(opts.Out)
		}
	}
	if opts.JSON {
		status, code := "done", ExitOK
		if bad > 0 {
			status, code = "failed", ExitFailed
		}
		if err := writeJSON(opts.Env, verifyJSON{Files: reports, Sound: len(files) - bad, Count: len(files), Status: status, ExitStatus: code}); err != nil {
			return err
		}
	} else if len(files) > 1 {
		fmt.Fprintf(opts.Out, "%d of %s sound\n", len(files)-bad, plural(len(files), "file", "files"))
	}
	if bad > 0 {
		return &ExitError{Code: ExitFailed, Err: errReported}
	}
	return nil
}

// verifyJSON is what verify --format json prints.
type verifyJSON struct {
	Files      []fileReport `json:"files"`
	Sound      int          `json:"sound"` // how many of the files are sound
	Count      int          `json:"count"`
	Status     string       `json:"status"` // done: every file sound; failed
	ExitStatus int          `json:"exit_status"`
}

// fileReport is verify's verdict on one file.
type fileReport struct {
	Path         string        `json:"path"`
	Kind         string        `json:"kind,omitempty"` // pain.008.001.08, CFONB 160 LCR (operation 60)…
	Sound        bool          `json:"sound"`
	Transactions *int          `json:"transactions,omitempty"` // XML
	Details      *int          `json:"details,omitempty"`      // CFONB: detail records
	Remises      *int          `json:"remises,omitempty"`      // CFONB
	Total        string        `json:"total,omitempty"`        // in euros, 1234.56
	Problems     []string      `json:"problems"`
	More         int           `json:"more_problems,omitempty"` // problems not listed
	Warnings     []string      `json:"warnings"`
	Schema       *schemaReport `json:"official_schema,omitempty"` // with --xsd-dir
	Error        string        `json:"error,omitempty"`           // the file could not be read, or is no bank file

	desc string // the verdict line's description
}

// schemaReport is the official schema's verdict (--xsd-dir), beside remit's.
type schemaReport struct {
	File    string `json:"file"`
	Found   bool   `json:"found"`
	Valid   bool   `json:"valid"`  // xmllint's verdict
	Agrees  bool   `json:"agrees"` // with remit's own schema verdict
	Xmllint string `json:"xmllint,omitempty"`
}

// print writes a file's report as text: its problems and warnings, the
// official schema's opinion and the verdict.
func (r fileReport) print(w io.Writer) {
	if r.Error != "" {
		fmt.Fprintf(w, "%s: %s\n", r.Path, r.Error)
		return
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "%s: %s\n", r.Path, p)
	}
	for _, p := range r.Warnings {
		fmt.Fprintf(w, "%s: warning: %s\n", r.Path, p)
	}
	if r.More > 0 {
		fmt.Fprintf(w, "%s: … and %s\n", r.Path, plural(r.More, "more problem", "more problems"))
	}
	if x := r.Schema; x != nil {
		switch {
		case !x.Found:
			fmt.Fprintf(w, "%s: official schema %s not found: not cross-checked\n", r.Path, x.File)
		case x.Agrees:
			fmt.Fprintf(w, "%s: official schema %s: %s (agrees)\n", r.Path, filepath.Base(x.File), validity(x.Valid))
		default:
			fmt.Fprintf(w, "%s: DISAGREEMENT with the official schema %s (xmllint %s, remit %s):\n%s", r.Path, filepath.Base(x.File),
				validity(x.Valid), validity(!x.Valid), indent(x.Xmllint))
		}
	}
	verdict(w, r.Path, r.Sound, r.desc, len(r.Problems)+r.More)
}

func verifyFile(opts *verifyOptions, name, xmllint string) fileReport {
	r := fileReport{Path: name, Problems: []string{}, Warnings: []string{}}
	f, err := os.Open(name)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	head, _ := br.Peek(64)
	if bytes.HasPrefix(bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\ufeff")), " \t\r\n"), []byte("<")) {
		var x xmlVerdict
		var err error
		if isPain001(br) {
			x, err = verifyPain001(br, opts.Now())
		} else {
			x, err = verifyPain008(br, opts.Now())
		}
		if err != nil {
			r.Error = err.Error()
			return r
		}
		x.report(&r, xmllint, opts.XSDDir)
		return r
	}
	if what := notBankFile(head); what != "" {
		r.Error = "not a bank file: " + what + " (remit verify reads pain.008 and pain.001 XML and CFONB 160 files)"
		return r
	}
	sum, errs := cfonb.Verify(br)
	for _, e := range errs {
		r.Problems = append(r.Problems, e.Error())
	}
	for _, e := range sum.Warnings {
		r.Warnings = append(r.Warnings, e.Error())
	}
	r.Kind = fmt.Sprintf("CFONB 160 %s (operation %s)", sum.Kind, sum.Operation)
	details, remises := sum.Details, len(sum.Remises)
	r.Details, r.Remises, r.Total = &details, &remises, remit.FormatAmount(sum.Total)
	r.desc = fmt.Sprintf("%s, %s in %s, total %s €", r.Kind, plural(sum.Details, "detail record", "detail records"),
		plural(len(sum.Remises), "remise", "remises"), remit.FormatAmountFR(sum.Total))
	r.Sound = len(errs) == 0
	return r
}

// notBankFile says what a file is when its first bytes show it is neither
// XML nor CFONB 160: a CFONB file is text whose lines start with a record
// code of two digits.
func notBankFile(head []byte) string {
	for _, m := range []struct{ magic, what string }{
		{"%PDF", "it is a PDF document"}, {"PK\x03\x04", "it is a ZIP archive or an office document"},
		{"SQLite format 3\x00", "it is an SQLite database"}, {"\x89PNG", "it is a PNG image"}, {"\xff\xd8\xff", "it is a JPEG image"},
		{"{", "it looks like JSON"},
	} {
		if bytes.HasPrefix(head, []byte(m.magic)) {
			return m.what
		}
	}
	switch {
	case len(head) == 0:
		return "it is empty"
	case bytes.IndexByte(head, 0) >= 0:
		return "it is a binary file"
	case len(head) < 2 || head[0] < '0' || head[0] > '9' || head[1] < '0' || head[1] > '9':
		return "its first line does not start with a CFONB record code (two digits)"
	}
	return ""
}

func verdict(w io.Writer, name string, ok bool, desc string, problems int) {
	if ok {
		fmt.Fprintf(w, "%s: %s: sound\n", name, desc)
		return
	}
	fmt.Fprintf(w, "%s: %s: %s\n", name, desc, plural(problems, "problem", "problems"))
}

// xmlVerdict is what verify prints of an XML file, whichever message it
// holds.
type xmlVerdict struct {
	kind         string // the message version, or the namespace found
	xsd          string // file name of the version's official schema; "" for an unknown message
	problems     []fmt.Stringer
	warnings     []fmt.Stringer
	omitted      int
	schemaOK     bool // no schema problem
	transactions int
	total        int64
}

func verifyPain008(r io.Reader, today time.Time) (xmlVerdict, error) {
	rep, err := pain008.VerifyWith(r, pain008.VerifyOptions{Today: today})
	if err != nil {
		return xmlVerdict{}, err
	}
	x := xmlVerdict{kind: rep.Namespace, omitted: rep.Omitted, schemaOK: rep.Count(pain008.ProblemSchema) == 0,
		transactions: rep.Transactions, total: rep.Total}
	if rep.Version != "" {
		x.kind, x.xsd = string(rep.Version), rep.Version.XSD()
	}
	for _, p := range rep.Problems {
		x.problems = append(x.problems, p)
	}
	for _, p := range rep.Warnings {
		x.warnings = append(x.warnings, p)
	}
	return x, nil
}

func verifyPain001(r io.Reader, today time.Time) (xmlVerdict, error) {
	rep, err := pain001.VerifyWith(r, pain001.VerifyOptions{Today: today})
	if err != nil {
		return xmlVerdict{}, err
	}
	x := xmlVerdict{kind: rep.Namespace, omitted: rep.Omitted, schemaOK: rep.Count(pain001.ProblemSchema) == 0,
		transactions: rep.Transactions, total: rep.Total}
	if rep.Version != "" {
		x.kind, x.xsd = string(rep.Version), rep.Version.XSD()
	}
	for _, p := range rep.Problems {
		x.problems = append(x.problems, p)
	}
	for _, p := range rep.Warnings {
		x.warnings = append(x.warnings, p)
	}
	return x, nil
}

// isPain001 reports whether the XML document ahead in br (not consumed)
// has a pain.001 namespace: its root element's, from the first 64 KB.
func isPain001(br *bufio.Reader) bool {
	head, _ := br.Peek(br.Size())
	d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(head, []byte("\ufeff"))))
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	for {
		tok, err := d.RawToken()
		if err != nil {
			return false
		}
		if t, ok := tok.(xml.StartElement); ok {
			for _, a := range t.Attr {
				if (a.Name.Space == "" && a.Name.Local == "xmlns" && t.Name.Space == "") ||
					(a.Name.Space == "xmlns" && a.Name.Local == t.Name.Space) {
					return strings.HasPrefix(a.Value, "urn:iso:std:iso:20022:tech:xsd:pain.001.")
				}
			}
			return false
		}
	}
}

// report fills a file's report: the problems, the warnings, the official
// schema's opinion (with --xsd-dir) and the verdict.
func (x xmlVerdict) report(r *fileReport, xmllint, xsdDir string) {
	for _, p := range x.problems {
		r.Problems = append(r.Problems, p.String())
	}
	for _, p := range x.warnings {
		r.Warnings = append(r.Warnings, p.String())
	}
	r.More = x.omitted
	ok := len(x.problems) == 0 && x.omitted == 0
	if xmllint != "" && x.xsd != "" {
		r.Schema = xsdCrossCheck(r.Path, xmllint, filepath.Join(xsdDir, x.xsd), x.schemaOK)
		ok = ok && (!r.Schema.Found || r.Schema.Valid)
	}
	n := x.transactions
	r.Kind, r.Sound, r.Transactions, r.Total = x.kind, ok, &n, remit.FormatAmount(x.total)
	r.desc = fmt.Sprintf("%s, %s, total %s €", x.kind, plural(x.transactions, "transaction", "transactions"), remit.FormatAmountFR(x.total))
}

// xsdCrossCheck runs the official schema xsd with xmllint and says when
// its verdict and remit's schema verdict (ours) differ.
func xsdCrossCheck(name, xmllint, xsd string, ours bool) *schemaReport {
	x := &schemaReport{File: xsd}
	if _, err := os.Stat(xsd); err != nil {
		return x
	}
	out, err := exec.Command(xmllint, "--noout", "--schema", xsd, name).CombinedOutput()
	x.Found, x.Valid = true, err == nil
	x.Agrees = x.Valid == ours
	if !x.Agrees {
		x.Xmllint = string(out)
	}
	return x
}

func validity(ok bool) string {
	if ok {
		return "valid"
	}
	return "invalid"
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}
