package sqlite

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/crash"
	"github.com/remit-dev/remit/remit/ident"
)

var errRequired = errors.New("required")

// Columns of the import CSV, in canonical order. The first five are required.
var importColumns = []string{
	"document", "customer", "name", "amount", "due_date",
	"method", "issue_date", "currency", "journal", "iban", "bic", "mandate", "mandate_signed", "scheme",
	"mandate_type", "mandate_last_collected",
	"acceptance", "street", "building", "postcode", "town", "country", "bank_name", "siren", "priority",
	"label", "pointed", "cheque_number", "drawer_bank",
}

const requiredColumns = 5

type importLine struct {
	num        int
	raw        []string
	document   string
	customer   string
	name       string
	amount     int64
	due        string
	method     string
	issue      string
	currency   string
	journal    string
	iban       string
	bic        string
	mandate    string
	signed     string
	scheme     string
	mandKind   string
	lastColl   string
	acceptance string
	addr       remit.Address
	bankName   string
	siren      string
	priority   int
	label      string
	cheque     string // chq: the cheque's number
	drawerBank string // chq: the bank it is drawn on
	pointed    int    // -1 absent, 0 no, 1 yes
	unused     string // the mandate columns given without a mandate, ignored
	hash       string
	errs       []*remit.LineError
}

