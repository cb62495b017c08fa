package floor

import (
	"database/sql"
)

// Table is a table's or an index's rows (-1 for an index) and the bytes of
// its pages.
type Table struct {
	Name  string
	Index bool
	Rows  int64
	Bytes int64
}

// Tables are the tables and indexes of the database at path, from SQLite's
// dbstat: the pages in use, whatever the file's free pages.
func Tables(path string) ([]Table, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.Query(`SELECT s.name, m.type, sum(s.pgsize) FROM dbstat s JOIN sqlite_master m ON m.name = s.name
		WHERE m.type IN ('table', 'index') GROUP BY s.name, m.type ORDER BY s.name`)
	if err != nil {
		return nil, err
	}
	var ts []Table
	for rows.Next() {
		var t Table
		var kind string
		if err := rows.Scan(&t.Name, &kind, &t.Bytes); err != nil {
			rows.Close()
			return nil, err
		}
		t.Index, t.Rows = kind == "index", -1
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, err
	}
	rows.Close()
	for i, t := range ts {
		if !t.Index {
			if err := db.QueryRow(`SELECT count(*) FROM "` + t.Name + `"`).Scan(&ts[i].Rows); err != nil {
				return nil, err
			}
		}
	}
	return ts, nil
}
