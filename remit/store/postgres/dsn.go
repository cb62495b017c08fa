package postgres

import (
	"net/url"
	"regexp"
	"strings"
)

// IsDSN reports whether a --db value names a PostgreSQL database rather
// than an SQLite file: a URL postgres://… or postgresql://…, or libpq's
// key=value form starting with one of its keywords (host=db dbname=remit …).
func IsDSN(s string) bool {
	lower := strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://") {
		return true
	}
	m := keywordStart.FindStringSubmatch(lower)
	return m != nil && libpqKeywords[m[1]]
}

var keywordStart = regexp.MustCompile(`^\s*([a-z_]+)\s*=`)

// libpqKeywords are the connection parameters pgx reads in a key=value DSN
// (libpq's, https://www.postgresql.org/docs/current/libpq-connect.html).
var libpqKeywords = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "password": true,
	"passfile": true, "service": true, "servicefile": true, "sslmode": true, "sslrootcert": true, "sslcert": true,
	"sslkey": true, "sslpassword": true, "connect_timeout": true, "application_name": true, "options": true,
	"target_session_attrs": true, "search_path": true,
}

// Redact returns a DSN fit to print: its password replaced by xxxxx.
func Redact(dsn string) string {
	lower := strings.ToLower(strings.TrimSpace(dsn))
	if strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://") {
		u, err := url.Parse(strings.TrimSpace(dsn))
		if err != nil {
			return "postgres://…" // unparsable: print nothing that could be a password
		}
		if q := u.Query(); q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return u.Redacted()
	}
	return passwordValue.ReplaceAllString(dsn, "${1}xxxxx")
}

// passwordValue is password=… in a key=value DSN, quoted or not.
var passwordValue = regexp.MustCompile(`((?:^|\s)password\s*=\s*)('(?:[^'\\]|\\.)*'|\S*)`)
