package schema

import "testing"

func TestLiteral(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "''"},
		{"abc", "'abc'"},
		{"it's", "'it''s'"},
		{"''", "''''''"},
		{`a\b`, `E'a\\b'`},
		{`\`, `E'\\'`},
		{`it\'s`, `E'it\\''s'`},
		{`C:\new\table`, `E'C:\\new\\table'`},
		{`\x00ff`, `E'\\x00ff'`},
		{"naïve 日本", "'naïve 日本'"},
		{"line\nbreak", "'line\nbreak'"},
		{`"double"`, `'"double"'`},
		{"$$dollar$$", "'$$dollar$$'"},
	}
	for _, tt := range tests {
		if got := Literal(tt.in); got != tt.want {
			t.Errorf("Literal(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
