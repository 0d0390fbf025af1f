//go:build integration

package filter

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/replication"

	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/testdb"
)

// liveCol is a column of the generated table: its DDL, the model the
// catalog builds, its collation and how its random values are made.
type liveCol struct {
	name, ddl, coll string
	col             schema.Column
	gen             func(r *rand.Rand) any // a non-NULL value, as an INSERT parameter
}

// Pieces of text chosen for the collations: case and accent pairs,
// expansions (ß = ss in unicode_ci), supplementary characters (0xFFFD in
// the _ci ones), spaces and tabs for PAD SPACE, and LIKE's metacharacters.
var textPieces = []string{
	"a", "A", "á", "Á", "à", "b", "B", "ß", "s", "S", "ss", "e", "é", "E", "É", "æ", "ae",
	"ǅ", "ǆ", "i", "I", "ı", "😀", "🙂", "\uFFFD", " ", "\t", "%", "_", "\\", "'", "x",
}

func randText(r *rand.Rand, maxChars int, bmp bool) string {
	var b strings.Builder
	n, chars := r.IntN(5), 0
	for range n {
		p := textPieces[r.IntN(len(textPieces))]
		if bmp && strings.ContainsFunc(p, func(c rune) bool { return c > 0xFFFF }) {
			continue
		}
		if chars+len([]rune(p)) > maxChars {
			break
		}
		b.WriteString(p)
		chars += len([]rune(p))
	}
	if r.IntN(6) == 0 && chars < maxChars {
		b.WriteString(" ")
	}
	return b.String()
}

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

var (
	baseDates = []string{"2024-01-01", "2024-02-29", "1999-12-31", "2038-01-19", "1000-01-01", "9999-12-31",
		"0000-00-00", "2024-00-00", "2024-01-00", "2021-02-31", "2023-12-31", "2024-01-02"}
	baseTimes = []string{"00:00:00", "10:00:00", "23:59:59.999999", "00:00:00.000001", "12:30:45.5"}
)

func randDate(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return fmt.Sprintf("%04d-%02d-%02d", 2023+r.IntN(3), 1+r.IntN(12), 1+r.IntN(28))
	}
	return pick(r, baseDates...)
}

func randDecimal(r *rand.Rand, intDigits, frac int) string {
	if r.IntN(4) == 0 {
		return pick(r, "0", "0.1", "0.2", "0.3", "-0.1", "1", "-1", "5", "42", "1.5", "0.5")
	}
	ip := strconv.Itoa(r.IntN(100))
	if r.IntN(8) == 0 {
		ip = strings.Repeat("9", intDigits)
	}
	fd := r.IntN(frac + 1)
	fp := ""
	for range fd {
		fp += strconv.Itoa(r.IntN(10))
	}
	s := ip
	if fp != "" {
		s += "." + fp
	}
	if r.IntN(3) == 0 {
		s = "-" + s
	}
	return s
}