// Import reads receivables from a CSV file into the store, all or nothing
// (unless SkipInvalid): the whole file is one transaction. Customer details
// (address, bank account, SIREN) repeat on every line of an ERP export; an
// empty one means "not given" and keeps what the database has.
func (s *Store) Import(ctx context.Context, r io.Reader, o remit.ImportOptions) (*remit.ImportResult, error) {
	charset, err := remit.ParseImportEncoding(o.Encoding)
	if err != nil {
		return nil, fmt.Errorf("encoding %q: %w", o.Encoding, err)
	}
	f, res, err := openImport(r, charset)
	if err != nil {
		return res, err
	}
	res = &remit.ImportResult{Problems: f.headerProblems}
	if !f.readable {
		return res, fmt.Errorf("%d problem(s) in the header: %w", len(res.Problems), remit.ErrImportInvalid)
	}
	// A header problem (an unknown or repeated column) stops the import, but
	// the lines are still read and checked: every problem in one pass.
	writable := len(f.headerProblems) == 0
	names, head := f.names, f.head
	var le *remit.LineError

	var rejects *rejectWriter
	if o.SkipInvalid {
		path := o.RejectPath
		if path == "" {
			path = rejectPathFor(o.File)
		}
		rejects = &rejectWriter{path: path, header: append(names[:head.named:head.named], "reason")}
		defer rejects.abort()
	}

	tx, release, err := s.beginBulk(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	im, err := newImporter(ctx, tx, s, o)
	if err != nil {
		return nil, err
	}
	defer im.close()

	// Reading and checking the CSV (one core) runs ahead of the database
	// writes (the other core), in order, through a bounded channel.
	lines := make(chan parsed, 1024)
	stop := make(chan struct{})
	defer close(stop)
	go readLines(f, lines, stop)

	var unused unusedColumns
	unreadable := false // the rest of the file cannot be read
	for p := range lines {
		if p.err != nil {
			var pe *csv.ParseError
			if errors.As(p.err, &le) {
				res.Problems = append(res.Problems, le)
				unreadable = true
				break
			}
			if !errors.As(p.err, &pe) {
				return nil, p.err
			}
			le := &remit.LineError{Line: pe.StartLine, Err: fmt.Errorf("malformed CSV: %v", pe.Err)}
			res.Problems = append(res.Problems, le)
			if !o.SkipInvalid {
				// The reader cannot resync reliably after a quoting error.
				break
			}
			res.Lines++ // read and rejected: the counts add up
			res.Rejected++
			if err := rejects.write(nil, le.Err.Error()); err != nil {
				return nil, err
			}
			continue
		}
		ln := p.line
		res.Lines++
		unused.add(ln)
		if len(ln.errs) == 0 && writable && (len(res.Problems) == 0 || o.SkipInvalid) {
			if err := im.apply(ctx, ln, res); err != nil {
				les, ok := asLineErrors(err)
				if !ok {
					return nil, err
				}
				ln.errs = append(ln.errs, les...)
			}
		}
		if len(ln.errs) > 0 {
			res.Problems = append(res.Problems, ln.errs...)
			if o.SkipInvalid {
				res.Rejected++
				if err := rejects.write(ln.raw, lineReasons(ln.errs)); err != nil {
					return nil, err
				}
			}
		}
	}
	if writable && (len(res.Problems) == 0 || o.SkipInvalid) {
		if err := im.flush(ctx, res); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(res.Problems, func(i, j int) bool { return res.Problems[i].Line < res.Problems[j].Line })
	res.Warnings = unused.warnings()
	if len(res.Problems) > 0 && (!o.SkipInvalid || !writable || unreadable) {
		return res, fmt.Errorf("%d problem(s): %w", len(res.Problems), remit.ErrImportInvalid)
	}
	if err := im.finish(ctx, hex.EncodeToString(f.hasher.Sum(nil)), res); err != nil {
		return nil, err
	}
	if rejects != nil && res.Rejected > 0 {
		if err := rejects.commit(); err != nil {
			return nil, err
		}
		res.RejectFile = rejects.path
	}
	crash.Point("before-commit")
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return res, nil
}

// unusedColumns counts the lines that give a scheme or a mandate type
// without a mandate, for one warning per column set.
type unusedColumns struct {
	lines map[string]int // columns → lines
	first map[string]int // columns → first line
	order []string
}

func (u *unusedColumns) add(ln *importLine) {
	if ln.unused == "" || len(ln.errs) > 0 {
		return
	}
	if u.lines == nil {
		u.lines, u.first = map[string]int{}, map[string]int{}
	}
	if u.lines[ln.unused] == 0 {
		u.first[ln.unused] = ln.num
		u.order = append(u.order, ln.unused)
	}
	u.lines[ln.unused]++
}

func (u *unusedColumns) warnings() []string {
	var out []string
	for _, cols := range u.order {
		n := u.lines[cols]
		lines := fmt.Sprintf("line %d gives", u.first[cols])
		if n > 1 {
			lines = fmt.Sprintf("%d lines (the first: line %d) give", n, u.first[cols])
		}
		column := "column"
		if strings.Contains(cols, " and ") {
			column = "columns"
		}
		out = append(out, fmt.Sprintf("%s %s %s without a mandate: ignored, a mandate's scheme and type come with its RUM "+
			"(column mandate); remit sdd refuses a direct debit without a mandate", lines, column, cols))
	}
	return out
}

func rejectPathFor(file string) string {
	if file == "" || file == "-" {
		return "rejected.csv"
	}
	ext := filepath.Ext(file)
	return strings.TrimSuffix(file, ext) + ".rejected.csv"
}

// header is what the first line of an import says.
type header struct {
	idx   map[string]int // column → its 1-based field; 0: absent
	named int            // fields up to the last named one: spreadsheets add empty columns after it
	width int            // fields in the header line
}

// mapColumns reads the header line. Empty columns at its end (…;due_date;;;,
// as spreadsheets save them) are ignored. An unknown, unnamed or repeated
// column is a problem, and so is a missing required column, which also
// makes the lines unreadable (ok false).
func mapColumns(names []string) (h header, problems []*remit.LineError, ok bool) {
	known := map[string]bool{}
	for _, c := range importColumns {
		known[c] = true
	}
	h = header{idx: map[string]int{}, width: len(names)}
	// Each wrong column is reported once, and only the first few: a header
	// of a hundred thousand unknown columns gets a screenful, not 32 MB.
	const maxShown = 20
	unknown, twice := map[string]bool{}, map[string]bool{}
	wrong := 0
	report := func(n string, err error) {
		wrong++
		if wrong <= maxShown {
			problems = append(problems, &remit.LineError{Line: 1, Column: n, Value: n, Err: err})
		}
	}
	for i, n := range names {
		if strings.TrimSpace(n) != "" {
			h.named = i + 1
		}
	}
	for i, n := range names[:h.named] {
		key := strings.ToLower(strings.TrimSpace(n))
		switch {
		case key == "":
			wrong++
			if wrong <= maxShown {
				problems = append(problems, &remit.LineError{Line: 1,
					Err: fmt.Errorf("column %d has no name: name it, or delete the column", i+1)})
			}
		case !known[key]:
			if !unknown[key] {
				err := errors.New("unknown column")
				if len(unknown) == 0 {
					err = fmt.Errorf("unknown column (known: %s)", strings.Join(importColumns, ", "))
				}
				unknown[key] = true
				report(n, err)
			}
		case h.idx[key] != 0:
			if !twice[key] {
				twice[key] = true
				report(n, errors.New("column appears twice"))
			}
		default:
			h.idx[key] = i + 1 // +1 so that 0 means absent
		}
	}
	ok = true
	if wrong > maxShown {
		problems = append(problems, &remit.LineError{Line: 1, Err: fmt.Errorf("and %d more wrong columns", wrong-maxShown)})
	}
	for _, c := range importColumns[:requiredColumns] {
		if h.idx[c] == 0 {
			problems = append(problems, &remit.LineError{Line: 1, Column: c, Err: errors.New("required column missing")})
			ok = false
		}
	}
	return h, problems, ok
}

func parseLine(num int, rec []string, head header) *importLine {
	col := head.idx
	ln := &importLine{num: num, raw: rec, pointed: -1}
	reported := map[string]bool{}
	bad := func(column, value string, err error) {
		if column != "" && reported[column] && errors.Is(err, errRequired) {
			return // the field was refused already; "required" would only repeat it
		}
		reported[column] = true
		ln.errs = append(ln.errs, &remit.LineError{Line: num, Column: column, Value: value, Err: err})
	}
	switch {
	case len(rec) > head.width:
		bad("", "", fmt.Errorf("%d fields, the header has %d", len(rec), head.width))
		return ln
	case len(rec) < head.named:
		bad("", "", fmt.Errorf("%d fields, the header names %d columns", len(rec), head.named))
		return ln
	}
	for i := head.named; i < len(rec); i++ {
		if v := strings.TrimSpace(rec[i]); v != "" {
			bad("", "", fmt.Errorf("field %d %q is in a column the header does not name", i+1, v))
		}
	}
	get := func(name string) string {
		i := col[name]
		if i == 0 {
			return ""
		}
		v := rec[i-1]
		switch {
		case !utf8.ValidString(v):
			bad(name, strings.ToValidUTF8(v, "?"), errors.New("not valid UTF-8: save the file as UTF-8, or give its encoding "+
				"(remit import --encoding windows-1252 for a spreadsheet saved by Excel)"))
			return ""
		case strings.ContainsRune(v, 0):
			bad(name, strings.ReplaceAll(v, "\x00", `\0`), errors.New("contains a NUL byte"))
			return ""
		case len(v) > remit.MaxFieldLen:
			bad(name, v[:40], fmt.Errorf("%d bytes, at most %d", len(v), remit.MaxFieldLen))
			return ""
		}
		return strings.TrimSpace(v)
	}
	date := func(name string, required bool) string {
		v := get(name)
		if v == "" {
			if required {
				bad(name, v, errRequired)
			}
			return ""
		}
		t, err := remit.ParseDate(v)
		if err != nil {
			bad(name, v, err)
			return ""
		}
		return remit.FormatDate(t)
	}
	ln.document = get("document")
	if ln.document == "" {
		bad("document", "", errRequired)
	} else if len(ln.document) > 64 {
		bad("document", ln.document, errors.New("longer than 64 characters"))
	} else if r, ok := invisibleRune(ln.document); ok {
		bad("document", ln.document, fmt.Errorf("contains the invisible or control character %U", r))
	} else if remit.IsFormula(ln.document) {
		bad("document", ln.document, remit.ErrFormula)
	}
	ln.customer = get("customer")
	if ln.customer == "" {
		bad("customer", "", errRequired)
	} else if r, ok := invisibleRune(ln.customer); ok {
		bad("customer", ln.customer, fmt.Errorf("contains the invisible or control character %U", r))
	} else if len(ln.customer) > 35 {
		bad("customer", ln.customer, errors.New("longer than 35 characters"))
	} else if remit.IsFormula(ln.customer) {
		bad("customer", ln.customer, remit.ErrFormula)
	}
	ln.name = get("name")
	if ln.name == "" {
		bad("name", "", errRequired)
	}
	if v := get("amount"); v == "" {
		bad("amount", v, errRequired)
	} else if a, err := remit.ParseAmount(v); err != nil {
		bad("amount", v, err)
	} else {
		ln.amount = a
	}
	ln.due = date("due_date", true)
	ln.issue = date("issue_date", false)
	if ln.issue != "" && ln.due != "" && ln.issue > ln.due {
		bad("issue_date", ln.issue, fmt.Errorf("after the due date %s", ln.due))
	}
	m := strings.ToLower(get("method"))
	if v, ok := remit.PaymentMethods[m]; ok {
		ln.method = v
	} else {
		bad("method", m, errors.New("want sdd, lcr, chq, vir, esp, cb or empty"))
	}
	ln.currency = strings.ToUpper(get("currency"))
	if ln.currency == "" {
		ln.currency = "EUR"
	} else if len(ln.currency) != 3 || strings.Trim(ln.currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		bad("currency", ln.currency, errors.New("want an ISO 4217 code such as EUR"))
	}
	ln.journal = get("journal")
	if len(ln.journal) > 8 {
		bad("journal", ln.journal, errors.New("longer than 8 characters"))
	} else if remit.IsFormula(ln.journal) {
		bad("journal", ln.journal, remit.ErrFormula)
	}
	if v := get("iban"); v != "" {
		ln.iban = ident.NormalizeIBAN(v)
		if err := ident.ValidateIBAN(ln.iban); err != nil {
			bad("iban", v, identReason(err, ln.iban))
		}
	}
	if v := get("bic"); v != "" {
		ln.bic = strings.ToUpper(v)
		if err := ident.ValidateBIC(ln.bic); err != nil {
			bad("bic", v, identReason(err, ln.bic))
		}
	}
	ln.mandate = get("mandate")
	if ln.mandate != "" {
		if err := ident.ValidateRUM(ln.mandate); err != nil {
			bad("mandate", ln.mandate, identReason(err, ln.mandate))
		}
	}
	ln.signed = date("mandate_signed", false)
	ln.scheme = strings.ToUpper(get("scheme"))
	switch ln.scheme {
	case "", "CORE", "B2B":
	default:
		bad("scheme", ln.scheme, errors.New("want CORE or B2B"))
	}
	ln.mandKind = strings.ToLower(get("mandate_type"))
	switch ln.mandKind {
	case "", "recurrent", "oneoff":
	default:
		bad("mandate_type", ln.mandKind, errors.New("want recurrent or oneoff"))
	}
	ln.lastColl = date("mandate_last_collected", false)
	if ln.mandate == "" {
		// A date says something happened to a mandate the line does not
		// name: an error. ERPs fill the scheme and the type of every line by
		// default: they describe a mandate, so without one they are ignored
		// (remit sdd refuses the receivable for its missing mandate).
		for _, c := range []string{"mandate_signed", "mandate_last_collected"} {
			if get(c) != "" {
				bad(c, get(c), errors.New("given without a mandate"))
			}
		}
		var unused []string
		for _, c := range []string{"scheme", "mandate_type"} {
			if get(c) != "" {
				unused = append(unused, c)
			}
		}
		ln.unused = strings.Join(unused, " and ")
		ln.scheme, ln.mandKind = "", ""
	}
	switch a := strings.ToLower(get("acceptance")); a {
	case "", "not_accepted":
		ln.acceptance = "not_accepted"
	case "accepted", "bor":
		ln.acceptance = a
	default:
		bad("acceptance", a, errors.New("want accepted, not_accepted or bor"))
	}
	ln.addr = remit.Address{Street: get("street"), Building: get("building"), Postcode: get("postcode"), Town: get("town"),
		Country: strings.ToUpper(get("country"))}
	if ln.addr.Country != "" {
		if err := ident.ValidateCountry(ln.addr.Country); err != nil {
			bad("country", ln.addr.Country, errors.New("not an ISO 3166 country code such as FR"))
		}
	}
	ln.bankName = get("bank_name")
	if v := get("siren"); v != "" {
		ln.siren = strings.ReplaceAll(v, " ", "")
		if err := ident.ValidateSIREN(ln.siren); err != nil {
			bad("siren", v, identReason(err, ln.siren))
		}
	}
	if v := get("priority"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 0 || p > 99 {
			bad("priority", v, errors.New("want a whole number from 0 to 99"))
		}
		ln.priority = p
	}
	ln.label = get("label")
	if v := strings.ReplaceAll(get("cheque_number"), " ", ""); v != "" {
		ln.cheque = v
		if len(v) > remit.MaxChequeNumber || strings.Trim(v, "0123456789") != "" {
			bad("cheque_number", v, fmt.Errorf("want 1 to %d digits, as on the cheque's bottom line", remit.MaxChequeNumber))
		}
	}
	ln.drawerBank = get("drawer_bank")
	switch v := strings.ToLower(get("pointed")); v {
	case "":
	case "yes", "y", "oui", "o", "true", "1":
		ln.pointed = 1
	case "no", "n", "non", "false", "0":
		ln.pointed = 0
	default:
		bad("pointed", v, errors.New("want yes or no"))
	}
	h := sha256.New()
	for _, c := range importColumns {
		if i := col[c]; i != 0 {
			io.WriteString(h, c)
			h.Write([]byte{0x1f})
			io.WriteString(h, strings.TrimSpace(rec[i-1]))
			h.Write([]byte{0x1e})
		}
	}
	ln.hash = hex.EncodeToString(h.Sum(nil)[:16])
	return ln
}

// parsed is one CSV line, checked, or the reader's error.
type parsed struct {
	line *importLine
	err  error
}

// readLines reads and checks every line of the CSV, in order, until the end
// of the file, an error, or stop.
func readLines(f *importFile, out chan<- parsed, stop <-chan struct{}) {
	defer close(out)
	for {
		p, ok := f.next()
		if !ok {
			return
		}
		select {
		case out <- p:
		case <-stop:
			return
		}
		var pe *csv.ParseError
		if p.err != nil && !errors.As(p.err, &pe) {
			return
		}
	}
}

// importFile is an import file being read: its header checked, then its
// lines read and checked one by one (next), without the database.
type importFile struct {
	cr             *csv.Reader
	lim            *boundedReader
	hasher         hash.Hash // of the file's own bytes
	names          []string  // the header's
	head           header
	headerProblems []*remit.LineError
	readable       bool // every required column is there
}

// openImport reads the header of an import file in charset (nil: UTF-8).
// An error means the file cannot be read at all; res, when not nil, lists
// why (a header line over the limit).
func openImport(r io.Reader, charset *charmap.Charmap) (f *importFile, res *remit.ImportResult, err error) {
	f = &importFile{hasher: sha256.New()}
	var in io.Reader = io.TeeReader(r, f.hasher)
	if charset != nil {
		in = charset.NewDecoder().Reader(in)
	}
	br := bufio.NewReaderSize(in, 1<<16)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	header, err := br.Peek(4096)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, nil, err
	}
	if i := bytes.IndexByte(header, '\n'); i >= 0 {
		header = header[:i]
	}
	if len(bytes.TrimSpace(header)) == 0 {
		return nil, nil, &remit.LineError{Line: 1, Err: errors.New("empty file: the first line must name the columns")}
	}
	f.lim = &boundedReader{r: br}
	f.cr = csv.NewReader(f.lim)
	f.cr.Comma = ','
	if bytes.Count(header, []byte{';'}) > bytes.Count(header, []byte{','}) {
		f.cr.Comma = ';'
	}
	f.cr.FieldsPerRecord = -1
	f.cr.ReuseRecord = false

	names, err := f.cr.Read()
	var le *remit.LineError
	if errors.As(err, &le) {
		return nil, &remit.ImportResult{Problems: []*remit.LineError{le}}, fmt.Errorf("1 problem: %w", remit.ErrImportInvalid)
	}
	if err != nil {
		return nil, nil, &remit.LineError{Line: 1, Err: fmt.Errorf("cannot read the header: %v", err)}
	}
	f.lim.recordDone(f.cr.InputOffset())
	f.names = names
	f.head, f.headerProblems, f.readable = mapColumns(names)
	return f, nil, nil
}

// next reads and checks the next line; ok is false at the end of the file.
// After an error that is not a *csv.ParseError the file cannot be read on.
func (f *importFile) next() (p parsed, ok bool) {
	for {
		rec, err := f.cr.Read()
		if err == io.EOF {
			return parsed{}, false
		}
		f.lim.recordDone(f.cr.InputOffset())
		if err != nil {
			return parsed{err: err}, true
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		line, _ := f.cr.FieldPos(0)
		return parsed{line: parseLine(line, rec, f.head)}, true
	}
}

// invisibleRune finds a control or format character (tab, newline, BOM,
// zero-width space, direction mark) in an identifier: "F1" and "F1" with
// an invisible mark would be two receivables for one invoice.
func invisibleRune(s string) (rune, bool) {
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return r, true
		}
	}
	return 0, false
}

