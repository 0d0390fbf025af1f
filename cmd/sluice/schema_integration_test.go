//go:build integration

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sluicedb/sluice/internal/testdb"
)

// schemaSource is a small shop on MariaDB that holds every kind of constraint
// schema sync translates: keys, prefix/DESC/SPATIAL/FULLTEXT indexes, every
// kind of default, comments, identity counters, generated and invisible
// columns, and foreign keys with each action.
var schemaSource = []string{
	`CREATE TABLE tenants (
		id INT UNSIGNED NOT NULL AUTO_INCREMENT,
		code CHAR(8) NOT NULL,
		name VARCHAR(100) NOT NULL DEFAULT 'it''s "new"',
		created DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
		updated TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
		PRIMARY KEY (id),
		UNIQUE KEY uk_code (code)
	) COMMENT 'tenants: it''s "quoted", C:\\data\\x'`,
	`CREATE TABLE customers (
		id INT NOT NULL AUTO_INCREMENT,
		tenant_id INT UNSIGNED NOT NULL,
		email VARCHAR(191) NOT NULL COMMENT 'login; it''s "unique" per tenant \\o/',
		phone VARCHAR(20) NULL,
		referrer_id INT NULL,
		status ENUM('active', 'it''s closed') NOT NULL DEFAULT 'active',
		flags BIT(4) NOT NULL DEFAULT b'0101',
		score DECIMAL(6,2) NOT NULL DEFAULT 1.50,
		ratio DOUBLE NOT NULL DEFAULT -2.5e-3,
		visits INT NOT NULL DEFAULT -7,
		lucky DOUBLE DEFAULT (rand()),
		joined DATE NOT NULL DEFAULT curdate(),
		seen TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
		api_key UUID NOT NULL DEFAULT uuid(),
		note VARCHAR(50) DEFAULT 'back\\slash ''q''',
		secret VARCHAR(20) INVISIBLE DEFAULT 'hidden',
		PRIMARY KEY (id),
		UNIQUE KEY uk_tenant_email (tenant_id, email),
		UNIQUE KEY uk_phone (phone),
		KEY ix_seen_desc (seen DESC, id),
		CONSTRAINT fk_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE RESTRICT ON UPDATE CASCADE,
		CONSTRAINT fk_referrer FOREIGN KEY (referrer_id) REFERENCES customers (id) ON DELETE SET NULL
	)`,
	`CREATE TABLE orders (
		tenant_id INT UNSIGNED NOT NULL,
		order_no INT NOT NULL,
		customer_id INT NOT NULL,
		placed DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
		qty INT NOT NULL DEFAULT 1,
		price DECIMAL(10,2) NOT NULL DEFAULT 0.00,
		amount DECIMAL(12,2) AS (qty * price) VIRTUAL,
		amount_s DECIMAL(12,2) AS (qty * price) STORED,
		PRIMARY KEY (tenant_id, order_no),
		KEY ix_customer (customer_id),
		CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
	)`,
	`CREATE TABLE order_lines (
		tenant_id INT UNSIGNED NOT NULL,
		order_no INT NOT NULL,
		line_no SMALLINT NOT NULL,
		sku VARCHAR(40) NOT NULL,
		PRIMARY KEY (tenant_id, order_no, line_no),
		CONSTRAINT fk_order FOREIGN KEY (tenant_id, order_no) REFERENCES orders (tenant_id, order_no)
			ON DELETE CASCADE ON UPDATE CASCADE
	)`,
	`CREATE TABLE documents (
		id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
		title VARCHAR(300) NOT NULL,
		slug VARCHAR(255) NOT NULL,
		body TEXT,
		thumb BLOB,
		loc POINT NOT NULL,
		meta JSON,
		UNIQUE KEY uk_slug (slug(100)),
		KEY ix_title (title(20)),
		KEY ix_thumb (thumb(16)),
		SPATIAL KEY sp_loc (loc),
		FULLTEXT KEY ft_text (title, body)
	)`,
	`CREATE TABLE audit_log (
		id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
		customer_id INT NOT NULL,
		msg VARCHAR(100) NOT NULL DEFAULT '',
		CONSTRAINT fk_audit_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
	)`,
	`CREATE TABLE subscription_adjustments (
		id INT NOT NULL PRIMARY KEY,
		reason_code INT NOT NULL,
		KEY ix_subscription_adjustments_by_reason_code_for_monthly_reports (reason_code)
	)`,
	`INSERT INTO tenants (code, name) VALUES ('acme', 'Acme'), ('globex', DEFAULT), ('initech', 'Initech')`,
	`ALTER TABLE tenants AUTO_INCREMENT = 1000`, // the counter ahead of max(id) = 3
	`INSERT INTO customers (tenant_id, email, phone, referrer_id, secret) VALUES
		(1, 'a@acme', '555-1', NULL, 's1'), (1, 'b@acme', NULL, 1, 's2'),
		(2, 'c@globex', NULL, 1, 's3'), (2, 'd@globex', '555-4', 3, 's4')`,
	`INSERT INTO orders (tenant_id, order_no, customer_id, qty, price) VALUES (1, 1, 1, 2, 9.99), (1, 2, 2, 1, 5.00), (2, 1, 3, 3, 1.25)`,
	`INSERT INTO order_lines VALUES (1, 1, 1, 'SKU-1'), (1, 1, 2, 'SKU-2'), (1, 2, 1, 'SKU-3'), (2, 1, 1, 'SKU-4')`,
	`INSERT INTO documents (title, slug, body, thumb, loc, meta) VALUES
		('Hello', 'hello', 'first post', x'00010203', ST_GeomFromText('POINT(1 2)'), '{"a": 1}'),
		('World', 'world', 'second post', NULL, ST_GeomFromText('POINT(3 4)'), NULL)`,
	`INSERT INTO audit_log (customer_id, msg) VALUES (1, 'created'), (2, 'created')`,
	// Orphans, which the source allows with its FK checks off (one session:
	// testdb's connection runs the three statements together).
	`SET foreign_key_checks = 0; INSERT INTO audit_log (customer_id, msg) VALUES (98, 'orphan'), (99, 'orphan'); SET foreign_key_checks = 1`,
	`ALTER TABLE audit_log AUTO_INCREMENT = 500`,
	`INSERT INTO subscription_adjustments VALUES (1, 10)`,
}

