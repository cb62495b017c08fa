package pgtest

import (
	"fmt"
	"os"
	"path/filepath"
)

// Server is a PostgreSQL cluster for a program that is not a test
// (remitbench's PostgreSQL part): started by Start in a new temporary
// folder with the same programs as the tests' cluster (the postgres user
// when run as root), but owned by the caller alone and, unlike the tests'
// cluster, with PostgreSQL's default durability (fsync, full-page writes,
// synchronous commit on), so that what is measured on it is what a server
// set up the usual way does. Stop stops it and removes its folder;
// postgres also stops should the caller die.
type Server struct {
	pg   *server
	base string
}

// Start finds initdb and postgres (see the package's doc), creates a
// cluster in a new temporary folder and starts it on a free port of
// 127.0.0.1. The error says what is missing or what failed.
func Start() (*Server, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	tmp := os.TempDir()
	if os.Geteuid() == 0 && !othersCanEnter(tmp) {
		tmp = "/tmp" // the cluster runs as another user: it must reach its folder
	}
	base, err := os.MkdirTemp(tmp, "remit-pgserver-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(base, 0o711); err != nil {
		os.RemoveAll(base)
		return nil, err
	}
	pg, err := startCluster(base, true)
	if err != nil {
		os.RemoveAll(base)
		return nil, fmt.Errorf("PostgreSQL (%s) could not start a cluster in %s: %w", bin.dir, filepath.Dir(base), err)
	}
	return &Server{pg: pg, base: base}, nil
}

// URL is the URL of database name on the server, as its superuser
// postgres.
func (s *Server) URL(name string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.pg.port, name)
}

// Version is the server's version, e.g. "PostgreSQL 15.18".
func (s *Server) Version() string { return s.pg.version }

// Stop stops postgres and removes the cluster's folder.
func (s *Server) Stop() {
	s.pg.stop()
	os.RemoveAll(s.base)
}