func lineReasons(errs []*remit.LineError) string {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = strings.TrimPrefix(e.Error(), fmt.Sprintf("line %d, ", e.Line))
	}
	return strings.Join(msgs, "; ")
}

// rejectWriter writes the rejected lines of --skip-invalid under a
// temporary name, renamed into place only when the import commits.
type rejectWriter struct {
	path   string
	header []string
	f      *os.File
	w      *csv.Writer
}

func (rw *rejectWriter) write(rec []string, reason string) error {
	if rw.f == nil {
		f, err := os.CreateTemp(filepath.Dir(rw.path), "."+filepath.Base(rw.path)+".tmp*")
		if err != nil {
			return err
		}
		rw.f, rw.w = f, csv.NewWriter(f)
		rw.w.Write(rw.header)
	}
	row := make([]string, len(rw.header))
	copy(row, rec)
	row[len(row)-1] = reason
	return rw.w.Write(row)
}

func (rw *rejectWriter) commit() error {
	rw.w.Flush()
	if err := rw.w.Error(); err != nil {
		return err
	}
	if err := rw.f.Sync(); err != nil {
		return err
	}
	if err := rw.f.Close(); err != nil {
		return err
	}
	err := os.Rename(rw.f.Name(), rw.path)
	rw.f = nil
	return err
}

