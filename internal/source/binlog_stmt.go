package source

import "strings"

// stmtClass is what the binlog reader must do about a Query event.
type stmtClass uint8

const (
	// stmtOther cannot change a table's rows or columns: GRANT, FLUSH,
	// CREATE USER, ANALYZE, DDL on views, triggers, routines, databases
	// being created, temporary tables.
	stmtOther stmtClass = iota
	stmtBegin
	stmtCommit
	stmtRollback
	stmtSavepoint
	stmtRollbackTo // ROLLBACK TO SAVEPOINT: undoes part of the open transaction
	stmtXAStart    // XA START: the group is an XA transaction's prepare
	stmtDML        // a data change logged as a statement (binlog_format STATEMENT or MIXED)
	stmtDDL        // a change of tables: ALTER/CREATE/DROP/RENAME/TRUNCATE TABLE, CREATE/DROP INDEX, DROP DATABASE
)

// tableRef is a table named by a statement; db is "" when the statement
// relies on its default database.
type tableRef struct{ db, name string }

// statement is what classifyStatement found out about one statement.
type statement struct {
	class stmtClass
	name  string // stmtSavepoint, stmtRollbackTo: the savepoint
	// tables: for stmtDDL the tables it changes, for stmtDML every name it
	// mentions, read as a table of the qualifying or the default database.
	tables []tableRef
	// dbs: for stmtDDL the databases it drops, for stmtDML the databases
	// it names as qualifiers.
	dbs []string
	// opaque marks a stmtDML whose tables cannot be known from its text
	// (SELECT f(), CALL p(), an unparsable statement): it may change any
	// table of the databases it names or of its default database.
	opaque bool
}

// harmless are statements that never change a table's rows or columns.
var harmless = map[string]bool{
	"GRANT": true, "REVOKE": true, "FLUSH": true, "ANALYZE": true, "OPTIMIZE": true, "REPAIR": true,
	"CHECK": true, "CHECKSUM": true, "SET": true, "INSTALL": true, "UNINSTALL": true, "PURGE": true,
	"RESET": true, "SHOW": true, "USE": true, "KILL": true, "LOCK": true, "UNLOCK": true, "CHANGE": true,
	"STOP": true, "SHUTDOWN": true, "BINLOG": true, "SIGNAL": true, "RESIGNAL": true, "DEALLOCATE": true,
	"PREPARE": true, "BACKUP": true, "HELP": true, "DESCRIBE": true, "DESC": true, "EXPLAIN": true,
	"RELEASE": true,
}

// classifyStatement classifies the text of a Query event. It is
// deliberately conservative: a statement it cannot read is treated as a
// data change of every table it mentions, or of every table of its
// databases when its tables cannot be told.
func classifyStatement(sql string) statement {
	// The text is read twice, as with and as without sql_mode
	// NO_BACKSLASH_ESCAPES; a valid statement reads cleanly at least one
	// way, and names found by every clean reading count as mentioned.
	toks, ok := tokenize(sql, true)
	alt, okAlt := tokenize(sql, false)
	var readings [][]token
	if ok || !okAlt {
		readings = append(readings, toks)
	}
	if okAlt || !ok {
		readings = append(readings, alt)
	}
	st := classifyTokens(readings[0])
	switch {
	case st.class == stmtDML:
		for _, r := range readings {
			tables, dbs := mentions(r)
			st.tables = append(st.tables, tables...)
			st.dbs = append(st.dbs, dbs...)
		}
		if !ok && !okAlt {
			st.opaque = true
		}
	case st.class == stmtDDL && st.tables == nil && st.dbs == nil:
		// A table DDL of a form not parsed here: every name it mentions.
		for _, r := range readings {
			tables, _ := mentions(r)
			st.tables = append(st.tables, tables...)
		}
	}
	return st
}

