package postgres_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/store/postgres"
)

// TestMain is also the process TestRunLockReleasedByCrash kills: with
// REMIT_TEST_LOCK_DSN set it takes creditor 7's run lock, says so and
// waits.
func TestMain(m *testing.M) {
	if dsn := os.Getenv("REMIT_TEST_LOCK_DSN"); dsn != "" {
		if _, err := postgres.AcquireRunLock(dsn, 7, 0); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("holding the lock")
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	os.Exit(m.Run())
}
