package main

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
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
// "name table|index rows bytes" (rows -1 for an index), from SQLite's
// dbstat: the pages in use, whatever the file's free pages.
func tablesMain(path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Query(`SELECT s.name, m.type, sum(s.pgsize) FROM dbstat s JOIN sqlite_master m ON m.name = s.name
		WHERE m.type IN ('table', 'index') GROUP BY s.name, m.type ORDER BY s.name`)
	if err != nil {
		return err
	}
	type object struct {
		name, kind string
		bytes      int64
	}
	var objects []object
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.name, &o.kind, &o.bytes); err != nil {
			return err
		}
		objects = append(objects, o)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	for _, o := range objects {
		count := int64(-1)
		if o.kind == "table" {
			if err := db.QueryRow(`SELECT count(*) FROM "` + o.name + `"`).Scan(&count); err != nil {
				return err
			}
		}
		fmt.Println(o.name, o.kind, count, o.bytes)
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
