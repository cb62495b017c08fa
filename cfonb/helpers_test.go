package cfonb

import (
	"bytes"
	"errors"
	"github.com/remit-dev/remit/remit/testtool"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pivot is the reference date of every test that reads JJMMA dates, so
// that the tests give the same years whatever the day they run.
var pivot = time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// readAll reads a whole file with a fixed pivot and returns its records
// and problems.
func readAll(data []byte) ([]Record, []error) {
	r := NewReader(bytes.NewReader(data))
	r.Pivot = pivot
	var recs []Record
	var errs []error
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, errs
		}
		if rec != nil {
			recs = append(recs, rec)
		}
		errs = append(errs, Flatten(err)...)
	}
}

// rewrite writes records read from a file back through the writers, one
// writer per remise; the totals are recomputed by the writers.
func rewrite(recs []Record, eol EOL) ([]byte, error) {
	var buf bytes.Buffer
	opts := WriterOptions{EOL: eol, KeylessAccounts: true}
	var closer func() error
	var write func(Record) error
	for _, rec := range recs {
		switch v := rec.(type) {
		case *LCRHeader:
			w := NewLCRWriter(&buf, opts)
			closer, write = w.Close, func(r Record) error { return w.WriteBill(*r.(*LCRBill)) }
			if err := w.WriteHeader(*v); err != nil {
				return nil, err
			}
		case *DebitHeader:
			w := NewDebitWriter(&buf, opts)
			closer, write = w.Close, func(r Record) error { return w.WriteDebit(*r.(*Debit)) }
			if err := w.WriteHeader(*v); err != nil {
				return nil, err
			}
		case *TransferHeader:
			w := NewTransferWriter(&buf, opts)
			closer = w.Close
			write = func(r Record) error {
				if c, ok := r.(*TransferComplement); ok {
					return w.WriteComplement(*c)
				}
				return w.WriteTransfer(*r.(*Transfer))
			}
			if err := w.WriteHeader(*v); err != nil {
				return nil, err
			}
		case *LCRTotal, *DebitTotal, *TransferTotal:
			if err := closer(); err != nil {
				return nil, err
			}
		default:
			if err := write(rec); err != nil {
				return nil, err
			}
		}
	}
	return buf.Bytes(), nil
}

func sharedExample(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testtool.SharedDir(t), "reference", "examples", "cfonb", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// messages returns the errors' messages.
func messages(errs []error) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func errorsString(err error) string { return strings.Join(messages(Flatten(err)), "\n") }

// isFieldError reports whether every error in err is a *FieldError.
func isFieldError(err error) bool {
	for _, e := range Flatten(err) {
		var fe *FieldError
		if !errors.As(e, &fe) {
			return false
		}
	}
	return true
}
