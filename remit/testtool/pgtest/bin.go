package pgtest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// debianBinRoot is where Debian's postgresql-NN packages put the server
// programs, one folder per major version, off PATH. $REMIT_PG_LIBDIR
// replaces it, e.g. to test what happens without PostgreSQL on a machine
// that has it.
func debianBinRoot() string {
	if dir := os.Getenv("REMIT_PG_LIBDIR"); dir != "" {
		return dir
	}
	return "/usr/lib/postgresql"
}

// binaries is a folder holding initdb and postgres.
type binaries struct {
	dir string
}

func (b binaries) path(name string) string { return filepath.Join(b.dir, name) }

// findBin finds initdb and postgres: in $REMIT_PGBIN alone when it is set,
// else beside the initdb in PATH (symbolic links followed), else in the
// newest /usr/lib/postgresql/*/bin.
func findBin() (binaries, error) {
	if dir := os.Getenv("REMIT_PGBIN"); dir != "" {
		if b := (binaries{dir}); b.complete() {
			return b, nil
		}
		return binaries{}, fmt.Errorf("PostgreSQL server not found: no initdb and postgres in REMIT_PGBIN=%s "+
			"(set it to the folder holding them, or unset it to look in PATH and %s/*/bin)", dir, debianBinRoot())
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			if b := (binaries{filepath.Dir(real)}); b.complete() {
				return b, nil
			}
		}
	}
	dirs, _ := filepath.Glob(filepath.Join(debianBinRoot(), "*", "bin"))
	slices.SortFunc(dirs, func(a, b string) int { return majorVersion(b) - majorVersion(a) })
	for _, dir := range dirs {
		if b := (binaries{dir}); b.complete() {
			return b, nil
		}
	}
	return binaries{}, fmt.Errorf("PostgreSQL server not installed: no initdb in PATH or in %s/*/bin "+
		"(run `make tools`, or apt-get install postgresql; or set REMIT_PGBIN to the folder holding initdb and postgres)", debianBinRoot())
}

func (b binaries) complete() bool {
	for _, name := range []string{"initdb", "postgres"} {
		fi, err := os.Stat(b.path(name))
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// majorVersion reads 15 from /usr/lib/postgresql/15/bin (0 when not a number).
func majorVersion(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// clusterOwner is the account the cluster runs as: ourselves, or, as root
// (which initdb and postgres refuse), the postgres user that Debian's package
// creates, else nobody. nil means ourselves.
func clusterOwner() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	var tried []string
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			tried = append(tried, name)
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil {
			tried = append(tried, name)
			continue
		}
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, nil
	}
	return nil, fmt.Errorf("running as root, and initdb refuses root: no user %s to run the cluster as (apt-get install postgresql creates postgres)",
		strings.Join(tried, " or "))
}