var liveCols = []liveCol{
	{"i", "INT", "", schema.Column{Kind: schema.KindInt, IntBytes: 4}, func(r *rand.Rand) any {
		return pick(r, int64(r.IntN(101)-50), int64(r.IntN(11)-5), pick(r, int64(0), math.MaxInt32, math.MinInt32, 42))
	}},
	{"tu", "TINYINT UNSIGNED", "", schema.Column{Kind: schema.KindInt, IntBytes: 1, Unsigned: true}, func(r *rand.Rand) any {
		return pick(r, int64(r.IntN(256)), int64(pick(r, 0, 1, 127, 128, 255)))
	}},
	{"mu", "MEDIUMINT UNSIGNED", "", schema.Column{Kind: schema.KindInt, IntBytes: 3, Unsigned: true}, func(r *rand.Rand) any {
		return pick(r, int64(r.IntN(20)), int64(pick(r, 0, 8388607, 8388608, 16777215)))
	}},
	{"bi", "BIGINT", "", schema.Column{Kind: schema.KindInt, IntBytes: 8}, func(r *rand.Rand) any {
		return pick(r, int64(r.IntN(21)-10), pick[int64](r, math.MinInt64, math.MaxInt64, 1<<53, 1<<53+1, -(1<<53+1), 0, 9007199254740993))
	}},
	{"bu", "BIGINT UNSIGNED", "", schema.Column{Kind: schema.KindInt, IntBytes: 8, Unsigned: true}, func(r *rand.Rand) any {
		return pick(r, uint64(r.IntN(20)), pick[uint64](r, 0, math.MaxInt64, 1<<63, math.MaxUint64, 1<<53, 1<<53+1, math.MaxUint64-1))
	}},
	{"d", "DECIMAL(30,10)", "", schema.Column{Kind: schema.KindDecimal, Precision: 30, Scale: 10}, func(r *rand.Rand) any {
		return pick(r, randDecimal(r, 20, 10), pick(r, "0.1000000001", "0.3000000000", "1.0000000001", "-0.0000000001", "99999999999999999999.9999999999"))
	}},
	{"ds", "DECIMAL(12,3)", "", schema.Column{Kind: schema.KindDecimal, Precision: 12, Scale: 3}, func(r *rand.Rand) any {
		return randDecimal(r, 9, 3)
	}},
	{"f", "FLOAT", "", schema.Column{Kind: schema.KindFloat}, func(r *rand.Rand) any {
		return pick(r, float64(r.IntN(41)-20)/4, pick(r, 0, math.Copysign(0, -1), 0.1, 0.5, 16777216, 16777217, 3.4e38, 1e-30))
	}},
	{"dbl", "DOUBLE", "", schema.Column{Kind: schema.KindDouble}, func(r *rand.Rand) any {
		return pick(r, float64(r.IntN(41)-20)/8, pick(r, 0, math.Copysign(0, -1), 0.1, 0.3, math.Nextafter(0.3, 1), 1e300, -1e-300, 9007199254740993, 5e-324, 42))
	}},
	{"vg", "VARCHAR(16) COLLATE utf8mb4_general_ci", "utf8mb4_general_ci", schema.Column{Kind: schema.KindText, Charset: "utf8mb4"}, func(r *rand.Rand) any {
		return randText(r, 16, false)
	}},
	{"vb", "VARCHAR(16) COLLATE utf8mb4_bin", "utf8mb4_bin", schema.Column{Kind: schema.KindText, Charset: "utf8mb4"}, func(r *rand.Rand) any {
		return randText(r, 16, false)
	}},
	{"vu", "VARCHAR(16) COLLATE utf8mb4_unicode_ci", "utf8mb4_unicode_ci", schema.Column{Kind: schema.KindText, Charset: "utf8mb4"}, func(r *rand.Rand) any {
		return randText(r, 16, false)
	}},
	{"vn", "VARCHAR(16) COLLATE utf8mb4_general_nopad_ci", "utf8mb4_general_nopad_ci", schema.Column{Kind: schema.KindText, Charset: "utf8mb4"}, func(r *rand.Rand) any {
		return randText(r, 16, false)
	}},
	{"vun", "VARCHAR(16) COLLATE utf8mb4_unicode_nopad_ci", "utf8mb4_unicode_nopad_ci", schema.Column{Kind: schema.KindText, Charset: "utf8mb4"}, func(r *rand.Rand) any {
		return randText(r, 16, false)
	}},
	{"c", "CHAR(6) COLLATE utf8mb4_general_ci", "utf8mb4_general_ci", schema.Column{Kind: schema.KindText, Charset: "utf8mb4", FixedLength: true, Length: 6}, func(r *rand.Rand) any {
		return randText(r, 6, false)
	}},
	{"m3", "VARCHAR(16) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin", "utf8mb3_bin", schema.Column{Kind: schema.KindText, Charset: "utf8mb3"}, func(r *rand.Rand) any {
		return randText(r, 16, true)
	}},
	{"tx", "TEXT COLLATE utf8mb4_unicode_ci", "utf8mb4_unicode_ci", schema.Column{Kind: schema.KindText, Charset: "utf8mb4"}, func(r *rand.Rand) any {
		return randText(r, 16, false)
	}},
	{"vbin", "VARBINARY(16)", "", schema.Column{Kind: schema.KindBinary, Length: 16}, func(r *rand.Rand) any {
		return []byte(randText(r, 4, false))
	}},
	{"bn", "BINARY(3)", "", schema.Column{Kind: schema.KindBinary, Length: 3, FixedLength: true}, func(r *rand.Rand) any {
		return []byte(pick(r, "", "a", "ab", "abc", "a\x00", "A", "\x00", "b "))
	}},
	{"dt", "DATE", "", schema.Column{Kind: schema.KindDate}, func(r *rand.Rand) any { return randDate(r) }},
	{"dn", "DATE NOT NULL DEFAULT '2000-01-01'", "", schema.Column{Kind: schema.KindDate}, func(r *rand.Rand) any { return randDate(r) }},
	{"dtm", "DATETIME(6)", "", schema.Column{Kind: schema.KindDatetime, Scale: 6}, func(r *rand.Rand) any {
		return randDate(r) + " " + pick(r, baseTimes...)
	}},
	{"ts", "TIMESTAMP(3) NULL", "", schema.Column{Kind: schema.KindTimestamp, Scale: 3}, func(r *rand.Rand) any {
		return pick(r, "1970-01-01 00:00:01", "2024-01-01 00:00:00", "2024-01-01 10:00:00.5", "2038-01-19 03:14:07.999",
			"0000-00-00 00:00:00", fmt.Sprintf("20%02d-%02d-%02d 00:00:00", 10+r.IntN(20), 1+r.IntN(12), 1+r.IntN(28)))
	}},
	{"e", "ENUM('a','B','c','é','ss') COLLATE utf8mb4_general_ci", "utf8mb4_general_ci",
		schema.Column{Kind: schema.KindEnum, Charset: "utf8mb4", Members: []string{"a", "B", "c", "é", "ss"}}, func(r *rand.Rand) any {
			return pick(r, "a", "B", "c", "é", "ss", "bogus") // bogus: stored as the '' error value
		}},
	{"js", "JSON", "", schema.Column{Kind: schema.KindJSON}, func(r *rand.Rand) any { return `{"a": 1}` }},
}

