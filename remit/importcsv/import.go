package importcsv

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/csvread"
)

// File is a receivables import file being read: its header checked, then
// its lines read and checked one by one, without a database.
type File struct {
	rd *csvread.Reader
}

// Open reads the header of a receivables import file in encoding
// (csvread.ParseEncoding's names; "" is UTF-8). Its errors are
// csvread.Open's.
func Open(r io.Reader, encoding string) (*File, error) {
	rd, err := csvread.Open(r, Format, encoding)
	if err != nil {
		return nil, err
	}
	return &File{rd: rd}, nil
}

// Header is what the file's first line says.
func (f *File) Header() *csvread.Header { return &f.rd.Header }

// HeaderProblems are the header's problems (csvread.Reader.HeaderProblems).
func (f *File) HeaderProblems() []*remit.LineError { return f.rd.HeaderProblems() }

// Read returns the next line, with its receivable or its problems
// (csvread.ReadLine).
func (f *File) Read() (*Line, error) { return csvread.ReadLine(f.rd, f.parse) }

// Store is what Import needs of a store.
type Store interface {
	// BeginImport starts the transaction of one import; the transaction
	// counts in res what it writes (Inserted, Updated, Unchanged, Kept).
	BeginImport(ctx context.Context, o remit.ImportOptions, res *remit.ImportResult) (Tx, error)
}

// Tx applies the lines of one import file in one transaction: nothing of
// it stays unless Commit.
type Tx interface {
	// Apply writes one valid line, with csvread.Applier's contract: nil,
	// or problems (the line conflicts with what the store holds: a
	// remitted receivable changed, a mandate of another customer…), or
	// another error.
	Apply(ctx context.Context, ln *Line) error
	// Flush writes the lines Apply held back.
	Flush(ctx context.Context) error
	// Record records the import itself: its file, the SHA-256 of its
	// bytes, and the counts of res.
	Record(ctx context.Context, sha256 string) error
	// Commit commits the transaction.
	Commit() error
	// Rollback undoes the transaction unless it committed; it is always
	// called.
	Rollback()
}

// Import reads receivables from a CSV file into a store, all or nothing
// (unless o.SkipInvalid): the whole file is one transaction. Reading and
// checking run on one goroutine, ahead of the store's writes on the
// caller's (csvread.Scan). Customer details (address, bank account, SIREN)
// repeat on every line of an ERP export; an empty one means "not given"
// and keeps what the store has.
//
// The error wraps remit.ErrImportInvalid when the file is refused for what
// it holds, with every problem in the result; a *remit.LineError when it
// cannot be read at all (an empty file); anything else as it is.
func Import(ctx context.Context, st Store, r io.Reader, o remit.ImportOptions) (*remit.ImportResult, error) {
	sum := sha256.New()
	f, err := Open(io.TeeReader(r, sum), o.Encoding)
	var le *remit.LineError
	if errors.As(err, &le) && errors.Is(err, csvread.ErrTooLong) {
		return &remit.ImportResult{Problems: []*remit.LineError{le}}, fmt.Errorf("1 problem: %w", remit.ErrImportInvalid)
	}
	if err != nil {
		return nil, err
	}
	res := &remit.ImportResult{Problems: f.rd.HeaderProblems()}
	if err := f.rd.HeaderError(); err != nil {
		return res, err
	}
	so := csvread.ScanOptions{SkipInvalid: o.SkipInvalid, Reason: rejectReason}
	var rejects *csvread.RejectFile
	if o.SkipInvalid {
		rejects = &csvread.RejectFile{Path: o.RejectPath}
		if rejects.Path == "" {
			rejects.Path = csvread.RejectPath(o.File)
		}
		defer rejects.Abort()
		so.Rejects = rejects
	}
	tx, err := st.BeginImport(ctx, o, res)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	a := &applier{ctx: ctx, tx: tx}
	scanned, err := csvread.Scan(f.rd, f.parse, so, a)
	if scanned == nil {
		return nil, err
	}
	res.Lines, res.Rejected, res.Problems = scanned.Lines, scanned.Rejected, scanned.Problems
	res.Warnings = a.unused.warnings()
	if err != nil {
		return res, err
	}
	if err := tx.Record(ctx, hex.EncodeToString(sum.Sum(nil))); err != nil {
		return nil, err
	}
	if rejects != nil && res.Rejected > 0 {
		if err := rejects.Commit(); err != nil {
			return nil, err
		}
		res.RejectFile = rejects.Path
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return res, nil
}

// applier hands the valid lines to the store's transaction, noting the
// columns they give in vain.
type applier struct {
	ctx    context.Context
	tx     Tx
	unused unusedColumns
}

func (a *applier) Apply(ln *Line) error {
	a.unused.add(ln)
	return a.tx.Apply(a.ctx, ln)
}

func (a *applier) Flush() error { return a.tx.Flush(a.ctx) }

// rejectReason writes the reason column of a rejected line: its problems,
// a column's without "line N, " (a problem of the whole line keeps its
// "line N: ", as the receivables' rejects files always had it).
func rejectReason(problems []*remit.LineError) string {
	msgs := make([]string, len(problems))
	for i, e := range problems {
		msgs[i] = strings.TrimPrefix(e.Error(), fmt.Sprintf("line %d, ", e.Line))
	}
	return strings.Join(msgs, "; ")
}