func (rw *rejectWriter) abort() {
	if rw.f != nil {
		rw.f.Close()
		os.Remove(rw.f.Name())
	}
}

type cachedCustomer struct {
	id   int64
	hash uint64 // of the values last written
}

// cachedMandate is a mandate as the last line that named it left it: a
// line with the same mandate values (line) changes nothing.
type cachedMandate struct {
	id         int64
	customerID int64
	line       uint64 // hash of the line's scheme, IBAN, signature date, kind and BIC
	history    uint64 // hash of the last collection date and IBAN recorded, 0 when none
}

// importCacheSize bounds the customer and mandate caches: past it they
// start again empty, so an import's memory does not grow with its size.
const importCacheSize = 1 << 17

type importer struct {
	tx          *sql.Tx
	st          *Store
	creditorID  int64
	importID    int64
	skip        bool
	customers   map[string]cachedCustomer
	mandates    map[string]cachedMandate
	insRecv     *sql.Stmt
	insBatch    *sql.Stmt
	getRecv     *sql.Stmt
	updRecv     *sql.Stmt
	insCustomer *sql.Stmt
	insMandate  *sql.Stmt
	insHistory  *sql.Stmt
	getMandate  *sql.Stmt
	batch       []pendingLine
	args        []any
	seed        maphash.Seed
	insSeen     *sql.Stmt // remembers a document found unchanged (temp.import_unchanged)
	getSeen     *sql.Stmt
}

