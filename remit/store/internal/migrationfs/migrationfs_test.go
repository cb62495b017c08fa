package migrationfs

import (
	"testing"
	"testing/fstest"
)

// TestRead: the migrations in the order of their numbers, not of their
// names; other files are not migrations.
func TestRead(t *testing.T) {
	fsys := fstest.MapFS{
		"migrations/0010_ten.sql":  {Data: []byte("ten")},
		"migrations/0002_two.sql":  {Data: []byte("two")},
		"migrations/0001_init.sql": {Data: []byte("one")},
		"migrations/README":        {Data: []byte("not one")},
	}
	ms := Read(fsys)
	if len(ms) != 3 || ms[0].Version != 1 || ms[1].Name != "0002_two.sql" || ms[2].SQL != "ten" {
		t.Errorf("read %+v", ms)
	}
	if v := Latest(fsys); v != 10 {
		t.Errorf("latest %d, want 10", v)
	}
}
