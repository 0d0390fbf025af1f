//go:build integration

package main

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/sluicedb/sluice/internal/testdb"
)

// typesFixture holds every type of SPEC §4 at its edges; see the file.
//
//go:embed testdata/types/fixture.sql
var typesFixture string

// TestTypes copies the type fixture with the full load (one chunk per table,
// then chunked) and compares every row and column with the source, then pins
// the type map and the policies whose outcome is not the source value.
func TestTypes(t *testing.T) {
	// sluice's own zone must not matter (acceptance case 5); Setenv rules
	// out t.Parallel.
	t.Setenv("TZ", "America/New_York")
	src := testdb.MySQL(t)
	dst := testdb.Postgres(t)
	src.Exec(t, typesFixture)
	rowsWant := map[string]int{"numbers": 8, "texts": 4, "binkey": 3, "widths": 3, "temporal": 6, "misc": 5, "nokey": 4,
		"chunk_bin": 3000, "chunk_str": 3000}
	for table, n := range rowsWant {
		if got := src.QueryValue(t, "SELECT COUNT(*) FROM "+table); got != fmt.Sprint(n) {
			t.Fatalf("fixture: source %s has %v rows, want %d", table, got, n)
		}
	}
	// MariaDB stores -0.0 as +0.0, so the sign of zero cannot be carried
	// from this source; the comparison still checks the bits it holds.
	if got := src.QueryValue(t, "SELECT ATAN2(f, -1) < 0 OR ATAN2(dbl, -1) < 0 FROM numbers WHERE id = 7"); got != "0" {
		t.Logf("MariaDB now keeps -0.0 (ATAN2 test = %v): the fixture's row 7 checks its sign", got)
	}

	mustRun(t, runArgs(src, dst, "--ack", "table-without-key,zero-dates,invisible-column")...)

	for table, n := range rowsWant {
		if got := testdb.CompareTable(t, src, dst, table); got != n {
			t.Errorf("%s: %d rows compared, want %d", table, got, n)
		}
	}

	// The same through the chunked path: chunk_bin and chunk_str split into
	// ranges of their non-integer keys, four readers.
	t.Run("chunked", func(t *testing.T) {
		chunked := testdb.Postgres(t)
		mustRun(t, runArgs(src, chunked, "--ack", "table-without-key,zero-dates,invisible-column", "--chunk-rows", "1000", "--parallel", "4")...)
		for _, table := range []string{"chunk_bin", "chunk_str"} {
			if n := chunked.QueryValue(t, "SELECT count(*) FROM sluice.chunk WHERE source_table = $1", table); n.(int64) < 2 {
				t.Errorf("%s was loaded in %v chunks, want several", table, n)
			}
		}
		for table, n := range rowsWant {
			if got := testdb.CompareTable(t, src, chunked, table); got != n {
				t.Errorf("%s: %d rows compared, want %d", table, got, n)
			}
		}
	})

	t.Run("type map", func(t *testing.T) {
		want := map[string]string{
			"numbers.ti": "smallint", "numbers.tu": "smallint", "numbers.si": "smallint", "numbers.su": "integer",
			"numbers.mi": "integer", "numbers.mu": "integer", "numbers.i": "integer", "numbers.iu": "bigint",
			"numbers.bi": "bigint", "numbers.bu": "numeric(20,0)", "numbers.d65": "numeric(65,30)",
			"numbers.d10": "numeric(10,0)", "numbers.f": "real", "numbers.dbl": "double precision",
			"numbers.b1": "bit(1)", "numbers.b8": "bit(8)", "numbers.b64": "bit(64)", "numbers.y": "smallint",
			"texts.c10": "character varying(10)", "texts.vc": "character varying(20)", "texts.l1": "character varying(20)",
			"texts.big": "text", "texts.tt": "text", "texts.bin16": "bytea", "texts.vb": "bytea", "texts.blb": "bytea",
			"texts.en": "text", "texts.st": "text", "binkey.k": "bytea",
			"widths.dt3": "timestamp(3) without time zone", "widths.ts2": "timestamp(2) with time zone",
			"widths.t3": "interval(3)", "widths.b5": "bit(5)", "widths.bool1": "smallint", "widths.fmd": "real",
			"widths.dmd": "double precision", "widths.u3": "character varying(20)", "widths.gbk": "character varying(20)",
			"widths.vbin": "bytea", "widths.u16": "character varying(10)", "widths.zi": "bigint",
			"widths.zd":  "numeric(10,2)",
			"temporal.d": "date", "temporal.dn": "date", "temporal.dt": "timestamp(6) without time zone",
			"temporal.dtn": "timestamp(0) without time zone", "temporal.ts": "timestamp(6) with time zone",
			"temporal.tsn": "timestamp(0) with time zone", "temporal.t": "interval(0)", "temporal.t1": "interval(1)",
			"temporal.t6": "interval(6)", "temporal.y": "smallint",
			"misc.j": "jsonb", "misc.g": "geometry", "misc.p": "geometry(Point)", "misc.poly": "geometry(Polygon)",
			"misc.p4326": "geometry(Point,4326)", "misc.u": "uuid", "misc.i4": "inet", "misc.i6": "inet",
			"misc.gv": "integer", "misc.gs": "character varying(60)", "misc.inv": "character varying(10)",
		}
		got := map[string]string{}
		for _, r := range dst.QueryRows(t, `SELECT c.relname || '.' || a.attname, format_type(a.atttypid, a.atttypmod)
			FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = $1 AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`, src.Name) {
			got[r[0].(string)] = r[1].(string)
		}
		for col, w := range want {
			if got[col] != w {
				t.Errorf("%s: PostgreSQL type %q, want %q", col, got[col], w)
			}
		}
	})

	// Values the comparison derives from the source are pinned here too, so
	// that a source read and a target both wrong the same way still fail.
	t.Run("pinned values", func(t *testing.T) {
		s := src.Name
		for _, c := range []struct{ query, want string }{
			// Zero and partial-zero dates, and year 0: NULL when nullable,
			// -infinity when NOT NULL (the default --zero-date).
			{"SELECT concat_ws(',', d IS NULL, dn, dt IS NULL, dtn, ts IS NULL, tsn) FROM " + s + ".temporal WHERE id = 3",
				"t,-infinity,t,-infinity,t,-infinity"},
			{"SELECT concat_ws(',', d IS NULL, dn, dt IS NULL, dtn) FROM " + s + ".temporal WHERE id = 4",
				"t,-infinity,t,-infinity"},
			{"SELECT concat_ws(',', d IS NULL, dn, dt IS NULL) FROM " + s + ".temporal WHERE id = 5", "t,-infinity,t"},
			// Dates before year 1000 are real dates (pgloader#1098).
			{"SELECT concat_ws(',', d, dn) FROM " + s + ".temporal WHERE id = 2", "0999-12-31,0009-12-04"},
			// TIMESTAMP is an instant: inserted at +05:30.
			{"SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM " + s + ".temporal WHERE id = 1",
				"2038-01-19 03:14:07.999999"},
			{"SELECT concat_ws(',', t, t1, t6) FROM " + s + ".temporal WHERE id = 1",
				"838:59:59,-00:00:00.5,-838:59:59"},
			{"SELECT t1::text FROM " + s + ".temporal WHERE id = 2", "24:00:00"},
			{"SELECT concat_ws(',', tu, su, mu, iu, bu, b8, b64) FROM " + s + ".numbers WHERE id = 2",
				"255,65535,16777215,4294967295,18446744073709551615,10000000," +
					"1000000000000000000000000000000000000000000000000000000000000001"},
			{"SELECT d65::text FROM " + s + ".numbers WHERE id = 2", strings.Repeat("9", 35) + "." + strings.Repeat("9", 30)},
			{"SELECT d65::text FROM " + s + ".numbers WHERE id = 4", "-0." + strings.Repeat("0", 29) + "1"},
			// FLOAT max, min normal, min subnormal; DOUBLE min subnormal.
			{"SELECT string_agg(encode(float4send(f), 'hex'), ',' ORDER BY id) FROM " + s + ".numbers WHERE id IN (2, 3, 4)",
				"7f7fffff,00800000,00000001"},
			{"SELECT encode(float8send(dbl), 'hex') FROM " + s + ".numbers WHERE id = 4", "0000000000000001"},
			{"SELECT encode(float4send(f), 'hex') FROM " + s + ".numbers WHERE id = 5", "3dcccccd"},
			// BINARY(16) keeps its trailing zero bytes; VARBINARY is not padded.
			{"SELECT concat_ws(',', encode(bin16, 'hex'), encode(vb, 'hex')) FROM " + s + ".texts WHERE id = 3",
				"61620000000000000000000000000000,00000000"},
			{"SELECT concat_ws(',', octet_length(bin16), encode(vb, 'hex'), octet_length(blb)) FROM " + s + ".texts WHERE id = 1",
				"16,ab00,2100000"},
			// latin1 is cp1252; CHAR drops trailing spaces, VARCHAR keeps them.
			{"SELECT concat_ws('|', l1, c10, vc, emoji) FROM " + s + ".texts WHERE id = 1", "€é|ab|ab  |😀𠜎é中"},
			{"SELECT concat_ws('|', en, st, octet_length(big)) FROM " + s + ".texts WHERE id = 1", "b|m1,m9,m17,m64|1300000"},
			{"SELECT concat_ws('|', en = '', st = '') FROM " + s + ".texts WHERE id = 2", "t|t"},
			{"SELECT concat_ws('|', u3, gbk, encode(vbin, 'hex'), b5, bool1) FROM " + s + ".widths WHERE id = 1",
				"中文ä|中文|61006200|10101|2"},
			// JSON integers beyond 2^53 stay exact.
			{"SELECT concat_ws(',', j->>'big', j->>'min', j->>'huge') FROM " + s + ".misc WHERE id = 1",
				"9007199254740993,-9223372036854775808,123456789012345678901234567890"},
			{"SELECT jsonb_path_query_first(j, 'strict $.**{31}')::text FROM " + s + ".misc WHERE id = 2", `"deep"`},
			{"SELECT concat_ws(',', ST_AsText(p4326), ST_SRID(p4326), ST_SRID(p), ST_AsText(poly)) FROM " + s + ".misc WHERE id = 1",
				"POINT(13.4 52.5),4326,0,POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,3 2,3 3,2 2))"},
			{"SELECT concat_ws(',', u, i4, i6, gv, gs, inv) FROM " + s + ".misc WHERE id = 1",
				"123e4567-e89b-12d3-a456-426614174000,255.255.255.255,2001:db8::ff00:42:8329,2," +
					"x1-123e4567-e89b-12d3-a456-426614174000,shown"},
			{"SELECT concat_ws(',', i6, inv) FROM " + s + ".misc WHERE id = 2", "::ffff:1.2.3.4,hidden"},
		} {
			if got := fmt.Sprint(dst.QueryValue(t, c.query)); got != c.want {
				t.Errorf("%s\n got %q\nwant %q", c.query, got, c.want)
			}
		}
	})

	// A comparison that cannot fail proves nothing: damage the target by
	// the smallest steps the type map could lose, and expect each reported.
	t.Run("comparison catches damage", func(t *testing.T) {
		s := src.Name
		dst.Exec(t,
			"UPDATE "+s+".numbers SET f = '1.1754942e-38', b64 = b64 # B'1'::bit(64) WHERE id = 3",
			"UPDATE "+s+".numbers SET f = '-0' WHERE id = 7",
			"UPDATE "+s+".numbers SET d65 = 0 WHERE id = 4",
			"UPDATE "+s+".numbers SET bu = 18446744073709551614 WHERE id = 2",
			"UPDATE "+s+".texts SET bin16 = substring(bin16 FROM 1 FOR 15), vc = 'ab', l1 = '?é' WHERE id = 1",
			"UPDATE "+s+".temporal SET ts = ts + interval '1 microsecond', t6 = '-838:59:58.999999' WHERE id = 1",
			"UPDATE "+s+".temporal SET dn = '0001-01-01' WHERE id = 3",
			"DELETE FROM "+s+".temporal WHERE id = 6",
			"UPDATE "+s+".misc SET j = jsonb_set(j, '{big}', '9007199254740992'), g = ST_SetSRID(g, 3857) WHERE id = 1",
			"UPDATE "+s+".misc SET i6 = '::ffff:1.2.3.5', inv = 'x' WHERE id = 2",
			"INSERT INTO "+s+".nokey VALUES (1, 'x')",
		)
		want := map[string][]string{
			"numbers":  {"key (id=\"3\") column f", "key (id=\"3\") column b64", "key (id=\"7\") column f", "key (id=\"4\") column d65", "key (id=\"2\") column bu"},
			"texts":    {"key (id=\"1\") column bin16", "key (id=\"1\") column vc", "key (id=\"1\") column l1"},
			"temporal": {"key (id=\"1\") column ts", "key (id=\"1\") column t6", "key (id=\"3\") column dn", "1 missing from the target: (id=\"6\")"},
			"misc":     {"key (id=\"1\") column j", "key (id=\"1\") column g", "key (id=\"2\") column i6", "key (id=\"2\") column inv"},
			"nokey":    {"1 extra in the target: (a=\"1\", b=\"x\")"},
		}
		for table, msgs := range want {
			r := &recorder{TB: t}
			testdb.CompareTable(r, src, dst, table)
			for _, m := range msgs {
				if !slices.ContainsFunc(r.errs, func(e string) bool { return strings.Contains(e, m) }) {
					t.Errorf("%s: no report containing %q; reports:\n%s", table, m, strings.Join(r.errs, "\n"))
				}
			}
			if len(r.errs) != len(msgs) {
				t.Errorf("%s: %d reports, want %d:\n%s", table, len(r.errs), len(msgs), strings.Join(r.errs, "\n"))
			}
		}
	})
}

