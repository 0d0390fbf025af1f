package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"
)

// options are the benchmark's flags.
type options struct {
	sluice, mysqlURL, pgURL, out string
	tasks, rows, rate            int
	duration, converge           time.Duration
	writeEvery                   time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.sluice, "sluice", "bin/sluice", "the sluice binary")
	flag.StringVar(&o.mysqlURL, "mysql", os.Getenv("SLUICE_TEST_MYSQL"), "MariaDB admin URL (default $SLUICE_TEST_MYSQL)")
	flag.StringVar(&o.pgURL, "pg", os.Getenv("SLUICE_TEST_PG"), "PostgreSQL admin URL (default $SLUICE_TEST_PG)")
	flag.StringVar(&o.out, "out", "bench/out", "directory of the report")
	flag.IntVar(&o.tasks, "tasks", 20, "tasks (source and target databases)")
	flag.IntVar(&o.rows, "rows", 5000, "rows of each source table at the start")
	flag.IntVar(&o.rate, "rate", 50, "API requests per second")
	flag.DurationVar(&o.duration, "duration", 30*time.Second, "how long the writers and the API load run")
	flag.DurationVar(&o.converge, "converge", 2*time.Minute, "how long the targets may take to converge after the writers stop")
	flag.DurationVar(&o.writeEvery, "write-every", 50*time.Millisecond, "each writer's interval between source transactions")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "serverload:", err)
		os.Exit(1)
	}
}

// pair is one task's source and target.
type pair struct {
	name string // the task, the source database and the target database
	src  *sql.DB
}

func run(ctx context.Context, o options) error {
	if o.mysqlURL == "" || o.pgURL == "" {
		return errors.New("give --mysql and --pg (or run: eval \"$(scripts/dbs.sh env)\")")
	}
	myCfg, err := mysqlConfig(o.mysqlURL)
	if err != nil {
		return err
	}
	admin, err := sql.Open("mysql", myCfg.FormatDSN())
	if err != nil {
		return fmt.Errorf("opening MariaDB: %w", err)
	}
	defer admin.Close()
	pg, err := pgxpool.New(ctx, o.pgURL)
	if err != nil {
		return fmt.Errorf("opening PostgreSQL: %w", err)
	}
	defer pg.Close()

	fmt.Fprintf(os.Stderr, "preparing %d source and target databases of %d rows\n", o.tasks, o.rows)
	pairs, err := prepare(ctx, o, admin, pg, myCfg)
	if err != nil {
		return err
	}
	// Clean up even after an interrupt: ctx is done then.
	defer cleanup(context.WithoutCancel(ctx), admin, pg, pairs)

	dir, err := os.MkdirTemp("", "sluice-serverload")
	if err != nil {
		return fmt.Errorf("creating the data directory: %w", err)
	}
	defer os.RemoveAll(dir)
	srv, err := startServer(ctx, o.sluice, dir)
	if err != nil {
		return err
	}
	defer srv.stop()

	begin := time.Now()
	for _, p := range pairs {
		body := fmt.Sprintf(`{"name": %q, "source": %q, "target": %q, "include": %q}`, p.name, o.mysqlURL, targetURL(o.pgURL, p.name), p.name+".*")
		if err := srv.expect(ctx, http.StatusCreated, "POST", "/api/v1/tasks", body); err != nil {
			return err
		}
		if err := srv.expect(ctx, http.StatusOK, "POST", "/api/v1/tasks/"+p.name+"/start", ""); err != nil {
			return err
		}
	}
	started := time.Since(begin)
	fmt.Fprintf(os.Stderr, "%d tasks created and started in %s; load for %s at %d requests/s\n", o.tasks, started.Round(time.Millisecond), o.duration, o.rate)

	loadCtx, stopLoad := context.WithTimeout(ctx, o.duration)
	defer stopLoad()
	g, gctx := errgroup.WithContext(loadCtx)
	for _, p := range pairs {
		g.Go(func() error { return write(gctx, p, o.writeEvery) })
	}
	var allIncremental time.Duration
	g.Go(func() error {
		d, err := waitIncremental(gctx, srv, pairs)
		allIncremental = d + started
		return err
	})
	lat := &latencies{}
	g.Go(func() error { load(gctx, srv, pairs, o.rate, lat); return nil })
	if err := g.Wait(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if allIncremental == 0 {
		return fmt.Errorf("not every task reached its incremental phase within %s", o.duration)
	}

	fmt.Fprintln(os.Stderr, "writers stopped; waiting for every target to converge")
	convergedIn, diffs, err := converge(ctx, o.pgURL, pairs, o.converge)
	if err != nil {
		return err
	}
	rss := srv.peakRSS()
	report := render(o, lat, allIncremental, convergedIn, diffs, rss)
	fmt.Print(report)
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", o.out, err)
	}
	path := filepath.Join(o.out, "server-"+time.Now().UTC().Format("2006-01-02-150405")+".md")
	if err := os.WriteFile(path, []byte(report), 0o644); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	fmt.Fprintln(os.Stderr, "report:", path)
	if len(diffs) > 0 {
		return fmt.Errorf("%d target(s) did not converge", len(diffs))
	}
	return nil
}

