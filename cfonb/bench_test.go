package cfonb

import (
	"bufio"
	"bytes"
	"io"
	"testing"
)

// benchBill is a typical bill: ASCII names, a valid key, a SIREN.
var benchBill = LCRBill{
	DraweeRef: "F2025002", Name: "Martin et Fils SA", BankName: "Crédit du Nord Lille",
	Acceptance: Accepted, Account: Account{Bank: "30006", Branch: "00001", Number: "12345678901", Key: "89"},
	Amount: 50000, Due: date(2025, 3, 31), Created: date(2025, 1, 15), SIREN: "100000009", DrawerRef: "FA2025002",
}

var benchHeader = LCRHeader{
	Date: date(2025, 1, 20), Name: "ACME OUTILLAGE SARL", BankName: "BNP PARIBAS PARIS OPERA",
	Entry: EntryCollection, Account: Account{Bank: "30004", Branch: "00828", Number: "00010123456", Key: "91"},
	SIREN: "123456782", Reference: "REM2025-01",
}

// BenchmarkLCRWriter writes one bill per iteration to a buffered discard,
// as to a bufio'd file.
func BenchmarkLCRWriter(b *testing.B) {
	w := NewLCRWriter(bufio.NewWriter(io.Discard), WriterOptions{})
	if err := w.WriteHeader(benchHeader); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(RecordLen + 2)
	b.ReportAllocs()
	for b.Loop() {
		if err := w.WriteBill(benchBill); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkReader reads an LCR remise of 10,000 bills.
func BenchmarkReader(b *testing.B) {
	var buf bytes.Buffer
	w := NewLCRWriter(&buf, WriterOptions{})
	w.WriteHeader(benchHeader)
	for range 10000 {
		w.WriteBill(benchBill)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewReader(bytes.NewReader(data))
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}
