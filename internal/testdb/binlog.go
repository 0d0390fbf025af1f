package testdb

import (
	"log/slog"
	"math/rand/v2"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/go-mysql-org/go-mysql/mysql"
	"github.com/go-mysql-org/go-mysql/replication"
)

// BinlogSyncer opens a go-mysql binlog stream on the server from pos,
// decoding values as sluice's binlog reader does (no time or decimal
// parsing, TIMESTAMP in UTC), for tests that compare binlog-decoded values
// with other paths. It is closed when t ends.
func (m *MySQLDB) BinlogSyncer(t testing.TB, pos mysql.Position) *replication.BinlogStreamer {
	t.Helper()
	u, err := url.Parse(m.URL)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	port, _ := strconv.Atoi(u.Port())
	pw, _ := u.User.Password()
	syncer := replication.NewBinlogSyncer(replication.BinlogSyncerConfig{
		ServerID: 100000 + rand.Uint32N(1<<30), Flavor: mysql.MariaDBFlavor,
		Host: u.Hostname(), Port: uint16(port), User: u.User.Username(), Password: pw,
		ParseTime: false, UseDecimal: false, TimestampStringLocation: time.UTC,
		Logger: slog.New(slog.DiscardHandler),
	})
	t.Cleanup(syncer.Close)
	streamer, err := syncer.StartSync(pos)
	if err != nil {
		t.Fatalf("testdb: reading the binlog from %s: %v", pos, err)
	}
	return streamer
}
