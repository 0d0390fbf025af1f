package precheck

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/filter"
	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/sink"
	"github.com/sluicedb/sluice/internal/source"
)

// Check ids. They are stable: users put them in --ack and scripts match them.
const (
	IDSourceConnect    = "source-connect"
	IDTargetConnect    = "target-connect"
	IDSelectionEmpty   = "selection-empty"
	IDUnsupportedType  = "unsupported-type"
	IDTableWithoutKey  = "table-without-key"
	IDTargetExists     = "target-table-exists"
	IDTargetColumns    = "target-table-columns"
	IDMergeMismatch    = "merge-mismatch"
	IDRowFilter        = "row-filter"
	IDTargetEncoding   = "target-encoding"
	IDTargetPrivileges = "target-privileges"
	IDNameTooLong      = "name-too-long"
	IDNameCollision    = "name-collision"
	IDGeometryAsBytea  = "geometry-as-bytea"
	IDSystemVersioned  = "system-versioned-table"
	IDBinlog           = "binlog"
	IDBinlogFormat     = "binlog-format"
	IDBinlogRowImage   = "binlog-row-image"
	IDBinlogMetadata   = "binlog-row-metadata"
	IDBinlogRetention  = "binlog-retention"
	IDGTIDStrict       = "gtid-strict-mode"
	IDSourcePrivileges = "source-privileges"
	IDServerID         = "server-id"
	IDCheckpointGone   = "checkpoint-purged"
	IDSourceHistory    = "source-history"
	IDZeroDates        = "zero-dates"
	IDNULBytes         = "nul-bytes"
	IDInvalidUTF8      = "invalid-utf8"
	IDSnapshotLock     = "snapshot-lock"
	IDLogSlaveUpdates  = "log-slave-updates"
	IDReplicaStatus    = "replica-status"
	IDFullLoadTime     = "full-load-time"
	IDPrefixIndex      = "prefix-index"
	IDInvisibleColumn  = "invisible-column"
)

// Input is what the checks look at. A nil Source or Sink means the
// connection failed with SourceErr or SinkErr.
type Input struct {
	Source    *source.Source
	SourceErr error
	Sink      *sink.Sink
	SinkErr   error
	Tables    []*schema.Table
	Problems  []source.ColumnProblem
	Include   []string // the patterns, for messages
	// Created holds tables this task already created (a resumed run): they
	// are not conflicts.
	Created map[sink.TableRef]bool
	// CreatesTables is set when the schema phase runs.
	CreatesTables bool
	// ReadsBinlog is set when the incremental phase runs.
	ReadsBinlog bool
	// LoadsData is set when the full phase runs and has not finished.
	LoadsData bool
	// Resume is where a resumed task will read the binlog from (zero for a
	// new task).
	Resume change.Position
	// ServerID and ReaderName identify the task's binlog reader.
	ServerID   uint32
	ReaderName string
	// ScanRows bounds the scan of each table for problem values (0: none).
	ScanRows int64
	// IgnoreConflicts is --conflict ignore, or merge: existing target tables
	// are loaded into, not refused.
	IgnoreConflicts bool
	// Merge lets source tables share a target table (the task file's merge).
	Merge bool
	// FilterProblems are row filters that cannot be evaluated exactly.
	FilterProblems []error
	// StripBadText and FailZeroDates are the value policies in force.
	StripBadText, FailZeroDates bool
}

