package value

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/sluicedb/sluice/internal/schema"
)

func scaled(k schema.Kind, scale int) schema.Column {
	return schema.Column{Name: "t", Kind: k, Scale: scale, Nullable: true}
}

func date(y, m, d int) pgtype.Date {
	return pgtype.Date{Time: time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), Valid: true}
}

func ts(y, mo, d, h, mi, s, us int) pgtype.Timestamp {
	return pgtype.Timestamp{Time: time.Date(y, time.Month(mo), d, h, mi, s, us*1000, time.UTC), Valid: true}
}

func tstz(y, mo, d, h, mi, s, us int) pgtype.Timestamptz {
	return pgtype.Timestamptz{Time: time.Date(y, time.Month(mo), d, h, mi, s, us*1000, time.UTC), Valid: true}
}

var (
	failZero    = Policy{ZeroDateNotNull: ZeroDateFail}
	negInfDate  = pgtype.Date{InfinityModifier: pgtype.NegativeInfinity, Valid: true}
	negInfTS    = pgtype.Timestamp{InfinityModifier: pgtype.NegativeInfinity, Valid: true}
	negInfTSTZ  = pgtype.Timestamptz{InfinityModifier: pgtype.NegativeInfinity, Valid: true}
	dateCol     = kindCol(schema.KindDate)
	dateNotNull = notNull(kindCol(schema.KindDate))
)