// TestSchemaConstraints runs schema sync and the full load of schemaSource
// and checks the PostgreSQL catalog: exactly the expected columns (type, NOT
// NULL, identity, default, comment), indexes, constraints and identity
// state; then that defaults, identity and foreign key actions work there.
func TestSchemaConstraints(t *testing.T) {
	src := testdb.MySQL(t)
	dst := testdb.Postgres(t)
	src.Exec(t, schemaSource...)
	r := mustRun(t, runArgs(src, dst, "--ack", "prefix-index,invisible-column")...)
	s := src.Name // the target schema

	t.Run("columns", func(t *testing.T) {
		got := queryLines(t, dst, `SELECT c.table_name || '.' || c.column_name || ' ' || format_type(a.atttypid, a.atttypmod)
			|| CASE WHEN c.is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END
			|| CASE WHEN c.is_identity = 'YES' THEN ' IDENTITY ' || c.identity_generation ELSE '' END
			|| CASE WHEN c.is_generated <> 'NEVER' THEN ' GENERATED' ELSE '' END
			|| COALESCE(' DEFAULT ' || c.column_default, '')
			|| COALESCE(' -- ' || col_description(a.attrelid, a.attnum), '')
			FROM information_schema.columns c
			JOIN pg_attribute a ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass AND a.attname = c.column_name
			WHERE c.table_schema = $1 ORDER BY c.table_name, c.ordinal_position`, s)
		want := []string{
			`audit_log.id integer NOT NULL IDENTITY BY DEFAULT`,
			`audit_log.customer_id integer NOT NULL`,
			`audit_log.msg character varying(100) NOT NULL DEFAULT ''::character varying`,
			`customers.id integer NOT NULL IDENTITY BY DEFAULT`,
			`customers.tenant_id bigint NOT NULL`,
			`customers.email character varying(191) NOT NULL -- login; it's "unique" per tenant \o/`,
			`customers.phone character varying(20)`,
			`customers.referrer_id integer`,
			`customers.status text NOT NULL DEFAULT 'active'::text`,
			`customers.flags bit(4) NOT NULL DEFAULT '0101'::"bit"`,
			`customers.score numeric(6,2) NOT NULL DEFAULT 1.50`,
			`customers.ratio double precision NOT NULL DEFAULT '-0.0025'::numeric`,
			`customers.visits integer NOT NULL DEFAULT '-7'::integer`,
			`customers.lucky double precision`, // DEFAULT (rand()): reported, not set
			`customers.joined date NOT NULL DEFAULT CURRENT_DATE`,
			`customers.seen timestamp(6) with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP`,
			`customers.api_key uuid NOT NULL DEFAULT gen_random_uuid()`,
			`customers.note character varying(50) DEFAULT 'back\slash ''q'''::character varying`,
			`customers.secret character varying(20) DEFAULT 'hidden'::character varying`,
			`documents.id bigint NOT NULL IDENTITY BY DEFAULT`,
			`documents.title character varying(300) NOT NULL`,
			`documents.slug character varying(255) NOT NULL`,
			`documents.body text`,
			`documents.thumb bytea`,
			`documents.loc geometry(Point) NOT NULL`,
			`documents.meta jsonb`,
			`order_lines.tenant_id bigint NOT NULL`,
			`order_lines.order_no integer NOT NULL`,
			`order_lines.line_no smallint NOT NULL`,
			`order_lines.sku character varying(40) NOT NULL`,
			`orders.tenant_id bigint NOT NULL`,
			`orders.order_no integer NOT NULL`,
			`orders.customer_id integer NOT NULL`,
			`orders.placed timestamp(6) without time zone NOT NULL DEFAULT LOCALTIMESTAMP`,
			`orders.qty integer NOT NULL DEFAULT 1`,
			`orders.price numeric(10,2) NOT NULL DEFAULT 0.00`,
			`orders.amount numeric(12,2)`,
			`orders.amount_s numeric(12,2)`,
			`subscription_adjustments.id integer NOT NULL`,
			`subscription_adjustments.reason_code integer NOT NULL`,
			`tenants.id bigint NOT NULL IDENTITY BY DEFAULT`,
			`tenants.code character varying(8) NOT NULL`,
			`tenants.name character varying(100) NOT NULL DEFAULT 'it''s "new"'::character varying`,
			`tenants.created timestamp(6) without time zone NOT NULL DEFAULT LOCALTIMESTAMP`,
			`tenants.updated timestamp(0) with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP`,
		}
		compareLines(t, "columns", want, got)
		tables := queryLines(t, dst, `SELECT c.relname || ' -- ' || obj_description(c.oid, 'pg_class') FROM pg_class c
			JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = $1 AND c.relkind = 'r' AND obj_description(c.oid, 'pg_class') IS NOT NULL`, s)
		compareLines(t, "table comments", []string{`tenants -- tenants: it's "quoted", C:\data\x`}, tables)
	})

	t.Run("indexes", func(t *testing.T) {
		got := queryLines(t, dst, `SELECT replace(indexdef, schemaname || '.', '') FROM pg_indexes
			WHERE schemaname = $1 ORDER BY tablename, indexname`, s)
		// The 63-byte rule: "<table>_<index>" is 86 bytes, so it is cut and
		// given the first 4 bytes of its SHA-256 as a suffix.
		long := "subscription_adjustments_ix_subscription_adjustments_by_reason_code_for_monthly_reports"
		sum := sha256.Sum256([]byte(long))
		longName := long[:54] + "_" + hex.EncodeToString(sum[:4])
		want := []string{
			`CREATE INDEX audit_log_fk_audit_customer ON audit_log USING btree (customer_id)`,
			`CREATE UNIQUE INDEX audit_log_pkey ON audit_log USING btree (id)`,
			`CREATE INDEX customers_fk_referrer ON customers USING btree (referrer_id)`,
			`CREATE INDEX customers_ix_seen_desc ON customers USING btree (seen DESC, id)`,
			`CREATE UNIQUE INDEX customers_pkey ON customers USING btree (id)`,
			`CREATE UNIQUE INDEX customers_uk_phone ON customers USING btree (phone)`,
			`CREATE UNIQUE INDEX customers_uk_tenant_email ON customers USING btree (tenant_id, email)`,
			// ft_text (FULLTEXT) is skipped with a note.
			`CREATE INDEX documents_ix_thumb ON documents USING btree (SUBSTRING(thumb FROM 1 FOR 16))`,
			`CREATE INDEX documents_ix_title ON documents USING btree ("left"((title)::text, 20))`,
			`CREATE UNIQUE INDEX documents_pkey ON documents USING btree (id)`,
			`CREATE INDEX documents_sp_loc ON documents USING gist (loc)`,
			`CREATE UNIQUE INDEX documents_uk_slug ON documents USING btree ("left"((slug)::text, 100))`,
			`CREATE UNIQUE INDEX order_lines_pkey ON order_lines USING btree (tenant_id, order_no, line_no)`,
			`CREATE INDEX orders_ix_customer ON orders USING btree (customer_id)`,
			`CREATE UNIQUE INDEX orders_pkey ON orders USING btree (tenant_id, order_no)`,
			`CREATE INDEX ` + longName + ` ON subscription_adjustments USING btree (reason_code)`,
			`CREATE UNIQUE INDEX subscription_adjustments_pkey ON subscription_adjustments USING btree (id)`,
			`CREATE UNIQUE INDEX tenants_pkey ON tenants USING btree (id)`,
			`CREATE UNIQUE INDEX tenants_uk_code ON tenants USING btree (code)`,
		}
		compareLines(t, "indexes", want, got)
		if len(longName) != 63 {
			t.Errorf("long index name %q is %d bytes, want 63", longName, len(longName))
		}
	})

	t.Run("constraints", func(t *testing.T) {
		got := queryLines(t, dst, `SELECT rel.relname || ' ' || con.conname || ' ' || con.contype::text
			|| CASE WHEN con.contype = 'f' THEN ' del=' || con.confdeltype::text || ' upd=' || con.confupdtype::text ELSE '' END
			|| ' valid=' || con.convalidated || ': ' || replace(pg_get_constraintdef(con.oid), n.nspname || '.', '')
			FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace n ON n.oid = con.connamespace
			WHERE n.nspname = $1 ORDER BY rel.relname, con.conname`, s)
		want := []string{
			// Orphan rows (customer_id 98, 99): left NOT VALID, reported.
			`audit_log audit_log_fk_audit_customer_fkey f del=r upd=r valid=false: FOREIGN KEY (customer_id) REFERENCES customers(id) ON UPDATE RESTRICT ON DELETE RESTRICT NOT VALID`,
			`audit_log audit_log_pkey p valid=true: PRIMARY KEY (id)`,
			// The FK shares its name with the index MariaDB made for it, hence _fkey.
			`customers customers_fk_referrer_fkey f del=n upd=r valid=true: FOREIGN KEY (referrer_id) REFERENCES customers(id) ON UPDATE RESTRICT ON DELETE SET NULL`,
			`customers customers_fk_tenant f del=r upd=c valid=true: FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE RESTRICT`,
			`customers customers_pkey p valid=true: PRIMARY KEY (id)`,
			`customers customers_uk_phone u valid=true: UNIQUE (phone)`,
			`customers customers_uk_tenant_email u valid=true: UNIQUE (tenant_id, email)`,
			`documents documents_pkey p valid=true: PRIMARY KEY (id)`,
			`order_lines order_lines_fk_order f del=c upd=c valid=true: FOREIGN KEY (tenant_id, order_no) REFERENCES orders(tenant_id, order_no) ON UPDATE CASCADE ON DELETE CASCADE`,
			`order_lines order_lines_pkey p valid=true: PRIMARY KEY (tenant_id, order_no, line_no)`,
			`orders orders_fk_customer f del=c upd=r valid=true: FOREIGN KEY (customer_id) REFERENCES customers(id) ON UPDATE RESTRICT ON DELETE CASCADE`,
			`orders orders_pkey p valid=true: PRIMARY KEY (tenant_id, order_no)`,
			`subscription_adjustments subscription_adjustments_pkey p valid=true: PRIMARY KEY (id)`,
			`tenants tenants_pkey p valid=true: PRIMARY KEY (id)`,
			`tenants tenants_uk_code u valid=true: UNIQUE (code)`,
		}
		compareLines(t, "constraints", want, got)
	})

	t.Run("warnings", func(t *testing.T) {
		for _, w := range []string{
			`FULLTEXT index ft_text not created`,
			`column=lucky note="default rand() not translated`,
			`msg="foreign key left NOT VALID`,
			`constraint=audit_log_fk_audit_customer_fkey orphan_rows=2`,
			`column=amount note="generated column`,
			`column=amount_s note="generated column`,
			`column=secret note="invisible column`,
			`column=updated note="ON UPDATE current_timestamp() has no PostgreSQL equivalent`,
		} {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("the run's output does not mention %q\nstderr:\n%s", w, r.stderr)
			}
		}
	})

	t.Run("data", func(t *testing.T) {
		// Generated columns hold the source's values; the invisible one is copied.
		compareLines(t, "orders", []string{"1 1 19.98 19.98", "1 2 5.00 5.00", "2 1 3.75 3.75"},
			queryLines(t, dst, `SELECT concat_ws(' ', tenant_id, order_no, amount, amount_s) FROM `+s+`.orders ORDER BY 1`))
		compareLines(t, "customers", []string{"1 s1", "2 s2", "3 s3", "4 s4"},
			queryLines(t, dst, `SELECT concat_ws(' ', id, secret) FROM `+s+`.customers ORDER BY id`))
	})

	// Everything below writes to the target, so it runs after the catalog checks.
	t.Run("identity", func(t *testing.T) {
		// The next value is max(max(id)+1, AUTO_INCREMENT): tenants and
		// audit_log have their counter set ahead, the others are at max+1.
		tables := []struct {
			name, insert string
			next         int64
		}{
			{"tenants", `(code) VALUES ('umbrella')`, 1000},
			{"customers", `(tenant_id, email) VALUES (1, 'e@acme')`, 5},
			{"documents", `(title, slug, loc) VALUES ('New', 'new', 'POINT(5 6)')`, 3},
			{"audit_log", `(customer_id) VALUES (1)`, 500},
		}
		for _, tb := range tables {
			srcNext := src.QueryValue(t, `SELECT GREATEST(COALESCE((SELECT MAX(id) FROM `+src.Name+`.`+tb.name+`), 0) + 1, AUTO_INCREMENT)
				FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`, src.Name, tb.name)
			if srcNext != fmt.Sprint(tb.next) {
				t.Fatalf("%s: the source's next id is %v, the fixture expects %d", tb.name, srcNext, tb.next)
			}
			q := fmt.Sprintf(`SELECT nextval(pg_get_serial_sequence('%s.%s', 'id'))`, s, tb.name)
			if got := dst.QueryValue(t, q); got != tb.next {
				t.Errorf("%s: nextval = %v, want %d", tb.name, got, tb.next)
			}
			id := dst.QueryValue(t, `INSERT INTO `+s+`.`+tb.name+` `+tb.insert+` RETURNING id`)
			if fmt.Sprint(id) != fmt.Sprint(tb.next+1) {
				t.Errorf("%s: a row inserted without id got id %v, want %d", tb.name, id, tb.next+1)
			}
		}
		// The defaults fill the rest of the row inserted into customers.
		got := dst.QueryValue(t, `SELECT concat_ws(' ', status, flags, score, ratio, visits, lucky IS NULL, joined = current_date,
			seen > now() - interval '1 hour', api_key IS NOT NULL, note, secret) FROM `+s+`.customers WHERE id = 6`)
		if want := `active 0101 1.50 -0.0025 -7 t t t t back\slash 'q' hidden`; got != want {
			t.Errorf("defaults of a row inserted in PostgreSQL: got %q, want %q", got, want)
		}
	})

	t.Run("foreign keys", func(t *testing.T) {
		// ON DELETE CASCADE through two levels, and SET NULL on the self-reference.
		dst.Exec(t, `DELETE FROM `+s+`.customers WHERE id = 3`)
		compareLines(t, "orders after delete", []string{"1 1", "1 2"},
			queryLines(t, dst, `SELECT concat_ws(' ', tenant_id, order_no) FROM `+s+`.orders ORDER BY 1`))
		compareLines(t, "order lines after delete", []string{"1 1 1", "1 1 2", "1 2 1"},
			queryLines(t, dst, `SELECT concat_ws(' ', tenant_id, order_no, line_no) FROM `+s+`.order_lines ORDER BY 1`))
		if got := dst.QueryValue(t, `SELECT referrer_id FROM `+s+`.customers WHERE id = 4`); got != nil {
			t.Errorf("customer 4 refers to %v after its referrer was deleted, want NULL (ON DELETE SET NULL)", got)
		}
		// ON UPDATE CASCADE, composite and single-column.
		dst.Exec(t, `UPDATE `+s+`.orders SET order_no = 20 WHERE tenant_id = 1 AND order_no = 2`,
			`UPDATE `+s+`.tenants SET id = 2000 WHERE id = 2`)
		compareLines(t, "order lines after update", []string{"1 1 1", "1 1 2", "1 20 1"},
			queryLines(t, dst, `SELECT concat_ws(' ', tenant_id, order_no, line_no) FROM `+s+`.order_lines ORDER BY 1`))
		if got := dst.QueryValue(t, `SELECT count(*) FROM `+s+`.customers WHERE tenant_id = 2000`); got != int64(1) {
			t.Errorf("%v customers moved to tenant 2000, want 1 (ON UPDATE CASCADE)", got)
		}
		// RESTRICT, and the NOT VALID key still checks new rows.
		wantFKViolation(t, dst, `DELETE FROM `+s+`.tenants WHERE id = 1`, "customers_fk_tenant")
		wantFKViolation(t, dst, `INSERT INTO `+s+`.audit_log (customer_id) VALUES (77)`, "audit_log_fk_audit_customer_fkey")
	})
}

