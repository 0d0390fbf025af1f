package pipeline

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/sluicedb/sluice/internal/change"
	"github.com/sluicedb/sluice/internal/sink"
	"github.com/sluicedb/sluice/internal/source"
)

// copyChunk streams one chunk from a snapshot reader into the target.
func (t *task) copyChunk(ctx context.Context, reader *sql.Conn, pos *change.Position, j job) error {
	rows, err := source.ReadChunk(ctx, reader, j.lt.table, j.chunk)
	if err != nil {
		return err
	}
	defer rows.Close()
	rs := newRowSource(j.lt, rows)
	_, err = t.dst.CopyChunk(ctx, t.Task.Name, ref(j.lt.table), j.chunk.Seq, j.lt.cols, rs, func() int64 { return rs.bytes }, pos, t.copyMode(j.lt.table))
	if err != nil {
		if rs.err != nil { // the conversion error, not COPY's wrapping of it
			return rs.err
		}
		if sink.IsCode(err, "23505") {
			return fmt.Errorf("%w\nkeys that differ in MySQL became equal in PostgreSQL: zero dates in a key column all become -infinity; run with --zero-date fail to find the rows", err)
		}
		return err
	}
	j.lt.progress.ChunkDone()
	return nil
}
