package pgtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/remit-dev/remit/remit/testtool"
)

// layout is part of the shared folder's name: change it when the files in
// that folder change meaning, so that test processes of an older checkout
// never talk to a newer supervisor.
const layout = "1"

// startTimeout bounds initdb plus the server's start on a slow machine.
const startTimeout = 2 * time.Minute

// DSN creates an empty database on the private cluster and returns its URL
// (postgres://postgres@127.0.0.1:PORT/NAME?sslmode=disable). The database is
// dropped when t ends. Without PostgreSQL the test is skipped with a message
// saying how to get it, or failed under CI=true.
func DSN(t testing.TB) string {
	t.Helper()
	c, err := theCluster()
	if err != nil {
		testtool.Missing(t, "%v", err)
	}
	name := fmt.Sprintf("%s_p%d_%d", dbPrefix(t.Name()), os.Getpid(), c.seq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := c.admin.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := c.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return c.url(name)
}

// dbPrefix makes a database name readable in the server's log from a test
// name: lower case, [a-z0-9_], short enough for the 63 bytes of a name.
func dbPrefix(test string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(test) {
		if b.Len() == 32 {
			break
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// cluster is this process's view of the shared cluster.
type cluster struct {
	port  int
	admin *pgxpool.Pool // to the postgres database, for CREATE and DROP DATABASE
	user  *os.File      // our file in users/, flocked until the process ends
	seq   atomic.Int64
}

func (c *cluster) url(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, database)
}

var theCluster = sync.OnceValues(join)

// state is what the supervisor publishes in the shared folder once the
// cluster accepts connections.
type state struct {
	Port    int    `json:"port"`
	PID     int    `json:"pid"` // postgres (the postmaster)
	Dir     string `json:"dir"` // the cluster's folder
	Version string `json:"version"`
}

// join registers this process as a user of the shared cluster, starting the
// cluster when none runs, and connects to it.
func join() (*cluster, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	base, err := sharedDir()
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	st, user, err := register(base, bin)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL (%s) could not start a private cluster for the tests: %w (supervisor log: %s)",
			bin.dir, err, filepath.Join(base, "supervisor.log"))
	}
	c := &cluster{port: st.Port, user: user}
	c.admin, err = pgxpool.New(context.Background(), c.url("postgres")+"&pool_max_conns=4")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	return c, nil
}

// sharedDir is the folder all test processes of this checkout meet in.
func sharedDir() (string, error) {
	dir := os.Getenv("REMIT_PGTEST_DIR")
	if dir == "" {
		h := fnv.New32a()
		h.Write([]byte(testtool.RepoRoot() + "\x00" + layout))
		tmp := os.TempDir()
		if os.Geteuid() == 0 && !othersCanEnter(tmp) {
			tmp = "/tmp" // the cluster runs as another user: it must reach its folder
		}
		dir = filepath.Join(tmp, fmt.Sprintf("remit-pgtest-%d-%08x", os.Getuid(), h.Sum32()))
	}
	if err := os.MkdirAll(filepath.Join(dir, "users"), 0o700); err != nil {
		return "", err
	}
	// The cluster runs as another user when we are root: it must be able
	// to reach its folder inside this one.
	return dir, os.Chmod(dir, 0o711)
}

// othersCanEnter reports whether every folder from / to dir can be crossed
// by any user.
func othersCanEnter(dir string) bool {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return false
		}
		if d == filepath.Dir(d) {
			return true
		}
	}
}

