package main

import (
	"bytes"
	"strings"
	"testing"
)

// A run with skipped and failed tests: go test's own lines, the failures'
// output, the reasons for skipping grouped, and the counts last.
func TestReport(t *testing.T) {
	in := `{"Action":"start","Package":"p/a"}
{"Action":"run","Package":"p/a","Test":"TestOK"}
{"Action":"output","Package":"p/a","Test":"TestOK","Output":"=== RUN   TestOK\n"}
{"Action":"output","Package":"p/a","Test":"TestOK","Output":"--- PASS: TestOK (0.00s)\n"}
{"Action":"pass","Package":"p/a","Test":"TestOK","Elapsed":0}
{"Action":"run","Package":"p/a","Test":"TestXSD"}
{"Action":"output","Package":"p/a","Test":"TestXSD","Output":"=== RUN   TestXSD\n"}
{"Action":"output","Package":"p/a","Test":"TestXSD","Output":"    writer_test.go:12: ISO 20022 schemas not found in ../shared/xsd (set REMIT_XSD_DIR)\n"}
{"Action":"output","Package":"p/a","Test":"TestXSD","Output":"--- SKIP: TestXSD (0.00s)\n"}
{"Action":"skip","Package":"p/a","Test":"TestXSD","Elapsed":0}
{"Action":"run","Package":"p/a","Test":"TestXSD2"}
{"Action":"output","Package":"p/a","Test":"TestXSD2","Output":"    writer_test.go:40: ISO 20022 schemas not found in ../shared/xsd (set REMIT_XSD_DIR)\n"}
{"Action":"skip","Package":"p/a","Test":"TestXSD2","Elapsed":0}
{"Action":"output","Package":"p/a","Output":"PASS\n"}
{"Action":"pass","Package":"p/a","Elapsed":0.5}
{"Action":"run","Package":"p/b","Test":"TestPDF"}
{"Action":"output","Package":"p/b","Test":"TestPDF","Output":"    pdf_test.go:9: pdftotext not installed (run make tools)\n"}
{"Action":"skip","Package":"p/b","Test":"TestPDF","Elapsed":0}
{"Action":"run","Package":"p/b","Test":"TestBad"}
{"Action":"output","Package":"p/b","Test":"TestBad","Output":"=== RUN   TestBad\n"}
{"Action":"output","Package":"p/b","Test":"TestBad","Output":"    bad_test.go:3: got 1, want 2\n"}
{"Action":"output","Package":"p/b","Test":"TestBad","Output":"--- FAIL: TestBad (0.00s)\n"}
{"Action":"fail","Package":"p/b","Test":"TestBad","Elapsed":0}
{"Action":"output","Package":"p/b","Output":"FAIL\n"}
{"Action":"fail","Package":"p/b","Elapsed":0.25}
`
	var out bytes.Buffer
	r := &report{w: &out, reasons: map[string]int{}, output: map[string][]string{}}
	if err := r.read(strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	if r.summary() {
		t.Error("a failed run reported as passed")
	}
	want := "ok  \tp/a\t0.500s\n" +
		"    bad_test.go:3: got 1, want 2\n--- FAIL: TestBad (0.00s)\n" +
		"FAIL\tp/b\t0.250s\n" +
		"\n3 tests skipped:\n" +
		"     2  ISO 20022 schemas not found in ../shared/xsd (set REMIT_XSD_DIR)\n" +
		"     1  pdftotext not installed (run make tools)\n" +
		"  (README.md, \"What the tests need\", says how to run them all)\n" +
		"1 passed, 1 failed, 3 skipped\n"
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

// No event at all (go test could not start) is not a pass.
func TestReportNothing(t *testing.T) {
	var out bytes.Buffer
	r := &report{w: &out, reasons: map[string]int{}, output: map[string][]string{}}
	r.read(strings.NewReader("go: cannot find main module\n"))
	if r.summary() || !strings.HasPrefix(out.String(), "go: cannot find main module\n") {
		t.Errorf("passed with no test run:\n%s", out.String())
	}
}