// targetURL is the PostgreSQL URL of database db on the server of raw.
func targetURL(raw, db string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw // checked by pgxpool.New already
	}
	u.Path = "/" + db
	return u.String()
}

func mysqlConfig(raw string) (*mysql.Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "mysql" {
		return nil, fmt.Errorf("--mysql %q: give mysql://user[:password]@host:port", raw)
	}
	cfg := mysql.NewConfig()
	cfg.User = u.User.Username()
	cfg.Passwd, _ = u.User.Password()
	cfg.Net, cfg.Addr = "tcp", u.Host
	cfg.MultiStatements = true
	return cfg, nil
}

// prepare makes each task's source database (two tables, items with a
// counter the writers change) and empty target database.
func prepare(ctx context.Context, o options, admin *sql.DB, pg *pgxpool.Pool, cfg *mysql.Config) ([]pair, error) {
	var pairs []pair
	for i := range o.tasks {
		name := fmt.Sprintf("bench_srv_%02d", i)
		for _, stmt := range []string{
			"DROP DATABASE IF EXISTS " + name,
			"CREATE DATABASE " + name,
			"CREATE TABLE " + name + ".items (id INT PRIMARY KEY, n INT NOT NULL, v VARCHAR(64))",
			fmt.Sprintf("INSERT INTO %s.items SELECT seq, 0, CONCAT('row ', seq) FROM %s.seq_1_to_%d", name, name, o.rows),
			"CREATE TABLE " + name + ".notes (id INT PRIMARY KEY, body TEXT)",
			fmt.Sprintf("INSERT INTO %s.notes SELECT seq, REPEAT('x', 200) FROM %s.seq_1_to_%d", name, name, o.rows/5),
		} {
			if _, err := admin.ExecContext(ctx, stmt); err != nil {
				return nil, fmt.Errorf("preparing %s: %s: %w", name, stmt, err)
			}
		}
		for _, stmt := range []string{"DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "CREATE DATABASE " + name} {
			if _, err := pg.Exec(ctx, stmt); err != nil {
				return nil, fmt.Errorf("preparing target %s: %w", name, err)
			}
		}
		c := cfg.Clone()
		c.DBName = name
		db, err := sql.Open("mysql", c.FormatDSN())
		if err != nil {
			return nil, fmt.Errorf("opening %s: %w", name, err)
		}
		pairs = append(pairs, pair{name: name, src: db})
	}
	return pairs, nil
}

// cleanup drops the benchmark's databases.
func cleanup(ctx context.Context, admin *sql.DB, pg *pgxpool.Pool, pairs []pair) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for _, p := range pairs {
		p.src.Close()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+p.name); err != nil {
			fmt.Fprintf(os.Stderr, "dropping %s: %v\n", p.name, err)
		}
		if _, err := pg.Exec(ctx, "DROP DATABASE IF EXISTS "+p.name+" WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "dropping target %s: %v\n", p.name, err)
		}
	}
}

// write changes a source every interval until ctx ends: a transaction that
// inserts a row and bumps the counter of another.
func write(ctx context.Context, p pair, every time.Duration) error {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for id := 1_000_000; ; id++ {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		_, err := p.src.ExecContext(ctx, fmt.Sprintf(
			"BEGIN; INSERT INTO items VALUES (%d, 1, 'new'); UPDATE items SET n = n + 1 WHERE id = %d; COMMIT", id, id%1000+1))
		if err != nil && ctx.Err() == nil {
			return fmt.Errorf("writing to %s: %w", p.name, err)
		}
	}
}

