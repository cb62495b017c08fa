// Package postgres is remit's store on a PostgreSQL server, for companies
// that outgrow one SQLite file: several accountants, or runs on several
// hosts, on one database.
//
// This first part holds what does not depend on the store's interfaces:
// the schema (migrations/*.sql, embedded: the same tables, columns, views,
// indexes and constraints as SQLite's at the same version number, see
// migrations/0007_schema.sql for the types), Init and Open with SQLite's
// errors and rules (only Init changes the schema; every other entry point
// refuses a database of another version), and the run lock of a creditor
// (an advisory lock held by a session: see RunLock).
//
// A database is named by a URL (postgres://user:password@host:5432/db?sslmode=…,
// or postgresql://) or libpq's key=value form (host=… dbname=…); IsDSN
// tells them from an SQLite file's path. The PG* environment variables
// fill in what the DSN leaves out, as for psql. remit's tables live in the
// first schema of the search_path (public unless the DSN sets
// search_path), so one database can hold several remit schemas.
//
//	from, to, err := postgres.Init("postgres://remit@db.example/remit", postgres.Options{})
//	st, err := postgres.Open("postgres://remit@db.example/remit", postgres.Options{})
//	if err != nil { ... }            // ErrNoDatabase, ErrSchemaOld, ErrSchemaNew, ErrNotRemitDB, ErrEncoding
//	defer st.Close()
//	lock, err := postgres.AcquireRunLock(dsn, creditorID, 30*time.Second) // or AcquireRunLocksContext for several, on one connection
//	if errors.Is(err, postgres.ErrBusy) { ... } // another run has this creditor
//	defer lock.Release()
package postgres
