package pgtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// superviseEnv, set to the shared folder, turns a test binary into the
// cluster's supervisor before any test runs (see init).
const superviseEnv = "REMIT_PGTEST_SUPERVISE"

func init() {
	if base := os.Getenv(superviseEnv); base != "" {
		os.Exit(supervise(base))
	}
}

// supervise starts the cluster, publishes its state in base, and stops it
// when no test process uses it any more.
func supervise(base string) int {
	// postgres dies with the thread that started it (Pdeathsig): keep
	// this goroutine on that thread until the end.
	runtime.LockOSThread()
	log.SetFlags(log.Ltime | log.Lmicroseconds)
	log.SetPrefix(fmt.Sprintf("pgtest supervisor %d: ", os.Getpid()))

	me, err := lockFile(filepath.Join(base, "supervisor.lock"), false)
	if err != nil {
		return fail(base, fmt.Errorf("supervisor.lock: %w (another supervisor runs)", err))
	}
	defer me.Close()
	began := time.Now()
	pg, err := startCluster(base, false)
	if err != nil {
		return fail(base, err)
	}
	log.Printf("postgres %d serves %s on 127.0.0.1:%d (%s, ready in %s)", pg.cmd.Process.Pid, pg.dir, pg.port,
		pg.version, time.Since(began).Round(time.Millisecond))
	if err := writeState(base, state{Port: pg.port, PID: pg.cmd.Process.Pid, Dir: pg.dir, Version: pg.version}); err != nil {
		pg.stop()
		os.RemoveAll(pg.dir)
		return fail(base, err)
	}
	pg.serve(base)
	return 0
}

func fail(base string, err error) int {
	log.Print(err)
	os.WriteFile(filepath.Join(base, "error"), []byte(err.Error()+"\n"), 0o600)
	return 1
}

func writeState(base string, st state) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tmp := filepath.Join(base, "state.tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(base, "state"))
}

// server is the postgres process the supervisor started.
type server struct {
	cmd     *exec.Cmd
	dir     string // the cluster's folder: data/ and postgres.log
	port    int
	version string
	exited  chan struct{}
}

// errPortTaken means another process bound the port between our pick and
// postgres's bind.
var errPortTaken = errors.New("port taken")

