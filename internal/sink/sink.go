package sink

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Sink is a connection pool to the target PostgreSQL database.
type Sink struct {
	Pool     *pgxpool.Pool
	addr     string
	Version  string
	Encoding string
	// PostGIS is set when the postgis extension is installed in the target
	// database, or can be (see EnsurePostGIS).
	PostGIS bool
	// ReplicaRole is set when the account may SET session_replication_role,
	// which turns off triggers and FK checks for the load session only.
	ReplicaRole bool
}

// Open connects to the target and reads its capabilities.
func Open(ctx context.Context, cfg *pgxpool.Config, conns int) (*Sink, error) {
	cfg = cfg.Copy()
	cfg.MaxConns = int32(conns)
	cfg.AfterConnect = registerGeometry
	addr := fmt.Sprintf("%s@%s:%d/%s", cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, connectError(addr, err)
	}
	s := &Sink{Pool: pool, addr: addr}
	err = pool.QueryRow(ctx, `SELECT current_setting('server_version'), current_setting('server_encoding'),
		EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis'),
		(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)`).
		Scan(&s.Version, &s.Encoding, &s.PostGIS, &s.ReplicaRole)
	if err != nil {
		pool.Close()
		return nil, connectError(addr, err)
	}
	if !s.ReplicaRole {
		// PostgreSQL 15+ can grant SET on the parameter; older servers have no
		// such function, which simply means no.
		var granted bool
		if pool.QueryRow(ctx, `SELECT has_parameter_privilege('session_replication_role', 'SET')`).Scan(&granted) == nil {
			s.ReplicaRole = granted
		}
	}
	return s, nil
}

// Close releases the pool.
func (s *Sink) Close() { s.Pool.Close() }

// Addr names the target for messages: user@host:port/db.
func (s *Sink) Addr() string { return s.addr }

// PostGISAvailable reports whether CREATE EXTENSION postgis could work.
func (s *Sink) PostGISAvailable(ctx context.Context) (bool, error) {
	var ok bool
	err := s.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis')`).Scan(&ok)
	return ok, err
}

// registerGeometry teaches a new connection to send geometry values as raw
// bytes: PostGIS's binary input (geometry_recv) takes EWKB, which is what
// the value converter produces.
func registerGeometry(ctx context.Context, c *pgx.Conn) error {
	var oid uint32
	err := c.QueryRow(ctx, `SELECT COALESCE(to_regtype('geometry')::oid, 0)`).Scan(&oid)
	if err != nil || oid == 0 {
		return err
	}
	c.TypeMap().RegisterType(&pgtype.Type{Name: "geometry", OID: oid, Codec: pgtype.ByteaCodec{}})
	return nil
}

// ConnectError is a failure to reach or log in to the target.
type ConnectError struct {
	Addr string
	Hint string
	Err  error
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("cannot connect to target %s: %v; %s", e.Addr, e.Err, e.Hint)
}

func (e *ConnectError) Unwrap() error { return e.Err }

// SQLSTATE codes sluice decides on.
const (
	codeInvalidPassword    = "28P01"
	codeInvalidAuth        = "28000"
	codeUnknownDatabase    = "3D000"
	codeInsufficientPriv   = "42501"
	codeForeignKeyViolated = "23503"
	codeDuplicateObject    = "42710"
)

func connectError(addr string, err error) error {
	var pe *pgconn.PgError
	var ne net.Error
	switch {
	case errors.As(err, &pe) && (pe.Code == codeInvalidPassword || pe.Code == codeInvalidAuth):
		return &ConnectError{addr, "check the user and password in --target (or SLUICE_TARGET_PASSWORD) and pg_hba.conf", err}
	case errors.As(err, &pe) && pe.Code == codeUnknownDatabase:
		return &ConnectError{addr, "create the database first (CREATE DATABASE …) or fix its name in --target", err}
	case errors.As(err, &ne):
		return &ConnectError{addr, "check that PostgreSQL runs and that host and port in --target are right", err}
	}
	return &ConnectError{addr, "check the target URL and the server", err}
}

// IsCode reports whether err is a PostgreSQL error with that SQLSTATE.
func IsCode(err error, code string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == code
}
