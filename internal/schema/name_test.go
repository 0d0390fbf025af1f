package schema

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestIdent(t *testing.T) {
	tests := map[string]string{
		"orders":     `"orders"`,
		"Orders":     `"Orders"`,
		`we"ird`:     `"we""ird"`,
		`""`:         `""""""`,
		"select":     `"select"`,
		"größe":      `"größe"`,
		"a b.c":      `"a b.c"`,
		"":           `""`,
		`back\slash`: `"back\slash"`,
	}
	for in, want := range tests {
		if got := Ident(in); got != want {
			t.Errorf("Ident(%q) = %s, want %s", in, got, want)
		}
	}
	if got := QualifiedName("Shop", `or"ders`); got != `"Shop"."or""ders"` {
		t.Errorf("QualifiedName = %s", got)
	}
	if got := QualifiedName("", "t"); got != `"t"` {
		t.Errorf("QualifiedName without schema = %s", got)
	}
}

func TestTargetName(t *testing.T) {
	tests := map[string]string{
		"Orders": "orders", "ORDER_ITEMS": "order_items", "Größe": "größe",
		"ÄRGER": "Ärger", "already_lower": "already_lower", "MiXeD123": "mixed123",
	}
	for in, want := range tests {
		if got := TargetName(in); got != want {
			t.Errorf("TargetName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIndexName(t *testing.T) {
	long := strings.Repeat("t", 60)
	tests := []struct {
		table, index, want string
	}{
		{"orders", "PRIMARY", "orders_pkey"},
		{"orders", "idx_Customer", "orders_idx_customer"},
		{"orders", "uk_email", "orders_uk_email"},
		// 63 bytes exactly: kept.
		{strings.Repeat("a", 50), strings.Repeat("b", 12), strings.Repeat("a", 50) + "_" + strings.Repeat("b", 12)},
		// Pinned so that a change to the shortening rule is noticed: it
		// renames indexes of existing targets.
		{long, "idx_created_at", "ttttttttttttttttttttttttttttttttttttttt_idx_created_at_6a69b1f3"},
	}
	for _, tt := range tests {
		if got := IndexName(tt.table, tt.index); got != tt.want {
			t.Errorf("IndexName(%q, %q) = %q, want %q", tt.table, tt.index, got, tt.want)
		}
	}
}

func TestIndexNameFits(t *testing.T) {
	names := []string{"", "a", "idx", strings.Repeat("x", 64), strings.Repeat("ä", 40), strings.Repeat("日本", 30), "PRIMARY"}
	seen := map[string]string{}
	for _, table := range names {
		for _, index := range names {
			got := IndexName(table, index)
			if len(got) > MaxIdentLen {
				t.Errorf("IndexName(%q, %q) = %q: %d bytes", table, index, got, len(got))
			}
			if !utf8.ValidString(got) {
				t.Errorf("IndexName(%q, %q) = %q: invalid UTF-8", table, index, got)
			}
			if got != IndexName(table, index) {
				t.Errorf("IndexName(%q, %q) is not stable", table, index)
			}
			key := table + "\x00" + TargetName(index)
			if prev, ok := seen[got]; ok && prev != key {
				t.Errorf("IndexName collision: %q for %q and %q", got, prev, key)
			}
			seen[got] = key
		}
	}
}

func TestLongNamesDoNotCollide(t *testing.T) {
	table := strings.Repeat("customer_subscription_", 3)
	a := IndexName(table, "idx_adjustment_reason_code")
	b := IndexName(table, "idx_adjustment_reason_cods")
	if a == b {
		t.Errorf("two long names shortened to the same %q", a)
	}
	if ConstraintName(table, "fk_x") == ConstraintName(table, "fk_y") {
		t.Error("two long constraint names collide")
	}
}