// startCluster runs initdb in a new folder of base and starts postgres on
// it: made for speed (the tests'), or durable as PostgreSQL is by default.
func startCluster(base string, durable bool) (*server, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	owner, err := clusterOwner()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(base, "cluster-")
	if err != nil {
		return nil, err
	}
	if owner != nil {
		if err := os.Chown(dir, int(owner.Uid), int(owner.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	initdb := exec.Command(bin.path("initdb"), "-D", filepath.Join(dir, "data"),
		"-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
	runAs(initdb, owner, dir)
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb as %s: %v\n%s", ownerName(owner), err, tail(out, 20))
	}
	for attempt := 1; ; attempt++ {
		pg, err := startServer(bin, owner, dir, durable)
		if err == nil {
			return pg, nil
		}
		if !errors.Is(err, errPortTaken) || attempt == 3 {
			os.RemoveAll(dir)
			return nil, err
		}
		log.Print(err)
	}
}

// startServer starts postgres on a free port and waits until it accepts
// connections.
func startServer(bin binaries, owner *syscall.Credential, dir string, durable bool) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "postgres.log")
	logFile, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	args := []string{"-D", filepath.Join(dir, "data"),
		"-p", strconv.Itoa(port), "-h", "127.0.0.1", "-k", "", // TCP only: a socket path may be too long
		"-c", "timezone=UTC", "-c", "log_timezone=UTC", "-c", "max_connections=200"}
	if !durable {
		args = append(args, "-F", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	cmd := exec.Command(bin.path("postgres"), args...)
	runAs(cmd, owner, dir)
	dieWithParent(cmd.SysProcAttr)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	pg := &server{cmd: cmd, dir: dir, port: port, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(pg.exited) }()

	url := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=2", port)
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-pg.exited:
			out, _ := os.ReadFile(logPath)
			if strings.Contains(string(out), "could not bind") {
				return nil, fmt.Errorf("postgres on port %d: %w", port, errPortTaken)
			}
			return nil, fmt.Errorf("postgres exited at start (%v):\n%s", cmd.ProcessState, tail(out, 20))
		default:
		}
		if pg.version, err = serverVersion(url); err == nil {
			return pg, nil
		}
		if time.Now().After(deadline) {
			pg.stop()
			return nil, fmt.Errorf("postgres not accepting connections after %s: %v", startTimeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func serverVersion(url string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var v string
	err = conn.QueryRow(ctx, "SHOW server_version").Scan(&v)
	return "PostgreSQL " + v, err
}

// runAs makes cmd run as owner (nil: ourselves) in dir, with an environment
// of its own: the user's PG* variables must not steer the cluster.
func runAs(cmd *exec.Cmd, owner *syscall.Credential, dir string) {
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LC_ALL=C", "TZ=UTC"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: owner}
}

func ownerName(owner *syscall.Credential) string {
	if owner == nil {
		return "uid " + strconv.Itoa(os.Geteuid())
	}
	return "uid " + strconv.Itoa(int(owner.Uid))
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// stop asks postgres for a fast shutdown, then kills it.
func (pg *server) stop() {
	for _, sig := range []os.Signal{syscall.SIGINT, syscall.SIGQUIT, syscall.SIGKILL} {
		pg.cmd.Process.Signal(sig)
		select {
		case <-pg.exited:
			return
		case <-time.After(5 * time.Second):
			log.Printf("postgres %d still running after %v", pg.cmd.Process.Pid, sig)
		}
	}
}

// serve waits until no test process uses the cluster any more, then stops
// postgres and removes its folder, all under the shared folder's lock so
// that a test process arriving meanwhile starts a new supervisor.
func (pg *server) serve(base string) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	w := watch{base: base, hosts: map[int]*os.Process{}, gone: map[int]bool{}}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		stopping := false
		select {
		case sig := <-signals:
			log.Printf("%v: stopping", sig)
			stopping = true
		case <-pg.exited:
			log.Printf("postgres exited on its own (%v): see %s", pg.cmd.ProcessState, filepath.Join(pg.dir, "postgres.log"))
		case <-tick.C:
		}
		lock, err := lockFile(filepath.Join(base, "lock"), true)
		if err != nil {
			log.Print(err)
		}
		if !stopping && pg.running() && w.inUse() {
			lock.Close()
			continue
		}
		os.Remove(filepath.Join(base, "state"))
		pg.stop()
		if err := os.RemoveAll(pg.dir); err != nil {
			log.Print(err)
		}
		log.Print("stopped, cluster removed")
		// Exiting releases the supervisor's lock, then the shared
		// folder's: whoever takes the latter finds no supervisor.
		return
	}
}

func (pg *server) running() bool {
	select {
	case <-pg.exited:
		return false
	default:
		return true
	}
}

// watch tells whether test processes still use the cluster: a file of
// users/ whose flock is held, or a live go command that started one of
// them (it may start more: the next package's tests).
type watch struct {
	base  string
	hosts map[int]*os.Process // go commands, by pid
	gone  map[int]bool        // go commands that exited
}

func (w *watch) inUse() bool {
	dir := filepath.Join(w.base, "users")
	entries, err := os.ReadDir(dir)
	if err != nil {
		log.Print(err)
	}
	users := 0
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
			os.Remove(path) // its process ended
			f.Close()
			continue
		}
		users++
		var parent int
		fmt.Fscan(f, &parent)
		f.Close()
		w.addHost(parent)
	}
	for pid, p := range w.hosts {
		if p.Signal(syscall.Signal(0)) != nil {
			delete(w.hosts, pid)
			w.gone[pid] = true
			p.Release()
		}
	}
	return users > 0 || len(w.hosts) > 0
}

// addHost watches pid when it is a go command (go test runs each package's
// test binary as its child).
func (w *watch) addHost(pid int) {
	if pid <= 1 || w.gone[pid] || w.hosts[pid] != nil {
		return
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil || strings.TrimSpace(string(comm)) != "go" {
		w.gone[pid] = true
		return
	}
	if p, err := os.FindProcess(pid); err == nil {
		log.Printf("keeps the cluster while go command %d runs", pid)
		w.hosts[pid] = p
	}
}

// tail returns the last n lines of out.
func tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
