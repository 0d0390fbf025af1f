// Package filter owns per-table row filters: a condition in MySQL WHERE
// syntax (`status <> 'draft' AND created_at >= '2024-01-01'`), parsed once
// with a real MySQL parser (TiDB's), pushed into the full load's SELECT as
// SQL() and evaluated by Eval on rows from the binlog, so that both paths
// keep the same rows. It does no I/O.
//
// Invariant: a filter compiles only if, for every row, Eval gives the answer
// MySQL's (and MariaDB's) WHERE gives row by row. Whatever sluice cannot
// reproduce exactly is a *CompileError at compile time, naming the
// sub-expression and why — never a guess at run time.
//
// # Grammar
//
// Column references ([[db.]table.]col), literals (integers, decimals,
// approximate numbers 1e3, strings '...' or "...", NULL, TRUE/FALSE,
// DATE 'YYYY-MM-DD', TIMESTAMP 'YYYY-MM-DD HH:MM:SS[.f]' and the ODBC {d}
// and {ts} forms, a leading minus on a number), comparisons = <> != < <= >
// >= <=>, [NOT] IN (list), [NOT] BETWEEN, [NOT] LIKE with % _ and ESCAPE
// (default backslash), IS [NOT] NULL, IS [NOT] TRUE/FALSE, AND && OR || NOT
// ! XOR and parentheses; a condition used as a value is 1, 0 or NULL, and a
// number used as a condition is true when not zero. Everything else —
// functions, arithmetic, CAST, CASE, COLLATE, REGEXP, subqueries,
// variables, parameter markers, hex and bit literals, charset introducers —
// is rejected.
//
// # Semantics
//
// NULL is three-valued everywhere (Tri); a row is kept only when True. MySQL
// chooses one comparison type for all operands of a comparison, IN or
// BETWEEN, and so does resolve:
//
//   - integers and DECIMALs compare exactly (unsigned BIGINT included);
//     with a FLOAT/DOUBLE or an approximate literal, as doubles.
//   - strings compare under the column's collation, which the caller passes
//     in Options.Collations (schema.Column has none yet): utf8mb4/utf8mb3
//     _general_ci, _unicode_ci (UCA 4.0.0), _bin, their _nopad_ forms and
//     utf8mb4_0900_bin, with PAD SPACE where the collation has it. The
//     weights are MariaDB's own (general_ci.txt, unicode_ci.txt, generated
//     from and checked against the server). Other collations — 0900_ai_ci
//     among them, latin1 and every other charset — are rejected. Binary
//     strings compare bytewise; CHAR values lose trailing spaces, BINARY(n)
//     values are padded with 0x00, as the server does. ENUMs compare by
//     label.
//   - dates, date-times and timestamps compare as date-times, with string
//     literals 'YYYY-MM-DD[ HH:MM:SS[.f]]' read as such; zero and invalid
//     dates in rows order as MySQL packs them. TIMESTAMPs are UTC on both
//     paths (the snapshot session's time_zone is '+00:00').
//   - a string literal compared with a number must be a plain numeral of at
//     most 15 significant digits below 2^53, against an integer column, a
//     DECIMAL of at most 15 digits or a FLOAT/DOUBLE: MySQL converts such
//     a mix to doubles and MariaDB to decimals, and only there they agree.
//
// Rejected besides: mixes MySQL itself rejects or converts by unsupported
// rules (text columns with numbers, columns of different collations, a date
// with a number), and the tests MariaDB answers differently with and
// without an index (see fit.go): =, <>, <=>, IN of a numeric or temporal
// column with a literal the column cannot hold exactly (i = 0.5, a DECIMAL(
// 12,3) = 0.1234, a DATETIME(0) = '... 10:00:00.5', DATE = '... 10:00'),
// integers against approximate numbers beyond 2^53, IN lists mixing exact
// and approximate numbers, and IS NULL on NOT NULL date columns (MySQL's
// WHERE finds '0000-00-00' there).
//
// # Values
//
// Eval takes a row in t.Columns order with each value as the snapshot
// reader (go-sql-driver, binary protocol, parseTime off) or the binlog
// reader (go-mysql, ParseTime and UseDecimal off, timestamps in UTC)
// delivers it; column.go lists the forms per kind.
package filter
