package config

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"os"
	"strconv"
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
func ParseSource(raw string) (*mysql.Config, error) { return parseSource(raw, "--source") }

// parseSource is ParseSource with label naming the setting in messages:
// "--source" or "task.yaml:2: source".
func parseSource(raw, label string) (*mysql.Config, error) {
	if raw == "" {
		return nil, usagef("%s is required: give mysql://user:password@host:port", label)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, badURL(label, raw, err)
	}
	if u.Scheme != "mysql" && u.Scheme != "mariadb" {
		return nil, usagef("%s must start with mysql:// (got %q)", label, u.Scheme+"://")
	}
	if u.Path != "" && u.Path != "/" {
		db := strings.TrimPrefix(u.Path, "/")
		return nil, usagef("%s must not name a database (%q); select databases with --include %s.*", label, db, db)
	}
	host := u.Hostname()
	if host == "" {
		return nil, usagef("%s %s has no host", label, redact(u))
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
				return nil, usagef("%s: reading CA file: %v", label, err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, usagef("%s: CA file %s holds no PEM certificate", label, ca)
			}
			tc.RootCAs = pool
		}
		c.TLS = tc
	default:
		return nil, usagef("%s: tls=%q is not one of disable, preferred, skip-verify, verify-ca, verify-full", label, mode)
	}
	return c, nil
}

// ParseTarget parses a libpq URL for the target PostgreSQL database.
func ParseTarget(raw string) (*pgxpool.Config, error) { return parseTarget(raw, "--target") }

// parseTarget is ParseTarget with label naming the setting in messages.
func parseTarget(raw, label string) (*pgxpool.Config, error) {
	if raw == "" {
		return nil, usagef("%s is required: give postgres://user:password@host:port/dbname", label)
	}
	if !strings.HasPrefix(raw, "postgres://") && !strings.HasPrefix(raw, "postgresql://") {
		return nil, usagef("%s must start with postgres:// (got %s)", label, scheme(raw))
	}
	if _, err := url.Parse(raw); err != nil {
		return nil, badURL(label, raw, err)
	}
	c, err := pgxpool.ParseConfig(raw)
	if err != nil {
		// pgx's message names the problem and masks the password.
		return nil, usagef("%s: %v", label, err)
	}
	if c.ConnConfig.Database == "" {
		return nil, usagef("%s must name a database: postgres://user@host:5432/dbname", label)
	}
	if p := os.Getenv(EnvTargetPassword); p != "" && c.ConnConfig.Password == "" {
		c.ConnConfig.Password = p
	}
	c.ConnConfig.ConnectTimeout = 10 * time.Second
	return c, nil
}

// badURL says that raw is not a URL. It shows raw and the parser's reason
// only when raw has no user information: url.Parse's error repeats the
// whole text, and its reason (e.g. an invalid port) can quote part of a
// password that holds an unescaped '/' or '@'.
func badURL(label, raw string, err error) error {
	if !strings.Contains(raw, "@") {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return usagef("%s %q is not a URL: %v", label, raw, err)
	}
	return usagef("%s is not a URL (not shown: it may hold a password); check its syntax, and "+
		"percent-encode special characters in the user and password (@ as %%40, / as %%2F, : as %%3A, %% as %%25)", label)
}

// scheme is the scheme of raw for messages, e.g. "mysql://"; never more.
func scheme(raw string) string {
	if s, _, ok := strings.Cut(raw, "://"); ok && !strings.ContainsAny(s, "@:/ ") {
		return strconv.Quote(s + "://")
	}
	return "no scheme"
}

// redact returns a URL quoted for messages, without its passwords: the user
// information's and the query's password and sslpassword.
func redact(u *url.URL) string {
	r := *u
	if _, ok := r.User.Password(); ok {
		r.User = url.UserPassword(r.User.Username(), "xxxxx")
	}
	q := r.Query()
	for k := range q {
		if lk := strings.ToLower(k); lk == "password" || lk == "sslpassword" {
			q.Set(k, "xxxxx")
		}
	}
	r.RawQuery = q.Encode()
	return strconv.Quote(r.String())
}
