package postgres_test

import (
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit/store/postgres"
	"github.com/remit-dev/remit/remit/testtool/pgtest"
)

// A server that cannot be reached, a host that does not resolve and a role
// the server refuses are each said in one line naming what to check, the
// password hidden, for Open, Init and the run lock alike.
func TestConnectFailuresSaidClearly(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	u, _ := url.Parse(pgtest.DSN(t))
	u.User = url.UserPassword("nobody", "s3cret-pw")
	for _, tc := range []struct{ dsn, want string }{
		{"postgres://remit:s3cret-pw@" + closed + "/remit", "cannot reach the PostgreSQL server at " + closed},
		{"host=127.0.0.1 port=" + closed[strings.LastIndexByte(closed, ':')+1:] + " password=s3cret-pw dbname=remit",
			"is it running, and do the host and port of --db name it?"},
		{"postgres://remit:s3cret-pw@nosuchhost.invalid/remit", "cannot find the host nosuchhost.invalid"},
		{u.String(), `refused role "nobody"`},
	} {
		_, openErr := postgres.Open(tc.dsn, postgres.Options{})
		_, _, initErr := postgres.Init(tc.dsn, postgres.Options{})
		_, lockErr := postgres.AcquireRunLock(tc.dsn, 1, 0)
		for _, err := range []error{openErr, initErr, lockErr} {
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "s3cret") ||
				strings.Contains(err.Error(), "\n") {
				t.Errorf("%s: %v; want one line saying %q, the password hidden", postgres.Redact(tc.dsn), err, tc.want)
			}
		}
	}
}
