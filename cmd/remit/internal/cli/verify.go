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

Exit status: 0 when every file is sound, 1 otherwise, 2 for an --xsd-dir that is not a folder.`,
		Example: `  remit verify out/PAIEMENT.012 out/PAIEMENT.013.xml
  remit verify --xsd-dir /usr/share/iso20022 bank/*.xml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return verifyRun(opts, args) },
	}
	cmd.Flags().StringVar(&opts.XSDDir, "xsd-dir", "", "folder of the official ISO 20022 schemas, to run them with xmllint as well")
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
	bad := 0
	for _, name := range files {
		ok, err := verifyFile(opts, name, xmllint)
		if err != nil {
			fmt.Fprintf(opts.Out, "%s: %v\n", name, err)
			ok = false
		}
		if !ok {
			bad++
		}
	}
	if len(files) > 1 {
		fmt.Fprintf(opts.Out, "%d of %s sound\n", len(files)-bad, plural(len(files), "file", "files"))
	}
	if bad > 0 {
		return &ExitError{Code: ExitFailed, Err: errReported}
	}
	return nil
}

func verifyFile(opts *verifyOptions, name, xmllint string) (bool, error) {
	f, err := os.Open(name)
	if err != nil {
		return false, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	head, _ := br.Peek(64)
	w := opts.Out
	if bytes.HasPrefix(bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\ufeff")), " \t\r\n"), []byte("<")) {
		var x xmlVerdict
		var err error
		if isPain001(br) {
			x, err = verifyPain001(br, opts.Now())
		} else {
			x, err = verifyPain008(br, opts.Now())
		}
		if err != nil {
			return false, err
		}
		return x.print(w, name, xmllint, opts.XSDDir), nil
	}
	if what := notBankFile(head); what != "" {
		fmt.Fprintf(w, "%s: not a bank file: %s (remit verify reads pain.008 and pain.001 XML and CFONB 160 files)\n", name, what)
		return false, nil
	}
	sum, errs := cfonb.Verify(br)
	for _, e := range errs {
		fmt.Fprintf(w, "%s: %v\n", name, e)
	}
	for _, e := range sum.Warnings {
		fmt.Fprintf(w, "%s: warning: %v\n", name, e)
	}
	desc := fmt.Sprintf("CFONB 160 %s (operation %s), %s in %s, total %s €", sum.Kind, sum.Operation,
		plural(sum.Details, "detail record", "detail records"), plural(len(sum.Remises), "remise", "remises"), remit.FormatAmountFR(sum.Total))
	verdict(w, name, len(errs) == 0, desc, len(errs))
	return len(errs) == 0, nil
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

// print writes the problems, the warnings, the official schema's opinion
// (with --xsd-dir) and the verdict, and reports whether the file is sound.
func (x xmlVerdict) print(w io.Writer, name, xmllint, xsdDir string) bool {
	for _, p := range x.problems {
		fmt.Fprintf(w, "%s: %s\n", name, p)
	}
	for _, p := range x.warnings {
		fmt.Fprintf(w, "%s: warning: %s\n", name, p)
	}
	if x.omitted > 0 {
		fmt.Fprintf(w, "%s: … and %d more problems\n", name, x.omitted)
	}
	ok := len(x.problems) == 0 && x.omitted == 0
	if xmllint != "" && x.xsd != "" {
		ok = xsdCrossCheck(w, name, xmllint, filepath.Join(xsdDir, x.xsd), x.schemaOK) && ok
	}
	verdict(w, name, ok, fmt.Sprintf("%s, %s, total %s €", x.kind, plural(x.transactions, "transaction", "transactions"),
		remit.FormatAmountFR(x.total)), len(x.problems)+x.omitted)
	return ok
}

// xsdCrossCheck runs the official schema xsd with xmllint and reports when
// its verdict and remit's schema verdict (ours) differ.
func xsdCrossCheck(w io.Writer, name, xmllint, xsd string, ours bool) bool {
	if _, err := os.Stat(xsd); err != nil {
		fmt.Fprintf(w, "%s: official schema %s not found: not cross-checked\n", name, xsd)
		return true
	}
	out, err := exec.Command(xmllint, "--noout", "--schema", xsd, name).CombinedOutput()
	xsdOK := err == nil
	switch {
	case xsdOK && ours:
		fmt.Fprintf(w, "%s: official schema %s: valid (agrees)\n", name, filepath.Base(xsd))
	case !xsdOK && !ours:
		fmt.Fprintf(w, "%s: official schema %s: invalid (agrees)\n", name, filepath.Base(xsd))
	default:
		fmt.Fprintf(w, "%s: DISAGREEMENT with the official schema %s (xmllint %s, remit %s):\n%s", name, filepath.Base(xsd),
			validity(xsdOK), validity(ours), indent(string(out)))
	}
	return xsdOK
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