func newImporter(ctx context.Context, tx *sql.Tx, st *Store, o remit.ImportOptions) (*importer, error) {
	im := &importer{tx: tx, st: st, creditorID: o.Creditor.ID, skip: o.SkipInvalid,
		customers: map[string]cachedCustomer{}, mandates: map[string]cachedMandate{}, seed: maphash.MakeSeed()}
	res, err := tx.ExecContext(ctx, `INSERT INTO imports (file, sha256, imported_at, lines, inserted, updated, unchanged, rejected)
		VALUES (?, '', ?, 0, 0, 0, 0, 0)`, o.File, st.now().Format("2006-01-02T15:04:05"))
	if err != nil {
		return nil, err
	}
	im.importID, _ = res.LastInsertId()
	if im.insRecv, err = tx.PrepareContext(ctx, `INSERT INTO receivables (`+receivableInsertCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (creditor_id, document) DO NOTHING`); err != nil {
		return nil, err
	}
	if im.insBatch, err = tx.PrepareContext(ctx, batchInsertSQL(importBatch)); err != nil {
		return nil, err
	}
	if im.insCustomer, err = tx.PrepareContext(ctx, `INSERT INTO customers (creditor_id, account, name, street, building, postcode, town, country,
			priority, iban, bic, bank_name, siren) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (creditor_id, account) DO UPDATE SET name = excluded.name,
			street = COALESCE(NULLIF(excluded.street, ''), street), building = COALESCE(NULLIF(excluded.building, ''), building),
			postcode = COALESCE(NULLIF(excluded.postcode, ''), postcode), town = COALESCE(NULLIF(excluded.town, ''), town),
			country = COALESCE(NULLIF(excluded.country, ''), country), priority = excluded.priority,
			iban = COALESCE(NULLIF(excluded.iban, ''), iban),
			bic = CASE WHEN excluded.iban != '' THEN excluded.bic ELSE COALESCE(NULLIF(excluded.bic, ''), bic) END,
			bank_name = COALESCE(NULLIF(excluded.bank_name, ''), bank_name), siren = COALESCE(NULLIF(excluded.siren, ''), siren)
		RETURNING id`); err != nil {
		return nil, err
	}
	if im.insMandate, err = tx.PrepareContext(ctx, `INSERT INTO mandates (creditor_id, customer_id, rum, signed_on, scheme, kind, iban, bic)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (creditor_id, rum) DO NOTHING`); err != nil {
		return nil, err
	}
	if im.getMandate, err = tx.PrepareContext(ctx, `SELECT m.id, m.customer_id, m.scheme, m.iban, m.signed_on, m.kind, m.bic, c.account
		FROM mandates m JOIN customers c ON c.id = m.customer_id WHERE m.creditor_id = ? AND m.rum = ?`); err != nil {
		return nil, err
	}
	if im.insHistory, err = tx.PrepareContext(ctx, `INSERT INTO mandate_history (mandate_id, collected_on, iban)
		SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM mandate_history WHERE mandate_id = ? AND collected_on = ?)`); err != nil {
		return nil, err
	}
	// The documents of this file found unchanged (their import_id is an
	// older import's), for a later line with the same document: on disk,
	// not in memory, so a re-import of millions of lines stays small.
	for _, q := range []string{`DROP TABLE IF EXISTS temp.import_unchanged`,
		`CREATE TEMP TABLE import_unchanged (document TEXT PRIMARY KEY) WITHOUT ROWID`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return nil, err
		}
	}
	if im.insSeen, err = tx.PrepareContext(ctx, `INSERT OR IGNORE INTO temp.import_unchanged VALUES (?)`); err != nil {
		return nil, err
	}
	if im.getSeen, err = tx.PrepareContext(ctx, `SELECT count(*) FROM temp.import_unchanged WHERE document = ?`); err != nil {
		return nil, err
	}
	if im.getRecv, err = tx.PrepareContext(ctx, `SELECT id, line_hash, status, import_id FROM receivables WHERE creditor_id = ? AND document = ?`); err != nil {
		return nil, err
	}
	if im.updRecv, err = tx.PrepareContext(ctx, `UPDATE receivables SET customer_id = ?, issue_date = ?, due_date = ?, amount = ?,
		currency = ?, method = ?, journal = ?, mandate_id = ?, acceptance = ?, label = ?, status = ?, refusal = '', line_hash = ?, import_id = ?,
		cheque_number = ?, drawer_bank = ? WHERE id = ?`); err != nil {
		return nil, err
	}
	return im, nil
}

func (im *importer) close() {
	for _, s := range []*sql.Stmt{im.insRecv, im.insBatch, im.getRecv, im.updRecv, im.insCustomer, im.insMandate, im.insHistory,
		im.getMandate, im.insSeen, im.getSeen} {
		if s != nil {
			s.Close()
		}
	}
}

func (im *importer) finish(ctx context.Context, sum string, res *remit.ImportResult) error {
	_, err := im.tx.ExecContext(ctx, `UPDATE imports SET sha256 = ?, lines = ?, inserted = ?, updated = ?, unchanged = ?, rejected = ? WHERE id = ?`,
		sum, res.Lines, res.Inserted, res.Updated, res.Unchanged, res.Rejected, im.importID)
	return err
}

// apply writes one valid line. A *LineError return means the line conflicts
// with what the database holds; any other error is fatal.
func (im *importer) apply(ctx context.Context, ln *importLine, res *remit.ImportResult) (err error) {
	if im.skip {
		// A rejected line must leave no trace: undo its partial writes.
		if _, err := im.tx.ExecContext(ctx, "SAVEPOINT line"); err != nil {
			return err
		}
		defer func() {
			if err != nil {
				im.tx.ExecContext(ctx, "ROLLBACK TO line")
				// What this line wrote is gone: forget what the caches learnt from it.
				clear(im.customers)
				clear(im.mandates)
			}
			im.tx.ExecContext(ctx, "RELEASE line")
		}()
	}
	custID, err := im.customer(ctx, ln)
	if err != nil {
		return err
	}
	var mandateID sql.NullInt64
	if ln.mandate != "" {
		id, err := im.mandate(ctx, ln, custID)
		if err != nil {
			return err
		}
		mandateID = sql.NullInt64{Int64: id, Valid: true}
	}
	if !im.skip {
		// Batched: most lines are new receivables, inserted many at a time.
		im.batch = append(im.batch, pendingLine{ln: ln, custID: custID, mandateID: mandateID})
		if len(im.batch) == importBatch {
			return im.flush(ctx, res)
		}
		return nil
	}
	r, err := im.insRecv.ExecContext(ctx, ln.document, custID, ln.issue, ln.due, ln.amount, ln.currency, ln.method, ln.journal,
		mandateID, ln.acceptance, ln.label, ln.status(), ln.hash, im.importID, im.creditorID, ln.cheque, ln.drawerBank)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 1 {
		res.Inserted++
		return nil
	}
	return im.existing(ctx, ln, custID, mandateID, res)
}

func (ln *importLine) status() string {
	if ln.pointed == 1 {
		return remit.StatusPointed
	}
	return remit.StatusOpen
}

// importBatch is how many receivables one INSERT writes.
const importBatch = 256

type pendingLine struct {
	ln        *importLine
	custID    int64
	mandateID sql.NullInt64
}

// flush inserts the pending receivables in one statement; the lines whose
// document already exists go through existing, one by one. Their conflicts
// become line problems.
func (im *importer) flush(ctx context.Context, res *remit.ImportResult) error {
	if len(im.batch) == 0 {
		return nil
	}
	stmt := im.insBatch
	if len(im.batch) != importBatch {
		var err error
		if stmt, err = im.tx.PrepareContext(ctx, batchInsertSQL(len(im.batch))); err != nil {
			return err
		}
		defer stmt.Close()
	}
	args := im.args[:0]
	for _, p := range im.batch {
		ln := p.ln
		args = append(args, ln.document, p.custID, ln.issue, ln.due, ln.amount, ln.currency, ln.method, ln.journal,
			p.mandateID, ln.acceptance, ln.label, ln.status(), ln.hash, im.importID, im.creditorID, ln.cheque, ln.drawerBank)
	}
	im.args = args
	// Rows this statement inserts get ids above the largest one before it
	// (SQLite's rowid rule): that tells, when some documents already
	// existed, which lines were inserted, without a RETURNING clause.
	var before int64
	if err := im.tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM receivables`).Scan(&before); err != nil {
		return err
	}
	r, err := stmt.ExecContext(ctx, args...)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == int64(len(im.batch)) {
		res.Inserted += len(im.batch)
		im.batch = im.batch[:0]
		return nil
	}
	claimed := make(map[string]bool, len(im.batch))
	for _, p := range im.batch {
		var id int64
		var hash, status string
		var importID int64
		if err := im.getRecv.QueryRowContext(ctx, im.creditorID, p.ln.document).Scan(&id, &hash, &status, &importID); err != nil {
			return err
		}
		if id > before && !claimed[p.ln.document] {
			claimed[p.ln.document] = true // a second line with the same document is a conflict
			res.Inserted++
			continue
		}
		if err := im.known(ctx, p.ln, p.custID, p.mandateID, res, id, hash, status, importID); err != nil {
			les, ok := asLineErrors(err)
			if !ok {
				return err
			}
			res.Problems = append(res.Problems, les...)
		}
	}
	im.batch = im.batch[:0]
	return nil
}

