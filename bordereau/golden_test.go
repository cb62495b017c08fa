package bordereau

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestGolden pins every document type to a SHA-256 stored in testdata/, and
// checks that two runs with the same data and clock give the same bytes.
// After a deliberate layout change: go test ./bordereau -run Golden -update
// (and look at the PDFs: -keep /tmp/bordereau).
//
// The checksums also depend on Go's compress/flate and on the core font
// metrics taken from fpdf; a toolchain or fpdf upgrade may need -update,
// after looking at the PDFs.
func TestGolden(t *testing.T) {
	docs := []struct {
		name  string
		write func(t *testing.T) []byte
	}{
		{"slip-small", func(t *testing.T) []byte {
			return writeTestSlip(t, testItems(10, threeBlocks[:2]), SlipOptions{})
		}},
		{"slip-lcr", func(t *testing.T) []byte {
			b, _ := lcrSlip(t)
			return b
		}},
		{"slip-230-copies2", func(t *testing.T) []byte {
			return writeTestSlip(t, testItems(230, threeBlocks), SlipOptions{Copies: 2})
		}},
		{"traites", func(t *testing.T) []byte {
			ts := testTraites(t)
			ts[0].Issued = day(2026, 10, 31)
			ts[1].Promissory = true
			b, _ := writeTestTraites(t, ts, TraiteOptions{Created: day(2026, 11, 24), ValueIn: "marchandises"})
			return b
		}},
		{"traites-alignment", func(t *testing.T) []byte {
			b, _ := writeTestTraites(t, nil, TraiteOptions{Alignment: true})
			return b
		}},
		{"duelist", func(t *testing.T) []byte { return writeTestDueList(t, testDueRows(12, 7)) }},
		{"deposit-small", func(t *testing.T) []byte { return writeTestDeposit(t, testCheques(8), DepositOptions{}) }},
		{"deposit-150-copies2", func(t *testing.T) []byte {
			return writeTestDeposit(t, testCheques(150), DepositOptions{Copies: 2})
		}},
		{"cheques", func(t *testing.T) []byte {
			b, _ := writeTestLetters(t, append(testPayments(), longPayment(40)), ChequeOptions{})
			return b
		}},
		{"cheques-preprinted", func(t *testing.T) []byte {
			b, _ := writeTestLetters(t, testPayments(), ChequeOptions{Model: ModelPreprinted, OffsetX: 3.5, OffsetY: -2})
			return b
		}},
		{"cheques-alignment", func(t *testing.T) []byte {
			b, _ := writeTestLetters(t, nil, ChequeOptions{Alignment: true})
			return b
		}},
		{"slip-payments", func(t *testing.T) []byte {
			s, items := paymentSlip(120)
			var buf bytes.Buffer
			if _, err := WriteSlip(&buf, s, slices.Values(items), SlipOptions{Now: clock}); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}},
		{"slip-summary", func(t *testing.T) []byte {
			return writeTestSlip(t, testItems(230, threeBlocks), SlipOptions{Summary: true, Copies: 2})
		}},
		{"forecast", func(t *testing.T) []byte {
			b, _ := writeTestForecast(t, forecastAccounts())
			return b
		}},
		{"advices", func(t *testing.T) []byte {
			b, _ := writeTestAdvices(t, advicePayments())
			return b
		}},
	}
	for _, d := range docs {
		t.Run(d.name, func(t *testing.T) {
			b1, b2 := d.write(t), d.write(t)
			if !bytes.Equal(b1, b2) {
				t.Fatal("two runs with the same input and clock differ")
			}
			keepPDF(t, d.name+".pdf", b1)
			sum := sha256.Sum256(b1)
			got := hex.EncodeToString(sum[:]) + "  " + d.name + ".pdf\n"
			file := filepath.Join("testdata", d.name+".sha256")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("checksum %s, golden %s (layout changed? look at the PDF, then -update)",
					strings.Fields(got)[0], strings.Fields(string(want))[0])
			}
		})
	}
}
