package camt053

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/remit-dev/remit/remit/statement"
)

// FuzzReader: the Reader never panics; every problem is an *Error saying
// where (or a count of more problems); every statement it accepts adds
// up; and what it accepts, written in either version, is either refused
// by the Writer for a stated reason (a value the schema does not allow) or
// read back the same.
func FuzzReader(f *testing.F) {
	for _, name := range []string{"camt.053.001.02.statement.example.xml", "camt.053.001.08.statement.example.xml"} {
		data := example(f, name)
		f.Add(data)
		for _, d := range problemDocs[:3] {
			f.Add([]byte(d.edit(string(data))))
		}
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sts, err := ReadAll(bytes.NewReader(data))
		for _, e := range Flatten(err) {
			var located *Error
			var more *moreProblems
			if e.Error() == "" || !errors.As(e, &located) && !errors.As(e, &more) {
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
		for _, version := range []string{statement.Camt053V02, statement.Camt053V08} {
			var buf bytes.Buffer
			w := NewWriter(&buf, WriterOptions{Version: version, MsgID: "MSG-TEST-1", Created: created})
			for i := range sts {
				if err := w.Write(&sts[i]); err != nil {
					if !errors.Is(err, ErrValue) && !errors.Is(err, ErrNotWritable) {
						t.Fatalf("accepted statement refused by the Writer without a reason: %v", err)
					}
					return
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			again, err := ReadAll(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatalf("%s written reads with problems: %v\n%s", version, err, buf.Bytes())
			}
			want := sameAs(sts, version)
			for i := range want {
				if want[i].Created.IsZero() {
					want[i].Created = created // the message's date stands in
				}
			}
			if got := withoutLines(again); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: statements differ after writing:\n got %+v\nwant %+v\n%s", version, got, want, buf.Bytes())
			}
		}
	})
}
