// Package dbcopy moves a remit database from one store to the other:
// every table of an SQLite file into an empty PostgreSQL database, or back
// (either way round, or between two databases of one kind), in one
// transaction on the target, checked before it commits.
//
//	rep, err := dbcopy.Copy(ctx, "remit.db", "postgres://remit@db.example/remit", dbcopy.Options{})
//	if err != nil { ... }            // nothing was written
//	for _, t := range rep.Tables {   // rows and content hash of each table, equal on both sides
//		fmt.Println(t.Name, t.Rows, t.SHA256)
//	}
//
// The source is read in one snapshot, in each table's key order; the target
// must be empty (a database that does not exist yet, or has no tables, is
// created with the schema first) and at the same schema version. The rows
// go to PostgreSQL with COPY, to SQLite with one prepared INSERT. Each
// table's rows are counted and hashed as they are sent, then read back from
// the target inside its transaction and hashed again: any difference and
// nothing is committed. On PostgreSQL the identity sequences are then set
// past the largest id copied, so that the next row inserted without an id
// (by remit or by other software) gets a new one.
package dbcopy
