package config

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestParseSource(t *testing.T) {
	t.Setenv(EnvSourcePassword, "")
	c, err := ParseSource("mysql://app:s3cret@db1:3307?tls=disable")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "db1:3307" || c.User != "app" || c.Passwd != "s3cret" || c.ParseTime || c.InterpolateParams {
		t.Errorf("config %+v", c)
	}
	if c.Params["time_zone"] != "'+00:00'" {
		t.Errorf("time_zone %q", c.Params["time_zone"])
	}
	c, err = ParseSource("mysql://app@db1")
	if err != nil || c.Addr != "db1:3306" {
		t.Fatalf("default port: %v %v", c, err)
	}
	t.Setenv(EnvSourcePassword, "fromenv")
	if c, _ = ParseSource("mysql://app@db1"); c.Passwd != "fromenv" {
		t.Errorf("password from env: %q", c.Passwd)
	}
	for raw, want := range map[string]string{
		"":                          "--source is required",
		"postgres://x@y":            "must start with mysql://",
		"mysql://u@h/shop":          "must not name a database",
		"mysql://u@h?tls=sometimes": `tls="sometimes"`,
		"mysql://u@h?tls=verify-full&ca=/no/such/file": "reading CA file",
		"mysql:///": "has no host",
	} {
		_, err := ParseSource(raw)
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseSource(%q) = %v, want a UsageError with %q", raw, err, want)
		}
	}
}

func TestParseTargetAndRedact(t *testing.T) {
	if _, err := ParseTarget("postgres://u:pw@h:5432/app?sslmode=disable"); err != nil {
		t.Fatal(err)
	}
	for raw, want := range map[string]string{
		"":                       "--target is required",
		"mysql://h/db":           "must start with postgres://",
		"postgres://u:pw@h:5432": "must name a database",
	} {
		_, err := ParseTarget(raw)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseTarget(%q) = %v, want %q", raw, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "pw@") {
			t.Errorf("ParseTarget(%q) leaks the password: %v", raw, err)
		}
	}
	u, _ := url.Parse("postgres://u:secret@h/db?sslpassword=secret2&Password=secret3")
	if got := redact(u); strings.Contains(got, "secret") {
		t.Errorf("redact = %s", got)
	}
}

// TestParseURLErrorsHidePasswords: no message about a bad URL shows its
// password, however the URL is broken.
func TestParseURLErrorsHidePasswords(t *testing.T) {
	const pw = "S3cr3tPw"
	t.Setenv(EnvSourcePassword, "")
	for _, raw := range []string{
		"mysql://u:" + pw + "@h:bad", "mysql://u:" + pw + "@h/%zz", "mysql://u:S3c%zzr3tPw@h",
		"mysql://u:" + pw + "/x@h:3306", "mysql://u:" + pw + "@/", "mysql://u:" + pw + "@h/db",
		"mysql://u:" + pw + "@h?tls=sometimes", "mysql ://u:" + pw + "@h", "u:" + pw + "@h:3306",
		"postgres://u:" + pw + "@h:3306",
	} {
		_, err := ParseSource(raw)
		if err == nil || strings.Contains(err.Error(), "S3c") {
			t.Errorf("ParseSource(%q) = %v", raw, err)
		}
	}
	for _, raw := range []string{
		"postgres://u:" + pw + "@h:bad/db", "postgres://u:" + pw + "@h/%zz", "postgres://u:" + pw + "/x@h/db",
		"postgres://u:" + pw + "@h:5432", "postgres://u@h/db?password=" + pw + "&sslmode=bogus",
		"postgres://u:" + pw + "@h/db?sslmode=bogus", "mysql://u:" + pw + "@h/db",
		"host=h password=" + pw + " dbname=d", "postgres ://u:" + pw + "@h/db",
	} {
		_, err := ParseTarget(raw)
		if err == nil || strings.Contains(err.Error(), "S3c") {
			t.Errorf("ParseTarget(%q) = %v", raw, err)
		}
	}
}

func TestSelection(t *testing.T) {
	s, err := NewSelection([]string{"shop.*", "crm.customers", "logs"}, []string{"shop.tmp_*"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		db, table string
		want      bool
	}{
		{"shop", "orders", true}, {"shop", "tmp_x", false}, {"crm", "customers", true},
		{"crm", "leads", false}, {"logs", "anything", true}, {"mysql", "user", false}, {"other", "t", false},
	} {
		if got := s.Selects(tc.db, tc.table); got != tc.want {
			t.Errorf("Selects(%s.%s) = %v", tc.db, tc.table, got)
		}
	}
	all, _ := NewSelection(nil, nil)
	if !all.Selects("any", "t") || all.Selects("information_schema", "TABLES") || all.SelectsDatabase("sys") {
		t.Error("the empty selection must take every non-system database")
	}
	for _, bad := range []string{"a.b.c", ".t", "db.", "db.[x"} {
		if _, err := NewSelection([]string{bad}, nil); err == nil {
			t.Errorf("pattern %q accepted", bad)
		}
	}
}

func TestPhasesAndValidate(t *testing.T) {
	p, err := ParsePhases("schema, full")
	if err != nil || !p.Schema || !p.Full || p.Incremental || p.String() != "schema,full" {
		t.Fatalf("ParsePhases = %+v, %v", p, err)
	}
	if p, _ := ParsePhases(""); !p.Schema || !p.Full || !p.Incremental {
		t.Errorf("default phases %+v", p)
	}
	if _, err := ParsePhases("schema,copy"); err == nil {
		t.Error("unknown phase accepted")
	}
	good := func() *Task {
		return &Task{Name: "t1", Parallel: 4, ChunkRows: 100000, Phases: Phases{Schema: true, Full: true},
			Conflict: "error", Case: "default", ZeroDate: "-infinity", BadText: "fail", RetryFor: 720 * time.Minute,
			ProgressEvery: 5 * time.Second}
	}
	if err := good().Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(*Task){
		"name":       func(t *Task) { t.Name = "bad name!" },
		"parallel":   func(t *Task) { t.Parallel = 0 },
		"chunk rows": func(t *Task) { t.ChunkRows = 10 },
		"no phases":  func(t *Task) { t.Phases = Phases{} },
		"caught up":  func(t *Task) { t.StopWhenCaughtUp = true },
		"conflict":   func(t *Task) { t.Conflict = "overwrite" },
		"case":       func(t *Task) { t.Case = "lower" },
		"zero date":  func(t *Task) { t.ZeroDate = "epoch" },
		"bad text":   func(t *Task) { t.BadText = "ignore" },
		"progress":   func(t *Task) { t.ProgressEvery = 0 },
		"retry for":  func(t *Task) { t.RetryFor = time.Minute },
		"scan rows":  func(t *Task) { t.ScanRows = -1 },
	} {
		tk := good()
		mutate(tk)
		var ue *UsageError
		if err := tk.Validate(); !errors.As(err, &ue) {
			t.Errorf("%s: Validate = %v, want a UsageError", name, err)
		}
	}
}
