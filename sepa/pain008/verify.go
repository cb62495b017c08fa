package pain008

import (
	"fmt"
	"hash/maphash"
	"io"
	"strings"
	"time"

	"github.com/remit-dev/remit/sepa/internal/schema"
)

// ProblemKind says whether a problem breaks the ISO 20022 schema (the bank
// rejects the file unread) or a rule of the SEPA rulebooks that no XSD
// expresses (the bank or the scheme rejects the file or transactions later).
type ProblemKind = schema.Kind

const (
	ProblemSchema = schema.ProblemSchema
	ProblemRule   = schema.ProblemRule
)

// Problem is one thing wrong in a file, with where it is: Line (1-based,
// of the element's start tag; 0 when not tied to a line), Path (e.g.
// /Document/CstmrDrctDbtInitn/PmtInf[2]/DrctDbtTxInf[1]/Purp), Msg and Kind.
type Problem = schema.Problem

// VerifyMaxProblems caps the problems a Report lists; a broken generator can
// repeat the same mistake in every one of a million transactions.
const VerifyMaxProblems = schema.MaxProblems

// Report is the outcome of Verify: the namespace found, the problems (with
// OK and Count), the warnings (a byte order mark: OK ignores them), the
// problems omitted beyond VerifyMaxProblems, and what the file holds.
type Report struct {
	schema.Report
	Version      Version // V02 or V08; "" when the namespace is not a pain.008 one
	Transactions int     // DrctDbtTxInf elements
	Total        int64   // sum of the well-formed InstdAmt, in cents
}

// Verify reads a pain.008.001.02 or pain.008.001.08 document and checks it
// against the ISO 20022 schema of its version (element order and
// cardinality, unexpected elements, value facets, attributes) and against
// the SEPA rules no schema expresses (control sums, check digits, character
// set, sequence types, addresses, identifier uniqueness…), in one streaming
// pass: memory holds the element stack, not the document, plus an index of
// EndToEndId hashes to find repeats (a 1M-transaction, 730 MB file runs in
// about 85 MB).
//
// Every problem is collected, up to VerifyMaxProblems. Malformed XML stops
// the reading and is reported as a schema problem with its line. The error
// is non-nil only when reading r fails; the partial report comes with it.
//
// Verify judges the file on its own: VerifyWith also compares its dates
// with today's.
func Verify(r io.Reader) (*Report, error) { return VerifyWith(r, VerifyOptions{}) }

// VerifyOptions tunes VerifyWith.
type VerifyOptions struct {
	// Today is the date the file is checked on (its location gives the
	// date): a collection date not after it is a problem, as the bank
	// needs the file before. The zero value skips that rule.
	Today time.Time
}

// VerifyWith is Verify with options.
func VerifyWith(r io.Reader, o VerifyOptions) (*Report, error) {
	if !o.Today.IsZero() {
		y, m, d := o.Today.Date()
		o.Today = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	rules := &verifyRules{today: o.Today, seed: maphash.MakeSeed(), firsts: map[uint64]verifyFirst{}}
	rules.Init(initn)
	rep, err := schema.Validate(r, verifyMessage, rules)
	out := &Report{Report: *rep}
	out.Transactions, out.Total = rules.Count()
	for _, ver := range []Version{V02, V08} {
		if rep.Known && rep.Namespace == ver.Namespace() {
			out.Version = ver
		}
	}
	if err != nil {
		return out, fmt.Errorf("sepa: %w", err)
	}
	return out, nil
}

// verifyMessage selects the pain.008 model by namespace.
var verifyMessage = &schema.Message{
	Family: "pain.008",
	Unknown: func(ns string) string {
		if ns == "" {
			return "Document has no namespace; expected urn:iso:std:iso:20022:tech:xsd:pain.008.001.02 or .08"
		}
		msg := fmt.Sprintf("namespace %q is not pain.008.001.02 or pain.008.001.08", ns)
		switch {
		case strings.Contains(ns, "pain.002") || strings.Contains(ns, "camt.054"):
			msg += " (this is a bank return file: read it with remit returns)"
		case strings.Contains(ns, "pain.001"):
			msg += " (this is a credit transfer file, pain.001)"
		}
		return msg
	},
}

func init() {
	verifyMessage.Documents = map[string]*schema.Type{
		V02.Namespace(): schemaPain008(V02),
		V08.Namespace(): schemaPain008(V08),
	}
}
