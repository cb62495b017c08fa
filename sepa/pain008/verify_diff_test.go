package pain008

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/remit-dev/remit/sepa/internal/schema/schematest"
)

// TestVerifyAgreesWithXMLLint mutates valid files at random (deleting,
// duplicating, moving, renaming elements, replacing values with tricky
// ones, adding attributes…) and checks that our schema verdict equals
// xmllint's on every mutant. Seeds are fixed, so failures reproduce.
func TestVerifyAgreesWithXMLLint(t *testing.T) {
	// REMIT_VERIFY_MUTANTS=n[,seed] runs a longer campaign.
	perBase, seed := 250, uint64(2026)
	if testing.Short() {
		perBase = 40
	}
	if env := os.Getenv("REMIT_VERIFY_MUTANTS"); env != "" {
		fmt.Sscanf(strings.ReplaceAll(env, ",", " "), "%d %d", &perBase, &seed)
	}
	vocabulary := append(schemaDocument(V02).ElementNames(), schemaDocument(V08).ElementNames()...)
	vocabulary = append(vocabulary, "Foo")
	dir := t.TempDir()
	type mutant struct {
		path, ops string
	}
	var mutants []mutant
	bySchema := map[Version][]string{}
	for bi, base := range []string{"v08", "v02", "full08", "full02"} {
		text, v := verifyTestBase(t, base)
		rng := rand.New(rand.NewPCG(uint64(bi)+1, seed))
		for i := 0; i < perBase; i++ {
			root := schematest.Parse(t, text)
			var ops []string
			for n := 1 + rng.IntN(2); n > 0; n-- {
				ops = append(ops, schematest.Mutate(rng, root, vocabulary))
			}
			path := filepath.Join(dir, fmt.Sprintf("%s-%03d.xml", base, i))
			if err := os.WriteFile(path, []byte(root.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			mutants = append(mutants, mutant{path, strings.Join(ops, "; ")})
			bySchema[v] = append(bySchema[v], path)
		}
	}
	lint, out := verifyTestLint(t, bySchema)
	disagree, rejected := 0, 0
	for _, m := range mutants {
		r := verifyTestFile(t, m.path)
		ours := r.Count(ProblemSchema) == 0
		if !lint[m.path] {
			rejected++
		}
		if ours != lint[m.path] {
			disagree++
			if disagree <= 10 {
				t.Errorf("%s (%s): we say schema-valid=%v, xmllint %v\nours:%s\nxmllint:\n%s", filepath.Base(m.path), m.ops, ours, lint[m.path], verifyProblems(r), out[m.path])
			}
		}
	}
	t.Logf("%d mutants, %d rejected by xmllint, %d disagreements", len(mutants), rejected, disagree)
}
