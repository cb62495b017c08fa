//go:build ignore

// layout checks the rules of the code's layout that issue 18 set (see
// ARCHITECTURE.md), so that `make lint` keeps them:
//
//   - no file outside the store packages (remit/store/...) imports
//     database/sql, tests aside;
//   - no function is over 120 lines, tables aside (the XML schemas' models,
//     listed below with why);
//   - package remit itself (remit/*.go, tests aside) stays under 3,000 lines.
//
// Run it from the repository's root: go run .ci/layout.go
package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const (
	maxFuncLines  = 120
	maxRemitLines = 3000
)

// tables are the functions allowed over maxFuncLines, with why: each is a
// table, one entry a line, that reads best whole.
var tables = map[string]string{
	"sepa/internal/schema/components.go:NewComponents": "the ISO 20022 components of the XSDs, one type a line",
	"sepa/pain008/schema.go:schemaPain008":             "pain.008's XSD model, one element a line",
	"sepa/pain001/schema.go:schemaPain001":             "pain.001's XSD model, one element a line",
	// Tests whose bulk is their cases, one case a line or two.
	"cfonb/reader_test.go:TestReaderErrors":                                "the bad records and what the reader says of each",
	"remit/store/postgres/constraints_test.go:TestConstraintsSameAsSQLite": "the good and bad rows both stores answer alike",
	"sepa/pain008/rules_test.go:TestRuleTransaction":                       "a transaction's EPC rule cases",
	"sepa/pain008/verify_test.go:verifyRuleCases":                          "the edits of a file verify must report",
}

// pending are the functions over maxFuncLines that a step of issue 18
// still to land splits (remove the line with the function).
var pending = map[string]string{}

func main() {
	// The repository's Go files, as `make lint`'s gofmt takes them.
	out, err := exec.Command("git", "ls-files", "*.go").Output()
	if err != nil {
		fmt.Fprintln(os.Stderr, "layout: git ls-files:", err)
		os.Exit(1)
	}
	var problems []string
	remitLines := 0
	for _, path := range strings.Fields(string(out)) {
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "layout:", err)
			os.Exit(1)
		}
		test := strings.HasSuffix(path, "_test.go")
		if !test && filepath.Dir(path) == "remit" {
			remitLines += bytes.Count(src, []byte("\n"))
		}
		p, err := check(path, src, test)
		if err != nil {
			fmt.Fprintln(os.Stderr, "layout:", err)
			os.Exit(1)
		}
		problems = append(problems, p...)
	}
	if remitLines >= maxRemitLines {
		problems = append(problems, fmt.Sprintf("remit/*.go: %d lines (tests aside), the limit is under %d: "+
			"move what is not the domain's values and pure rules into a package of its own", remitLines, maxRemitLines))
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		fmt.Fprintln(os.Stderr, "layout (see .ci/layout.go and ARCHITECTURE.md):")
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "  "+p)
		}
		os.Exit(1)
	}
}

// check parses one Go file and returns what breaks the rules.
func check(path string, src []byte, test bool) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var problems []string
	slash := filepath.ToSlash(path)
	if !test && !strings.HasPrefix(slash, "remit/store/") {
		for _, imp := range f.Imports {
			if v, _ := strconv.Unquote(imp.Path.Value); v == "database/sql" {
				problems = append(problems, fmt.Sprintf("%s:%d: imports database/sql: SQL lives in the store packages (remit/store/...)",
					slash, fset.Position(imp.Pos()).Line))
			}
		}
	}
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		start, end := fset.Position(fn.Pos()).Line, fset.Position(fn.End()).Line
		n := end - start + 1
		key := slash + ":" + fn.Name.Name
		if n <= maxFuncLines || tables[key] != "" || pending[key] != "" {
			continue
		}
		problems = append(problems, fmt.Sprintf("%s:%d: %s is %d lines, over %d: split it into functions that each do one thing",
			slash, start, fn.Name.Name, n, maxFuncLines))
	}
	return problems, nil
}