// register takes a place among the users of the cluster in base, under the
// folder's lock, and returns the running cluster's state, starting a
// supervisor first when none is alive.
func register(base string, bin binaries) (state, *os.File, error) {
	lock, err := lockFile(filepath.Join(base, "lock"), true)
	if err != nil {
		return state{}, nil, err
	}
	defer lock.Close()

	userPath := filepath.Join(base, "users", strconv.Itoa(os.Getpid()))
	user, err := os.OpenFile(userPath, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return state{}, nil, err
	}
	if err := syscall.Flock(int(user.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		user.Close()
		return state{}, nil, fmt.Errorf("%s: %w", userPath, err)
	}
	// The supervisor keeps the cluster for as long as the go command that
	// runs us lives, so that the next package's tests find it running.
	fmt.Fprintf(user, "%d\n", os.Getppid())

	if supervisorAlive(base) {
		if st, err := readState(base); err == nil {
			return st, user, nil
		}
	}
	if err := removeLeftovers(base); err != nil {
		user.Close()
		return state{}, nil, err
	}
	st, err := startSupervisor(base, bin)
	if err != nil {
		user.Close()
		return state{}, nil, err
	}
	return st, user, nil
}

// supervisorAlive reports whether a supervisor holds supervisor.lock.
func supervisorAlive(base string) bool {
	f, err := lockFile(filepath.Join(base, "supervisor.lock"), false)
	if err != nil {
		return errors.Is(err, syscall.EWOULDBLOCK)
	}
	f.Close()
	return false
}

// removeLeftovers removes what a supervisor that died without cleaning up
// left behind (its postgres got SIGQUIT when it died).
func removeLeftovers(base string) error {
	old, _ := filepath.Glob(filepath.Join(base, "cluster-*"))
	for _, p := range append(old, filepath.Join(base, "state"), filepath.Join(base, "error")) {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	return nil
}

// startSupervisor starts this test binary again as the cluster's supervisor
// and waits for the cluster to accept connections.
func startSupervisor(base string, bin binaries) (state, error) {
	exe, err := os.Executable()
	if err != nil {
		return state{}, err
	}
	logFile, err := os.Create(filepath.Join(base, "supervisor.log"))
	if err != nil {
		return state{}, err
	}
	defer logFile.Close()
	cmd := exec.Command(exe)
	cmd.Dir = base
	cmd.Env = append(withoutVar(os.Environ(), "GOCOVERDIR"), superviseEnv+"="+base, "REMIT_PGBIN="+bin.dir)
	// Our own output would keep go test waiting for the supervisor's end;
	// its own session keeps it out of the test's process group.
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return state{}, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	deadline := time.After(startTimeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if st, err := readState(base); err == nil {
				return st, nil
			}
		case err := <-exited:
			if msg, rerr := os.ReadFile(filepath.Join(base, "error")); rerr == nil {
				return state{}, errors.New(strings.TrimSpace(string(msg)))
			}
			return state{}, fmt.Errorf("supervisor exited: %v", err)
		case <-deadline:
			cmd.Process.Signal(syscall.SIGTERM)
			return state{}, fmt.Errorf("cluster not ready after %s", startTimeout)
		}
	}
}

func readState(base string) (state, error) {
	var st state
	b, err := os.ReadFile(filepath.Join(base, "state"))
	if err != nil {
		return st, err
	}
	err = json.Unmarshal(b, &st)
	return st, err
}

// lockFile opens path and takes an exclusive flock on it, waiting for it
// when wait is set. The lock lasts until the file is closed or the process
// ends.
func lockFile(path string, wait bool) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_EX
	if !wait {
		how |= syscall.LOCK_NB
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func withoutVar(env []string, name string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// Clone creates a database on the private cluster holding what the
// database dsn (one of DSN's, with no session open on it) holds, and
// returns its URL; it is dropped when t ends.
func Clone(t testing.TB, dsn string) string {
	t.Helper()
	c, err := theCluster()
	if err != nil {
		testtool.Missing(t, "%v", err)
	}
	from := dsn[strings.LastIndexByte(dsn, '/')+1:]
	from, _, _ = strings.Cut(from, "?")
	name := fmt.Sprintf("%s_p%d_%d", dbPrefix(t.Name()), os.Getpid(), c.seq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := c.admin.Exec(ctx, "CREATE DATABASE "+ident+" TEMPLATE "+pgx.Identifier{from}.Sanitize()); err != nil {
		t.Fatalf("pgtest: copy database %s to %s: %v", from, name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := c.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return c.url(name)
}