const receivableInsertCols = `document, customer_id, issue_date, due_date, amount, currency, method, journal, mandate_id, acceptance, label, status, line_hash, import_id, creditor_id, cheque_number, drawer_bank`

func batchInsertSQL(n int) string {
	row := "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	return `INSERT INTO receivables (` + receivableInsertCols + `) VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ") +
		` ON CONFLICT (creditor_id, document) DO NOTHING`
}

// existing handles a line whose document the database already has: an
// identical line changes nothing, a changed one updates a receivable that
// is not yet remitted.
func (im *importer) existing(ctx context.Context, ln *importLine, custID int64, mandateID sql.NullInt64, res *remit.ImportResult) error {
	var id, importID int64
	var hash, cur string
	if err := im.getRecv.QueryRowContext(ctx, im.creditorID, ln.document).Scan(&id, &hash, &cur, &importID); err != nil {
		return err
	}
	return im.known(ctx, ln, custID, mandateID, res, id, hash, cur, importID)
}

// known is existing once the receivable's row is read.
func (im *importer) known(ctx context.Context, ln *importLine, custID int64, mandateID sql.NullInt64, res *remit.ImportResult,
	id int64, hash, cur string, importID int64) error {
	lineErr := func(col, val string, e error) error {
		return &remit.LineError{Line: ln.num, Column: col, Value: val, Err: e}
	}
	if hash == ln.hash {
		if importID != im.importID {
			if _, err := im.insSeen.ExecContext(ctx, ln.document); err != nil {
				return err
			}
		}
		res.Unchanged++
		return nil
	}
	seen := importID == im.importID
	if !seen {
		var n int
		if err := im.getSeen.QueryRowContext(ctx, ln.document).Scan(&n); err != nil {
			return err
		}
		seen = n > 0
	}
	if seen {
		return lineErr("document", ln.document, errors.New("appears on an earlier line of this file with other values"))
	}
	switch cur {
	case remit.StatusRemitted, remit.StatusPaid, remit.StatusWrittenOff:
		return im.remitted(ctx, ln, id, cur, res)
	}
	status := cur
	switch ln.pointed {
	case 1:
		status = remit.StatusPointed
	case 0:
		status = remit.StatusOpen
	}
	if _, err := im.updRecv.ExecContext(ctx, custID, ln.issue, ln.due, ln.amount, ln.currency, ln.method, ln.journal,
		mandateID, ln.acceptance, ln.label, status, ln.hash, im.importID, ln.cheque, ln.drawerBank, id); err != nil {
		return err
	}
	res.Updated++
	return nil
}

