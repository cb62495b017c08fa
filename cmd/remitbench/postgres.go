package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit/testtool/pgtest"
)

// The PostgreSQL part (-pg URL, -pg-sizes): the same stages as a shape's,
// on the same generated files, with --db naming a database of the server
// the URL names (the part makes and drops databases named remitbench_*; the
// URL's role must be allowed to). A stage starts from a copy of the
// database the previous one left (CREATE DATABASE … TEMPLATE), as SQLite's
// start from a copy of the file.

type pgConfig struct {
	url     string // the server, e.g. postgres://remit@127.0.0.1:5432/postgres
	skipped string // why -pg auto measured nothing
	sizes   []int
	shape   string
}

// pgDB is the URL of database name on the -pg server.
func (c pgConfig) db(name string) string {
	u, err := url.Parse(c.url)
	if err != nil {
		fail(fmt.Errorf("-pg: %w", err))
	}
	u.Path = "/" + name
	return u.String()
}

// pgAdmin runs statements on the server's postgres database.
func (c pgConfig) admin(stmts ...string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, c.db("postgres"))
	if err != nil {
		fail(fmt.Errorf("-pg: %w", err))
	}
	defer conn.Close(ctx)
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			fail(fmt.Errorf("-pg: %s: %w", s, err))
		}
	}
}

// pgCopy replaces database to with a copy of from.
func (c pgConfig) copy(from, to string) {
	c.admin(`DROP DATABASE IF EXISTS `+pgx.Identifier{to}.Sanitize()+` WITH (FORCE)`,
		`CREATE DATABASE `+pgx.Identifier{to}.Sanitize()+` TEMPLATE `+pgx.Identifier{from}.Sanitize())
}

// serverVersion is what the server says of itself, and the settings that
// weigh on a write.
func (c pgConfig) serverVersion() string {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, c.db("postgres"))
	if err != nil {
		fail(fmt.Errorf("-pg: %w", err))
	}
	defer conn.Close(ctx)
	var v, fsync, sync, buffers string
	conn.QueryRow(ctx, `SELECT split_part(version(), ' ', 2), current_setting('fsync'), current_setting('synchronous_commit'),
		current_setting('shared_buffers')`).Scan(&v, &fsync, &sync, &buffers)
	return fmt.Sprintf("PostgreSQL %s (fsync %s, synchronous_commit %s, shared_buffers %s)", v, fsync, sync, buffers)
}

// startPostgres starts a private cluster for -pg auto (pgtest.Start:
// PostgreSQL's default durability, unlike the tests' cluster) and returns
// what stops it; without PostgreSQL, the part is skipped with a note.
func (b *bench) startPostgres() (stop func()) {
	if b.pg.url != "auto" || len(b.pg.sizes) == 0 {
		return func() {}
	}
	srv, err := pgtest.Start()
	if err != nil {
		b.pg.url = ""
		b.pg.skipped = err.Error()
		fmt.Fprintln(os.Stderr, "remitbench: PostgreSQL part skipped:", err)
		return func() {}
	}
	b.pg.url = srv.URL("postgres")
	return srv.Stop
}

// runPostgres measures the stages on PostgreSQL, for each of -pg-sizes.
func (b *bench) runPostgres() {
	if b.pg.url == "" || len(b.pg.sizes) == 0 {
		return
	}
	b.section = "postgres"
	s, _ := shapeByName(b.pg.shape)
	b.notes["postgres"] = append(b.notes["postgres"], "Server: "+b.pg.serverVersion()+", on the same machine, reached over TCP.")
	for _, n := range b.pg.sizes {
		b.postgresSize(s, n)
	}
}

