package cfonb

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit/ident"
)

func writeLCR(opts WriterOptions, h LCRHeader, bills ...LCRBill) ([]byte, error) {
	var buf bytes.Buffer
	w := NewLCRWriter(&buf, opts)
	if err := w.WriteHeader(h); err != nil {
		return buf.Bytes(), err
	}
	for _, b := range bills {
		if err := w.WriteBill(b); err != nil {
			return buf.Bytes(), err
		}
	}
	err := w.Close()
	return buf.Bytes(), err
}

// The writer gives the shared LCR example from its structs, numbering the
// records and computing the total itself.
func TestLCRWriterExample(t *testing.T) {
	h := exampleLCRHead
	h.Seq, h.Emitter = 0, ""
	bills := append([]LCRBill(nil), exampleLCRBills...)
	for i := range bills {
		bills[i].Seq = 99 // ignored
	}
	want := strings.Join([]string{exLCRHeader, exLCRBill1, exLCRBill2, exLCRBill3, exLCRTotal}, "\r\n") + "\r\n"
	for _, eol := range []EOL{CRLF, LF, None} {
		got, err := writeLCR(WriterOptions{EOL: eol}, h, bills...)
		if err != nil {
			t.Fatal(err)
		}
		if w := strings.ReplaceAll(want, "\r\n", eol.bytes()); string(got) != w {
			t.Errorf("EOL %s:\n got %q\nwant %q", eol, got, w)
		}
	}
}

