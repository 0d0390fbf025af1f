package testdb

import (
	"fmt"
	"net"
	"runtime"
	"strings"
	"testing"
)

// TestUnreachableServerFails pins that a missing server fails the test with
// the URL, the error and how to start the harness, and never skips it.
func TestUnreachableServerFails(t *testing.T) {
	port := closedPort(t)
	t.Setenv(EnvMySQL, "mysql://root@127.0.0.1:"+port)
	t.Setenv(EnvPG, "postgres://postgres@127.0.0.1:"+port+"/postgres?sslmode=disable")
	tests := []struct {
		name string
		open func(testing.TB)
	}{
		{"mysql", func(tb testing.TB) { MySQL(tb) }},
		{"postgres", func(tb testing.TB) { Postgres(tb) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				tt.open(rec)
			}()
			<-done
			if rec.skipped {
				t.Fatal("skipped, want a failure")
			}
			for _, want := range []string{"127.0.0.1:" + port, "refused", "run scripts/dbs.sh start"} {
				if !strings.Contains(rec.fatal, want) {
					t.Errorf("failure %q does not contain %q", rec.fatal, want)
				}
			}
		})
	}
}

// closedPort returns a local TCP port that nothing listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(l.Addr().String())
	l.Close()
	return port
}

// recorder stands in for a test: it records Fatalf and Skip and ends the
// goroutine as the real ones do.
type recorder struct {
	testing.TB
	fatal   string
	skipped bool
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) {
	r.fatal = fmt.Sprint(args...)
	runtime.Goexit()
}

func (r *recorder) FailNow() { runtime.Goexit() }

func (r *recorder) Skipf(string, ...any) { r.skipped = true; runtime.Goexit() }

func (r *recorder) Skip(...any) { r.skipped = true; runtime.Goexit() }

func (r *recorder) SkipNow() { r.skipped = true; runtime.Goexit() }
