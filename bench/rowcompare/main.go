package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/big"
	"os"
	"reflect"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgtype"
	"golang.org/x/sync/errgroup"

	"github.com/sluicedb/sluice/internal/config"
	"github.com/sluicedb/sluice/internal/schema"
	"github.com/sluicedb/sluice/internal/sink"
	"github.com/sluicedb/sluice/internal/source"
	"github.com/sluicedb/sluice/internal/value"
)

type patterns []string

func (p *patterns) String() string     { return strings.Join(*p, ",") }
func (p *patterns) Set(s string) error { *p = append(*p, s); return nil }

func main() {
	var include patterns
	src := flag.String("source", "", "source URL")
	dst := flag.String("target", "", "target URL")
	parallel := flag.Int("parallel", 4, "tables compared at once")
	flag.Var(&include, "include", "db.table pattern (repeatable)")
	flag.Parse()
	rows, diffs, err := run(context.Background(), *src, *dst, include, *parallel)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rowcompare:", err)
		os.Exit(1)
	}
	fmt.Printf("rows %d differences %d\n", rows, diffs)
	if diffs > 0 {
		os.Exit(1)
	}
}

func run(ctx context.Context, srcURL, dstURL string, include []string, parallel int) (rows, diffs int64, err error) {
	scfg, err := config.ParseSource(srcURL)
	if err != nil {
		return 0, 0, err
	}
	dcfg, err := config.ParseTarget(dstURL)
	if err != nil {
		return 0, 0, err
	}
	sel, err := config.NewSelection(include, nil)
	if err != nil {
		return 0, 0, err
	}
	src, err := source.Open(ctx, scfg)
	if err != nil {
		return 0, 0, err
	}
	defer src.Close()
	dst, err := sink.Open(ctx, dcfg, parallel+1)
	if err != nil {
		return 0, 0, err
	}
	defer dst.Close()
	tables, _, err := src.Catalog(ctx, sel)
	if err != nil {
		return 0, 0, err
	}
	var nrows, ndiffs atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallel)
	for _, t := range tables {
		g.Go(func() error {
			r, d, err := compareTable(gctx, src, dst, t)
			nrows.Add(r)
			ndiffs.Add(d)
			return err
		})
	}
	err = g.Wait()
	return nrows.Load(), ndiffs.Load(), err
}

// compareTable streams both sides in key order and walks them together.
func compareTable(ctx context.Context, src *source.Source, dst *sink.Sink, t *schema.Table) (rows, diffs int64, err error) {
	key := t.Key()
	if key == nil || len(key.Columns) != 1 || t.Column(key.Columns[0].Name).Kind != schema.KindInt {
		return 0, 0, fmt.Errorf("%s: only tables with one integer key column are supported", t)
	}
	k := t.ColumnIndex(key.Columns[0].Name)
	convs := make([]*value.Converter, len(t.Columns))
	my, pg := make([]string, len(t.Columns)), make([]string, len(t.Columns))
	for i := range t.Columns {
		if convs[i], err = value.New(&t.Columns[i], value.Policy{}); err != nil {
			return 0, 0, err
		}
		my[i], pg[i] = schema.MySQL.Quote(t.Columns[i].Name), schema.Ident(t.Columns[i].TargetName)
	}
	stmt, err := src.DB.PrepareContext(ctx, "SELECT "+strings.Join(my, ", ")+" FROM "+schema.MySQL.Quote(t.Database)+"."+
		schema.MySQL.Quote(t.Name)+" ORDER BY "+my[k])
	if err != nil {
		return 0, 0, err
	}
	defer stmt.Close()
	mrows, err := stmt.QueryContext(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer mrows.Close()
	prows, err := dst.Pool.Query(ctx, "SELECT "+strings.Join(pg, ", ")+" FROM "+
		schema.QualifiedName(t.TargetSchema, t.TargetName)+" ORDER BY "+pg[k])
	if err != nil {
		return 0, 0, err
	}
	defer prows.Close()
	fields := prows.FieldDescriptions()
	m := pgtype.NewMap()
	raw, dest := make([]any, len(convs)), make([]any, len(convs))
	for i := range raw {
		dest[i] = &raw[i]
	}
	var buf []byte
	for mrows.Next() {
		if err := mrows.Scan(dest...); err != nil {
			return rows, diffs, err
		}
		rows++
		if !prows.Next() {
			diffs++ // missing at the end of the target
			continue
		}
		got := prows.RawValues()
		for i, conv := range convs {
			v, _, err := conv.Snapshot(raw[i])
			if err != nil {
				return rows, diffs, err
			}
			if v == nil || got[i] == nil {
				if (v == nil) != (got[i] == nil) {
					diffs++
				}
				continue
			}
			oid := fields[i].DataTypeOID
			if buf, err = m.Encode(oid, pgtype.BinaryFormatCode, v, buf[:0]); err != nil {
				return rows, diffs, fmt.Errorf("%s column %s: %w", t, t.Columns[i].Name, err)
			}
			switch oid {
			case pgtype.NumericOID: // pgx's binary numeric may carry a zero digit group the server's does not
				var a, b pgtype.Numeric
				if m.Scan(oid, pgtype.BinaryFormatCode, buf, &a) != nil || m.Scan(oid, pgtype.BinaryFormatCode, got[i], &b) != nil ||
					!sameNumeric(a, b) {
					diffs++
				}
				continue
			}
			if oid == pgtype.JSONBOID {
				if !sameJSON(jsonText(buf), jsonText(got[i])) {
					diffs++
				}
			} else if !bytes.Equal(buf, got[i]) {
				diffs++
			}
		}
	}
	for prows.Next() {
		diffs++ // extra at the end of the target
	}
	if err := mrows.Err(); err != nil {
		return rows, diffs, err
	}
	return rows, diffs, prows.Err()
}

// sameNumeric compares two finite numerics by value.
func sameNumeric(a, b pgtype.Numeric) bool {
	if a.NaN || b.NaN || a.InfinityModifier != b.InfinityModifier {
		return a.NaN == b.NaN && a.InfinityModifier == b.InfinityModifier
	}
	x, y := new(big.Int).Set(a.Int), new(big.Int).Set(b.Int)
	for e := a.Exp; e > b.Exp; e-- {
		x.Mul(x, big.NewInt(10))
	}
	for e := b.Exp; e > a.Exp; e-- {
		y.Mul(y, big.NewInt(10))
	}
	return x.Cmp(y) == 0
}

// jsonText strips the version byte of jsonb's binary form (pgx reads
// jsonb as text, and encodes it as binary).
func jsonText(b []byte) []byte {
	if len(b) > 0 && b[0] == 1 {
		return b[1:]
	}
	return b
}

func sameJSON(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}