func TestDebitWriterExample(t *testing.T) {
	var buf bytes.Buffer
	w := NewDebitWriter(&buf, WriterOptions{})
	h := exampleDebHead
	h.Operation = 0
	if err := w.WriteHeader(h); err != nil {
		t.Fatal(err)
	}
	for _, d := range exampleDebits {
		d.Operation, d.Emitter = 0, "" // set by the writer
		if err := w.WriteDebit(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{exDebHeader, exDebit1, exDebit2, exDebTotal}, "\r\n") + "\r\n"
	if buf.String() != want {
		t.Errorf("got %q\nwant %q", buf.String(), want)
	}
	if w.Count() != 2 || w.Total() != 16590 || w.Records() != 4 {
		t.Errorf("Count %d Total %d Records %d", w.Count(), w.Total(), w.Records())
	}
}

func TestWriterErrors(t *testing.T) {
	bill := exampleLCRBills[0]
	with := func(f func(b *LCRBill)) LCRBill { b := bill; f(&b); return b }
	head := func(f func(h *LCRHeader)) LCRHeader { h := exampleLCRHead; f(&h); return h }
	tests := []struct {
		name  string
		opts  WriterOptions
		head  LCRHeader
		bills []LCRBill
		want  string
		is    error
	}{
		{"zero amount", WriterOptions{}, exampleLCRHead, []LCRBill{with(func(b *LCRBill) { b.Amount = 0 })},
			`line 2, record 06, zone montant (103-114) "0": must be positive`, ErrNotPositive},
		{"negative amount", WriterOptions{}, exampleLCRHead, []LCRBill{with(func(b *LCRBill) { b.Amount = -500 })},
			`line 2, record 06, zone montant (103-114) "-500": must be positive`, ErrNotPositive},
		{"amount overflow", WriterOptions{}, exampleLCRHead, []LCRBill{with(func(b *LCRBill) { b.Amount = MaxLCRAmount + 1 })},
			`line 2, record 06, zone montant (103-114) "1000000000000": does not fit in the zone: 12 digits at most`, ErrOverflow},
		{"total overflow", WriterOptions{}, exampleLCRHead, []LCRBill{with(func(b *LCRBill) { b.Amount = MaxLCRAmount }), bill},
			`line 3, record 06, zone montant (103-114) "123456": does not fit in the zone: the remise's total would exceed 12 digits`, ErrOverflow},
		{"bad RIB key", WriterOptions{}, exampleLCRHead, []LCRBill{with(func(b *LCRBill) { b.Account.Key = "07" })},
			`line 2, record 06, zone numéro de compte (92-102) "0500013M026": clé RIB 07, expected 06: bad RIB key`, ident.ErrRIBKey},
		{"missing RIB key", WriterOptions{}, exampleLCRHead, []LCRBill{with(func(b *LCRBill) { b.Account.Key = "" })},
			`line 2, record 06, zone numéro de compte (92-102) "0500013M026": clé RIB missing: give the key or an IBAN`, ErrNoKey},
		{"missing RIB key accepted", WriterOptions{KeylessAccounts: true}, exampleLCRHead, []LCRBill{with(func(b *LCRBill) { b.Account.Key = "" })}, "", nil},
		{"bad RIB key refused even keyless", WriterOptions{KeylessAccounts: true}, exampleLCRHead, []LCRBill{with(func(b *LCRBill) { b.Account.Key = "07" })},
			`line 2, record 06, zone numéro de compte (92-102) "0500013M026": clé RIB 07, expected 06: bad RIB key`, ident.ErrRIBKey},
		{"account formats", WriterOptions{}, exampleLCRHead, []LCRBill{with(func(b *LCRBill) { b.Account = Account{Bank: "2004", Branch: "0100X", Number: "0500013m026"} })},
			`line 2, record 06, zone code banque (82-86) "2004": wrong format: want 5 digits` + "\n" +
				`line 2, record 06, zone code guichet (87-91) "0100X": wrong format: want 5 digits` + "\n" +
				`line 2, record 06, zone numéro de compte (92-102) "0500013m026": wrong format: want 11 digits or upper-case letters`, ErrFormat},
		{"every problem of a bill", WriterOptions{}, exampleLCRHead, []LCRBill{{Name: " ?! ", Acceptance: 3, Account: dupontAccount, Amount: 1, SIREN: "123456789"}},
			`line 2, record 06, zone nom du tiré (31-54) " ?! ": required` + "\n" +
				`line 2, record 06, zone code acceptation (79) "3": unknown code: want 0, 1 or 2` + "\n" +
				`line 2, record 06, zone date d'échéance (119-124) "": required` + "\n" +
				`line 2, record 06, zone date de création (125-130) "": required` + "\n" +
				`line 2, record 06, zone SIREN du tiré (142-150) "123456789": SIREN 123456789: bad check digits`, ErrRequired},
		{"created after due", WriterOptions{}, exampleLCRHead, []LCRBill{with(func(b *LCRBill) { b.Created = b.Due.AddDate(0, 0, 1) })},
			`line 2, record 06, zone date de création (125-130) "2025-03-01": bad date: after the date d'échéance 2025-02-28`, ErrDate},
		{"year out of range", WriterOptions{}, exampleLCRHead, []LCRBill{with(func(b *LCRBill) { b.Due = date(2100, 1, 1) })},
			`line 2, record 06, zone date d'échéance (119-124) "2100-01-01": bad date: year 2100 outside 2000-2099`, ErrDate},
		{"no code entrée", WriterOptions{}, head(func(h *LCRHeader) { h.Entry = 0 }), nil,
			`line 1, record 03, zone code entrée (79) "0": unknown code: want 1, 2, 3 or 4`, ErrCode},
		{"escompte without value date", WriterOptions{}, head(func(h *LCRHeader) { h.Entry = EntryDiscountValue }), nil,
			`line 1, record 03, zone date de valeur (119-124) "": required for an escompte (code entrée 2)`, ErrRequired},
		{"encaissement with value date", WriterOptions{}, head(func(h *LCRHeader) { h.ValueDate = date(2025, 2, 1) }), nil,
			`line 1, record 03, zone date de valeur (119-124) "2025-02-01": must be blank for an encaissement (code entrée 3)`, ErrNotBlank},
		{"header zones", WriterOptions{}, head(func(h *LCRHeader) { h.Emitter, h.Dailly, h.Name = "12345", '9', "" }), nil,
			`line 1, record 03, zone numéro d'émetteur (13-18) "12345": wrong format: want 6 digits` + "\n" +
				`line 1, record 03, zone raison sociale (31-54) "": required` + "\n" +
				`line 1, record 03, zone code Dailly (80) "9": unknown code: want blank, 0, 1, 2 or 3`, ErrFormat},
		{"header year", WriterOptions{}, head(func(h *LCRHeader) { h.Date = date(1999, 12, 31) }), nil,
			`line 1, record 03, zone date de remise (25-30) "1999-12-31": bad date: year 1999 outside 2000-2099`, ErrDate},
		{"no bills", WriterOptions{}, exampleLCRHead, nil, `cfonb: remise without bills: no records`, ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := writeLCR(tt.opts, tt.head, tt.bills...)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %s", tt.want)
			}
			if got := errorsString(err); got != tt.want {
				t.Errorf("error:\n got %s\nwant %s", got, tt.want)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(err, %v) = false", tt.is)
			}
		})
	}
}

