//go:build integration

package sink_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/config"
	"github.com/sluicedb/sluice/internal/sink"
	"github.com/sluicedb/sluice/internal/testdb"
)

// TestApplierRollback: a source ROLLBACK undoes exactly its own
// transaction — back to its savepoint, or the whole group when it is the
// first — and a rollback without a savepoint inside a group loses the group
// (ErrGroupLost), never half of it.
func TestApplierRollback(t *testing.T) {
	ctx := t.Context()
	dst := testdb.Postgres(t)
	dst.Exec(t, "CREATE TABLE items (id int PRIMARY KEY)")
	cfg, err := config.ParseTarget(dst.URL)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sink.Open(ctx, cfg, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.EnsureTask(ctx, "t", "src"); err != nil {
		t.Fatal(err)
	}
	ap, err := s.NewApplier(ctx, "t")
	if err != nil {
		t.Fatal(err)
	}
	defer ap.Close()
	insert := func(id int) { ap.Queue("INSERT INTO items VALUES ($1)", []any{id}) }
	txn := func(id int, savepoint bool) {
		if err := ap.Begin(ctx, savepoint); err != nil {
			t.Fatal(err)
		}
		insert(id)
	}
	pos := change.Position{Flavor: "mariadb", File: "b.000001", Offset: 4, GTID: "0-1-1"}
	ids := func() []int32 {
		var out []int32
		rows := dst.QueryRows(t, "SELECT id FROM items ORDER BY id")
		for _, r := range rows {
			out = append(out, r[0].(int32))
		}
		return out
	}

	// First of a group rolls back: nothing.
	txn(1, false)
	if err := ap.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	// A savepoint undoes only its own transaction.
	txn(2, false)
	ap.EndSource()
	txn(3, true)
	if err := ap.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	txn(4, false)
	ap.EndSource()
	if err := ap.Commit(ctx, pos, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := ids(); len(got) != 2 || got[0] != 2 || got[1] != 4 {
		t.Fatalf("after savepoint rollback: %v, want [2 4]", got)
	}
	// No savepoint inside a group: the group is lost, not half applied.
	txn(5, false)
	ap.EndSource()
	txn(6, false)
	if err := ap.Rollback(ctx); !errors.Is(err, sink.ErrGroupLost) {
		t.Fatalf("Rollback = %v, want ErrGroupLost", err)
	}
	if got := ids(); len(got) != 2 {
		t.Fatalf("after a lost group: %v, want [2 4]", got)
	}
	var gtid string
	if err := s.Pool.QueryRow(context.Background(), "SELECT cdc_gtid FROM sluice.task").Scan(&gtid); err != nil || gtid != "0-1-1" {
		t.Errorf("checkpoint %q, %v; want the committed group's", gtid, err)
	}
}
