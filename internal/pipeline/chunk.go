package pipeline

import (
	"context"
	"database/sql"

	"github.com/sluicedb/sluice/internal/source"
)

// copyChunk streams one chunk from a snapshot reader into the target.
func (t *task) copyChunk(ctx context.Context, reader *sql.Conn, j job) error {
	rows, err := source.ReadChunk(ctx, reader, j.lt.table, j.chunk)
	if err != nil {
		return err
	}
	defer rows.Close()
	rs := newRowSource(j.lt, rows)
	_, err = t.dst.CopyChunk(ctx, t.Task.Name, ref(j.lt.table), j.chunk.Seq, j.lt.cols, rs, func() int64 { return rs.bytes })
	if err != nil {
		if rs.err != nil { // the conversion error, not COPY's wrapping of it
			return rs.err
		}
		return err
	}
	j.lt.progress.ChunkDone()
	return nil
}