// liveTable is the schema model of the generated table (id first).
func liveTable(db string) *schema.Table {
	t := &schema.Table{Database: db, Name: "t", Columns: []schema.Column{{Name: "id", Kind: schema.KindInt, IntBytes: 4}}}
	for _, lc := range liveCols {
		c := lc.col
		c.Name = lc.name
		c.Nullable = !strings.Contains(lc.ddl, "NOT NULL")
		t.Columns = append(t.Columns, c)
	}
	return t
}

func liveCollations() map[string]string {
	m := map[string]string{}
	for _, lc := range liveCols {
		if lc.coll != "" {
			m[lc.name] = lc.coll
		}
	}
	return m
}

// randRow is one row's INSERT parameters after id.
func randRow(r *rand.Rand) []any {
	row := make([]any, len(liveCols))
	for i, lc := range liveCols {
		if !strings.Contains(lc.ddl, "NOT NULL") && r.IntN(7) == 0 {
			continue
		}
		row[i] = lc.gen(r)
	}
	return row
}

// lenientConn is a connection whose sql_mode takes zero and invalid dates
// and stores an unknown ENUM label as the ” error value; closed with t.
func lenientConn(t *testing.T, src *testdb.MySQLDB) *sql.Conn {
	t.Helper()
	conn, err := src.DB.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := conn.ExecContext(t.Context(), "SET SESSION sql_mode = 'ALLOW_INVALID_DATES'"); err != nil {
		t.Fatal(err)
	}
	return conn
}

