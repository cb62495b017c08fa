package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// digest is what a stage wrote, so that two runs of the bench (two commits)
// can be compared byte for byte: the files its globs name in the stage's
// folder, and the sha256 of their sha256sum listing, names relative to that
// folder in byte order, which is what `LC_ALL=C sha256sum GLOBS | sha256sum`
// prints there.
type digest struct {
	files int
	sum   string // hex; "" when the stage wrote nothing the globs name
}

// outputsOf digests the files globs name in dir.
func outputsOf(dir string, globs []string) (digest, error) {
	var names []string
	for _, g := range globs {
		m, err := filepath.Glob(filepath.Join(dir, g))
		if err != nil {
			return digest{}, err
		}
		for _, p := range m {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return digest{}, err
			}
			names = append(names, rel)
		}
	}
	if len(names) == 0 {
		return digest{}, nil
	}
	sort.Strings(names)
	list := sha256.New()
	for _, name := range names {
		sum, err := fileSHA256(filepath.Join(dir, name))
		if err != nil {
			return digest{}, err
		}
		fmt.Fprintf(list, "%s  %s\n", sum, name)
	}
	return digest{files: len(names), sum: hex.EncodeToString(list.Sum(nil))}, nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// outputsTable writes, for every stage that wrote files, their digest: the
// same commit gives the same digests on the same sizes, and a change meant to
// leave every output as it was must too.
func (b *bench) outputsTable(sb *strings.Builder) {
	var rows []*result
	for _, r := range append(append([]*result(nil), b.results...), b.untimed...) {
		if len(r.outputs) > 0 {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return
	}
	sb.WriteString("\n## Outputs\n\n" +
		"What each stage wrote, to compare two runs of the bench byte for byte (two commits, or a change meant to leave\n" +
		"every file as it was): the files, and the sha256 of their listing by `sha256sum`, which\n" +
		"`LC_ALL=C sha256sum FILES | sha256sum` prints in the stage's folder (`-work`/shape/size). Every run of a stage\n" +
		"wrote the same bytes, or the row says so.\n\n" +
		"| section | stage | receivables | files | how many | sha256 of their sha256sum |\n|---|---|---:|---|---:|---|\n")
	for _, r := range rows {
		fmt.Fprintf(sb, "| %s | %s | %d | `%s` | %d | `%s` |\n", r.section, r.stage, r.n, strings.Join(r.globs, " "), r.outputs[0].files, digestText(r.outputs))
	}
}

// digestText is a stage's digest, or what differed between its runs.
func digestText(runs []digest) string {
	seen := map[string]bool{}
	var sums []string
	for _, d := range runs {
		if !seen[d.sum] {
			seen[d.sum] = true
			sums = append(sums, d.sum)
		}
	}
	if len(sums) == 1 {
		return sums[0]
	}
	return fmt.Sprintf("DIFFERS between its %d runs: %s", len(runs), strings.Join(sums, ", "))
}
