package value

import (
	"encoding/binary"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-mysql-org/go-mysql/replication"
)

// decodeBinlog returns what go-mysql's BinlogParser decodes from img, as the
// only column of a WRITE_ROWS event, with the settings the binlog reader
// uses: ParseTime=false, UseDecimal=false, TimestampStringLocation=time.UTC.
func decodeBinlog(t testing.TB, img *rowImage) any {
	t.Helper()
	p := replication.NewBinlogParser()
	p.SetParseTime(false)
	p.SetUseDecimal(false)
	p.SetTimestampStringLocation(time.UTC)
	p.SetRenderJSONAsMySQLText(img.mysqlText)
	parse := func(typ replication.EventType, body []byte) replication.Event {
		t.Helper()
		ev, err := p.Parse(eventBytes(typ, body))
		if err != nil {
			t.Fatalf("go-mysql parse %s: %v", typ, err)
		}
		return ev.Event
	}
	parse(replication.FORMAT_DESCRIPTION_EVENT, fdeBody())
	parse(replication.TABLE_MAP_EVENT, tableMapBody(img.col))
	rows := parse(replication.WRITE_ROWS_EVENTv1, rowsBody(img.data)).(*replication.RowsEvent)
	if len(rows.Rows) != 1 || len(rows.Rows[0]) != 1 {
		t.Fatalf("go-mysql decoded %d rows, want 1 with 1 column", len(rows.Rows))
	}
	return rows.Rows[0][0]
}

func eventBytes(typ replication.EventType, body []byte) []byte {
	h := make([]byte, replication.EventHeaderSize, replication.EventHeaderSize+len(body))
	h[4] = byte(typ)
	binary.LittleEndian.PutUint32(h[5:], 1) // server id
	binary.LittleEndian.PutUint32(h[9:], uint32(replication.EventHeaderSize+len(body)))
	return append(h, body...)
}

// fdeBody is a FORMAT_DESCRIPTION_EVENT of a server old enough to write no
// checksums, with 8-byte post-headers (6-byte table ids).
func fdeBody() []byte {
	b := make([]byte, 2+50+4+1+40)
	binary.LittleEndian.PutUint16(b, 4)
	copy(b[2:], "5.5.0-sluice-test")
	b[56] = replication.EventHeaderSize
	lengths := b[57:]
	lengths[replication.TABLE_MAP_EVENT-1] = 8
	lengths[replication.WRITE_ROWS_EVENTv1-1] = 8
	return b
}

func tableMapBody(col binlogCol) []byte {
	b := []byte{1, 0, 0, 0, 0, 0, 0, 0} // table id 1, flags
	b = append(b, 1, 'd', 0, 1, 't', 0) // schema "d", table "t"
	b = append(b, 1, col.typ)           // one column
	b = append(b, byte(len(col.meta)))
	b = append(b, col.meta...)
	b = append(b, 1) // nullable
	switch {
	case col.unsigned:
		b = append(b, replication.TABLE_MAP_OPT_META_SIGNEDNESS, 1, 0x80)
	case !col.noSign:
		b = append(b, replication.TABLE_MAP_OPT_META_SIGNEDNESS, 1, 0x00)
	}
	return b
}

func rowsBody(data []byte) []byte {
	b := []byte{1, 0, 0, 0, 0, 0, 0, 0} // table id 1, flags
	b = append(b, 1, 0x01)              // one column, present
	b = append(b, 0x00)                 // null bitmap: not NULL
	return append(b, data...)
}

// TestBinlogInputsAreGoMySQLOutput proves every binlog input the case tables
// feed to Binlog is exactly what go-mysql decodes from the same value's row
// image: same Go type, same value.
func TestBinlogInputsAreGoMySQLOutput(t *testing.T) {
	for _, tc := range allCases() {
		if tc.image == nil {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			got := decodeBinlog(t, tc.image)
			if !reflect.DeepEqual(got, tc.bin) {
				t.Fatalf("go-mysql decodes %T %#v, the case feeds %T %#v", got, got, tc.bin, tc.bin)
			}
		})
	}
}

func TestDecodeBinlogHarness(t *testing.T) {
	if got := decodeBinlog(t, imgInt(4, 0xffffffff, false, true)); got != int32(-1) {
		t.Fatalf("harness decoded %#v, want int32(-1)", got)
	}
}

func TestPartialJSONIsRejected(t *testing.T) {
	conv, err := New(&mysqlJSON, Policy{})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = conv.Binlog(&replication.JsonDiff{Op: replication.JsonDiffOperationReplace, Path: "$.a", Value: "1"})
	if err == nil || !strings.Contains(err.Error(), "binlog_row_value_options=''") {
		t.Fatalf("err = %v, want the partial JSON remedy", err)
	}
}