// writeRows inserts rows (id = index+1) in batches, in a session that
// accepts zero and invalid dates and out-of-range ENUM values.
func writeRows(t *testing.T, src *testdb.MySQLDB, rows [][]any) {
	t.Helper()
	conn := lenientConn(t, src)
	const batch = 100
	marks := "(?" + strings.Repeat(", ?", len(liveCols)) + ")"
	for start := 0; start < len(rows); start += batch {
		end := min(start+batch, len(rows))
		var args []any
		for i := start; i < end; i++ {
			args = append(args, int64(i+1))
			args = append(args, rows[i]...)
		}
		q := "INSERT INTO t VALUES " + strings.Repeat(marks+", ", end-start-1) + marks
		if _, err := conn.ExecContext(t.Context(), q, args...); err != nil {
			t.Fatalf("inserting rows %d..%d: %v", start+1, end, err)
		}
	}
}

// updateRows gives every row in ids new random values, one UPDATE each.
func updateRows(t *testing.T, src *testdb.MySQLDB, r *rand.Rand, ids []int64) {
	t.Helper()
	conn := lenientConn(t, src)
	var sets []string
	for _, lc := range liveCols {
		sets = append(sets, lc.name+" = ?")
	}
	q := "UPDATE t SET " + strings.Join(sets, ", ") + " WHERE id = ?"
	for _, id := range ids {
		if _, err := conn.ExecContext(t.Context(), q, append(randRow(r), id)...); err != nil {
			t.Fatalf("updating row %d: %v", id, err)
		}
	}
}

func binlogPosition(t *testing.T, src *testdb.MySQLDB) mysql.Position {
	t.Helper()
	var file string
	var pos uint32
	var skip1, skip2 any
	if err := src.DB.QueryRowContext(t.Context(), "SHOW MASTER STATUS").Scan(&file, &pos, &skip1, &skip2); err != nil {
		t.Fatalf("SHOW MASTER STATUS: %v", err)
	}
	return mysql.Position{Name: file, Pos: pos}
}

// snapshotRows reads t as the full load does: a prepared statement (binary
// protocol), every value scanned into *any. The map is keyed by id.
func snapshotRows(t *testing.T, src *testdb.MySQLDB) map[int64][]any {
	t.Helper()
	stmt, err := src.DB.PrepareContext(t.Context(), "SELECT * FROM t ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer stmt.Close()
	rows, err := stmt.QueryContext(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64][]any{}
	for rows.Next() {
		vals := make([]any, len(liveCols)+1)
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out[vals[0].(int64)] = vals
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// binlogRows reads the binlog from pos with go-mysql, configured as the
// binlog reader is, until n row images of table t arrived: inserted rows,
// or the after images of updates. The map is keyed by id.
func binlogRows(t *testing.T, src *testdb.MySQLDB, pos mysql.Position, n int) map[int64][]any {
	t.Helper()
	streamer := src.BinlogSyncer(t, pos)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	out := map[int64][]any{}
	for got := 0; got < n; {
		ev, err := streamer.GetEvent(ctx)
		if err != nil {
			t.Fatalf("reading the binlog: %v (have %d of %d rows)", err, got, n)
		}
		re, ok := ev.Event.(*replication.RowsEvent)
		if !ok || !bytes.Equal(re.Table.Schema, []byte(src.Name)) || string(re.Table.Table) != "t" {
			continue
		}
		step, first := 1, 0
		switch ev.Header.EventType {
		case replication.UPDATE_ROWS_EVENTv1, replication.UPDATE_ROWS_EVENTv2, replication.MARIADB_UPDATE_ROWS_COMPRESSED_EVENT_V1:
			step, first = 2, 1 // before, after, before, after...
		}
		for i := first; i < len(re.Rows); i += step {
			row := re.Rows[i]
			out[int64(row[0].(int32))] = row
			got++
		}
	}
	return out
}
