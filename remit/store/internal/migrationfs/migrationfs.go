// Package migrationfs reads the schema migrations a store embeds: one
// file a version in its folder migrations, named NNNN_what.sql, applied in
// the order of their numbers. Each store keeps its own files and applies
// them its own way; this is only how they are found and numbered.
//
//	//go:embed migrations/*.sql
//	var migrationFS embed.FS
//	...
//	for _, m := range migrationfs.Read(migrationFS) { ... m.Version, m.SQL ... }
package migrationfs

import (
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migration is one version of the schema: the statements that make it
// from the one before.
type Migration struct {
	Version int
	Name    string // the file's name
	SQL     string
}

// Read returns the migrations of fsys's folder migrations, by version; a
// file whose name does not start with a number is not one.
func Read(fsys fs.FS) []Migration {
	entries, err := fs.ReadDir(fsys, "migrations")
	if err != nil {
		panic(err) // embedded at build time: cannot fail
	}
	var ms []Migration
	for _, e := range entries {
		n, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if err != nil {
			continue
		}
		b, _ := fs.ReadFile(fsys, path.Join("migrations", e.Name()))
		ms = append(ms, Migration{Version: n, Name: e.Name(), SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms
}

// Latest is the version of fsys's last migration: the schema version the
// store writes.
func Latest(fsys fs.FS) int {
	ms := Read(fsys)
	return ms[len(ms)-1].Version
}
