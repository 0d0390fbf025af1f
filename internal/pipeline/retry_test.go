package pipeline

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sluicedb/sluice/internal/config"
	"github.com/sluicedb/sluice/internal/sink"
	"github.com/sluicedb/sluice/internal/source"
	"github.com/sluicedb/sluice/internal/value"
)

func TestRetriable(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("applying changes: %w", err) }
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"eof", wrap(io.EOF), true},
		{"refused", wrap(&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}), true},
		{"pg shutdown", wrap(&pgconn.PgError{Code: "57P01"}), true},
		{"pg connection", wrap(&pgconn.PgError{Code: "08006"}), true},
		{"pg deadlock", wrap(&pgconn.PgError{Code: "40P01"}), true},
		{"mysql gone", wrap(&mysql.MySQLError{Number: 2006}), true},
		{"mysql killed", wrap(&mysql.MySQLError{Number: 1927}), true},
		{"pg unique violation", wrap(&pgconn.PgError{Code: "23505"}), false},
		{"pg missing table", wrap(&pgconn.PgError{Code: "42P01"}), false},
		{"mysql access denied", wrap(&mysql.MySQLError{Number: 1045}), false},
		{"stop", wrap(&source.StopError{Reason: "DDL"}), false},
		{"purged", wrap(&source.PurgedError{Err: errors.New("1236")}), false},
		{"divergence", wrap(&sink.DivergenceError{Op: "update"}), false},
		{"bad value", wrap(&RowError{Err: &value.Error{Column: "c"}}), false},
		{"usage", wrap(&config.UsageError{Msg: "x"}), false},
	} {
		if got := retriable(tc.err); got != tc.want {
			t.Errorf("%s: retriable = %v, want %v", tc.name, got, tc.want)
		}
	}
}
