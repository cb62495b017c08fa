package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/remit-dev/remit/remit/store/postgres"
)

// A database of schema version 18 with collections made before remit: the
// migration makes the index of mandate_history hold their dates and IBANs,
// as SQLite's does, and remit mandates says the same on both stores.
func TestMigrationCoversMandateHistory(t *testing.T) {
	tw := newTwins(t)
	ctx := context.Background()
	tw.importBoth(t, "1.csv", collectionLines("F1 411A 2026-12-10", "F2 411B 2026-12-10", "F3 411C 2026-12-10"), false)
	for _, db := range []func(string) error{
		func(q string) error { _, err := tw.sqdb.Exec(q); return err },
		func(q string) error { _, err := tw.pool.Exec(ctx, q); return err },
	} {
		for _, h := range []string{"A 2026-10-05 FR7630004008280001012345691", "A 2026-11-05 DE89370400440532013000",
			"A 2026-11-05 FR7630004008280001012345691", "B 2026-09-05 FR7630006000011234567890189"} {
			f := strings.Fields(h)
			if err := db(fmt.Sprintf(`INSERT INTO mandate_history (mandate_id, collected_on, iban)
				SELECT id, '%s', '%s' FROM mandates WHERE rum = 'RUM-411%s'`, f[1], f[2], f[0])); err != nil {
				t.Fatal(err)
			}
		}
	}
	made := migrationVersion(t, "_mandate_history_covering.sql")
	for _, s := range []string{`DROP INDEX mandate_history_mandate`, `CREATE INDEX mandate_history_mandate ON mandate_history(mandate_id)`,
		fmt.Sprintf(`UPDATE schema_version SET version = %d`, made-1)} {
		if _, err := tw.pool.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if from, to, err := postgres.Init(tw.dsn, postgres.Options{}); err != nil || from != made-1 || to != postgres.SchemaVersion() {
		t.Fatalf("Init = %d, %d, %v", from, to, err)
	}
	var def string
	if err := tw.pool.QueryRow(ctx, `SELECT indexdef FROM pg_indexes WHERE indexname = 'mandate_history_mandate'`).Scan(&def); err != nil ||
		!strings.HasSuffix(def, "(mandate_id, collected_on, iban)") {
		t.Errorf("migrated: mandate_history_mandate is %q, %v", def, err)
	}
	if listed := tw.mandates(t); listed[0] != listed[1] || !strings.Contains(listed[1], "2026-11-05") || !strings.Contains(listed[1], "2026-09-05") {
		t.Errorf("remit mandates after the migration:\nSQLite     %s\nPostgreSQL %s", listed[0], listed[1])
	}
}
