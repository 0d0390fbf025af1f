package config

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Environment variables that may hold the passwords instead of the URLs.
const (
	EnvSourcePassword = "SLUICE_SOURCE_PASSWORD"
	EnvTargetPassword = "SLUICE_TARGET_PASSWORD"
)

// ParseSource parses a source URL mysql://user[:password]@host[:port][?tls=...&ca=FILE]
// into a go-sql-driver configuration with the session settings every sluice
// connection needs: utf8mb4, UTC, binary-exact values (parseTime off), no
// client-side interpolation (so every query with arguments is a prepared
// statement and uses the binary protocol, which keeps FLOAT exact).
func ParseSource(raw string) (*mysql.Config, error) {
	if raw == "" {
		return nil, usagef("--source is required: give mysql://user:password@host:port")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, usagef("--source %q is not a URL: %v", redact(raw), err)
	}
	if u.Scheme != "mysql" && u.Scheme != "mariadb" {
		return nil, usagef("--source must start with mysql:// (got %q)", u.Scheme+"://")
	}
	if u.Path != "" && u.Path != "/" {
		return nil, usagef("--source must not name a database (%q); select databases with --include %s.*", strings.TrimPrefix(u.Path, "/"), strings.TrimPrefix(u.Path, "/"))
	}
	host := u.Hostname()
	if host == "" {
		return nil, usagef("--source %q has no host", redact(raw))
	}
	port := u.Port()
	if port == "" {
		port = "3306"
	}
	c := mysql.NewConfig()
	c.Net = "tcp"
	c.Addr = net.JoinHostPort(host, port)
	c.User = u.User.Username()
	if c.User == "" {
		c.User = "root"
	}
	c.Passwd, _ = u.User.Password()
	if p := os.Getenv(EnvSourcePassword); p != "" && c.Passwd == "" {
		c.Passwd = p
	}
	c.Loc = time.UTC
	c.ParseTime = false
	c.InterpolateParams = false
	c.MaxAllowedPacket = 1 << 30
	c.Timeout = 10 * time.Second
	c.Params = map[string]string{
		"time_zone":         "'+00:00'",
		"net_write_timeout": "3600",
		"net_read_timeout":  "3600",
		"wait_timeout":      "86400",
	}
	c.Collation = "utf8mb4_general_ci"
	q := u.Query()
	switch mode := q.Get("tls"); mode {
	case "", "disable", "false":
	case "preferred":
		c.TLSConfig = "preferred"
	case "skip-verify":
		c.TLS = &tls.Config{InsecureSkipVerify: true}
	case "verify-ca", "verify-full", "true":
		tc := &tls.Config{ServerName: host}
		if ca := q.Get("ca"); ca != "" {
			pem, err := os.ReadFile(ca)
			if err != nil {
				return nil, usagef("--source: reading CA file: %v", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, usagef("--source: CA file %s holds no PEM certificate", ca)
			}
			tc.RootCAs = pool
		}
		c.TLS = tc
	default:
		return nil, usagef("--source: tls=%q is not one of disable, preferred, skip-verify, verify-ca, verify-full", mode)
	}
	return c, nil
}

// ParseTarget parses a libpq URL for the target PostgreSQL database.
func ParseTarget(raw string) (*pgxpool.Config, error) {
	if raw == "" {
		return nil, usagef("--target is required: give postgres://user:password@host:port/dbname")
	}
	if !strings.HasPrefix(raw, "postgres://") && !strings.HasPrefix(raw, "postgresql://") {
		return nil, usagef("--target must start with postgres:// (got %q)", redact(raw))
	}
	c, err := pgxpool.ParseConfig(raw)
	if err != nil {
		return nil, usagef("--target %q: %v", redact(raw), err)
	}
	if c.ConnConfig.Database == "" {
		return nil, usagef("--target must name a database: postgres://user@host:5432/dbname")
	}
	if p := os.Getenv(EnvTargetPassword); p != "" && c.ConnConfig.Password == "" {
		c.ConnConfig.Password = p
	}
	c.ConnConfig.ConnectTimeout = 10 * time.Second
	return c, nil
}

// redact removes the password from a URL for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