// remitted handles a changed line of a remitted (or paid) receivable. What
// its own columns say (amount, dates, customer, mandate…) cannot change: each
// change is a problem naming the column, the remitted value and the new one.
// What the line says of its customer and mandate (IBAN, address, name…) was
// recorded before (customer, mandate): it is for the next collection, and
// does not block the file; the pointed column does not apply.
func (im *importer) remitted(ctx context.Context, ln *importLine, id int64, status string, res *remit.ImportResult) error {
	var cur struct {
		customer, issue, due, currency, method, journal, rum, acceptance, label string
		amount, remittance                                                      int64
		sent                                                                    [9]string // as the remittance sent the debtor
	}
	err := im.tx.QueryRowContext(ctx, `SELECT c.account, r.issue_date, r.due_date, r.amount, r.currency, r.method, r.journal,
			COALESCE(m.rum, ''), r.acceptance, r.label, COALESCE(i.remittance_id, 0),
			COALESCE(i.name, ''), COALESCE(i.iban, ''), COALESCE(i.bic, ''), COALESCE(i.street, ''), COALESCE(i.building, ''),
			COALESCE(i.postcode, ''), COALESCE(i.town, ''), COALESCE(i.country, ''), COALESCE(i.bank_name, '')
		FROM receivables r JOIN customers c ON c.id = r.customer_id LEFT JOIN mandates m ON m.id = r.mandate_id
			LEFT JOIN remittance_lines i ON i.id = (SELECT max(x.id) FROM remittance_items x WHERE x.receivable_id = r.id AND x.status != 'cancelled')
		WHERE r.id = ?`, id).Scan(&cur.customer, &cur.issue, &cur.due, &cur.amount, &cur.currency, &cur.method, &cur.journal,
		&cur.rum, &cur.acceptance, &cur.label, &cur.remittance,
		&cur.sent[0], &cur.sent[1], &cur.sent[2], &cur.sent[3], &cur.sent[4], &cur.sent[5], &cur.sent[6], &cur.sent[7], &cur.sent[8])
	if err != nil {
		return err
	}
	what := ln.document + " was " + status
	if status == remit.StatusPaid {
		what = ln.document + " is paid"
	} else if status == remit.StatusWrittenOff {
		what = ln.document + " is written off"
	} else if cur.remittance != 0 {
		what += " (remittance " + remit.Ref(cur.remittance) + ")"
	}
	var errs lineErrors
	for _, c := range []struct{ column, was, now string }{
		{"customer", cur.customer, ln.customer},
		{"amount", remit.FormatAmount(cur.amount), remit.FormatAmount(ln.amount)},
		{"currency", cur.currency, ln.currency},
		{"due_date", cur.due, ln.due},
		{"issue_date", cur.issue, ln.issue},
		{"method", cur.method, ln.method},
		{"journal", cur.journal, ln.journal},
		{"mandate", cur.rum, ln.mandate},
		{"acceptance", cur.acceptance, ln.acceptance},
		{"label", cur.label, ln.label},
	} {
		if c.was == c.now {
			continue
		}
		was := "without one"
		if c.was != "" {
			was = "with " + strconv.Quote(c.was)
		}
		errs = append(errs, &remit.LineError{Line: ln.num, Column: c.column, Value: c.now, Err: fmt.Errorf(
			"%s %s: a remitted receivable cannot change; reject it or cancel its remittance first, or import the change under a new document",
			what, was)})
	}
	if len(errs) > 0 {
		return errs
	}
	// Only the customer's or the mandate's details differ: kept for the next collection.
	var changed []string
	for i, c := range []struct{ column, now string }{{"name", ln.name}, {"iban", ln.iban}, {"bic", ln.bic}, {"street", ln.addr.Street},
		{"building", ln.addr.Building}, {"postcode", ln.addr.Postcode}, {"town", ln.addr.Town}, {"country", ln.addr.Country},
		{"bank_name", ln.bankName}} {
		if c.now != "" && c.now != cur.sent[i] && cur.remittance != 0 {
			changed = append(changed, c.column)
		}
	}
	if _, err := im.tx.ExecContext(ctx, `UPDATE receivables SET line_hash = ?, import_id = ? WHERE id = ?`, ln.hash, im.importID, id); err != nil {
		return err
	}
	res.Unchanged++
	if len(changed) > 0 {
		res.KeptCount++
		if len(res.Kept) < remit.MaxKept {
			res.Kept = append(res.Kept, remit.KeptLine{Line: ln.num, Document: ln.document, Remittance: remit.Ref(cur.remittance), Columns: changed})
		}
	}
	return nil
}

// lineErrors are the problems of one line.
type lineErrors []*remit.LineError

func (e lineErrors) Error() string {
	msgs := make([]string, len(e))
	for i, le := range e {
		msgs[i] = le.Error()
	}
	return strings.Join(msgs, "; ")
}

// asLineErrors returns the line problems err holds, if it is one or several.
func asLineErrors(err error) ([]*remit.LineError, bool) {
	if les, ok := err.(lineErrors); ok {
		return les, true
	}
	var le *remit.LineError
	if errors.As(err, &le) {
		return []*remit.LineError{le}, true
	}
	return nil, false
}

