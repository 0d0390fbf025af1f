package precheck

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sluicedb/sluice/internal/source"
)

// checkBinlog checks the settings without which the binlog cannot carry
// every change: the binary log on, row format, full row images, replicated
// changes logged on a replica; and that it is kept long enough. load is the
// full-load estimate when the full phase runs too, else nil.
func checkBinlog(ctx context.Context, r *Report, src *source.Source, load *loadEstimate) error {
	v, err := src.Variables(ctx, "log_bin", "binlog_format", "binlog_row_image", "binlog_row_metadata",
		"gtid_strict_mode", "expire_logs_days", "binlog_expire_logs_seconds", "log_slave_updates", "log_replica_updates")
	if err != nil {
		return err
	}
	if v["log_bin"] != "ON" && v["log_bin"] != "1" {
		r.Add(IDBinlog, Error, src.Addr(), "the source's binary log is off (log_bin), so there are no changes to follow",
			"set log_bin=ON (with binlog_format=ROW and binlog_row_image=FULL) in the server's configuration and restart it")
	}
	if v["binlog_format"] != "ROW" {
		r.Add(IDBinlogFormat, Error, src.Addr(), fmt.Sprintf("binlog_format is %s; changes written as statements cannot be applied exactly", v["binlog_format"]),
			"SET GLOBAL binlog_format = 'ROW'; and set binlog_format=ROW in the server's configuration")
	}
	if v["binlog_row_image"] != "FULL" {
		r.Add(IDBinlogRowImage, Error, src.Addr(), fmt.Sprintf("binlog_row_image is %s; row images lack columns, so updates would lose values", v["binlog_row_image"]),
			"SET GLOBAL binlog_row_image = 'FULL'; and set binlog_row_image=FULL in the server's configuration")
	}
	if m := v["binlog_row_metadata"]; m != "FULL" {
		r.Add(IDBinlogMetadata, Warning, src.Addr(), fmt.Sprintf("binlog_row_metadata is %s; without FULL the binlog carries no column names, so a schema change cannot be detected from the row events themselves", orNone(m)),
			"SET GLOBAL binlog_row_metadata = 'FULL'; and set it in the server's configuration")
	}
	if src.Flavor == "mariadb" && v["gtid_strict_mode"] != "ON" && v["gtid_strict_mode"] != "1" {
		r.Add(IDGTIDStrict, Warning, src.Addr(), "gtid_strict_mode is OFF: GTID sequence numbers may go backwards after a failover, and a resume by GTID could skip or repeat transactions",
			"SET GLOBAL gtid_strict_mode = ON; and set it in the server's configuration")
	}
	keep := retention(v)
	if keep > 0 && keep < 7*24*time.Hour {
		msg := fmt.Sprintf("binary logs are kept %s; a full load plus an outage longer than that loses the position and forces a reload", humanDuration(keep))
		if load != nil {
			msg = fmt.Sprintf("binary logs are kept %s; the full load is estimated at %s (%s), and the load plus an outage longer than the retention loses the position and forces a reload",
				humanDuration(keep), humanDuration(load.Time), load.size())
		}
		r.Add(IDBinlogRetention, Warning, src.Addr(), msg,
			"keep binary logs at least 7 days: SET GLOBAL binlog_expire_logs_seconds = 604800 (or expire_logs_days = 7)")
	}
	if load != nil && loadAtRisk(load.Time, keep) {
		secs := int64(suggestedRetention(load.Time) / time.Second)
		r.Add(IDFullLoadTime, Warning, src.Addr(),
			fmt.Sprintf("the full load (%s) is estimated at %s (assuming %s), more than half of the binary log retention (%s); the binary log from the snapshot position must survive the whole load and the catch-up after it, or the incremental phase cannot start and the task must be reloaded",
				load.size(), humanDuration(load.Time), assumedRate, humanDuration(keep)),
			fmt.Sprintf("keep binary logs at least twice the load: SET GLOBAL binlog_expire_logs_seconds = %d; (or expire_logs_days = %d) and set it in the server's configuration; or acknowledge: --ack full-load-time",
				secs, secs/86400))
	}
	return checkLogSlaveUpdates(ctx, r, src, v)
}

// checkLogSlaveUpdates reports a source that is itself a replica and does
// not write what it replicates to its own binary log (log_slave_updates
// OFF): those changes never reach sluice. The replica status is read only
// when log_slave_updates is OFF.
func checkLogSlaveUpdates(ctx context.Context, r *Report, src *source.Source, v map[string]string) error {
	logs := v["log_slave_updates"]
	if logs == "" {
		logs = v["log_replica_updates"] // MySQL 8.0.26+ name
	}
	if logs != "OFF" && logs != "0" {
		return nil
	}
	masters, err := src.ReplicationSources(ctx)
	var denied *source.DeniedError
	switch {
	case errors.As(err, &denied):
		account, _, err := src.GlobalPrivileges(ctx)
		if err != nil {
			return err
		}
		priv := "REPLICATION CLIENT"
		if src.Flavor == "mariadb" {
			priv = "SLAVE MONITOR"
		}
		r.Add(IDReplicaStatus, Warning, account,
			fmt.Sprintf("log_slave_updates is OFF and the source account may not run %s (%v), so sluice cannot tell whether the source is a replica, whose replicated changes would never reach its binary log",
				denied.Statement, denied.Err),
			fmt.Sprintf("GRANT %s ON *.* TO %s; or, if the source is not a replica, acknowledge: --ack replica-status", priv, account))
		return nil
	case err != nil:
		return err
	case len(masters) == 0:
		return nil
	}
	r.Add(IDLogSlaveUpdates, Error, src.Addr(),
		fmt.Sprintf("the source is a replica of %s (%s) and log_slave_updates is OFF: the changes it replicates are not written to its own binary log, so sluice would never see them",
			strings.Join(masters, ", "), src.ReplicaStatement()),
		"add log_slave_updates = ON (MySQL 8.0.26+: log_replica_updates = ON) to the [mysqld] section of the source's configuration and restart it, or point --source at the primary")
	return nil
}

// retention is how long the source keeps binary logs; 0 means forever.
func retention(v map[string]string) time.Duration {
	var secs, days float64
	fmt.Sscan(v["binlog_expire_logs_seconds"], &secs)
	fmt.Sscan(v["expire_logs_days"], &days)
	if secs > 0 {
		return time.Duration(secs * float64(time.Second))
	}
	return time.Duration(days * 24 * float64(time.Hour))
}

func orNone(s string) string {
	if s == "" {
		return "not available"
	}
	return s
}