func classifyTokens(toks []token) statement {
	i := 0
	for i < len(toks) && toks[i].kind == tokPunct && toks[i].text == "(" {
		i++ // (SELECT ...) UNION ...
	}
	switch {
	case len(toks) == 0:
		return statement{class: stmtOther}
	case i == len(toks) || toks[i].kind != tokWord:
		return statement{class: stmtDML, opaque: true}
	}
	rest := toks[i+1:]
	if toks[i].is("SET") && len(rest) > 0 && rest[0].is("STATEMENT") {
		// MariaDB: SET STATEMENT var=value[, ...] FOR statement
		for j, t := range rest {
			if t.is("FOR") {
				return classifyTokens(rest[j+1:])
			}
		}
	}
	switch kw := strings.ToUpper(toks[i].text); kw {
	case "BEGIN":
		return statement{class: stmtBegin}
	case "START":
		if len(rest) > 0 && rest[0].is("TRANSACTION") {
			return statement{class: stmtBegin}
		}
		return statement{class: stmtOther}
	case "COMMIT":
		return statement{class: stmtCommit}
	case "ROLLBACK":
		// ROLLBACK [WORK] TO [SAVEPOINT] name
		for j, t := range rest {
			if t.is("TO") {
				j++
				if j < len(rest) && rest[j].is("SAVEPOINT") {
					j++
				}
				st := statement{class: stmtRollbackTo}
				if j < len(rest) {
					st.name = rest[j].text
				}
				return st
			}
		}
		return statement{class: stmtRollback}
	case "SAVEPOINT":
		st := statement{class: stmtSavepoint}
		if len(rest) > 0 {
			st.name = rest[0].text
		}
		return st
	case "XA":
		if len(rest) > 0 && (rest[0].is("START") || rest[0].is("BEGIN")) {
			return statement{class: stmtXAStart}
		}
		return statement{class: stmtOther}
	case "INSERT", "REPLACE", "UPDATE", "DELETE":
		return statement{class: stmtDML}
	case "LOAD":
		if len(rest) > 0 && rest[0].is("INDEX") {
			return statement{class: stmtOther}
		}
		return statement{class: stmtDML}
	case "SELECT", "WITH", "DO", "CALL", "EXECUTE", "VALUES", "TABLE", "HANDLER":
		return statement{class: stmtDML, opaque: true}
	case "ALTER":
		return alterStatement(rest)
	case "CREATE":
		return createStatement(rest)
	case "DROP":
		return dropStatement(rest)
	case "RENAME":
		if len(rest) > 0 && (rest[0].is("TABLE") || rest[0].is("TABLES")) {
			return statement{class: stmtDDL, tables: nameList(rest[1:], "TO", "WAIT", "NOWAIT")}
		}
		return statement{class: stmtOther}
	case "TRUNCATE":
		if len(rest) > 0 && rest[0].is("TABLE") {
			rest = rest[1:]
		}
		return tableDDL(rest)
	default:
		if harmless[kw] {
			return statement{class: stmtOther}
		}
		return statement{class: stmtDML}
	}
}

// alterStatement: ALTER [ONLINE|OFFLINE] [IGNORE] TABLE [IF EXISTS] name ...
func alterStatement(toks []token) statement {
	toks = skipWords(toks, "ONLINE", "OFFLINE", "IGNORE")
	if len(toks) == 0 || !toks[0].is("TABLE") {
		return statement{class: stmtOther} // ALTER DATABASE, USER, VIEW, EVENT, SEQUENCE, ...
	}
	return tableDDL(skipIfExists(toks[1:]))
}

// createStatement: CREATE [OR REPLACE] [TEMPORARY] TABLE [IF NOT EXISTS] name,
// CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX name ... ON table; anything else
// created (databases, views, triggers, routines, users) is harmless.
func createStatement(toks []token) statement {
	temporary := false
	for j, t := range toks {
		switch {
		case t.is("TEMPORARY"):
			temporary = true
		case t.is("TABLE"):
			if temporary {
				return statement{class: stmtOther}
			}
			return tableDDL(skipIfExists(toks[j+1:]))
		case t.is("INDEX"):
			return onTableDDL(toks[j+1:])
		case isObjectWord(t):
			return statement{class: stmtOther}
		}
	}
	return statement{class: stmtDDL} // not understood: every table it mentions
}

// dropStatement: DROP [TEMPORARY] TABLE[S] [IF EXISTS] a, b ...,
// DROP INDEX name ON table, DROP DATABASE|SCHEMA [IF EXISTS] name.
func dropStatement(toks []token) statement {
	temporary := false
	for j, t := range toks {
		switch {
		case t.is("TEMPORARY"):
			temporary = true
		case t.is("TABLE") || t.is("TABLES"):
			if temporary {
				return statement{class: stmtOther}
			}
			return statement{class: stmtDDL, tables: nameList(skipIfExists(toks[j+1:]), "RESTRICT", "CASCADE", "WAIT", "NOWAIT")}
		case t.is("INDEX"):
			return onTableDDL(toks[j+1:])
		case t.is("DATABASE") || t.is("SCHEMA"):
			rest := skipIfExists(toks[j+1:])
			if len(rest) == 0 || !rest[0].isName() {
				return statement{class: stmtDDL}
			}
			return statement{class: stmtDDL, dbs: []string{rest[0].text}}
		case isObjectWord(t):
			return statement{class: stmtOther}
		}
	}
	return statement{class: stmtDDL}
}

