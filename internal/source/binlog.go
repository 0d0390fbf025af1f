package source

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"math"
	"net"
	"strconv"
	"time"

	gomysql "github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/replication"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/schema"
)

// BinlogOptions tunes a binlog stream.
type BinlogOptions struct {
	ServerID        uint32        // this client's server_id; must differ from the source's and other replicas'
	HeartbeatPeriod time.Duration // default 1s
	ReadTimeout     time.Duration // default max(30s, 10 × heartbeat)
	// Name identifies this reader in the source's SHOW SLAVE HOSTS (with
	// this machine's host name), e.g. the task name; default "sluice". A
	// replica registered with ServerID under another name is a clash.
	Name string
}

func (o BinlogOptions) withDefaults() BinlogOptions {
	if o.HeartbeatPeriod <= 0 {
		o.HeartbeatPeriod = time.Second
	}
	if o.ReadTimeout <= 0 {
		// Long enough that a busy server (heartbeats only come when the
		// binlog is idle) is not taken for a dead one; short enough to notice
		// a half-open connection in half a minute.
		o.ReadTimeout = max(30*time.Second, 10*o.HeartbeatPeriod)
	}
	if o.Name == "" {
		o.Name = "sluice"
	}
	return o
}

// binlogEventBuffer is how many decoded events go-mysql reads ahead of
// Stream: enough to keep the connection busy while the consumer applies a
// batch, few enough that rows events of up to binlog_row_event_max_size
// (8 KiB by default) hold a few MiB at most.
const binlogEventBuffer = 256

