package testdb

import (
	"context"
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// CompareOption changes what [CompareTable] expects in the target.
type CompareOption func(*compareConfig)

type compareConfig struct {
	zeroNotNull string                               // expected for a zero date in a NOT NULL column
	expect      map[string]func(src *string) *string // by lower-case source column
}

// ZeroDateNotNull sets what a zero or partial-zero date (year, month or day
// 0) in a NOT NULL DATE, DATETIME or TIMESTAMP column is expected to become,
// in the canonical form of the target; the default is "-infinity", sluice's
// default policy. In a nullable column such a date is always expected as
// NULL (SPEC §4) unless [Expect] says otherwise.
func ZeroDateNotNull(want string) CompareOption {
	return func(c *compareConfig) { c.zeroNotNull = want }
}

// Expect replaces the expected target value of source column col by a
// function of the source value; both are canonical forms (see
// [CompareTable]), nil for NULL. Use it for a documented policy that changes
// values, e.g. --bad-text strip removing NUL bytes from text.
func Expect(col string, f func(src *string) *string) CompareOption {
	return func(c *compareConfig) { c.expect[strings.ToLower(col)] = f }
}

// maxKeysShown and maxDiffsShown bound the missing and extra keys listed and
// the value differences reported one by one; the rest are counted.
const maxKeysShown, maxDiffsShown = 20, 200

// CompareTable compares every row and every column of table in src with its
// copy in dst (schema src.Name, table and column names lower-cased, as
// sluice's default case policy makes them), reports each difference with
// t.Errorf, and returns the number of rows compared.
//
// Both sides are read independently of sluice: MariaDB through a prepared
// statement (the binary protocol, so FLOAT arrives as its float32 bits) on a
// utf8mb4 session with time_zone '+00:00'; PostgreSQL with pgx in a
// transaction with DateStyle ISO and TimeZone UTC. Each value is reduced to a
// canonical string chosen by the source column's type, and the strings must
// be equal:
//
//   - integers, DECIMAL: the exact value, without ZEROFILL's leading zeros
//     or trailing fraction zeros ("1.50" and "1.5" are equal); YEAR: digits
//   - FLOAT, DOUBLE: the value widened to float64, %g and its IEEE bits
//   - BIT(n): n characters 0/1; binary strings and BLOBs: the bytes
//   - text, ENUM, SET: the characters (MariaDB converts the column's
//     charset, e.g. latin1 = cp1252, to UTF-8)
//   - DATE: YYYY-MM-DD; DATETIME, TIMESTAMP: YYYY-MM-DD HH:MM:SS.ffffff
//     (TIMESTAMP as UTC), or -infinity/infinity
//   - TIME: signed microseconds (PostgreSQL interval: its epoch)
//   - JSON: the source text cast to jsonb by PostgreSQL, and the target
//     cast to jsonb, both printed by PostgreSQL (semantic equality; numbers
//     exact)
//   - GEOMETRY: SRID=n;WKB in hex (PostGIS ST_SRID/ST_AsBinary; a bytea
//     target is read as MySQL's internal SRID+WKB)
//   - UUID: text; INET4/INET6: the address in canonical form
//
// Zero dates follow sluice's policy (see [ZeroDateNotNull]). Rows are
// matched by primary key, or as a multiset of whole rows when the table has
// none. A source type with no canonical form fails the test: extend this
// file rather than compare loosely.
func CompareTable(t testing.TB, src *MySQLDB, dst *PGDB, table string, opts ...CompareOption) int {
	t.Helper()
	cfg := &compareConfig{zeroNotNull: "-infinity", expect: map[string]func(*string) *string{}}
	for _, o := range opts {
		o(cfg)
	}
	where := src.Name + "." + table
	cols, key := compareColumns(t, src, dst, table, cfg)
	want := readSource(t, src, dst, table, cols, cfg)
	got := readTarget(t, dst, strings.ToLower(src.Name), strings.ToLower(table), cols)

	// Match rows by key: the primary key's canonical values, or the whole
	// row when there is none (then rows form a multiset).
	gotBy := map[string][][]*string{}
	for _, r := range got {
		k := rowKey(r, key, cols)
		gotBy[k] = append(gotBy[k], r)
	}
	var missing, extra []string
	compared, diffs := 0, 0
	for _, w := range want {
		k := rowKey(w, key, cols)
		gs := gotBy[k]
		if len(gs) == 0 {
			missing = append(missing, k)
			continue
		}
		g := gs[0]
		gotBy[k] = gs[1:]
		compared++
		for i, c := range cols {
			if eqPtr(w[i], g[i]) {
				continue
			}
			if diffs++; diffs <= maxDiffsShown {
				t.Errorf("compare %s key %s column %s (%s → %s): source %s, target %s",
					where, k, c.name, c.srcType, c.pgType, render(c.kind, w[i], g[i]), render(c.kind, g[i], w[i]))
			}
		}
	}
	for k, gs := range gotBy {
		for range gs {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	if diffs > maxDiffsShown {
		t.Errorf("compare %s: %d more value differences not shown", where, diffs-maxDiffsShown)
	}
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("compare %s: source has %d rows, target %d; %d missing from the target%s; %d extra in the target%s",
			where, len(want), len(got), len(missing), listKeys(missing), len(extra), listKeys(extra))
	}
	t.Logf("compare %s: %d rows × %d columns compared, %d value differences", where, compared, len(cols), diffs)
	return compared
}

// column is one compared column.
type column struct {
	name, pgName    string // source name; target name (lower-case)
	srcType, pgType string // COLUMN_TYPE; format_type() in the target
	pgTypname       string // pg_type.typname
	kind            kind
	nullable        bool
	bits            int // BIT(n)
	expect          func(*string) *string
}

// kind is the canonical form a column is compared in, named for the
// source types it serves.
type kind string

var kinds = map[string]kind{
	"tinyint": "int", "smallint": "int", "mediumint": "int", "int": "int", "integer": "int", "bigint": "int",
	"decimal": "decimal", "numeric": "decimal", "float": "float", "double": "float", "real": "float", "bit": "bit",
	"binary": "bytes", "varbinary": "bytes", "tinyblob": "bytes", "blob": "bytes", "mediumblob": "bytes", "longblob": "bytes",
	"char": "text", "varchar": "text", "tinytext": "text", "text": "text", "mediumtext": "text", "longtext": "text",
	"enum": "text", "set": "text", "date": "date", "datetime": "datetime", "timestamp": "timestamp", "time": "time",
	"year": "year", "json": "json", "geometry": "geometry", "point": "geometry", "linestring": "geometry",
	"polygon": "geometry", "multipoint": "geometry", "multilinestring": "geometry", "multipolygon": "geometry",
	"geometrycollection": "geometry", "geomcollection": "geometry", "uuid": "uuid", "inet4": "inet", "inet6": "inet",
}

// jsonCheck is MariaDB's CHECK on a JSON column (JSON is LONGTEXT there).
var jsonCheck = regexp.MustCompile("^json_valid\\(`((?:[^`]|``)+)`\\)$")

// compareColumns reads both catalogs and returns the columns to compare and
// the positions of the primary key columns among them.
func compareColumns(t testing.TB, src *MySQLDB, dst *PGDB, table string, cfg *compareConfig) ([]column, []int) {
	t.Helper()
	where := src.Name + "." + table
	jsonCols := map[string]bool{} // MariaDB's JSON is LONGTEXT with a CHECK
	for _, r := range src.QueryRows(t, "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "+
		"WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?", src.Name, table) {
		if m := jsonCheck.FindStringSubmatch(r[0].(string)); m != nil {
			jsonCols[strings.ReplaceAll(m[1], "``", "`")] = true
		}
	}
	pgCols := map[string][2]string{}
	for _, r := range dst.QueryRows(t, `SELECT a.attname::text, t.typname::text, format_type(a.atttypid, a.atttypmod)
		FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
		WHERE a.attrelid = to_regclass(quote_ident($1) || '.' || quote_ident($2)) AND a.attnum > 0 AND NOT a.attisdropped`,
		strings.ToLower(src.Name), strings.ToLower(table)) {
		pgCols[r[0].(string)] = [2]string{r[1].(string), r[2].(string)}
	}
	if len(pgCols) == 0 {
		t.Fatalf("compare %s: target table %s.%s does not exist", where, strings.ToLower(src.Name), strings.ToLower(table))
	}
	srcRows := src.QueryRows(t, `SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COALESCE(NUMERIC_PRECISION, 0)
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, src.Name, table)
	if len(srcRows) == 0 {
		t.Fatalf("compare %s: no such source table", where)
	}
	var cols []column
	seen := map[string]bool{}
	for _, r := range srcRows {
		c := column{name: r[0].(string), pgName: strings.ToLower(r[0].(string)), srcType: r[2].(string), nullable: r[3] == "YES"}
		fmt.Sscan(r[4].(string), &c.bits)
		seen[c.pgName] = true
		pg, ok := pgCols[c.pgName]
		if !ok {
			t.Errorf("compare %s: column %s is missing from the target", where, c.name)
			continue
		}
		k, ok := kinds[strings.ToLower(r[1].(string))]
		if jsonCols[c.name] {
			k, ok = "json", true
		}
		if !ok {
			t.Fatalf("compare %s: column %s has type %s, which CompareTable has no canonical form for", where, c.name, c.srcType)
		}
		c.kind, c.pgTypname, c.pgType, c.expect = k, pg[0], pg[1], cfg.expect[c.pgName]
		cols = append(cols, c)
	}
	for name := range pgCols {
		if !seen[name] {
			t.Errorf("compare %s: target has column %s, which the source does not", where, name)
		}
	}
	var key []int
	for _, r := range src.QueryRows(t, `SELECT COLUMN_NAME FROM information_schema.STATISTICS
		WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX`, src.Name, table) {
		i := slices.IndexFunc(cols, func(c column) bool { return c.name == r[0] })
		if i < 0 {
			t.Fatalf("compare %s: primary key column %s is not compared", where, r[0])
		}
		key = append(key, i)
	}
	return cols, key
}

// sourceExpr is the MariaDB expression that reads column c for its
// canonical form.
func sourceExpr(c column) string {
	q := quoteMySQL(c.name)
	switch c.kind {
	case "bit":
		return "CAST(CAST(" + q + " AS UNSIGNED) AS CHAR)"
	case "year":
		return "CAST(" + q + " + 0 AS CHAR)"
	case "float", "bytes", "text", "json":
		return q
	case "geometry":
		return "CONCAT('SRID=', ST_SRID(" + q + "), ';', HEX(ST_AsBinary(" + q + ")))"
	}
	return "CAST(" + q + " AS CHAR)"
}

// targetExpr is the PostgreSQL expression that reads column c for the
// canonical form of its source type, given the type sluice gave it.
func targetExpr(c column) string {
	q := quotePG(c.pgName)
	switch c.kind {
	case "float": // float4 → float8 is exact
		return q + "::float8"
	case "bytes":
		return q
	case "timestamp":
		if c.pgTypname == "timestamptz" {
			return "(" + q + " AT TIME ZONE 'UTC')::text"
		}
	case "time":
		return "(extract(epoch FROM " + q + ") * 1000000)::numeric(40,0)::text"
	case "json":
		return q + "::jsonb::text"
	case "geometry":
		switch c.pgTypname {
		case "geometry":
			return "'SRID=' || ST_SRID(" + q + ") || ';' || upper(encode(ST_AsBinary(" + q + "), 'hex'))"
		case "bytea":
			return "'SRID=' || (get_byte(" + q + ", 0) + (get_byte(" + q + ", 1) << 8) + (get_byte(" + q + ", 2) << 16) + " +
				"(get_byte(" + q + ", 3)::bigint << 24)) || ';' || upper(encode(substr(" + q + ", 5), 'hex'))"
		}
	}
	return q + "::text"
}

// readSource reads every row of the source table and returns the values
// expected in the target, canonical.
func readSource(t testing.TB, src *MySQLDB, dst *PGDB, table string, cols []column, cfg *compareConfig) [][]*string {
	t.Helper()
	exprs := make([]string, len(cols))
	for i, c := range cols {
		exprs[i] = sourceExpr(c)
	}
	query := "SELECT " + strings.Join(exprs, ", ") + " FROM " + quoteMySQL(src.Name) + "." + quoteMySQL(table)
	var out [][]*string
	// One connection whose session is known (a test may have changed its
	// pool's), and a prepared statement: the binary protocol, which sends
	// FLOAT as float32.
	err := func(ctx context.Context) error {
		conn, err := src.DB.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SET time_zone = '+00:00', NAMES utf8mb4"); err != nil {
			return err
		}
		stmt, err := conn.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer stmt.Close()
		rows, err := stmt.QueryContext(ctx)
		if err != nil {
			return err
		}
		defer rows.Close()
		vals, dest := make([]any, len(cols)), make([]any, len(cols))
		for i := range vals {
			dest[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			row := make([]*string, len(cols))
			for i, c := range cols {
				row[i] = canonical(c, vals[i], true)
			}
			out = append(out, row)
		}
		return rows.Err()
	}(t.Context())
	if err != nil {
		t.Fatalf("compare: MySQL %s: %v\n%s", src.Name, err, query)
	}
	for _, row := range out {
		for i, c := range cols {
			if c.kind == "json" && row[i] != nil {
				row[i] = jsonb(t, dst, *row[i])
			}
			switch {
			case c.expect != nil:
				row[i] = c.expect(row[i])
			case (c.kind == "date" || c.kind == "datetime" || c.kind == "timestamp") && row[i] != nil && isZeroDate(*row[i]):
				row[i] = nil
				if !c.nullable {
					row[i] = &cfg.zeroNotNull
				}
			}
		}
	}
	return out
}

// jsonb is PostgreSQL's jsonb rendering of a JSON text, or why jsonb
// rejects it (e.g. \u0000).
func jsonb(t testing.TB, dst *PGDB, text string) *string {
	var canon string
	if err := dst.Pool.QueryRow(t.Context(), "SELECT $1::text::jsonb::text", text).Scan(&canon); err != nil {
		canon = fmt.Sprintf("(not jsonb: %v) %s", err, text)
	}
	return &canon
}

// readTarget reads every row of the target table, canonical.
func readTarget(t testing.TB, dst *PGDB, schema, table string, cols []column) [][]*string {
	t.Helper()
	exprs := make([]string, len(cols))
	for i, c := range cols {
		exprs[i] = targetExpr(c)
	}
	query := "SELECT " + strings.Join(exprs, ", ") + " FROM " + quotePG(schema) + "." + quotePG(table)
	var out [][]*string
	err := pgx.BeginFunc(t.Context(), dst.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(t.Context(), "SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; "+
			"SET LOCAL TimeZone = 'UTC'; SET LOCAL extra_float_digits = 3"); err != nil {
			return err
		}
		rows, err := tx.Query(t.Context(), query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				return err
			}
			row := make([]*string, len(cols))
			for i, c := range cols {
				row[i] = canonical(c, vals[i], false)
			}
			out = append(out, row)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatalf("compare: PostgreSQL %s: %v\n%s", dst.Name, err, query)
	}
	return out
}

// canonical turns a value as the driver returns it into its canonical form
// (nil for NULL).
func canonical(c column, v any, source bool) *string {
	if v == nil {
		return nil
	}
	var s string
	switch x := v.(type) {
	case float32:
		s = canonFloat(float64(x))
	case float64:
		s = canonFloat(x)
	case []byte:
		s = string(x)
	case string:
		s = x
	default:
		s = fmt.Sprint(x)
	}
	switch c.kind {
	case "int", "decimal": // ZEROFILL pads both
		s = normDecimal(s)
	case "bit":
		if u, err := strconv.ParseUint(s, 10, 64); source && err == nil {
			s = fmt.Sprintf("%0*b", c.bits, u)
		}
	case "datetime", "timestamp":
		s = canonDatetime(s)
	case "time":
		s = canonTime(s)
	case "inet":
		s = canonInet(s)
	}
	return &s
}

// canonFloat renders a float64 (a float32 widened exactly) as its shortest
// decimal and its IEEE bits, so -0 and 0 differ.
func canonFloat(f float64) string {
	return fmt.Sprintf("%s [%016x]", strconv.FormatFloat(f, 'g', -1, 64), math.Float64bits(f))
}

// normDecimal drops a sign of zero, leading integer zeros and trailing
// fraction zeros from a decimal numeral.
func normDecimal(s string) string {
	neg := strings.HasPrefix(s, "-")
	ip, fp, _ := strings.Cut(strings.TrimLeft(s, "+-"), ".")
	ip, fp = strings.TrimLeft(ip, "0"), strings.TrimRight(fp, "0")
	if ip == "" {
		ip = "0"
	}
	if fp != "" {
		ip += "." + fp
	}
	if neg && ip != "0" {
		return "-" + ip
	}
	return ip
}

// canonDatetime gives "YYYY-MM-DD HH:MM:SS" six fraction digits; anything
// else (-infinity) is left alone.
func canonDatetime(s string) string {
	date, rest, ok := strings.Cut(s, " ")
	if !ok || len(date) < 10 {
		return s
	}
	tm, suffix, _ := strings.Cut(rest, " ") // suffix: BC
	hms, frac, _ := strings.Cut(tm, ".")
	out := date + " " + hms + "." + (frac + "000000")[:6]
	if suffix != "" {
		out += " " + suffix
	}
	return out
}

// canonTime turns MySQL TIME text ([-]H:MM:SS[.f]) into signed
// microseconds; a number (the target's epoch) is only normalised.
func canonTime(s string) string {
	if !strings.Contains(s, ":") {
		return normDecimal(s)
	}
	neg := strings.HasPrefix(s, "-")
	hms, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	var h, m, sec int64
	if _, err := fmt.Sscanf(hms, "%d:%d:%d", &h, &m, &sec); err != nil {
		return s
	}
	us, err := strconv.ParseInt((frac + "000000")[:6], 10, 64)
	if err != nil {
		return s
	}
	us += ((h*60+m)*60 + sec) * 1e6
	if neg {
		us = -us
	}
	return strconv.FormatInt(us, 10)
}

// canonInet renders an address as net/netip does; a network keeps its
// prefix length, a host address (/32, /128) drops it.
func canonInet(s string) string {
	if p, err := netip.ParsePrefix(s); err == nil {
		if p.Bits() == p.Addr().BitLen() {
			return p.Addr().String()
		}
		return p.String()
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.String()
	}
	return s
}

// isZeroDate reports a DATE/DATETIME/TIMESTAMP text with year, month or day 0.
func isZeroDate(s string) bool {
	return len(s) >= 10 && s[4] == '-' && s[7] == '-' && (s[:4] == "0000" || s[5:7] == "00" || s[8:10] == "00")
}

// rowKey renders the key columns of row (all columns when key is empty),
// exactly: it identifies the row.
func rowKey(row []*string, key []int, cols []column) string {
	if len(key) == 0 {
		key = make([]int, len(cols))
		for i := range key {
			key[i] = i
		}
	}
	parts := make([]string, len(key))
	for n, i := range key {
		parts[n] = cols[i].name + "=NULL"
		if row[i] != nil {
			parts[n] = cols[i].name + "=" + strconv.Quote(*row[i])
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func eqPtr(a, b *string) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// render shows a canonical value in a message: NULL, quoted text, x'…' for
// bytes; a long value is cut, and where it differs from other is shown.
func render(k kind, v, other *string) string {
	if v == nil {
		return "NULL"
	}
	s := *v
	quote := strconv.Quote
	if k == "bytes" {
		quote = func(s string) string { return fmt.Sprintf("x'%X'", s) }
	}
	if len(s) <= 100 {
		return quote(s)
	}
	out := fmt.Sprintf("%s… (%d bytes", quote(s[:40]), len(s))
	if other != nil {
		i := 0
		for i < len(s) && i < len(*other) && s[i] == (*other)[i] {
			i++
		}
		out += fmt.Sprintf(", from byte %d: %s…", i, quote(s[i:min(len(s), i+40)]))
	}
	return out + ")"
}

// listKeys renders at most maxKeysShown keys, each cut to 200 bytes.
func listKeys(keys []string) string {
	if len(keys) == 0 {
		return ""
	}
	shown := slices.Clone(keys[:min(len(keys), maxKeysShown)])
	for i, k := range shown {
		if len(k) > 200 {
			shown[i] = k[:200] + "…"
		}
	}
	if len(keys) > maxKeysShown {
		shown = append(shown, fmt.Sprintf("… %d more", len(keys)-maxKeysShown))
	}
	return ": " + strings.Join(shown, ", ")
}
