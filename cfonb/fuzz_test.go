package cfonb

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/remit-dev/remit/remit/ident"
)

// FuzzReader: the Reader never panics, every problem is located, and a
// file it accepts without a problem, re-written by the writers, reads back
// as the same records. Seeds: testdata/fuzz/FuzzReader.
func FuzzReader(f *testing.F) {
	f.Add([]byte(crlf(exampleLCRLines...)))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, errs := readAll(data)
		for _, err := range errs {
			if err.Error() == "" {
				t.Fatalf("empty error message")
			}
		}
		if len(errs) > 0 || len(recs) == 0 {
			return
		}
		s, _ := verify(bytes.NewReader(data), pivot)
		out, err := rewrite(recs, s.EOL)
		if err != nil {
			t.Fatalf("accepted file does not re-write: %v", err)
		}
		again, errs := readAll(out)
		if len(errs) > 0 {
			t.Fatalf("re-written file has problems: %q\n%q", messages(errs), out)
		}
		if !reflect.DeepEqual(again, recs) {
			t.Fatalf("records differ after re-writing:\n got %+v\nwant %+v", again, recs)
		}
	})
}

// FuzzLCRRoundTrip: a bill built from any values is either refused with
// located errors, or written and read back equal to what was given, after
// the documented transliteration (Text) of its text zones. Seeds:
// testdata/fuzz/FuzzLCRRoundTrip.
func FuzzLCRRoundTrip(f *testing.F) {
	f.Add("DUPONT MATERIAUX", "LCL PARIS", "F2025001", "FA2025001", "", int64(123456), 44, 0, uint8(0), uint8(3), "20041", "01005", "0500013M026", "ACME", "REM")
	f.Fuzz(func(t *testing.T, name, bankName, draweeRef, drawerRef, siren string, amount int64, dueDays, createdDays int,
		acceptance, entry uint8, bank, branch, number, cedant, reference string) {
		base := date(2025, 1, 15)
		h := LCRHeader{Date: base, Name: cedant, Entry: EntryCode(entry), Account: acmeAccount, Reference: reference}
		if h.Entry.needsValueDate() {
			h.ValueDate = base.AddDate(0, 0, 2)
		}
		b := LCRBill{
			DraweeRef: draweeRef, Name: name, BankName: bankName, Acceptance: Acceptance(acceptance),
			Account: Account{Bank: bank, Branch: branch, Number: number}, Amount: amount,
			Due: base.AddDate(0, 0, dueDays%40000), Created: base.AddDate(0, 0, createdDays%40000), SIREN: siren, DrawerRef: drawerRef,
		}
		if key, err := ident.RIBKey(bank, branch, number); err == nil {
			b.Account.Key = key
		}
		var buf bytes.Buffer
		w := NewLCRWriter(&buf, WriterOptions{EOL: LF})
		err := w.WriteHeader(h)
		if err == nil {
			err = w.WriteBill(b)
		}
		if err == nil {
			err = w.Close()
		}
		if err != nil {
			if !isFieldError(err) {
				t.Fatalf("refused without a FieldError: %v", err)
			}
			return
		}
		recs, errs := readAll(buf.Bytes())
		if len(errs) > 0 || len(recs) != 3 {
			t.Fatalf("written file reads with problems: %q\n%q", messages(errs), buf.Bytes())
		}
		want := b
		want.Seq, want.Account.Key = 2, ""
		want.Name, want.BankName = trimText(b.Name, 24), trimText(b.BankName, 24)
		want.DraweeRef, want.DrawerRef = trimText(b.DraweeRef, 10), trimText(b.DrawerRef, 10)
		want.Due, want.Created = day(b.Due), day(b.Created)
		if got := recs[1].(*LCRBill); !reflect.DeepEqual(*got, want) {
			t.Fatalf("bill read back:\n got %+v\nwant %+v", *got, want)
		}
		wantH := h
		wantH.Seq, wantH.Emitter, wantH.Account.Key = 1, "000000", ""
		wantH.Name, wantH.Reference = trimText(h.Name, 24), trimText(h.Reference, 11)
		if got := recs[0].(*LCRHeader); !reflect.DeepEqual(*got, wantH) {
			t.Fatalf("header read back:\n got %+v\nwant %+v", *got, wantH)
		}
		if got := recs[2].(*LCRTotal); got.Amount != amount || got.Seq != 3 {
			t.Fatalf("total read back: %+v", *got)
		}
	})
}
