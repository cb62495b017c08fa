// Package sqlite is remit's store in a single SQLite file (WAL, foreign
// keys, busy timeout): every SQL statement, the schema's migrations, and
// the machinery that keeps a run of a million receivables fast and its
// memory flat (spill files, packed reads, batched inserts, index rebuilds,
// the pointed-scan hint).
//
// The schema is versioned by embedded migrations (migrations/*.sql). Only
// Init upgrades a database; every other entry point refuses a database of
// another version, so an old database is never changed behind the user's
// back:
//
//	st, err := sqlite.Open("remit.db", sqlite.Options{})
//	if err != nil { ... }            // ErrNoDatabase, ErrSchemaOld, ErrSchemaNew
//	defer st.Close()
//	cr, err := st.Creditor(ctx, "")  // the only creditor, or remit.ErrCreditorChoice
package sqlite
