package task

import (
	"strings"
	"testing"
	"time"
)

func testStore(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := OpenStore(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStoreMigrations(t *testing.T) {
	dir := t.TempDir()
	s := testStore(t, dir)
	now := time.Now().UTC().Truncate(time.Millisecond)
	r := &record{Name: "a", Spec: []byte(`{}`), Desired: Running, State: Running, Phase: "full",
		CreatedAt: now, UpdatedAt: now, StartedAt: now}
	if err := s.insert(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	if err := s.insert(t.Context(), r); err == nil {
		t.Errorf("a second task a was stored")
	}
	s.Close()

	s = testStore(t, dir) // migrated already: nothing to do
	recs, err := s.records(t.Context())
	if err != nil || len(recs) != 1 || recs[0].Phase != "full" || !recs[0].StartedAt.Equal(now) || recs[0].Precheck != nil {
		t.Fatalf("records after reopening: %+v, %v", recs, err)
	}
	if _, err := s.db.ExecContext(t.Context(), "PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := OpenStore(t.Context(), dir); err == nil || !strings.Contains(err.Error(), "newer than this sluice knows") {
		t.Errorf("a store from a newer sluice: %v", err)
	}
}

func TestStorePrunes(t *testing.T) {
	ctx := t.Context()
	s := testStore(t, t.TempDir())
	now := time.Now().UTC()
	for _, name := range []string{"a", "b"} {
		if err := s.insert(ctx, &record{Name: name, Spec: []byte(`{}`), Desired: Created, State: Created, CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.addEvent(ctx, "b", Event{At: now, Level: levelInfo, Kind: "created", Message: "b"}); err != nil {
		t.Fatal(err)
	}
	for i := range MaxEvents + 5 {
		if err := s.addEvent(ctx, "a", Event{At: now, Level: levelInfo, Kind: "k", Message: string(rune('a' + i%26))}); err != nil {
			t.Fatal(err)
		}
	}
	events, err := s.events(ctx, "a", MaxEvents+10, 0)
	if err != nil || len(events) != MaxEvents || events[0].ID-events[len(events)-1].ID != MaxEvents-1 {
		t.Errorf("events kept: %d, %v", len(events), err)
	}
	if b, _ := s.events(ctx, "b", 10, 0); len(b) != 1 {
		t.Errorf("the events of b were pruned with a's: %+v", b)
	}

	for i := range 10 {
		at := now.Add(time.Duration(i-9) * time.Hour)
		if err := s.addLag(ctx, "a", LagSample{At: at, LagSeconds: float64(i)}, 5*time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	lag, err := s.lag(ctx, "a", now.Add(-48*time.Hour))
	if err != nil || len(lag) != 6 || lag[0].LagSeconds != 4 || lag[5].LagSeconds != 9 {
		t.Errorf("lag kept: %+v, %v", lag, err)
	}
	if lag, _ := s.lag(ctx, "a", now.Add(-90*time.Minute)); len(lag) != 2 {
		t.Errorf("lag since 90 min ago: %+v", lag)
	}

	// Deleting a task deletes its history.
	if err := s.remove(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM events WHERE task = 'a') + (SELECT count(*) FROM lag_samples)").Scan(&n); err != nil || n != 0 {
		t.Errorf("history left after delete: %d, %v", n, err)
	}
}