// Stream reads the binlog from `from` and sends events for the selected
// tables to out, in commit order, until ctx ends (returns ctx.Err()) or an
// error. It closes nothing; the caller owns out.
//
// Each source transaction that changes a selected table arrives as Begin,
// one Rows event per binlog rows event (full images, go-mysql's decoded
// values), then Commit, or Rollback when the source logged a ROLLBACK.
// Every other event group — transactions on other tables, DDL and grants on
// other objects — arrives as one Progress at its end. A rotation to the
// next binlog file, and each heartbeat while the source is idle, also
// arrive as Progress (a heartbeat with the position unchanged and the time
// it was received, so lag can be measured as zero). Only Commit, Rollback
// and Progress carry a Pos; it is always a transaction boundary, where a
// restart resumes: the file and end offset of the group's last event and
// the GTID state including the group.
//
// MariaDB resumes by GTID when from.GTID is set, MySQL by GTID set when
// from.GTID is set, both by file and offset otherwise. What restarting
// cannot fix is a *StopError (schema change or statement-format change of
// a selected table, incomplete row images, XA or partial rollbacks on
// selected tables, a source whose GTID history is behind the checkpoint, a
// server_id clash); a start position the source no longer has is a
// *PurgedError. Other errors (connection loss, read timeout) are worth
// retrying from the last Commit or Progress position. Whenever Stream
// returns, a transaction it began but did not end is incomplete: discard it.
func (s *Source) Stream(ctx context.Context, from change.Position, tables []*schema.Table, o BinlogOptions, out chan<- change.Event) error {
	o = o.withDefaults()
	if err := s.checkStart(from, o); err != nil {
		return err
	}
	g, err := s.startGTID(ctx, from)
	if err != nil {
		return err
	}
	if err := s.checkServerID(ctx, from, o); err != nil {
		return err
	}
	if err := s.checkHistory(ctx, from, g); err != nil {
		return err
	}
	sel := newSelection(tables)
	cfg, err := s.syncerConfig(ctx, o, sel)
	if err != nil {
		return err
	}
	syncer := replication.NewBinlogSyncer(cfg)
	defer syncer.Close()
	var streamer *replication.BinlogStreamer
	if from.GTID == "" {
		streamer, err = syncer.StartSync(gomysql.Position{Name: from.File, Pos: uint32(from.Offset)})
	} else {
		var set gomysql.GTIDSet
		if set, err = g.syncSet(); err == nil {
			streamer, err = syncer.StartSyncGTID(set)
		}
	}
	if err != nil {
		return fmt.Errorf("starting the binlog dump of %s at %s: %w", s.Addr(), from, err)
	}

	emit := func(ev change.Event) error {
		select {
		case out <- ev:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	r := newReader(s.Flavor, sel, from, g, emit)
	for {
		ev, err := streamer.GetEvent(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return dumpError(err, r.started, r.cur, s.Addr())
		}
		if err := r.handle(ev); err != nil {
			return err
		}
	}
}

// checkStart validates the start position and options without I/O.
func (s *Source) checkStart(from change.Position, o BinlogOptions) error {
	switch {
	case o.ServerID == 0:
		return &StopError{Reason: "server_id 0 cannot read a binlog: give the task a --server-id that no other replica of the source uses", Pos: from}
	case from.IsZero():
		return &StopError{Reason: "no binlog start position: the source had no binary log when the task started; " +
			"enable log_bin (binlog_format=ROW) on the source and reload the task", Pos: from}
	case from.Flavor != "" && from.Flavor != s.Flavor:
		return &StopError{Reason: fmt.Sprintf("the checkpoint was taken on a %s server but the source is %s (%s): "+
			"point --source at the original server or reload the task", from.Flavor, s.Flavor, s.Version), Pos: from}
	case from.Offset > math.MaxUint32:
		return &StopError{Reason: fmt.Sprintf("binlog offset %d does not fit the dump protocol (4 bytes)", from.Offset), Pos: from}
	}
	return nil
}

// startGTID is the GTID state at from. A MariaDB position without GTID
// gets the state the server computes for its file and offset, so that the
// positions Stream emits carry every domain, not only those it sees.
func (s *Source) startGTID(ctx context.Context, from change.Position) (gtidState, error) {
	g, err := parseGTIDState(s.Flavor, from.GTID)
	if err != nil {
		return g, &StopError{Reason: fmt.Sprintf("the checkpoint's GTID is not readable: %v", err), Pos: from}
	}
	if s.Flavor != "mariadb" || !g.IsEmpty() {
		return g, nil
	}
	var pos *string
	err = s.DB.QueryRowContext(ctx, "SELECT BINLOG_GTID_POS(?, ?)", from.File, from.Offset).Scan(&pos)
	if err != nil {
		return g, fmt.Errorf("reading the GTID state at %s: %w", from, err)
	}
	if pos == nil { // no such file or offset: the dump reports it
		return g, nil
	}
	if g, err = parseGTIDState(s.Flavor, *pos); err != nil {
		return g, fmt.Errorf("reading the GTID state at %s: %w", from, err)
	}
	return g, nil
}

// syncerConfig is go-mysql's configuration for this source: the settings
// package value expects (text temporals in UTC, decimals as strings, JSON
// as MySQL text), no retry of its own (the caller restarts from its
// checkpoint), checksums verified, its log discarded (errors are returned).
func (s *Source) syncerConfig(ctx context.Context, o BinlogOptions, sel *selection) (replication.BinlogSyncerConfig, error) {
	host, portText, err := net.SplitHostPort(s.cfg.Addr)
	if err != nil {
		return replication.BinlogSyncerConfig{}, fmt.Errorf("source address %q: %w", s.cfg.Addr, err)
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return replication.BinlogSyncerConfig{}, fmt.Errorf("source address %q: bad port: %w", s.cfg.Addr, err)
	}
	tlsConfig, err := s.binlogTLS(ctx)
	if err != nil {
		return replication.BinlogSyncerConfig{}, err
	}
	return replication.BinlogSyncerConfig{
		ServerID:                o.ServerID,
		Flavor:                  s.Flavor,
		Host:                    host,
		Port:                    uint16(port),
		User:                    s.cfg.User,
		Password:                s.cfg.Passwd,
		Localhost:               reportHost(o.Name),
		TLSConfig:               tlsConfig,
		ParseTime:               false,
		TimestampStringLocation: time.UTC,
		UseDecimal:              false,
		RenderJSONAsMySQLText:   true,
		HeartbeatPeriod:         o.HeartbeatPeriod,
		ReadTimeout:             o.ReadTimeout,
		DisableRetrySync:        true,
		VerifyChecksum:          true,
		Logger:                  slog.New(slog.DiscardHandler),
		RowsEventDecodeFunc:     decodeSelected(sel),
		EventCacheCount:         binlogEventBuffer,
	}, nil
}

// decodeSelected decodes the rows of selected tables only: the rows of
// every other table are skipped undecoded (go-mysql would otherwise decode
// every row of the server's binlog).
func decodeSelected(sel *selection) func(*replication.RowsEvent, []byte) error {
	return func(re *replication.RowsEvent, data []byte) error {
		pos, err := re.DecodeHeader(data)
		if err != nil {
			return err
		}
		if sel.table(re.Table.Schema, re.Table.Table) == nil {
			return nil
		}
		return re.DecodeData(pos, data)
	}
}

// binlogTLS is the TLS configuration of the source's connections, for the
// dump connection: go-sql-driver resolves named modes only on its own copy.
func (s *Source) binlogTLS(ctx context.Context) (*tls.Config, error) {
	if s.cfg.TLS != nil {
		return s.cfg.TLS.Clone(), nil
	}
	switch s.cfg.TLSConfig {
	case "", "false":
		return nil, nil
	case "skip-verify":
		return &tls.Config{InsecureSkipVerify: true}, nil //nolint:gosec // the user asked for it
	case "true":
		host, _, _ := net.SplitHostPort(s.cfg.Addr)
		return &tls.Config{ServerName: host}, nil
	case "preferred":
		// TLS if the server offers it, as the pool's connections found.
		var name, cipher string
		err := s.DB.QueryRowContext(ctx, "SHOW SESSION STATUS LIKE 'Ssl_cipher'").Scan(&name, &cipher)
		if err != nil {
			return nil, fmt.Errorf("checking whether the source uses TLS: %w", err)
		}
		if cipher == "" {
			return nil, nil
		}
		return &tls.Config{InsecureSkipVerify: true}, nil //nolint:gosec // "preferred" does not verify
	}
	return nil, fmt.Errorf("source TLS mode %q is not supported by the binlog reader", s.cfg.TLSConfig)
}
