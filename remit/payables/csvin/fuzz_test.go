package csvin

import (
	"bytes"
	"encoding/csv"
	"errors"
	"testing"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/payables"
)

// FuzzScan: whatever the bytes, Scan never panics and fails only with
// remit.ErrImportInvalid; every problem names a line of the file; with
// SkipInvalid the counts add up; what it accepts is valid, and written back
// as CSV reads back equal (read → write → read).
func FuzzScan(f *testing.F) {
	f.Add([]byte(minimal+"FA-1,401A,A,1,2026-12-01\n"), false, false)
	f.Add([]byte("\ufeffdocument;supplier;name;amount;due_date;method;iban;discount_rate;discount_until;contested;pointed;;\n"+
		"FA-1;401SUN;SUN;1200,00;31/12/2026;vir;"+ibanSun+";2 %;15/12/2026;;oui;;\n"+
		"AV-1;401SUN;SUN;-150;2026-12-10;vir;"+ibanSun+";;;litige qualité;;;\n"), true, false)
	f.Add([]byte(minimal+"FA-1,401A,\"A\nB\",1,2026-12-01\nFA-1,401A,A,2,2026-12-01\n\"FA-2,401A,A,1,2026-12-01\n"), true, false)
	f.Add([]byte("document,supplier,name,amount,due_date,town\nFA-1,401A,SOCI\xc9T\xc9,1,2026-12-01,Besan\xe7on\n"), false, true)
	f.Add([]byte("document,supplier,foo,,name\nFA-1,401A,x,,A\n"), true, false)
	f.Fuzz(func(t *testing.T, data []byte, skip, latin bool) {
		o := Options{SkipInvalid: skip}
		if latin {
			o.Encoding = "windows-1252"
		}
		lines := bytes.Count(data, []byte{'\n'}) + 1
		var accepted []payables.Incoming
		res, err := Scan(bytes.NewReader(data), o, func(in payables.Incoming) error {
			accepted = append(accepted, in)
			return nil
		})
		if err != nil && !errors.Is(err, remit.ErrImportInvalid) {
			t.Fatalf("an error that is not about the input: %v", err)
		}
		if res == nil {
			t.Fatalf("no result: %v", err)
		}
		for _, p := range res.Problems {
			if p.Line < 1 || p.Line > lines {
				t.Fatalf("problem outside the file's %d lines: %v", lines, p)
			}
		}
		if err == nil && res.Lines != res.Accepted+res.Rejected {
			t.Fatalf("%d lines, %d accepted, %d rejected", res.Lines, res.Accepted, res.Rejected)
		}
		if err == nil && !skip && len(res.Problems) > 0 {
			t.Fatalf("accepted with problems: %v", res.Problems)
		}
		if err != nil {
			return
		}
		// Written back, one line per document (a second line of a document
		// is the store's to judge, by payables.Compare), it reads back equal.
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Write(payables.Columns)
		written := map[string]payables.Payable{}
		for _, in := range accepted {
			if errs := in.Validate(); len(errs) > 0 {
				t.Fatalf("line %d accepted with %v", in.Line, errs)
			}
			if _, dup := written[in.Document]; dup {
				continue
			}
			written[in.Document] = in.Payable
			row := make([]string, len(payables.Columns))
			for i, c := range payables.Columns {
				row[i] = in.Column(c)
			}
			w.Write(row)
		}
		w.Flush()
		again, res2, err := ReadAll(bytes.NewReader(buf.Bytes()), Options{}, false)
		if err != nil {
			t.Fatalf("written back, refused: %v\n%s%s", err, problems(res2), buf.String())
		}
		if len(again) != len(written) {
			t.Fatalf("%d payables read back, %d written", len(again), len(written))
		}
		for _, in := range again {
			if in.Payable != written[in.Document] {
				t.Fatalf("read back\n%+v\nwrote\n%+v", in.Payable, written[in.Document])
			}
		}
	})
}
