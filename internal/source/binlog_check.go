package source

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/sluicedb/sluice/internal/change"
)

// reportHost is the host name this reader registers with (COM_REGISTER_SLAVE),
// shown in the source's SHOW SLAVE HOSTS: name@machine.
func reportHost(name string) string {
	h, err := os.Hostname()
	if err != nil || h == "" {
		h = "localhost"
	}
	s := name + "@" + h
	if len(s) > 60 {
		s = s[:60]
	}
	return s
}

// checkServerID refuses a server_id that is the source's own or that a
// replica registered under another name uses: two readers with one
// server_id make the server drop one whenever the other connects.
// A registration under our own name is taken for a dump connection of an
// earlier run that the server has not noticed is gone; the server replaces
// it when this reader registers.
// CheckServerID reports, as a *StopError, a server_id the reader named name
// cannot use: the source's own, or one another replica registered.
func (s *Source) CheckServerID(ctx context.Context, id uint32, name string) error {
	return s.checkServerID(ctx, change.Position{}, BinlogOptions{ServerID: id, Name: name}.withDefaults())
}

func (s *Source) checkServerID(ctx context.Context, from change.Position, o BinlogOptions) error {
	var own uint32
	if err := s.DB.QueryRowContext(ctx, "SELECT @@GLOBAL.server_id").Scan(&own); err != nil {
		return fmt.Errorf("reading the source's server_id: %w", err)
	}
	if own == o.ServerID {
		return &StopError{Reason: fmt.Sprintf("server_id %d is the source's own @@server_id: give the task another --server-id, "+
			"one that neither the source nor any of its replicas uses", o.ServerID), Pos: from}
	}
	hosts, err := s.replicaHosts(ctx)
	if err != nil {
		return err
	}
	me := reportHost(o.Name)
	for _, h := range hosts {
		if h.serverID == o.ServerID && h.host != me {
			return &StopError{Reason: fmt.Sprintf("server_id %d is already used by the replica %q connected to the source "+
				"(SHOW SLAVE HOSTS): two binlog readers with one server_id disconnect each other; give the task a --server-id "+
				"that no other replica uses", o.ServerID, h.host), Pos: from}
		}
	}
	return nil
}

type replicaHost struct {
	serverID uint32
	host     string
}

// replicaHosts lists the replicas registered with the source. Without the
// privilege to list them (MariaDB: REPLICATION MASTER ADMIN, MySQL:
// REPLICATION SLAVE) it returns none: the check is best effort.
func (s *Source) replicaHosts(ctx context.Context) ([]replicaHost, error) {
	queries := []string{"SHOW SLAVE HOSTS"}
	if s.Flavor == "mysql" {
		queries = []string{"SHOW REPLICAS", "SHOW SLAVE HOSTS"} // 8.0.22+ / older
	}
	var rows *sql.Rows
	var err error
	for _, q := range queries {
		if rows, err = s.DB.QueryContext(ctx, q); err == nil {
			break
		}
	}
	if isMySQLError(err, errSpecificAccessDenied, errAccessDenied, 1064) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing the source's replicas: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("listing the source's replicas: %w", err)
	}
	idCol, hostCol := -1, -1
	for i, c := range cols {
		switch strings.ToLower(c) {
		case "server_id":
			idCol = i
		case "host":
			hostCol = i
		}
	}
	var hosts []replicaHost
	for rows.Next() {
		vals, err := scanStrings(rows, len(cols))
		if err != nil {
			return nil, fmt.Errorf("listing the source's replicas: %w", err)
		}
		if idCol < 0 || hostCol < 0 {
			continue
		}
		id, err := strconv.ParseUint(vals[idCol].String, 10, 32)
		if err != nil {
			continue
		}
		hosts = append(hosts, replicaHost{serverID: uint32(id), host: vals[hostCol].String})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing the source's replicas: %w", err)
	}
	return hosts, nil
}

// checkHistory refuses a source whose GTID history does not reach the
// checkpoint: MariaDB's gtid_binlog_pos behind it (or missing one of its
// domains), MySQL's gtid_executed not containing it. Both mean the binary
// log was reset (RESET MASTER), or the server is not the one the task
// started on, and resuming would skip or misread changes.
// CheckResume reports whether the binlog can still be read from a stored
// position: a *PurgedError when its file is gone from SHOW BINARY LOGS, a
// *StopError when the server's GTID history is behind it (RESET MASTER,
// another server).
func (s *Source) CheckResume(ctx context.Context, from change.Position) error {
	if from.File != "" {
		rows, err := s.DB.QueryContext(ctx, "SHOW BINARY LOGS")
		if err != nil {
			return fmt.Errorf("listing the source's binary logs: %w", err)
		}
		found := false
		for rows.Next() {
			vals, err := scanStrings(rows, 2)
			if err != nil {
				rows.Close()
				return fmt.Errorf("listing the source's binary logs: %w", err)
			}
			found = found || vals[0].String == from.File
		}
		rows.Close()
		if !found {
			return &PurgedError{Pos: from, Err: fmt.Errorf("binary log %s is no longer on the source (SHOW BINARY LOGS)", from.File)}
		}
	}
	g, err := parseGTIDState(s.Flavor, from.GTID)
	if err != nil {
		return err
	}
	return s.checkHistory(ctx, from, g)
}

func (s *Source) checkHistory(ctx context.Context, from change.Position, g gtidState) error {
	if from.GTID == "" {
		return nil
	}
	variable := "gtid_binlog_pos"
	if s.Flavor != "mariadb" {
		variable = "gtid_executed"
	}
	var text string
	if err := s.DB.QueryRowContext(ctx, "SELECT @@GLOBAL."+variable).Scan(&text); err != nil {
		return fmt.Errorf("reading the source's %s: %w", variable, err)
	}
	server, err := parseGTIDState(s.Flavor, text)
	if err != nil {
		return fmt.Errorf("reading the source's %s: %w", variable, err)
	}
	var problem string
	if s.Flavor == "mariadb" {
		problem = g.mariaBehind(server)
	} else if !server.mysql.Contain(g.mysql) {
		problem = fmt.Sprintf("its gtid_executed %s does not contain the checkpoint %s", text, from.GTID)
	}
	if problem == "" {
		return nil
	}
	return &StopError{Reason: fmt.Sprintf("the source's binary log history is behind the checkpoint (%s): "+
		"its binary log was reset (RESET MASTER) or it is not the server the task started on; "+
		"resuming would skip or misread changes: reload the task", problem), Pos: from}
}
