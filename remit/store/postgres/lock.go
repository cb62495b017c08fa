package postgres

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit/store"
)

// ErrBusy means another remit holds the run lock.
var ErrBusy = store.ErrBusy

// RunLock is an exclusive lock on one creditor of a database for the length
// of a run: a PostgreSQL advisory lock, held by a connection of its own for
// the session, so that runs on several hosts never work on the same
// creditor's receivables at once, while different creditors' runs go
// side by side. The server releases it when the connection ends: Release,
// the process's death (the socket closes), or a host that stops answering
// (keepalives, within about two minutes).
//
// The lock is pg_advisory_lock(key, creditor id), key being the first 32
// bits of FNV-1a over "remit run lock", the database's and the schema's
// names (see LockKey): pg_locks shows it as an advisory lock with classid
// key and objid the creditor's id. A connection pooler in transaction mode
// (PgBouncer's pool_mode=transaction) cannot keep a session lock: connect
// remit to the server itself, or to a session pool.
type RunLock struct {
	conn      *pgx.Conn
	name      string
	creditors []int64
}

// LockKey is the first half of the advisory lock keys of remit's schema in
// a database: runs lock (LockKey, creditor id); remit init locks
// (LockKey, 0) while it upgrades the schema.
func LockKey(database, schema string) int32 {
	h := fnv.New32a()
	h.Write([]byte("remit run lock\x00" + database + "\x00" + schema))
	return int32(h.Sum32())
}

// lockNamespace returns LockKey for the database and schema q is on.
func lockNamespace(ctx context.Context, q querier) (int32, error) {
	var db string
	var schema *string
	if err := q.QueryRow(ctx, `SELECT current_database(), current_schema()`).Scan(&db, &schema); err != nil {
		return 0, err
	}
	if schema == nil {
		return LockKey(db, ""), nil
	}
	return LockKey(db, *schema), nil
}

// AcquireRunLock takes the run lock of a creditor (by id) of the database
// dsn names, waiting up to wait for another run to release it.
func AcquireRunLock(dsn string, creditorID int64, wait time.Duration) (*RunLock, error) {
	return AcquireRunLockContext(context.Background(), dsn, creditorID, wait)
}

// AcquireRunLockContext is AcquireRunLock, giving up when ctx is done.
func AcquireRunLockContext(ctx context.Context, dsn string, creditorID int64, wait time.Duration) (*RunLock, error) {
	return AcquireRunLocksContext(ctx, dsn, []int64{creditorID}, wait)
}

// AcquireRunLocksContext takes the run locks of several creditors on one
// connection (a group's nightly run of every company holds one
// connection, not one per company), in the order given (give them in id
// order, so that two runs never wait for each other crosswise), waiting up
// to wait in all for other runs to release them. It takes all or none.
func AcquireRunLocksContext(ctx context.Context, dsn string, creditorIDs []int64, wait time.Duration) (*RunLock, error) {
	name := Redact(dsn)
	for _, id := range creditorIDs {
		if id <= 0 || id > math.MaxInt32 {
			return nil, fmt.Errorf("%s: run lock: creditor id %d out of range", name, id)
		}
	}
	cfg, err := poolConfig(dsn, Options{})
	if err != nil {
		return nil, err
	}
	cc := cfg.ConnConfig
	// The lock's connection sits idle for the whole run: no idle timeout
	// may end it, and the server notices a host gone silent within
	// 60 + 6 × 10 s instead of the system's two hours.
	cc.RuntimeParams["idle_session_timeout"] = "0"
	cc.RuntimeParams["tcp_keepalives_idle"] = "60"
	cc.RuntimeParams["tcp_keepalives_interval"] = "10"
	cc.RuntimeParams["tcp_keepalives_count"] = "6"
	cc.RuntimeParams["lock_timeout"] = "0"
	cc.RuntimeParams["application_name"] = "remit run lock"
	if len(creditorIDs) == 1 {
		cc.RuntimeParams["application_name"] = fmt.Sprintf("remit run lock (creditor %d)", creditorIDs[0])
	}
	conn, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		if isCode(err, "3D000") {
			return nil, fmt.Errorf("%s: %w: the server has no database %q (run `remit init` to create it)", name, ErrNoDatabase, cc.Database)
		}
		if isCode(err, "42704") { // unrecognized parameter: idle_session_timeout before PostgreSQL 14
			delete(cc.RuntimeParams, "idle_session_timeout")
			conn, err = pgx.ConnectConfig(ctx, cc)
		}
		if err != nil {
			return nil, connectFailure(name, &cc.Config, err)
		}
	}
	l := &RunLock{conn: conn, name: name}
	ns, err := lockNamespace(ctx, l.conn)
	if err != nil {
		conn.Close(context.Background())
		return nil, fmt.Errorf("%s: %w", l.name, err)
	}
	deadline := time.Now().Add(wait)
	for _, id := range creditorIDs {
		if err := l.acquire(ctx, ns, id, wait, max(time.Until(deadline), 0)); err != nil {
			l.Release() // the locks taken so far
			return nil, err
		}
		l.creditors = append(l.creditors, id)
	}
	return l, nil
}

// acquire takes creditor's lock, waiting up to left of the run's wait.
func (l *RunLock) acquire(ctx context.Context, ns int32, creditor int64, wait, left time.Duration) error {
	var ok bool
	if err := l.conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, $2)`, ns, int32(creditor)).Scan(&ok); err != nil {
		return fmt.Errorf("%s: %w", l.name, err)
	}
	if ok {
		return nil
	}
	if left > 0 {
		// The server queues the waiters and wakes the first as soon as the
		// lock is free; lock_timeout bounds the wait.
		ms := strconv.FormatInt(max(left.Milliseconds(), 1), 10)
		_, err := l.conn.Exec(ctx, `SELECT set_config('lock_timeout', $1, false)`, ms)
		if err == nil {
			_, err = l.conn.Exec(ctx, `SELECT pg_advisory_lock($1, $2)`, ns, int32(creditor))
		}
		if err == nil {
			_, err = l.conn.Exec(ctx, `SELECT set_config('lock_timeout', '0', false)`)
			if err == nil {
				return nil
			}
		}
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		if !isCode(err, "55P03") { // lock_not_available
			return fmt.Errorf("%s: %w", l.name, err)
		}
	}
	return fmt.Errorf("%w (creditor %d of %s, waited %s)", ErrBusy, creditor, l.name, wait)
}

// Check reports whether the lock is still held: its connection may have
// been ended (a server restart, an administrator's pg_terminate_backend),
// which releases it. A run checks before it commits.
func (l *RunLock) Check(ctx context.Context) error {
	if l == nil || l.conn == nil {
		return fmt.Errorf("run lock released")
	}
	for _, creditor := range l.creditors {
		var held bool
		err := l.conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
			AND objid = $1 AND objsubid = 2 AND granted)`, creditor).Scan(&held)
		switch {
		case err != nil:
			return fmt.Errorf("%s: the run lock of creditor %d is lost: %w", l.name, creditor, err)
		case !held:
			return fmt.Errorf("%s: the run lock of creditor %d is no longer held", l.name, creditor)
		}
	}
	return nil
}

// Release frees the lock: its connection ends, which releases it even
// should the unlock itself fail.
func (l *RunLock) Release() error {
	if l == nil || l.conn == nil {
		return nil
	}
	// Unlocked first: the server frees a closed connection's locks only
	// once it notices, a moment later.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l.conn.Exec(ctx, `SELECT pg_advisory_unlock_all()`)
	err := l.conn.Close(ctx)
	l.conn = nil
	return err
}
