package source

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// Source is a connection pool to one MySQL or MariaDB server.
type Source struct {
	DB      *sql.DB
	cfg     *mysql.Config
	Version string
	Flavor  string // "mariadb" or "mysql"
}

// Open connects and identifies the server. Connection failures are returned
// as *ConnectError with a message that says what to check.
func Open(ctx context.Context, cfg *mysql.Config) (*Source, error) {
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("source %s@%s: %w", cfg.User, cfg.Addr, err)
	}
	db := sql.OpenDB(conn)
	db.SetMaxIdleConns(4)
	s := &Source{DB: db, cfg: cfg}
	if err := db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&s.Version); err != nil {
		db.Close()
		return nil, connectError(cfg, err)
	}
	s.Flavor = "mysql"
	if strings.Contains(strings.ToLower(s.Version), "mariadb") {
		s.Flavor = "mariadb"
	}
	return s, nil
}

// Close releases the pool.
func (s *Source) Close() error { return s.DB.Close() }

// Addr names the server for messages: user@host:port.
func (s *Source) Addr() string { return s.cfg.User + "@" + s.cfg.Addr }

// ConnectError is a failure to reach or log in to the source.
type ConnectError struct {
	Addr string
	Hint string
	Err  error
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("cannot connect to source %s: %v; %s", e.Addr, e.Err, e.Hint)
}

func (e *ConnectError) Unwrap() error { return e.Err }

func connectError(cfg *mysql.Config, err error) error {
	addr := cfg.User + "@" + cfg.Addr
	var me *mysql.MySQLError
	var ne net.Error
	switch {
	case errors.As(err, &me) && me.Number == 1045:
		return &ConnectError{addr, "check the user and password in --source (or " + "SLUICE_SOURCE_PASSWORD)", err}
	case errors.As(err, &me):
		return &ConnectError{addr, "check the account's grants and the server's log", err}
	case errors.As(err, &ne):
		return &ConnectError{addr, "check that the server runs and that host and port in --source are right", err}
	}
	return &ConnectError{addr, "check the source URL and the server", err}
}

// MySQL error numbers sluice decides on.
const (
	errAccessDenied         = 1045
	errSpecificAccessDenied = 1227
)

func isMySQLError(err error, numbers ...uint16) bool {
	var me *mysql.MySQLError
	if !errors.As(err, &me) {
		return false
	}
	for _, n := range numbers {
		if me.Number == n {
			return true
		}
	}
	return false
}

// Variables reads global server variables; a missing one is "".
func (s *Source) Variables(ctx context.Context, names ...string) (map[string]string, error) {
	out := make(map[string]string, len(names))
	for _, n := range names {
		var v sql.NullString
		err := s.DB.QueryRowContext(ctx, "SELECT @@GLOBAL."+n).Scan(&v)
		if err != nil && !isMySQLError(err, 1193) { // 1193: unknown system variable
			return nil, fmt.Errorf("reading @@%s: %w", n, err)
		}
		out[n] = strings.ToUpper(v.String)
	}
	return out, nil
}

// scanStrings scans the current row of a SHOW statement whose columns vary
// by server version, every column as text.
func scanStrings(rows *sql.Rows, n int) ([]sql.NullString, error) {
	vals := make([]sql.NullString, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, rows.Scan(ptrs...)
}

// GlobalPrivileges returns the account as GRANT names it ('user'@'host')
// and its privileges ON *.* (upper case, e.g. "REPLICATION SLAVE"), from
// SHOW GRANTS; "ALL PRIVILEGES" stands for all. Privileges that come
// through roles are not followed.
func (s *Source) GlobalPrivileges(ctx context.Context) (string, map[string]bool, error) {
	var current string
	if err := s.DB.QueryRowContext(ctx, "SELECT CURRENT_USER()").Scan(&current); err != nil {
		return "", nil, fmt.Errorf("reading the source account: %w", err)
	}
	name, host, _ := strings.Cut(current, "@")
	account := "'" + name + "'@'" + host + "'"
	privs, err := s.grants(ctx)
	return account, privs, err
}

func (s *Source) grants(ctx context.Context) (map[string]bool, error) {
	rows, err := s.DB.QueryContext(ctx, "SHOW GRANTS FOR CURRENT_USER()")
	if err != nil {
		return nil, fmt.Errorf("reading the source account's grants: %w", err)
	}
	defer rows.Close()
	privs := map[string]bool{}
	for rows.Next() {
		var grant string
		if err := rows.Scan(&grant); err != nil {
			return nil, err
		}
		list, on, ok := strings.Cut(strings.TrimPrefix(grant, "GRANT "), " ON ")
		if !ok || !strings.HasPrefix(on, "*.* ") {
			continue
		}
		for _, p := range strings.Split(list, ",") {
			privs[strings.ToUpper(strings.TrimSpace(p))] = true
		}
	}
	return privs, rows.Err()
}