// queryLines runs a query returning one column and returns its values as text.
func queryLines(t *testing.T, dst *testdb.PGDB, query string, args ...any) []string {
	t.Helper()
	out := []string{}
	for _, row := range dst.QueryRows(t, query, args...) {
		out = append(out, fmt.Sprint(row[0]))
	}
	return out
}

// compareLines fails t unless got equals want, listing the lines that differ.
func compareLines(t *testing.T, what string, want, got []string) {
	t.Helper()
	if slices.Equal(want, got) {
		return
	}
	var b strings.Builder
	for _, w := range want {
		if !slices.Contains(got, w) {
			fmt.Fprintf(&b, "\n  missing: %s", w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			fmt.Fprintf(&b, "\n  unexpected: %s", g)
		}
	}
	if b.Len() == 0 {
		b.WriteString("\n  same lines, different order")
	}
	t.Errorf("%s differ:%s\nwant:\n  %s\ngot:\n  %s", what, b.String(), strings.Join(want, "\n  "), strings.Join(got, "\n  "))
}

// wantFKViolation runs stmt and fails t unless it violates foreign key constraint.
func wantFKViolation(t *testing.T, dst *testdb.PGDB, stmt, constraint string) {
	t.Helper()
	_, err := dst.Pool.Exec(t.Context(), stmt)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "23503" || pe.ConstraintName != constraint {
		t.Errorf("%s: got error %v, want a foreign key violation (23503) of %s", stmt, err, constraint)
	}
}
