package postgres_test

import (
	"context"
	"testing"

	"github.com/remit-dev/remit/remit/store/internal/lettering"
)

// The lettering code reletterWhere computes in SQL is
// accounting.LetteringCode's, at every length a code may have.
func TestLetteringCodeSQL(t *testing.T) {
	pool, _ := newPostgres(t)
	bad, err := lettering.Mismatches(func(id int64) (code string, err error) {
		err = pool.QueryRow(context.Background(), `SELECT `+lettering.CodeSQL("$1::bigint", lettering.PostgreSQL), id).Scan(&code)
		return code, err
	})
	if err != nil || len(bad) > 0 {
		t.Errorf("%v %v", bad, err)
	}
}