// waitIncremental returns how long it took every task to run its
// incremental phase.
func waitIncremental(ctx context.Context, srv *server, pairs []pair) (time.Duration, error) {
	start := time.Now()
	for _, p := range pairs {
		for {
			_, body, err := srv.call(ctx, "GET", "/api/v1/tasks/"+p.name, "")
			if err != nil {
				return 0, err
			}
			var st struct{ State, Phase string }
			if err := json.Unmarshal([]byte(body), &st); err != nil {
				return 0, fmt.Errorf("task %s: %w: %s", p.name, err, body)
			}
			if st.State == "failed" {
				return 0, fmt.Errorf("task %s failed: %s", p.name, body)
			}
			if st.State == "running" && st.Phase == "incremental" {
				break
			}
			select {
			case <-ctx.Done():
				return 0, ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	return time.Since(start), nil
}

// converge waits until every target holds what its source holds: first
// until each has a marker row written last, then compares them. It returns
// how long that took and the targets that differ.
func converge(ctx context.Context, pgURL string, pairs []pair, limit time.Duration) (time.Duration, []string, error) {
	start := time.Now()
	for _, p := range pairs {
		if _, err := p.src.ExecContext(ctx, "INSERT INTO items VALUES (0, 0, 'marker')"); err != nil {
			return 0, nil, fmt.Errorf("marking %s: %w", p.name, err)
		}
	}
	var diffs []string
	for _, p := range pairs {
		conn, err := pgxpool.New(ctx, targetURL(pgURL, p.name))
		if err != nil {
			return 0, nil, fmt.Errorf("opening target %s: %w", p.name, err)
		}
		q := fmt.Sprintf("SELECT count(*), coalesce(sum(id), 0), coalesce(sum(n), 0) FROM %s.items", p.name)
		var marker int
		for {
			err := conn.QueryRow(ctx, fmt.Sprintf("SELECT count(*) FROM %s.items WHERE id = 0", p.name)).Scan(&marker)
			if err == nil && marker == 1 {
				break
			}
			if time.Since(start) > limit {
				conn.Close()
				return 0, nil, fmt.Errorf("target %s did not catch up within %s", p.name, limit)
			}
			time.Sleep(100 * time.Millisecond)
		}
		var sc, sid, sn, tc, tid, tn int64
		if err := p.src.QueryRowContext(ctx, "SELECT count(*), coalesce(sum(id), 0), coalesce(sum(n), 0) FROM items").Scan(&sc, &sid, &sn); err != nil {
			conn.Close()
			return 0, nil, fmt.Errorf("summing source %s: %w", p.name, err)
		}
		err = conn.QueryRow(ctx, q).Scan(&tc, &tid, &tn)
		conn.Close()
		if err != nil {
			return 0, nil, fmt.Errorf("summing target %s: %w", p.name, err)
		}
		if sc != tc || sid != tid || sn != tn {
			diffs = append(diffs, fmt.Sprintf("%s: source %d rows (ids %d, n %d), target %d rows (ids %d, n %d)", p.name, sc, sid, sn, tc, tid, tn))
		}
	}
	return time.Since(start), diffs, nil
}

// server is a running sluice server.
type server struct {
	cmd    *exec.Cmd
	url    string
	token  string
	client *http.Client
	done   chan struct{}
}

var servingAt = regexp.MustCompile(`address=(http://\S+)/api/v1`)

func startServer(ctx context.Context, binary, dir string) (*server, error) {
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte("bench-token\n"), 0o600); err != nil {
		return nil, fmt.Errorf("writing the token: %w", err)
	}
	cmd := exec.Command(binary, "server", "--listen", "127.0.0.1:0", "--data-dir", filepath.Join(dir, "data"), "--token-file", tokenFile)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, fmt.Errorf("starting sluice server: %w", err)
	}
	log, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, fmt.Errorf("creating the server's log: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting sluice server: %w", err)
	}
	s := &server{cmd: cmd, token: "bench-token", client: &http.Client{Timeout: 30 * time.Second}, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		defer close(s.done)
		defer log.Close()
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			fmt.Fprintln(log, sc.Text())
			if m := servingAt.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case s.url = <-addr:
		return s, nil
	case <-time.After(30 * time.Second):
	case <-ctx.Done():
	}
	s.stop()
	return nil, errors.New("sluice server did not start serving within 30 s")
}

