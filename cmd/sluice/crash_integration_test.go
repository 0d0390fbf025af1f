//go:build integration

package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sluicedb/sluice/internal/testdb"
)

// TestExactlyOnceUnderKills: a bank workload (1,000 accounts, transfers
// between random accounts, about 5 % rolled back after their updates, each
// transfer appending to a ledger) runs while sluice is SIGKILLed at 20
// random moments across the full load and the binlog phase and restarted. A
// concurrent reader checks on the target that the balances always sum to the
// same total; at the end every row equals the source.
func TestExactlyOnceUnderKills(t *testing.T) {
	const accounts, perAccount = 1000, 1000
	src := testdb.MySQL(t)
	src.Exec(t,
		"CREATE TABLE accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)",
		"CREATE TABLE ledger (id BIGINT AUTO_INCREMENT PRIMARY KEY, src INT NOT NULL, dst INT NOT NULL, amount INT NOT NULL)",
		// a bigger table, so that kills also land in the middle of the full load
		"CREATE TABLE filler (id INT PRIMARY KEY, pad VARCHAR(200) NOT NULL)",
		fmt.Sprintf("INSERT INTO accounts SELECT seq, %d FROM seq_1_to_%d", perAccount, accounts),
		"INSERT INTO filler SELECT seq, REPEAT('f', 200) FROM seq_1_to_300000",
		"ANALYZE TABLE accounts, filler")
	total := int64(accounts * perAccount)
	dst := testdb.Postgres(t)
	args := cdcArgs(src, dst, "--chunk-rows", "20000", "--parallel", "2")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	var transfers, rollbacks atomic.Int64
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(w), 7))
			for ctx.Err() == nil {
				a, b, amount := 1+rnd.IntN(accounts), 1+rnd.IntN(accounts), 1+rnd.IntN(50)
				tx, err := src.DB.BeginTx(ctx, nil)
				if err != nil {
					continue
				}
				_, err1 := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance - ? WHERE id = ?", amount, a)
				_, err2 := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance + ? WHERE id = ?", amount, b)
				_, err3 := tx.ExecContext(ctx, "INSERT INTO ledger (src, dst, amount) VALUES (?, ?, ?)", a, b, amount)
				if err1 != nil || err2 != nil || err3 != nil || rnd.IntN(20) == 0 {
					tx.Rollback()
					rollbacks.Add(1)
					continue
				}
				if tx.Commit() == nil {
					transfers.Add(1)
				}
			}
		}()
	}

	// The reader: whenever the target holds the accounts, they hold the total.
	var reads, violations atomic.Int64
	var firstViolation, lastErr atomic.Value
	wg.Add(1)
	go func() {
		defer wg.Done()
		q := fmt.Sprintf("SELECT count(*), COALESCE(sum(balance), 0)::bigint FROM %s.accounts", src.Name)
		for ctx.Err() == nil {
			var n, sum int64
			err := dst.Pool.QueryRow(ctx, q).Scan(&n, &sum)
			if err != nil {
				lastErr.Store(err.Error())
			}
			if err == nil && n > 0 {
				reads.Add(1)
				if n != accounts || sum != total {
					if violations.Add(1) == 1 {
						firstViolation.Store(fmt.Sprintf("%d accounts summing to %d", n, sum))
					}
				}
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()

	rnd := rand.New(rand.NewPCG(42, 42))
	for kill := 0; kill < 20; kill++ {
		cmd := exec.Command(binary, args...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Early kills land in the schema and full-load phases, later ones
		// mostly in the binlog phase. Halfway, one run is let through the
		// schema phase however slow the machine is, so that the later kills
		// cannot all land before it.
		if kill == 10 {
			for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline) && reads.Load() == 0; {
				time.Sleep(20 * time.Millisecond)
			}
		}
		time.Sleep(time.Duration(100+rnd.IntN(300+kill*100)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		if err := cmd.Wait(); err != nil && !strings.Contains(err.Error(), "killed") {
			t.Fatalf("run %d ended before the kill: %v\n%s", kill, err, stderr.String())
		}
	}
	cancel()
	wg.Wait()
	mustRun(t, append(args, "--stop-when-caught-up")...)
	for _, table := range []string{"accounts", "ledger", "filler"} {
		testdb.CompareTable(t, src, dst, table)
	}
	if v := violations.Load(); v > 0 {
		t.Errorf("%d of %d reads of the target saw balances not summing to %d (first: %v)", v, reads.Load(), total, firstViolation.Load())
	}
	if reads.Load() < 100 || transfers.Load() < 500 {
		t.Errorf("too little happened: %d reads, %d transfers", reads.Load(), transfers.Load())
	}
	t.Logf("%d transfers, %d rolled back, %d target reads (last read error: %v)", transfers.Load(), rollbacks.Load(), reads.Load(), lastErr.Load())
}