// postgresSize measures every stage of n receivables of shape s on
// PostgreSQL, beside SQLite's when the same shape and size ran.
func (b *bench) postgresSize(s shape, n int) {
	dir := b.path("postgres", fmt.Sprint(n))
	os.RemoveAll(dir)
	os.MkdirAll(dir, 0o755)
	if err := s.data(n).writeFiles(dir); err != nil {
		fail(err)
	}
	work := "remitbench_work"
	env := append(append([]string{}, b.env...), "REMIT_DB="+b.pg.db(work))
	fresh := func() {
		os.RemoveAll(filepath.Join(dir, "out"))
		b.pg.admin(`DROP DATABASE IF EXISTS ` + work + ` WITH (FORCE)`)
		b.runEnv(dir, env, "init")
		sh(dir, "REMIT_DB='"+b.pg.db(work)+"' "+b.bin+" "+creditorArgs+" >/dev/null")
	}
	restore := func(snap string) func() {
		return func() {
			os.RemoveAll(filepath.Join(dir, "out"))
			b.pg.copy(snap, work)
		}
	}
	snapshot := func(name string) { b.pg.copy(work, name) }
	measure := func(stage string, prepare func(), args ...string) *result {
		var walls []time.Duration
		var rss []int64
		for range b.reps {
			if prepare != nil {
				prepare()
			}
			w, r := b.runEnv(dir, env, args...)
			walls, rss = append(walls, w), append(rss, r)
		}
		return b.record(result{stage: stage, n: n, wall: medianDur(walls), rssKB: medianInt(rss), note: b.beside(s, n, stage, walls)})
	}
	measure("import (SDD CSV)", fresh, "import", "sdd.csv")
	snapshot("remitbench_imported")
	measure("point (--method sdd)", restore("remitbench_imported"), "point", "--method", "sdd", "--due-from", "2026-12-01", "--due-to", "2027-12-31")
	snapshot("remitbench_pointed")
	measure("sdd → pain.008.001.08", restore("remitbench_pointed"), "sdd", "--no-bordereau")
	fresh()
	b.runEnv(dir, env, "import", "lcr.csv")
	b.runEnv(dir, env, "point", "--method", "lcr", "--due-from", "2026-12-01", "--due-to", "2027-12-31")
	snapshot("remitbench_lcr")
	measure("lcr → CFONB 160", restore("remitbench_lcr"), "lcr", "--no-bordereau")
	measure("entries → FEC export", nil, "entries", "1", "--format", "fec", "-o", "ecritures.fec")
	for _, e2e := range []struct {
		stage string
		args  []string
	}{{"end to end: import → run", nil}, {"end to end, --no-bordereau", []string{"--no-bordereau"}}} {
		var walls []time.Duration
		var rss []int64
		for range b.reps {
			fresh()
			w1, r1 := b.runEnv(dir, env, "import", "sdd-pointed.csv")
			w2, r2 := b.runEnv(dir, env, append([]string{"run"}, e2e.args...)...)
			walls, rss = append(walls, w1+w2), append(rss, max(r1, r2))
		}
		b.record(result{stage: e2e.stage, n: n, wall: medianDur(walls), rssKB: medianInt(rss), note: b.beside(s, n, e2e.stage, walls)})
	}
	b.pg.admin(`DROP DATABASE IF EXISTS `+work+` WITH (FORCE)`, `DROP DATABASE IF EXISTS remitbench_imported WITH (FORCE)`,
		`DROP DATABASE IF EXISTS remitbench_pointed WITH (FORCE)`, `DROP DATABASE IF EXISTS remitbench_lcr WITH (FORCE)`)
}

// beside says how a PostgreSQL stage compares with the same stage on
// SQLite in this run (same shape and size), if it ran.
func (b *bench) beside(s shape, n int, stage string, walls []time.Duration) string {
	for _, r := range b.results {
		if r.section == s.name && r.n == n && r.stage == stage {
			return fmt.Sprintf("SQLite %.2f s: %.2f× its time", r.wall.Seconds(), medianDur(walls).Seconds()/r.wall.Seconds())
		}
	}
	return ""
}

// postgresReport writes the PostgreSQL section.
func (b *bench) postgresReport(sb *strings.Builder) {
	s, _ := shapeByName(b.pg.shape)
	if b.pg.skipped != "" {
		fmt.Fprintf(sb, "\n## PostgreSQL: shape “%s”\n\nNot measured: %s.\n", s.name, b.pg.skipped)
		return
	}
	if len(b.sectionResults("postgres")) == 0 {
		return
	}
	fmt.Fprintf(sb, "\n## PostgreSQL: shape “%s”\n\n", s.name)
	fmt.Fprintf(sb, "The stages of shape “%s” with `--db` naming a PostgreSQL database (`-pg`, sizes %s), each from a copy of the\n"+
		"database the previous stage left (`CREATE DATABASE … TEMPLATE`), beside SQLite's time for the same stage\n"+
		"when this run measured it.\n\n", s.name, joinInts(b.pg.sizes))
	b.table(sb, "postgres", "")
	for _, note := range b.notes["postgres"] {
		sb.WriteString("\n" + note + "\n")
	}
}