var temporalCases = []tcase{
	{name: "date leap day", col: dateCol, snap: []byte("2024-02-29"), bin: "2024-02-29", image: imgDate(2024, 2, 29), want: date(2024, 2, 29)},
	{name: "date year 1", col: dateCol, snap: []byte("0001-01-01"), bin: "0001-01-01", image: imgDate(1, 1, 1), want: date(1, 1, 1)},
	{name: "date year 999", col: dateCol, snap: []byte("0999-12-31"), bin: "0999-12-31", image: imgDate(999, 12, 31), want: date(999, 12, 31)},
	{name: "date year 9999", col: dateCol, snap: []byte("9999-12-31"), bin: "9999-12-31", image: imgDate(9999, 12, 31), want: date(9999, 12, 31)},
	{name: "date 1900-02-28 not leap", col: dateCol, snap: []byte("1900-02-29"), bin: "1900-02-29", err: "not a calendar date"},
	{name: "zero date nullable", col: dateCol, snap: []byte("0000-00-00"), bin: "0000-00-00", image: imgDate(0, 0, 0), want: nil, fix: FixZeroDateNull},
	{name: "zero date not null", col: dateNotNull, snap: []byte("0000-00-00"), bin: "0000-00-00", image: imgDate(0, 0, 0), want: negInfDate, fix: FixZeroDateInfinity},
	{name: "zero date not null fail", col: dateNotNull, pol: failZero, snap: []byte("0000-00-00"), bin: "0000-00-00", err: "zero or partial-zero date"},
	{name: "month 0 nullable", col: dateCol, snap: []byte("2020-00-15"), bin: "2020-00-15", image: imgDate(2020, 0, 15), want: nil, fix: FixZeroDateNull},
	{name: "month 0 not null", col: dateNotNull, snap: []byte("2020-00-15"), bin: "2020-00-15", image: imgDate(2020, 0, 15), want: negInfDate, fix: FixZeroDateInfinity},
	{name: "day 0 not null", col: dateNotNull, snap: []byte("2020-05-00"), bin: "2020-05-00", image: imgDate(2020, 5, 0), want: negInfDate, fix: FixZeroDateInfinity},
	{name: "year 0 valid month and day", col: dateCol, snap: []byte("0000-01-01"), bin: "0000-01-01", image: imgDate(0, 1, 1), want: nil, fix: FixZeroDateNull},
	{name: "invalid date never normalised", col: dateCol, snap: []byte("2021-02-31"), bin: "2021-02-31", image: imgDate(2021, 2, 31), err: "not a calendar date (day 31 of month 2"},
	{name: "date short fields", col: dateCol, snap: []byte("2021-2-3"), bin: "2021-2-3", err: "not DATE text"},
	{name: "date with time", col: dateCol, snap: []byte("2021-02-03 00:00:00"), bin: none, err: "not DATE text"},
	{name: "date month 13", col: dateCol, snap: []byte("2021-13-01"), bin: "2021-13-01", err: "not DATE text"},
	{name: "date as time.Time", col: dateCol, snap: time.Time{}, bin: time.Time{}, err: "has Go type time.Time"},

	{name: "datetime(6)", col: scaled(schema.KindDatetime, 6), snap: []byte("2020-01-02 03:04:05.000001"), bin: "2020-01-02 03:04:05.000001",
		image: imgDatetime2(6, 2020, 1, 2, 3, 4, 5, 1), want: ts(2020, 1, 2, 3, 4, 5, 1)},
	{name: "datetime(0) year 999", col: scaled(schema.KindDatetime, 0), snap: []byte("0999-12-31 23:59:59"), bin: "0999-12-31 23:59:59",
		image: imgDatetime2(0, 999, 12, 31, 23, 59, 59, 0), want: ts(999, 12, 31, 23, 59, 59, 0)},
	{name: "datetime(0) year 1", col: scaled(schema.KindDatetime, 0), snap: []byte("0001-01-01 00:00:00"), bin: "0001-01-01 00:00:00",
		image: imgDatetime2(0, 1, 1, 1, 0, 0, 0, 0), want: ts(1, 1, 1, 0, 0, 0, 0)},
	{name: "datetime(1) half", col: scaled(schema.KindDatetime, 1), snap: []byte("1969-12-31 23:59:59.5"), bin: "1969-12-31 23:59:59.5",
		image: imgDatetime2(1, 1969, 12, 31, 23, 59, 59, 500000), want: ts(1969, 12, 31, 23, 59, 59, 500000)},
	{name: "datetime(3)", col: scaled(schema.KindDatetime, 3), snap: []byte("2038-01-19 03:14:07.123"), bin: "2038-01-19 03:14:07.123",
		image: imgDatetime2(3, 2038, 1, 19, 3, 14, 7, 123000), want: ts(2038, 1, 19, 3, 14, 7, 123000)},
	{name: "datetime(6) max", col: scaled(schema.KindDatetime, 6), snap: []byte("9999-12-31 23:59:59.999999"), bin: "9999-12-31 23:59:59.999999",
		image: imgDatetime2(6, 9999, 12, 31, 23, 59, 59, 999999), want: ts(9999, 12, 31, 23, 59, 59, 999999)},
	{name: "zero datetime(6) nullable", col: scaled(schema.KindDatetime, 6), snap: []byte("0000-00-00 00:00:00.000000"), bin: "0000-00-00 00:00:00.000000",
		image: imgDatetime2(6, 0, 0, 0, 0, 0, 0, 0), want: nil, fix: FixZeroDateNull},
	{name: "zero datetime not null", col: notNull(scaled(schema.KindDatetime, 0)), snap: []byte("0000-00-00 00:00:00"), bin: "0000-00-00 00:00:00",
		image: imgDatetime2(0, 0, 0, 0, 0, 0, 0, 0), want: negInfTS, fix: FixZeroDateInfinity},
	{name: "zero datetime not null fail", col: notNull(scaled(schema.KindDatetime, 0)), pol: failZero, snap: []byte("0000-00-00 00:00:00"), bin: "0000-00-00 00:00:00", err: "NOT NULL column"},
	{name: "datetime month 0", col: notNull(scaled(schema.KindDatetime, 0)), snap: []byte("2020-00-15 10:00:00"), bin: "2020-00-15 10:00:00",
		image: imgDatetime2(0, 2020, 0, 15, 10, 0, 0, 0), want: negInfTS, fix: FixZeroDateInfinity},
	{name: "datetime day 0", col: scaled(schema.KindDatetime, 2), snap: []byte("2020-05-00 00:00:00.00"), bin: "2020-05-00 00:00:00.00",
		image: imgDatetime2(2, 2020, 5, 0, 0, 0, 0, 0), want: nil, fix: FixZeroDateNull},
	{name: "datetime hour 24", col: scaled(schema.KindDatetime, 0), snap: []byte("2020-01-01 24:00:00"), bin: "2020-01-01 24:00:00", err: "not DATETIME text"},
	{name: "datetime 7 fraction digits", col: scaled(schema.KindDatetime, 6), snap: []byte("2020-01-01 00:00:00.1234567"), bin: none, err: "not DATETIME text"},

	{name: "timestamp(6) 2038", col: scaled(schema.KindTimestamp, 6), snap: []byte("2038-01-19 03:14:07.999999"), bin: "2038-01-19 03:14:07.999999",
		image: imgTimestamp2(6, 2147483647, 999999), want: tstz(2038, 1, 19, 3, 14, 7, 999999)},
	{name: "timestamp(0) epoch+1", col: scaled(schema.KindTimestamp, 0), snap: []byte("1970-01-01 00:00:01"), bin: "1970-01-01 00:00:01",
		image: imgTimestamp2(0, 1, 0), want: tstz(1970, 1, 1, 0, 0, 1, 0)},
	{name: "timestamp(0) MariaDB 2106", col: scaled(schema.KindTimestamp, 0), snap: []byte("2106-02-07 06:28:15"), bin: "2106-02-07 06:28:15",
		image: imgTimestamp2(0, 4294967295, 0), want: tstz(2106, 2, 7, 6, 28, 15, 0)},
	{name: "timestamp(4)", col: scaled(schema.KindTimestamp, 4), snap: []byte("2001-09-09 01:46:40.1234"), bin: "2001-09-09 01:46:40.1234",
		image: imgTimestamp2(4, 1000000000, 123400), want: tstz(2001, 9, 9, 1, 46, 40, 123400)},
	{name: "zero timestamp(3) not null", col: notNull(scaled(schema.KindTimestamp, 3)), snap: []byte("0000-00-00 00:00:00.000"), bin: "0000-00-00 00:00:00.000",
		image: imgTimestamp2(3, 0, 0), want: negInfTSTZ, fix: FixZeroDateInfinity},
	{name: "zero timestamp nullable", col: scaled(schema.KindTimestamp, 0), snap: []byte("0000-00-00 00:00:00"), bin: "0000-00-00 00:00:00",
		image: imgTimestamp2(0, 0, 0), want: nil, fix: FixZeroDateNull},
}

