// Package remit holds the domain of remit — creditors, customers (tiers),
// SEPA mandates, receivables (échéances), remittances (remises) — and the
// SQLite store they live in.
//
// The store is a single SQLite file (WAL, foreign keys, busy timeout) whose
// schema is versioned by embedded migrations. Only Init upgrades a database;
// every other entry point refuses a database of another version, so an old
// database is never changed behind the user's back:
//
//	st, err := remit.Open("remit.db", remit.Options{})
//	if err != nil { ... }            // ErrNoDatabase, ErrSchemaOld, ErrSchemaNew
//	defer st.Close()
//	cr, err := st.Creditor(ctx, "")  // the only creditor, or ErrCreditorChoice
//
// The file formats live in their own packages (cfonb, sepa, bordereau) and
// know nothing of the store; this package feeds them plain values.
package remit
