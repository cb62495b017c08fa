// Package pgtest gives a test a PostgreSQL database of its own, on a private
// cluster started for the tests: no server to set up, nothing shared with the
// machine's own PostgreSQL.
//
//	func TestStore(t *testing.T) {
//		db, err := sql.Open("pgx", pgtest.DSN(t)) // empty database, dropped when t ends
//		...
//	}
//
// The first call in a test process finds the server programs: initdb and
// postgres in $REMIT_PGBIN when set, else in PATH, else in the newest
// /usr/lib/postgresql/*/bin where Debian's package puts them ($REMIT_PG_LIBDIR
// replaces that folder); `make tools` installs the package. It runs initdb in a
// temporary folder and starts postgres on a free port of 127.0.0.1. When they
// cannot be found or started, the test is skipped with a message saying what is
// missing, except under CI=true, where it fails (see testtool.Missing). initdb
// refuses to run as root: as root, the cluster runs as the postgres user
// (Debian's package creates it), or nobody.
//
// One cluster serves every test process of a `go test ./...` run. It belongs to
// a supervisor process (the test binary started again with
// REMIT_PGTEST_SUPERVISE set, caught by this package's init) that is the
// parent of postgres. Each test process holds a flock(2) on a file of its own
// in the shared folder for as long as it lives, so the kernel releases it
// however the process ends: test failure, panic, timeout or kill -9. The
// supervisor stops postgres and removes the cluster's folder as soon as no
// test process holds its file and the `go` command that started them has
// exited; postgres gets SIGQUIT should the supervisor itself be killed, and a
// folder left by a killed supervisor is removed by the next start.
//
// The shared folder is $REMIT_PGTEST_DIR, or remit-pgtest-<uid>-<hash of the
// checkout> in the temporary folder, so two checkouts never share a cluster.
// It keeps the supervisor's log (supervisor.log) and, while the cluster runs,
// the cluster itself (cluster-*/, with postgres.log).
//
// The cluster is made for speed, not durability (fsync, full-page writes and
// synchronous commit are off): a test may kill a client, never postgres.
// Its time zone is UTC and its locale C.
package pgtest