// stop sends SIGTERM and waits for the server to exit.
func (s *server) stop() {
	if s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	<-s.done
	_ = s.cmd.Wait()
}

// peakRSS is the server's peak resident memory, from /proc.
func (s *server) peakRSS() string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

// call sends one API request and returns the status and body.
func (s *server) call(ctx context.Context, method, path, body string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.url+path, strings.NewReader(body))
	if err != nil {
		return 0, "", fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, "", fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, "", fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	return resp.StatusCode, string(out), nil
}

func (s *server) expect(ctx context.Context, want int, method, path, body string) error {
	got, out, err := s.call(ctx, method, path, body)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%s %s: %d, want %d: %s", method, path, got, want, out)
	}
	return nil
}

// latencies collects the load's request latencies by route.
type latencies struct {
	mu     sync.Mutex
	by     map[string][]time.Duration
	errors int
}

func (l *latencies) add(route string, d time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.by == nil {
		l.by = map[string][]time.Duration{}
	}
	l.by[route] = append(l.by[route], d)
	if !ok {
		l.errors++
	}
}

// load calls the API at rate requests per second until ctx ends, cycling
// through the routes a console and a monitoring system call.
func load(ctx context.Context, srv *server, pairs []pair, rate int, lat *latencies) {
	routes := []struct{ name, path string }{
		{"GET /api/v1/tasks", "/api/v1/tasks"},
		{"GET /api/v1/tasks/{name}", "/api/v1/tasks/%s"},
		{"GET /api/v1/tasks/{name}/lag", "/api/v1/tasks/%s/lag"},
		{"GET /api/v1/tasks/{name}/events", "/api/v1/tasks/%s/events?limit=50"},
		{"GET /metrics", "/metrics"},
	}
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		rt := routes[i%len(routes)]
		path := rt.path
		if strings.Contains(path, "%s") {
			path = fmt.Sprintf(path, pairs[i%len(pairs)].name)
		}
		wg.Go(func() {
			// Its own deadline: the load's end must not cut a request short.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			start := time.Now()
			status, _, err := srv.call(rctx, "GET", path, "")
			lat.add(rt.name, time.Since(start), err == nil && status == http.StatusOK)
		})
	}
}

// percentile is the p-th percentile (0..100) of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p / 100)
	return sorted[i]
}

func render(o options, lat *latencies, incremental, converged time.Duration, diffs []string, rss string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# sluice server load benchmark, %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "%d tasks, each a MariaDB database (items: %d rows, notes: %d rows) into a PostgreSQL database of its own; "+
		"a writer per source (a transaction of an insert and an update every %s); API load %d requests/s for %s, open loop.\n\n",
		o.tasks, o.rows, o.rows/5, o.writeEvery, o.rate, o.duration)
	fmt.Fprintf(&b, "- every task in its incremental phase after %s\n", incremental.Round(time.Millisecond))
	fmt.Fprintf(&b, "- writers stopped → every target converged in %s; targets differing: %d\n", converged.Round(time.Millisecond), len(diffs))
	for _, d := range diffs {
		fmt.Fprintf(&b, "  - %s\n", d)
	}
	fmt.Fprintf(&b, "- server peak RSS: %s\n\n", rss)
	fmt.Fprintf(&b, "| route | requests | p50 | p90 | p99 | max |\n|---|---:|---:|---:|---:|---:|\n")
	var all []time.Duration
	names := make([]string, 0, len(lat.by))
	for n := range lat.by {
		names = append(names, n)
	}
	slices.Sort(names)
	row := func(name string, ds []time.Duration) {
		slices.Sort(ds)
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s |\n", name, len(ds), ms(percentile(ds, 50)), ms(percentile(ds, 90)),
			ms(percentile(ds, 99)), ms(ds[len(ds)-1]))
	}
	for _, n := range names {
		row("`"+n+"`", lat.by[n])
		all = append(all, lat.by[n]...)
	}
	if len(all) > 0 {
		row("**all**", all)
	}
	fmt.Fprintf(&b, "\nfailed requests (not 200): %d\n", lat.errors)
	return b.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