// recorder collects a test's Errorf reports instead of failing it.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestBadTextNUL: a NUL byte in text stops the run (exit 1) naming table,
// key and column, with nothing of that table's chunk in the target; with
// --bad-text strip the run copies the row without the NUL.
func TestBadTextNUL(t *testing.T) {
	t.Parallel()
	src := testdb.MySQL(t)
	dst := testdb.Postgres(t)
	src.Exec(t, "CREATE TABLE notes (id INT PRIMARY KEY, v VARCHAR(20))",
		`INSERT INTO notes VALUES (1, 'ok'), (2, 'a\0b\0'), (3, 'fine')`)

	r := sluice(t, runArgs(src, dst, "--scan-rows", "0")...) // the load itself must catch it
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\nstderr:\n%s", r.code, r.stderr)
	}
	for _, w := range []string{src.Name + ".notes", "(id)=(2)", "column v"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr does not name %q:\n%s", w, r.stderr)
		}
	}
	if n := dst.QueryValue(t, "SELECT count(*) FROM "+src.Name+".notes"); n != int64(0) {
		t.Errorf("target holds %v rows of notes after the failed chunk, want 0", n)
	}

	mustRun(t, runArgs(src, dst, "--bad-text", "strip", "--ack", "nul-bytes")...)
	strip := func(s *string) *string {
		if s == nil {
			return nil
		}
		v := strings.ReplaceAll(*s, "\x00", "")
		return &v
	}
	testdb.CompareTable(t, src, dst, "notes", testdb.Expect("v", strip))
	if got := dst.QueryValue(t, "SELECT v FROM "+src.Name+".notes WHERE id = 2"); got != "ab" {
		t.Errorf("stripped value = %q, want \"ab\"", got)
	}
}

// TestZeroDateFail: with --zero-date fail a zero date in a NOT NULL column
// stops the run (exit 1) naming table, key and column.
func TestZeroDateFail(t *testing.T) {
	t.Parallel()
	src := testdb.MySQL(t)
	dst := testdb.Postgres(t)
	src.Exec(t, "SET SESSION sql_mode = ''; CREATE TABLE events (id INT PRIMARY KEY, at DATETIME NOT NULL); "+
		"INSERT INTO events VALUES (1, '2020-01-01 00:00:00'), (2, '0000-00-00 00:00:00'); SET SESSION sql_mode = DEFAULT")

	r := sluice(t, runArgs(src, dst, "--zero-date", "fail", "--scan-rows", "0")...) // the load itself must catch it
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\nstderr:\n%s", r.code, r.stderr)
	}
	for _, w := range []string{src.Name + ".events", "(id)=(2)", "column at"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr does not name %q:\n%s", w, r.stderr)
		}
	}
	if n := dst.QueryValue(t, "SELECT count(*) FROM "+src.Name+".events"); n != int64(0) {
		t.Errorf("target holds %v rows of events after the failed chunk, want 0", n)
	}
}