func us(h, m, s, micro int64) int64 { return ((h*60+m)*60+s)*1_000_000 + micro }

func interval(micro int64) pgtype.Interval { return pgtype.Interval{Microseconds: micro, Valid: true} }

var timeCases = []tcase{
	{name: "time max", col: scaled(schema.KindTime, 0), snap: []byte("838:59:59"), bin: "838:59:59", image: imgTime2(0, false, 838, 59, 59, 0), want: interval(us(838, 59, 59, 0))},
	{name: "time min", col: scaled(schema.KindTime, 0), snap: []byte("-838:59:59"), bin: "-838:59:59", image: imgTime2(0, true, 838, 59, 59, 0), want: interval(-us(838, 59, 59, 0))},
	{name: "time(6) max", col: scaled(schema.KindTime, 6), snap: []byte("838:59:59.000000"), bin: "838:59:59", image: imgTime2(6, false, 838, 59, 59, 0), want: interval(us(838, 59, 59, 0))},
	{name: "time zero", col: scaled(schema.KindTime, 0), snap: []byte("00:00:00"), bin: "00:00:00", image: imgTime2(0, false, 0, 0, 0, 0), want: interval(0)},
	{name: "time 24h stays hours", col: scaled(schema.KindTime, 0), snap: []byte("24:00:00"), bin: "24:00:00", image: imgTime2(0, false, 24, 0, 0, 0), want: interval(us(24, 0, 0, 0))},
	{name: "time 100h", col: scaled(schema.KindTime, 0), snap: []byte("100:00:01"), bin: "100:00:01", image: imgTime2(0, false, 100, 0, 1, 0), want: interval(us(100, 0, 1, 0))},
	{name: "time(1) -0.5s", col: scaled(schema.KindTime, 1), snap: []byte("-00:00:00.5"), bin: "-00:00:00.5", image: imgTime2(1, true, 0, 0, 0, 500000), want: interval(-500000)},
	{name: "time(6) -0.5s", col: scaled(schema.KindTime, 6), snap: []byte("-00:00:00.500000"), bin: "-00:00:00.500000", image: imgTime2(6, true, 0, 0, 0, 500000), want: interval(-500000)},
	{name: "time(3) -1.25s", col: scaled(schema.KindTime, 3), snap: []byte("-00:00:01.250"), bin: "-00:00:01.250", image: imgTime2(3, true, 0, 0, 1, 250000), want: interval(-1250000)},
	{name: "time(2) -1h0.01s", col: scaled(schema.KindTime, 2), snap: []byte("-01:00:00.01"), bin: "-01:00:00.01", image: imgTime2(2, true, 1, 0, 0, 10000), want: interval(-us(1, 0, 0, 10000))},
	{name: "time(6) -1µs", col: scaled(schema.KindTime, 6), snap: []byte("-00:00:00.000001"), bin: "-00:00:00.000001", image: imgTime2(6, true, 0, 0, 0, 1), want: interval(-1)},
	{name: "time(6) max fraction", col: scaled(schema.KindTime, 6), snap: []byte("838:59:59.999999"), bin: "838:59:59.999999", want: interval(us(838, 59, 59, 999999))},
	{name: "time 839h", col: scaled(schema.KindTime, 0), snap: []byte("839:00:00"), bin: "839:00:00", err: "not TIME text"},
	{name: "time minute 60", col: scaled(schema.KindTime, 0), snap: []byte("12:60:00"), bin: "12:60:00", err: "not TIME text"},
	{name: "time short fields", col: scaled(schema.KindTime, 0), snap: []byte("1:2:3"), bin: "1:2:3", err: "not TIME text"},
	{name: "time as int", col: scaled(schema.KindTime, 0), snap: int64(1), bin: int64(1), err: "has Go type int64"},
}

func TestTemporal(t *testing.T) { runCases(t, temporalCases) }
func TestTime(t *testing.T)     { runCases(t, timeCases) }
