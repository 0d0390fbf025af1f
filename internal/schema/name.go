package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode/utf8"
)

// MaxIdentLen is PostgreSQL's identifier limit in bytes (NAMEDATALEN-1).
// Longer names are silently truncated by the server, so sluice never sends one.
const MaxIdentLen = 63

// Ident quotes a PostgreSQL identifier: always double-quoted, embedded double
// quotes doubled. It is the only way sluice writes an identifier into SQL.
func Ident(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QualifiedName renders schema.table, both quoted. An empty schema renders the
// table alone (resolved through search_path).
func QualifiedName(schema, table string) string {
	if schema == "" {
		return Ident(table)
	}
	return Ident(schema) + "." + Ident(table)
}

// TargetName applies the `default` case policy to a source name: ASCII
// letters are lower-cased, exactly as PostgreSQL folds an unquoted
// identifier, so users can write the name unquoted in their queries. Other
// characters are kept as they are.
func TargetName(name string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, name)
}

// IndexName names a PostgreSQL index or the index behind a PRIMARY KEY or
// UNIQUE constraint. Index names are unique per schema in PostgreSQL (MySQL:
// per table), so the table is part of the name: "<table>_<index>", and
// "<table>_pkey" for the MySQL index named PRIMARY. The index part follows
// the default case policy (see TargetName); table is already a target name.
// A name over MaxIdentLen bytes is shortened as joinName says.
func IndexName(table, index string) string {
	if index == "PRIMARY" {
		return joinName(table, "pkey")
	}
	return joinName(table, TargetName(index))
}

// ConstraintName names a constraint that has no index (a FOREIGN KEY):
// "<table>_<constraint>", with the same length rule as IndexName.
func ConstraintName(table, constraint string) string {
	return joinName(table, TargetName(constraint))
}

// joinName returns "<table>_<part>" when it fits in MaxIdentLen bytes.
// Otherwise, like PostgreSQL's own makeObjectName, it cuts bytes from the
// longer of the two parts (on UTF-8 boundaries) until they fit beside a
// suffix of "_" and 8 hex digits of the SHA-256 of the whole name: the result
// is stable across runs, readable, and two long names that cut to the same
// text still differ.
func joinName(table, part string) string {
	full := table + "_" + part
	if len(full) <= MaxIdentLen {
		return full
	}
	sum := sha256.Sum256([]byte(full))
	suffix := "_" + hex.EncodeToString(sum[:4])
	nt, np := len(table), len(part)
	for nt+1+np+len(suffix) > MaxIdentLen {
		if nt >= np {
			nt--
		} else {
			np--
		}
	}
	return cutUTF8(table, nt) + "_" + cutUTF8(part, np) + suffix
}

// cutUTF8 returns the longest prefix of s of at most n bytes that ends on a
// character boundary.
func cutUTF8(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