// objectWords are the other kinds of objects CREATE and DROP handle.
var objectWords = map[string]bool{
	"VIEW": true, "TRIGGER": true, "PROCEDURE": true, "FUNCTION": true, "EVENT": true, "USER": true,
	"ROLE": true, "SERVER": true, "SEQUENCE": true, "PACKAGE": true, "TABLESPACE": true, "LOGFILE": true,
	"PREPARE": true, "DATABASE": true, "SCHEMA": true, "SYNONYM": true,
}

func isObjectWord(t token) bool { return t.kind == tokWord && objectWords[strings.ToUpper(t.text)] }

// tableDDL is a DDL statement on the table named first in toks.
func tableDDL(toks []token) statement {
	ref, _, ok := qualifiedName(toks, 0)
	if !ok {
		return statement{class: stmtDDL}
	}
	return statement{class: stmtDDL, tables: []tableRef{ref}}
}

// onTableDDL is CREATE/DROP INDEX: the table follows the word ON.
func onTableDDL(toks []token) statement {
	for j, t := range toks {
		if t.is("ON") {
			return tableDDL(toks[j+1:])
		}
	}
	return statement{class: stmtDDL}
}

// nameList reads the qualified names in toks, skipping commas, the given
// keywords and the number after WAIT.
func nameList(toks []token, keywords ...string) []tableRef {
	var refs []tableRef
	for j := 0; j < len(toks); {
		t := toks[j]
		switch {
		case t.is("WAIT"):
			j += 2
			continue
		case t.kind == tokWord && isKeyword(t, keywords):
			j++
			continue
		}
		ref, next, ok := qualifiedName(toks, j)
		if !ok {
			j++
			continue
		}
		refs = append(refs, ref)
		j = next
	}
	return refs
}

func isKeyword(t token, keywords []string) bool {
	for _, k := range keywords {
		if t.is(k) {
			return true
		}
	}
	return false
}

// qualifiedName reads name or db.name at toks[i].
func qualifiedName(toks []token, i int) (tableRef, int, bool) {
	if i >= len(toks) || !toks[i].isName() {
		return tableRef{}, i, false
	}
	if i+2 < len(toks) && isDot(toks[i+1]) && toks[i+2].isName() {
		return tableRef{db: toks[i].text, name: toks[i+2].text}, i + 3, true
	}
	return tableRef{name: toks[i].text}, i + 1, true
}

func isDot(t token) bool { return t.kind == tokPunct && t.text == "." }

func skipWords(toks []token, words ...string) []token {
	for len(toks) > 0 && isKeyword(toks[0], words) {
		toks = toks[1:]
	}
	return toks
}

// skipIfExists drops a leading IF [NOT] EXISTS.
func skipIfExists(toks []token) []token {
	if len(toks) > 0 && toks[0].is("IF") {
		toks = skipWords(toks[1:], "NOT", "EXISTS")
	}
	return toks
}

// mentions lists every name in toks as a table reference: db.name
// qualified names as such (and db also as a table of the default database,
// since a.b may be table.column), bare names as tables of the default
// database. dbs are the qualifiers.
func mentions(toks []token) (tables []tableRef, dbs []string) {
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !t.isName() || i > 0 && isDot(toks[i-1]) {
			continue
		}
		if i+2 < len(toks) && isDot(toks[i+1]) && toks[i+2].isName() {
			tables = append(tables, tableRef{db: t.text, name: toks[i+2].text}, tableRef{name: t.text})
			dbs = append(dbs, t.text)
			continue
		}
		tables = append(tables, tableRef{name: t.text})
	}
	return tables, dbs
}

// executeLoadQuery extracts the default database and the statement text of
// an EXECUTE_LOAD_QUERY event (LOAD DATA logged as a statement) from its
// raw bytes: the 19-byte header, a 26-byte post-header (that of a Query
// event plus file id, start and end offsets and duplicate handling), the
// status variables, the database, a NUL, the text, then the CRC32 when
// checksum is set. Unreadable bytes give "" for both.
func executeLoadQuery(raw []byte, checksum bool) (db, query string) {
	const header, post = 19, 26
	if checksum {
		if len(raw) < 4 {
			return "", ""
		}
		raw = raw[:len(raw)-4]
	}
	if len(raw) < header+post {
		return "", ""
	}
	body := raw[header:]
	dbLen := int(body[8])
	varsLen := int(body[11]) | int(body[12])<<8
	start := post + varsLen
	if start+dbLen+1 > len(body) {
		return "", ""
	}
	return string(body[start : start+dbLen]), string(body[start+dbLen+1:])
}