// A problem stops the writer: every later call returns it, and Close does
// not write a total.
func TestWriterStickyError(t *testing.T) {
	var buf bytes.Buffer
	w := NewLCRWriter(&buf, WriterOptions{})
	if err := w.WriteHeader(exampleLCRHead); err != nil {
		t.Fatal(err)
	}
	bad := exampleLCRBills[0]
	bad.Amount = 0
	first := w.WriteBill(bad)
	if first == nil {
		t.Fatal("no error")
	}
	if err := w.WriteBill(exampleLCRBills[1]); err != first {
		t.Errorf("WriteBill after an error = %v, want the first error", err)
	}
	if err := w.Close(); err != first {
		t.Errorf("Close after an error = %v, want the first error", err)
	}
	if got, want := buf.String(), exLCRHeader+"\r\n"; got != want {
		t.Errorf("output %q, want the header only", got)
	}
}

func TestWriterState(t *testing.T) {
	t.Run("bill before header", func(t *testing.T) {
		w := NewLCRWriter(&bytes.Buffer{}, WriterOptions{})
		err := w.WriteBill(exampleLCRBills[0])
		if err == nil || err.Error() != "cfonb: WriteBill before WriteHeader: writer used out of order" || !errors.Is(err, ErrWriterState) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("two headers", func(t *testing.T) {
		w := NewLCRWriter(&bytes.Buffer{}, WriterOptions{})
		w.WriteHeader(exampleLCRHead)
		if err := w.WriteHeader(exampleLCRHead); err == nil || err.Error() != "cfonb: WriteHeader after WriteHeader: writer used out of order" {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("after close", func(t *testing.T) {
		w := NewLCRWriter(&bytes.Buffer{}, WriterOptions{})
		w.WriteHeader(exampleLCRHead)
		w.WriteBill(exampleLCRBills[0])
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Errorf("second Close = %v", err)
		}
		if err := w.WriteBill(exampleLCRBills[0]); err == nil || err.Error() != "cfonb: WriteBill after Close: writer used out of order" {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("complement before transfer", func(t *testing.T) {
		w := NewTransferWriter(&bytes.Buffer{}, WriterOptions{})
		if err := w.WriteHeader(TransferHeader{Name: "A", Account: acmeAccount}); err != nil {
			t.Fatal(err)
		}
		if err := w.WriteComplement(TransferComplement{Label: "X"}); err == nil || !errors.Is(err, ErrWriterState) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("write error", func(t *testing.T) {
		w := NewLCRWriter(failWriter{}, WriterOptions{})
		w.WriteHeader(exampleLCRHead)
		w.WriteBill(exampleLCRBills[0])
		if err := w.Close(); err == nil || err.Error() != "disk full" {
			t.Errorf("Close = %v, want disk full", err)
		}
		if err := w.WriteBill(exampleLCRBills[0]); err == nil || err.Error() != "disk full" {
			t.Errorf("WriteBill after a write error = %v", err)
		}
	})
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestDebitWriterErrors(t *testing.T) {
	tests := []struct {
		name string
		head DebitHeader
		want string
	}{
		{"no NNE", DebitHeader{Due: date(2025, 2, 5), Name: "A", Account: sudAccount},
			`line 1, record 03, zone numéro d'émetteur (13-18) "": required: the numéro national d'émetteur (NNE) of the creditor`},
		{"ICS as NNE", DebitHeader{Emitter: "FR12ZZZ123456", Due: date(2025, 2, 5), Name: "A", Account: sudAccount},
			`line 1, record 03, zone numéro d'émetteur (13-18) "FR12ZZZ123456": wrong format: want 6 digits`},
		{"no due date", DebitHeader{Emitter: "123456", Name: "A", Account: sudAccount},
			`line 1, record 03, zone date (26-30) "": required: the date d'échéance`},
		{"LCR operation", DebitHeader{Operation: OpLCR, Emitter: "123456", Due: date(2025, 2, 5), Name: "A", Account: sudAccount},
			`line 1, record 03, zone code opération (3-4) "60": unknown code: not a prélèvement operation`},
		{"bank code at 150-154", DebitHeader{Emitter: "123456", Due: date(2025, 2, 5), Name: "A", Account: Account{Bank: "X", Branch: "90000", Number: "08012345678"}},
			`line 1, record 03, zone code banque (150-154) "X": wrong format: want 5 digits`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewDebitWriter(&bytes.Buffer{}, WriterOptions{})
			err := w.WriteHeader(tt.head)
			if got := errorsString(err); got != tt.want {
				t.Errorf("error:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
	t.Run("debit", func(t *testing.T) {
		w := NewDebitWriter(&bytes.Buffer{}, WriterOptions{})
		if err := w.WriteHeader(exampleDebHead); err != nil {
			t.Fatal(err)
		}
		d := exampleDebits[0]
		d.Amount = MaxAmount + 1
		want := `line 2, record 06, zone montant (103-118) "10000000000000000": does not fit in the zone: 16 digits at most`
		if got := errorsString(w.WriteDebit(d)); got != want {
			t.Errorf("error:\n got %s\nwant %s", got, want)
		}
	})
}

func TestTransferWriter(t *testing.T) {
	var buf bytes.Buffer
	w := NewTransferWriter(&buf, WriterOptions{EOL: None})
	steps := []error{
		w.WriteHeader(TransferHeader{Date: date(2025, 1, 31), Name: "ACME OUTILLAGE SARL", Reference: "VIR0125", Account: acmeAccount, OrdererID: ")112345678200017"}),
		w.WriteTransfer(Transfer{Reference: "FOURN-0042", Name: "IMPRIMERIE LEBLANC", BankName: "BANQUE POPULAIRE", Account: dupontAccount, Amount: 75000, Label: ")FACT 2025-117"}),
		w.WriteTransfer(Transfer{Reference: "FOURN-0043", Name: "TRANSPORTS ROUX", Account: durandAccount, Amount: 31250, Label: "FACTURE 8812"}),
		w.Close(),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	if want := exTrfHeader + exTransfer1 + exTransfer2 + exTrfTotal; buf.String() != want {
		t.Errorf("got %q\nwant %q", buf.String(), want)
	}
}

func TestAccountFromIBAN(t *testing.T) {
	tests := []struct {
		iban string
		want Account
		err  string
		is   error
	}{
		{"FR14 2004 1010 0505 0001 3M02 606", dupontAccount, "", nil},
		{"fr7630006000011234567890189", martinAccount, "", nil},
		{"DE89370400440532013000", Account{}, "IBAN DE89370400440532013000: not a French account: CFONB 160 files carry French RIBs only", ErrNotFrench},
		{"BE68539007547034", Account{}, "IBAN BE68539007547034: not a French account: CFONB 160 files carry French RIBs only", ErrNotFrench},
		{"FR7630006000011234567890188", Account{}, "IBAN FR7630006000011234567890188: bad check digits", ident.ErrCheckDigits},
		{"", Account{}, "IBAN: empty", ident.ErrEmpty},
	}
	for _, tt := range tests {
		got, err := AccountFromIBAN(tt.iban)
		if tt.err == "" {
			if err != nil || got != tt.want {
				t.Errorf("AccountFromIBAN(%q) = %+v, %v; want %+v", tt.iban, got, err, tt.want)
			}
			if got.IBAN() != ident.NormalizeIBAN(tt.iban) {
				t.Errorf("IBAN() = %s", got.IBAN())
			}
			continue
		}
		if err == nil || err.Error() != tt.err || !errors.Is(err, tt.is) {
			t.Errorf("AccountFromIBAN(%q) error = %v, want %s", tt.iban, err, tt.err)
		}
	}
}

// The writer's key computation agrees with ident's on every account of
// the examples and on letters.
func TestRIBKeyMatchesIdent(t *testing.T) {
	numbers := []string{"0500013M026", "12345678901", "ABCDEFGHIJK", "LMNOPQRSTUV", "WXYZ0000000", "99999999999", "00000000000"}
	for _, n := range numbers {
		for _, bg := range [][2]string{{"20041", "01005"}, {"99999", "99999"}, {"00000", "00000"}} {
			want, err := ident.RIBKey(bg[0], bg[1], n)
			if err != nil {
				t.Fatal(err)
			}
			if got := ribKey(bg[0], bg[1], n); got != get2([]byte(want)) {
				t.Errorf("ribKey(%s %s %s) = %d, ident says %s", bg[0], bg[1], n, got, want)
			}
		}
	}
}

func TestParseEOL(t *testing.T) {
	for in, want := range map[string]EOL{"crlf": CRLF, "CRLF": CRLF, "lf": LF, " none ": None} {
		if got, err := ParseEOL(in); err != nil || got != want {
			t.Errorf("ParseEOL(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseEOL("cr"); err == nil || err.Error() != `record separator "cr": want crlf, lf or none` {
		t.Errorf("ParseEOL(cr) error = %v", err)
	}
}

func TestAccountValidate(t *testing.T) {
	if err := dupontAccount.Validate(); err != nil {
		t.Error(err)
	}
	bad := dupontAccount
	bad.Key = "05"
	if err := bad.Validate(); err == nil || err.Error() != `zone numéro de compte "0500013M026": clé RIB 05, expected 06: bad RIB key` {
		t.Errorf("Validate = %v", err)
	}
}
