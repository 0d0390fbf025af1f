package source

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// DeniedError is a statement the source account may not run.
type DeniedError struct {
	Statement string
	Err       error
}

func (e *DeniedError) Error() string {
	return fmt.Sprintf("the source account may not run %s: %v", e.Statement, e.Err)
}

func (e *DeniedError) Unwrap() error { return e.Err }

// ReplicaStatement is the statement ReplicationSources runs on this server:
// MariaDB's lists every replication connection (multi-source), MySQL's
// every channel.
func (s *Source) ReplicaStatement() string {
	if s.Flavor == "mariadb" {
		return "SHOW ALL SLAVES STATUS"
	}
	return "SHOW REPLICA STATUS"
}

// ReplicationSources returns the servers the source itself replicates from
// (host:port, one per replication connection or channel, configured whether
// or not it runs); none when the source is not a replica. A refused
// statement (MariaDB needs SLAVE MONITOR, MySQL REPLICATION CLIENT) is a
// *DeniedError.
func (s *Source) ReplicationSources(ctx context.Context) ([]string, error) {
	queries := []string{s.ReplicaStatement()}
	if s.Flavor != "mariadb" {
		queries = append(queries, "SHOW SLAVE STATUS") // before MySQL 8.0.22
	}
	var rows *sql.Rows
	var err error
	var stmt string
	for _, stmt = range queries {
		if rows, err = s.DB.QueryContext(ctx, stmt); err == nil || !isMySQLError(err, 1064) { // 1064: syntax error
			break
		}
	}
	if isMySQLError(err, errSpecificAccessDenied, errAccessDenied) {
		return nil, &DeniedError{Statement: stmt, Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("reading the source's replica status: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("reading the source's replica status: %w", err)
	}
	hostCol, portCol := -1, -1
	for i, c := range cols {
		switch strings.ToLower(c) {
		case "master_host", "source_host":
			hostCol = i
		case "master_port", "source_port":
			portCol = i
		}
	}
	var out []string
	for rows.Next() {
		vals, err := scanStrings(rows, len(cols))
		if err != nil {
			return nil, fmt.Errorf("reading the source's replica status: %w", err)
		}
		addr := "unknown host"
		if hostCol >= 0 && vals[hostCol].String != "" {
			addr = vals[hostCol].String
			if portCol >= 0 && vals[portCol].String != "" {
				addr += ":" + vals[portCol].String
			}
		}
		out = append(out, addr)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the source's replica status: %w", err)
	}
	return out, nil
}
