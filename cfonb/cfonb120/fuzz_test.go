package cfonb120

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit/statement"
)

// FuzzReader: the Reader never panics; every problem is a located
// *cfonb.FieldError (or says the file is empty, or how many more there
// were); every statement it accepts adds up; and the statements it
// accepts, written by the Writer, read back the same (lines and warnings,
// which name lines, aside).
func FuzzReader(f *testing.F) {
	f.Add(lf(exampleLines...))
	f.Add(crlf(exampleLines...))
	f.Add([]byte(strings.Join(exampleLines, "")))
	f.Add(lf(exampleLines[0], exampleLines[16], exampleLines[0], exampleLines[1], exampleLines[16]))
	f.Add(lf(strings.Replace(exampleLines[0], "EUR2", "XPF0", 1), strings.Replace(exampleLines[16], "EUR2", "XPF0", 1)))
	f.Add(lf(exampleLines[0], exampleLines[4]+"  ", strings.TrimRight(exampleLines[5], " "), exampleLines[3], exampleLines[16]))
	f.Fuzz(func(t *testing.T, data []byte) {
		sts, err := ReadAll(bytes.NewReader(data))
		for _, e := range cfonb.Flatten(err) {
			var fe *cfonb.FieldError
			if e.Error() == "" || !errors.As(e, &fe) && !errors.Is(e, cfonb.ErrEmpty) && !strings.Contains(e.Error(), "more problems not listed") {
				t.Fatalf("problem without a place: %v", e)
			}
		}
		for i := range sts {
			if err := sts[i].Check(); err != nil {
				t.Fatalf("accepted statement does not add up: %v", err)
			}
		}
		if len(sts) == 0 {
			return
		}
		var buf bytes.Buffer
		w := NewWriter(&buf, WriterOptions{EOL: cfonb.LF})
		for i := range sts {
			if err := w.Write(&sts[i]); err != nil {
				t.Fatalf("accepted statement does not write: %v\n%+v", err, sts[i])
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		again, err := ReadAll(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("written statements read with problems: %v\n%s", err, buf.Bytes())
		}
		if got, want := comparable(again), comparable(sts); !reflect.DeepEqual(got, want) {
			t.Fatalf("statements differ after writing:\n got %+v\nwant %+v\n%s", got, want, buf.Bytes())
		}
	})
}

func comparable(sts []statement.Statement) []statement.Statement {
	out := withoutLines(sts)
	for i := range out {
		out[i].Warnings = nil
	}
	return out
}
