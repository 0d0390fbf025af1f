package source

import "strings"

// tokKind is the kind of a SQL token.
type tokKind uint8

const (
	tokWord    tokKind = iota + 1 // bare word: a keyword, an identifier or a number
	tokIdent                      // `backquoted` identifier
	tokDQuoted                    // "double-quoted": a string, or an identifier under ANSI_QUOTES
	tokString                     // 'single-quoted' string
	tokPunct                      // one punctuation byte: . , ; ( ) = @ ...
)

type token struct {
	kind tokKind
	text string // unquoted text for identifiers and strings
}

// isName reports whether t may name a database or table.
func (t token) isName() bool {
	return t.kind == tokWord || t.kind == tokIdent || t.kind == tokDQuoted
}

// is reports whether t is the bare keyword kw (upper case).
func (t token) is(kw string) bool { return t.kind == tokWord && strings.EqualFold(t.text, kw) }

// tokenize splits a statement as MySQL's lexer would, far enough to find
// keywords and names: comments are dropped except the bodies of executable
// comments (/*!50100 ... */, /*M!100100 ... */), which MySQL runs;
// backquoted names, strings and double-quoted texts are unquoted. backslash
// says whether a backslash escapes inside strings (it does unless sql_mode
// has NO_BACKSLASH_ESCAPES). ok is false when a quote or comment is not
// closed.
func tokenize(sql string, backslash bool) (toks []token, ok bool) {
	inExec := false // inside an executable comment
	i := 0
	for i < len(sql) {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '#' || (c == '-' && strings.HasPrefix(sql[i:], "--") && (i+2 == len(sql) || sql[i+2] <= ' ')):
			for i < len(sql) && sql[i] != '\n' {
				i++
			}
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			rest := sql[i+2:]
			exec := strings.HasPrefix(rest, "!") || strings.HasPrefix(rest, "M!")
			if exec && !inExec {
				i += 3
				if rest[0] == 'M' {
					i++
				}
				for i < len(sql) && sql[i] >= '0' && sql[i] <= '9' {
					i++
				}
				inExec = true
				continue
			}
			end := strings.Index(rest, "*/")
			if end < 0 {
				return toks, false
			}
			i += 2 + end + 2
		case c == '*' && inExec && strings.HasPrefix(sql[i:], "*/"):
			inExec = false
			i += 2
		case c == '`' || c == '"' || c == '\'':
			text, n, closed := unquote(sql[i:], c, backslash && c != '`')
			if !closed {
				return toks, false
			}
			kind := tokString
			switch c {
			case '`':
				kind = tokIdent
			case '"':
				kind = tokDQuoted
			}
			toks = append(toks, token{kind: kind, text: text})
			i += n
		case isWordByte(c):
			j := i
			for j < len(sql) && isWordByte(sql[j]) {
				j++
			}
			toks = append(toks, token{kind: tokWord, text: sql[i:j]})
			i = j
		default:
			toks = append(toks, token{kind: tokPunct, text: sql[i : i+1]})
			i++
		}
	}
	return toks, !inExec
}

// isWordByte: letters, digits, _ and $, and every byte of a multi-byte
// UTF-8 character (MySQL allows them in bare identifiers).
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c >= 0x80
}

// unquote reads the quoted text at the start of s (s[0] is the quote q): a
// doubled quote stands for one, and with backslash a backslash escapes the
// next byte. It returns the text, the bytes consumed and whether the quote
// was closed.
func unquote(s string, q byte, backslash bool) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case backslash && c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == q && i+1 < len(s) && s[i+1] == q:
			i++
			b.WriteByte(q)
		case c == q:
			return b.String(), i + 1, true
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), len(s), false
}