func (im *importer) customer(ctx context.Context, ln *importLine) (int64, error) {
	hash := im.hash(ln.name, ln.addr.Street, ln.addr.Building, ln.addr.Postcode, ln.addr.Town, ln.addr.Country,
		ln.iban, ln.bic, ln.bankName, ln.siren, strconv.Itoa(ln.priority))
	if c, ok := im.customers[ln.customer]; ok && c.hash == hash {
		return c.id, nil
	}
	var id int64
	err := im.insCustomer.QueryRowContext(ctx,
		im.creditorID, ln.customer, ln.name, ln.addr.Street, ln.addr.Building, ln.addr.Postcode, ln.addr.Town, ln.addr.Country,
		ln.priority, ln.iban, ln.bic, ln.bankName, ln.siren).Scan(&id)
	if err != nil {
		return 0, err
	}
	if len(im.customers) >= importCacheSize {
		clear(im.customers)
	}
	im.customers[strings.Clone(ln.customer)] = cachedCustomer{id: id, hash: hash}
	return id, nil
}

func (im *importer) mandate(ctx context.Context, ln *importLine, custID int64) (int64, error) {
	lineErr := func(col, val string, e error) error {
		return &remit.LineError{Line: ln.num, Column: col, Value: val, Err: e}
	}
	line := im.hash(ln.scheme, ln.iban, ln.signed, ln.mandKind, ln.bic)
	if c, ok := im.mandates[ln.mandate]; ok && c.line == line && c.customerID == custID {
		return c.id, im.remember(ctx, ln, c)
	}
	scheme := ln.scheme
	if scheme == "" {
		scheme = "CORE"
	}
	kind := ln.mandKind
	if kind == "" {
		kind = "recurrent"
	}
	// Most mandates a file names are new: try the insert first.
	r, err := im.insMandate.ExecContext(ctx, im.creditorID, custID, ln.mandate, ln.signed, scheme, kind, ln.iban, ln.bic)
	if err != nil {
		return 0, err
	}
	if n, _ := r.RowsAffected(); n == 1 {
		id, _ := r.LastInsertId()
		return id, im.remember(ctx, ln, cachedMandate{id: id, customerID: custID, line: line})
	}
	var m struct {
		id, customerID                                int64
		scheme, iban, signed, kind, bic, customerCode string
	}
	if err := im.getMandate.QueryRowContext(ctx, im.creditorID, ln.mandate).Scan(&m.id, &m.customerID, &m.scheme, &m.iban, &m.signed,
		&m.kind, &m.bic, &m.customerCode); err != nil {
		return 0, err
	}
	if m.customerID != custID {
		return 0, lineErr("mandate", ln.mandate, fmt.Errorf("belongs to customer %s", m.customerCode))
	}
	if ln.scheme != "" && ln.scheme != m.scheme {
		return 0, lineErr("scheme", ln.scheme, fmt.Errorf("mandate %s is %s: a mandate cannot change scheme (sign a new one)", ln.mandate, m.scheme))
	}
	changed := false
	if ln.iban != "" && ln.iban != m.iban {
		// Same mandate, new account: keep the mandate, remember the old IBAN;
		// the next collection announces the change (SMNDA).
		if _, err := im.tx.ExecContext(ctx, `UPDATE mandates SET previous_iban = iban, iban = ?, bic = ? WHERE id = ?`, ln.iban, ln.bic, m.id); err != nil {
			return 0, err
		}
		// A mandate blocked because its account was closed or wrong is usable again on the new account.
		if _, err := unblockForNewIBAN(ctx, im.tx, m.id); err != nil {
			return 0, err
		}
		m.iban, m.bic, changed = ln.iban, ln.bic, true
	}
	if (ln.signed != "" && ln.signed != m.signed) || (ln.mandKind != "" && ln.mandKind != m.kind) || (ln.bic != m.bic && !changed) {
		if ln.signed != "" {
			m.signed = ln.signed
		}
		if ln.mandKind != "" {
			m.kind = ln.mandKind
		}
		m.bic = ln.bic
		if _, err := im.tx.ExecContext(ctx, `UPDATE mandates SET signed_on = ?, kind = ?, bic = ? WHERE id = ?`, m.signed, m.kind, m.bic, m.id); err != nil {
			return 0, err
		}
	}
	c := im.mandates[ln.mandate] // keeps the history already recorded
	if c.id != m.id {
		c = cachedMandate{}
	}
	c.id, c.customerID, c.line = m.id, custID, line
	return m.id, im.remember(ctx, ln, c)
}

// remember records the line's collection made before remit managed the
// mandate (once), then caches the mandate.
func (im *importer) remember(ctx context.Context, ln *importLine, c cachedMandate) error {
	if ln.lastColl != "" {
		if h := im.hash(ln.lastColl, ln.iban); h != c.history {
			if _, err := im.insHistory.ExecContext(ctx, c.id, ln.lastColl, ln.iban, c.id, ln.lastColl); err != nil {
				return err
			}
			c.history = h
		}
	}
	if old, ok := im.mandates[ln.mandate]; ok && old == c {
		return nil
	}
	if len(im.mandates) >= importCacheSize {
		clear(im.mandates)
	}
	im.mandates[strings.Clone(ln.mandate)] = c
	return nil
}

// hash sums values for the caches (separated, so "ab","c" differs from "a","bc").
func (im *importer) hash(values ...string) uint64 {
	var h maphash.Hash
	h.SetSeed(im.seed)
	for _, v := range values {
		h.WriteString(v)
		h.WriteByte(0)
	}
	return h.Sum64()
}

// reasonError drops the value from an ident error's text (the line error
// already shows it) and keeps the sentinel for errors.Is.
type reasonError struct {
	msg string
	err error
}

func (e *reasonError) Error() string { return e.msg }

func (e *reasonError) Unwrap() error { return e.err }

func identReason(err error, value string) error {
	msg := err.Error()
	for _, pre := range []string{value + ": ", fmt.Sprintf("%q: ", value)} {
		if i := strings.Index(msg, pre); i >= 0 {
			msg = msg[i+len(pre):]
			break
		}
	}
	return &reasonError{msg: msg, err: err}
}