// Run performs the checks and returns the report. The error is for a check
// that could not run at all (a query failing mid-way), not for a failed check.
func Run(ctx context.Context, in Input) (*Report, error) {
	r := &Report{}
	if in.SourceErr != nil {
		r.Add(IDSourceConnect, Error, "", in.SourceErr.Error(), "fix --source (mysql://user:password@host:port) or start the server")
	}
	if in.SinkErr != nil {
		r.Add(IDTargetConnect, Error, "", in.SinkErr.Error(), "fix --target (postgres://user:password@host:port/dbname) or start the server")
	}
	if in.Source == nil || in.Sink == nil {
		return r, nil
	}
	if len(in.Tables) == 0 {
		pats := "every database"
		if len(in.Include) > 0 {
			pats = strings.Join(in.Include, ", ")
		}
		dbs, err := in.Source.Databases(ctx)
		if err != nil {
			return nil, err
		}
		r.Add(IDSelectionEmpty, Error, "", fmt.Sprintf("no table on the source matches %s (databases on the source: %s)", pats, strings.Join(dbs, ", ")),
			"check the database and table names in --include (db.table globs, e.g. shop.*); the account sees only tables it has SELECT on")
	}
	for _, err := range in.FilterProblems {
		object := ""
		var ce *filter.CompileError
		if errors.As(err, &ce) {
			object = ce.Table
		}
		r.Add(IDRowFilter, Error, object, err.Error(),
			"rewrite the filter with the supported operators (docs/task-file.md, filter), or remove it")
	}
	for _, p := range in.Problems {
		r.Add(IDUnsupportedType, Error, p.Table+"."+p.Column, p.Err.Error(), "exclude the table with --exclude "+p.Table+", or change the column's type on the source")
	}
	checkVersion(r, in.Source.Flavor, in.Source.Version)
	checkTables(r, in)
	if in.CreatesTables {
		checkMapping(r, in)
	}
	if err := checkTarget(ctx, r, in); err != nil {
		return nil, err
	}
	if err := checkPrivileges(ctx, r, in); err != nil {
		return nil, err
	}
	if in.ScanRows > 0 && in.CreatesTables {
		if err := checkValues(ctx, r, in); err != nil {
			return nil, err
		}
	}
	if in.ReadsBinlog {
		var load *loadEstimate
		if in.LoadsData {
			rows, bytes, err := in.Source.DataSize(ctx, in.Tables)
			if err != nil {
				return nil, err
			}
			load = newLoadEstimate(len(in.Tables), rows, bytes)
		}
		if err := checkBinlog(ctx, r, in.Source, load); err != nil {
			return nil, err
		}
		var stop *source.StopError
		if err := in.Source.CheckServerID(ctx, in.ServerID, in.ReaderName); errors.As(err, &stop) {
			r.Add(IDServerID, Error, fmt.Sprint(in.ServerID), stop.Reason, "run with --server-id N, a number no server or replica of this source uses")
		} else if err != nil {
			return nil, err
		}
		if err := checkResume(ctx, r, in); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func checkTables(r *Report, in Input) {
	targets := map[string]string{}       // target name → source name
	merged := map[string]*schema.Table{} // --merge: target table → its first source table
	for _, t := range in.Tables {
		if t.Key() == nil {
			r.Add(IDTableWithoutKey, Warning, t.String(),
				"the table has neither a primary key nor a NOT NULL unique key: it is copied by one reader without key ranges, and change apply will have to match whole rows (duplicate rows stay duplicates)",
				fmt.Sprintf("add a primary key on the source (ALTER TABLE %s ADD PRIMARY KEY (…))", t))
		}
		if t.SystemVersioned {
			r.Add(IDSystemVersioned, Warning, t.String(),
				"the table is WITH SYSTEM VERSIONING: only its current rows are copied, its history and the hidden row_start/row_end columns are not",
				"exclude the table with --exclude "+t.String()+" if you need its history")
		}
		hasGeo := false
		names := map[string]string{}
		for _, c := range t.Columns {
			hasGeo = hasGeo || c.Kind == schema.KindGeometry
			checkName(r, t.String()+"."+c.Name, c.TargetName)
			if prev, ok := names[c.TargetName]; ok {
				r.Add(IDNameCollision, Error, t.String(), fmt.Sprintf("columns %q and %q both become %q in PostgreSQL", prev, c.Name, c.TargetName),
					"give one of them another name in the task file (tables: "+t.String()+": rename_columns: {column: new_name}), or use --case source")
			}
			names[c.TargetName] = c.Name
		}
		if hasGeo && !in.Sink.PostGIS {
			r.Add(IDGeometryAsBytea, Warning, t.String(),
				"PostGIS is not installed in the target database: geometry columns are stored as bytea (EWKB bytes), not as geometry",
				"install PostGIS (apt-get install postgresql-15-postgis-3) and run CREATE EXTENSION postgis in the target database")
		}
		checkName(r, t.String(), t.TargetName)
		checkName(r, t.Database, t.TargetSchema)
		if in.Merge {
			full := t.TargetSchema + "." + t.TargetName
			if u, ok := merged[full]; ok {
				if why := mergeMismatch(u, t, schema.Options{PostGIS: in.Sink.PostGIS}); why != "" {
					r.Add(IDMergeMismatch, Error, t.String(), fmt.Sprintf("%s and %s merge into %s, but %s", u, t, full, why),
						"make the source tables' columns and keys the same, or map them to different target tables")
				}
				continue // its relations are u's
			}
			merged[full] = t
		}
		// Tables and indexes share one namespace per PostgreSQL schema, and
		// CREATE … IF NOT EXISTS would silently skip a taken name.
		for _, rel := range schema.Relations(t, schema.Options{PostGIS: in.Sink.PostGIS}) {
			full := t.TargetSchema + "." + rel
			if prev, ok := targets[full]; ok && prev != t.String() {
				r.Add(IDNameCollision, Error, t.String(), fmt.Sprintf("%s and %s both need the name %s in PostgreSQL (tables and indexes share one namespace per schema)", prev, t, full),
					"give one of the tables another name in the task file (tables: db.table: target: schema.name, or rename_tables), or exclude it with --exclude")
			}
			targets[full] = t.String()
		}
	}
}

// checkName reports a PostgreSQL identifier over 63 bytes (it would be truncated).
func checkName(r *Report, object, target string) {
	if len(target) > 63 {
		r.Add(IDNameTooLong, Error, object, fmt.Sprintf("the name %q is %d bytes; PostgreSQL truncates names to 63 bytes", target, len(target)),
			"give it a name of 63 bytes or fewer in the task file (schemas, tables: target, rename_columns), or exclude it")
	}
}

func checkTarget(ctx context.Context, r *Report, in Input) error {
	if in.Sink.Encoding != "UTF8" {
		r.Add(IDTargetEncoding, Error, "", fmt.Sprintf("the target database's encoding is %s; text from MySQL needs UTF8", in.Sink.Encoding),
			"create the target database with ENCODING 'UTF8' (CREATE DATABASE … ENCODING 'UTF8' TEMPLATE template0)")
	}
	var canCreate bool
	if err := in.Sink.Pool.QueryRow(ctx, `SELECT has_database_privilege(current_database(), 'CREATE')`).Scan(&canCreate); err != nil {
		return fmt.Errorf("checking target privileges: %w", err)
	}
	if !canCreate && in.CreatesTables {
		r.Add(IDTargetPrivileges, Error, in.Sink.Addr(), "the target account may not create schemas in the target database",
			"GRANT CREATE ON DATABASE <db> TO <user>; (or connect as the database owner)")
	}
	if !in.CreatesTables {
		return nil
	}
	// Every relation schema sync creates must be free: the tables and the
	// indexes (which share the schema's namespace).
	var refs []sink.TableRef
	for _, t := range in.Tables {
		ref := sink.TableRef{SourceDB: t.Database, SourceTable: t.Name, TargetSchema: t.TargetSchema, TargetTable: t.TargetName}
		if in.Created[ref] {
			continue
		}
		for _, rel := range schema.Relations(t, schema.Options{PostGIS: in.Sink.PostGIS}) {
			ref.TargetTable = rel
			refs = append(refs, ref)
		}
	}
	existing, err := in.Sink.ExistingTables(ctx, refs)
	if err != nil {
		return err
	}
	if in.IgnoreConflicts {
		return checkAdopted(ctx, r, in, existing)
	}
	// One result per source table, naming every taken relation.
	var order []string
	taken := map[string][]string{}
	for _, e := range existing {
		src := e.SourceDB + "." + e.SourceTable
		if taken[src] == nil {
			order = append(order, src)
		}
		taken[src] = append(taken[src], schema.QualifiedName(e.TargetSchema, e.TargetTable))
	}
	for _, src := range order {
		names := strings.Join(taken[src], ", ")
		r.Add(IDTargetExists, Error, src,
			fmt.Sprintf("the target already has %s, which schema sync of %s would create; --conflict is error", names, src),
			fmt.Sprintf("drop what is left over (DROP TABLE / DROP INDEX %s), or exclude the source table with --exclude %s", names, src))
	}
	return nil
}

// checkPrivileges checks the source account's global privileges: reading
// the binlog position needs BINLOG MONITOR (REPLICATION CLIENT), following
// the binlog REPLICATION SLAVE, and the single consistent snapshot RELOAD.
func checkPrivileges(ctx context.Context, r *Report, in Input) error {
	user, privs, err := in.Source.GlobalPrivileges(ctx)
	if err != nil {
		return err
	}
	has := func(names ...string) bool {
		for _, n := range append(names, "ALL PRIVILEGES", "SUPER") {
			if privs[n] {
				return true
			}
		}
		return false
	}
	var missing []string
	if !has("BINLOG MONITOR", "REPLICATION CLIENT") {
		missing = append(missing, "REPLICATION CLIENT")
	}
	if in.ReadsBinlog && !has("REPLICATION SLAVE", "REPLICATION REPLICA") {
		missing = append(missing, "REPLICATION SLAVE")
	}
	if len(missing) > 0 {
		r.Add(IDSourcePrivileges, Error, user, fmt.Sprintf("the source account lacks %s: it cannot read the binlog position or follow the binlog", strings.Join(missing, " and ")),
			fmt.Sprintf("GRANT %s ON *.* TO %s;", strings.Join(missing, ", "), user))
	}
	if !has("RELOAD") {
		r.Add(IDSnapshotLock, Warning, user, "the source account lacks RELOAD, so the full load cannot take the brief global read lock: its readers open their views one after another and the binlog catch-up makes the target converge instead",
			fmt.Sprintf("GRANT RELOAD ON *.* TO %s; (or acknowledge: --ack snapshot-lock)", user))
	}
	return nil
}

// checkValues scans the first ScanRows rows of every table for values
// PostgreSQL cannot store as they are, and says what the policies will do.
func checkValues(ctx context.Context, r *Report, in Input) error {
	for _, t := range in.Tables {
		p, err := in.Source.ScanValues(ctx, t, in.ScanRows)
		if err != nil {
			return err
		}
		scanned := fmt.Sprintf("in the first %d rows scanned", p.Scanned)
		for col, n := range p.ZeroDates {
			sev, what := Warning, "they are stored as -infinity"
			if in.FailZeroDates {
				sev, what = Error, "the load stops on them (--zero-date fail)"
			}
			r.Add(IDZeroDates, sev, t.String()+"."+col, fmt.Sprintf("%d zero or partial-zero dates in a NOT NULL column %s: %s", n, scanned, what),
				"fix the values on the source, or accept -infinity (the default --zero-date)")
		}
		for _, bad := range []struct {
			id, what string
			cols     map[string]int64
		}{{IDNULBytes, "values with a NUL byte", p.NULs}, {IDInvalidUTF8, "values that are not valid UTF-8", p.BadUTF8}} {
			for col, n := range bad.cols {
				sev, what := Error, "the load stops on the first of them (--bad-text fail)"
				if in.StripBadText {
					sev, what = Warning, "the bad bytes are removed and counted (--bad-text strip)"
				}
				r.Add(bad.id, sev, t.String()+"."+col, fmt.Sprintf("%d %s %s: PostgreSQL text cannot hold them; %s", n, bad.what, scanned, what),
					"fix the values on the source, or run with --bad-text strip")
			}
		}
	}
	return nil
}

// checkResume checks that a resumed task's binlog position is still there.
func checkResume(ctx context.Context, r *Report, in Input) error {
	if in.Resume.IsZero() {
		return nil
	}
	var purged *source.PurgedError
	var stop *source.StopError
	err := in.Source.CheckResume(ctx, in.Resume)
	switch {
	case errors.As(err, &purged):
		r.Add(IDCheckpointGone, Error, in.Resume.String(), purged.Err.Error()+": the changes since the task's checkpoint are lost to it",
			"reload the task: drop its target tables and its row in sluice.task (or use a new --name), then run again; keep binary logs longer (binlog_expire_logs_seconds)")
	case errors.As(err, &stop):
		r.Add(IDSourceHistory, Error, in.Resume.String(), stop.Reason, "reload the task, or point --source at the server the task started on")
	case err != nil:
		return err
	}
	return nil
}

// checkAdopted checks, for --conflict ignore, that each existing target
// table has every column the task writes (the others it leaves alone).
func checkAdopted(ctx context.Context, r *Report, in Input, existing []sink.TableRef) error {
	for _, e := range existing {
		var t *schema.Table
		for _, c := range in.Tables {
			if c.Database == e.SourceDB && c.Name == e.SourceTable && c.TargetName == e.TargetTable && c.TargetSchema == e.TargetSchema {
				t = c
			}
		}
		if t == nil {
			continue // an index name: sluice creates no indexes on a table it did not create
		}
		have, err := in.Sink.TableColumns(ctx, e.TargetSchema, e.TargetTable)
		if err != nil {
			return err
		}
		var missing []string
		for _, c := range t.Columns {
			if !have[c.TargetName] {
				missing = append(missing, c.TargetName)
			}
		}
		for _, a := range t.Added {
			if !have[a.Name] {
				missing = append(missing, a.Name)
			}
		}
		if len(missing) > 0 {
			name := schema.QualifiedName(e.TargetSchema, e.TargetTable)
			r.Add(IDTargetColumns, Error, t.String(),
				fmt.Sprintf("--conflict ignore loads into the existing %s, which lacks the column(s) %s", name, strings.Join(missing, ", ")),
				fmt.Sprintf("ALTER TABLE %s ADD COLUMN …; or leave the columns out or rename them in the task file (tables: %s: columns / rename_columns)", name, t))
		}
	}
	return nil
}

// mergeMismatch says how two source tables merged into one target table
// differ in what the target holds: column names and types, and the key.
func mergeMismatch(a, b *schema.Table, o schema.Options) string {
	cols := func(t *schema.Table) string {
		var out []string
		for i := range t.Columns {
			typ, _ := schema.PGType(&t.Columns[i], o)
			out = append(out, t.Columns[i].TargetName+" "+typ)
		}
		return strings.Join(out, ", ")
	}
	if ca, cb := cols(a), cols(b); ca != cb {
		return fmt.Sprintf("their columns differ: (%s) and (%s)", ca, cb)
	}
	key := func(t *schema.Table) string {
		if k := t.Key(); k != nil {
			var names []string
			for _, c := range k.Columns {
				names = append(names, c.Name)
			}
			return strings.Join(names, ", ")
		}
		return "none"
	}
	if ka, kb := key(a), key(b); ka != kb {
		return fmt.Sprintf("their keys differ: (%s) and (%s)", ka, kb)
	}
	return ""
}
