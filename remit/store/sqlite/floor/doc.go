// Package floor measures the storage floors of remit's SQLite store, for
// cmd/remitbench: the least SQLite work a remittance run (Bookkeeping) or
// an import (Import) asks for, with no remit code at all, and the rows and
// bytes of each table and index of a database (Tables). remitbench runs
// each in a process of its own, on a copy of the database a stage starts
// from, and sets every stage beside its floor.
package floor
