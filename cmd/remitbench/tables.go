package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/remit-dev/remit/remit/store/sqlite/floor"
)

// tableStat is a table's or an index's rows (tables only) and the bytes
// of its pages.
type tableStat struct {
	index bool
	rows  int64
	bytes int64
}

type tables map[string]tableStat

// bytes is the pages of every table and index.
func (ts tables) bytes() int64 {
	var total int64
	for _, t := range ts {
		total += t.bytes
	}
	return total
}

// tablesMain prints, for each table and index of the database at path,
// "name table|index rows bytes" (rows -1 for an index): see floor.Tables.
func tablesMain(path string) error {
	ts, err := floor.Tables(path)
	if err != nil {
		return err
	}
	for _, t := range ts {
		kind := "table"
		if t.Index {
			kind = "index"
		}
		fmt.Println(t.Name, kind, t.Rows, t.Bytes)
	}
	return nil
}

// readTables runs tablesMain on path in a process of its own.
func readTables(path string) tables {
	out, _ := self("-tables", path)
	ts := tables{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(l)
		if len(f) != 4 {
			fail(fmt.Errorf("remitbench -tables %s: %q", path, l))
		}
		rows, _ := strconv.ParseInt(f[2], 10, 64)
		size, _ := strconv.ParseInt(f[3], 10, 64)
		ts[f[0]] = tableStat{index: f[1] == "index", rows: rows, bytes: size}
	}
	return ts
}
