//go:build integration

package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/testdb"
	"github.com/sluicedb/sluice/internal/verify"
)

// TestVerifyWhileSyncing runs verify and verify --repair against a target
// that sluice run keeps applying a busy source to: changes in flight are
// not reported, real damage is, the repair does not disturb the running
// apply, and once the writes stop the target equals the source row by row.
func TestVerifyWhileSyncing(t *testing.T) {
	src := testdb.MySQL(t)
	dst := testdb.Postgres(t)
	src.Exec(t, `CREATE TABLE acct (id INT PRIMARY KEY, bal BIGINT NOT NULL, note VARCHAR(20))`,
		`INSERT INTO acct SELECT seq, 1000, 'n' FROM seq_1_to_3000`,
		`CREATE TABLE tag (k VARCHAR(20) PRIMARY KEY, n INT)`,
		`INSERT INTO tag SELECT CONCAT('k', seq), seq FROM seq_1_to_1000`)
	stop := startSluice(t, cdcArgs(src, dst, "--name", "live")...)
	waitFullLoad(t, dst, "live")

	// The writer: hot rows 1..1000 of acct and k1..k300 of tag change all
	// the time, rows come and go above 3000; 2001.. and k900.. stay quiet.
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ctx.Err() == nil; i++ {
			stmts := []string{
				fmt.Sprintf("UPDATE acct SET bal = bal + 1 WHERE id = %d", 1+rand.IntN(1000)),
				fmt.Sprintf("UPDATE tag SET n = n + 1 WHERE k = 'k%d'", 1+rand.IntN(300)),
				fmt.Sprintf("INSERT INTO acct VALUES (%d, %d, 'new')", 3001+i, i),
			}
			if i >= 5 {
				stmts = append(stmts, fmt.Sprintf("DELETE FROM acct WHERE id = %d", 3001+i-5))
			}
			for _, s := range stmts {
				if _, err := src.DB.ExecContext(ctx, s); err != nil && ctx.Err() == nil {
					t.Errorf("writer: %v", err)
					return
				}
			}
		}
	}()
	time.Sleep(500 * time.Millisecond)

	live := func(extra ...string) []string {
		return verifyArgs(src, dst, append([]string{"--name", "live", "--settle", "30s"}, extra...)...)
	}
	if rep := runVerify(t, 0, live()...); !rep.OK {
		t.Errorf("verify while syncing an equal target: %s", mustJSON(rep))
	}

	sch := `"` + strings.ToLower(src.Name) + `".`
	dst.Exec(t, `UPDATE `+sch+`acct SET bal = -1 WHERE id = 2001`,
		`DELETE FROM `+sch+`acct WHERE id = 2002`,
		`UPDATE `+sch+`acct SET note = 'damaged' WHERE id = 7`, // hot: a later update may heal it
		`UPDATE `+sch+`tag SET n = -1 WHERE k = 'k900'`)
	rep := runVerify(t, 1, live()...)
	got := map[string]bool{}
	for _, tr := range rep.Tables {
		for _, d := range tr.Diffs {
			got[strings.TrimPrefix(tr.Table, src.Name+".")+" "+d.Kind+" "+d.Key] = true
		}
	}
	for _, w := range []string{"acct changed id=2001", "acct missing id=2002", `tag changed k="k900"`} {
		if !got[w] {
			t.Errorf("not reported: %s", w)
		}
		delete(got, w)
	}
	delete(got, "acct changed id=7")
	if len(got) > 0 {
		t.Errorf("reported while syncing, but not damage: %v", got)
	}

	rep = runVerify(t, 0, live("--repair")...)
	var repaired int64
	for _, tr := range rep.Tables {
		repaired += tr.Repaired
	}
	if !rep.OK || repaired < 3 {
		t.Errorf("repair while syncing: ok=%v, %d repaired: %s", rep.OK, repaired, mustJSON(rep))
	}

	cancel()
	wg.Wait()
	var after *verify.Report
	for range 3 { // the writer's last changes may still be in flight
		if after = runVerify(t, 0, live()...); after.OK {
			break
		}
	}
	out := stop()
	t.Logf("sync log:\n%s", out)
	if strings.Contains(out, "level=ERROR") {
		t.Errorf("the sync logged errors:\n%s", out)
	}
	testdb.CompareTable(t, src, dst, "acct")
	testdb.CompareTable(t, src, dst, "tag")
}
