-- bench/widedb.sql — the wide table of the benchmark: widedb.wide, one row
-- per sequence number, every column filled with varied, realistic values
-- (some NULLs, non-ASCII text, tabs/newlines/backslashes in a few rows, full
-- 64-bit unsigned range, arbitrary bytes in the binary column).
-- bench/run.sh replaces @ROWS@ with the row count before running it.
-- Nothing of this goes to the binlog (see sysbench-prepare.lua for why).
SET SESSION sql_log_bin = 0;
SET SESSION time_zone = '+00:00';

DROP DATABASE IF EXISTS widedb;
CREATE DATABASE widedb CHARACTER SET utf8mb4;
USE widedb;

CREATE TABLE wide (
  id          BIGINT NOT NULL PRIMARY KEY,
  qty         INT NOT NULL,
  big_u       BIGINT UNSIGNED NOT NULL,
  amount      DECIMAL(18,4) NOT NULL,
  ratio       DOUBLE NOT NULL,
  score       FLOAT,
  code        VARCHAR(64) NOT NULL,
  title       VARCHAR(255),
  body        TEXT,
  created_at  DATETIME(6) NOT NULL,
  updated_at  TIMESTAMP NULL,
  birthday    DATE,
  opens_at    TIME,
  status      ENUM('new','active','suspended','closed') NOT NULL,
  attrs       JSON,
  uid         BINARY(16) NOT NULL,
  flag        TINYINT NOT NULL,
  mask        BIT(8) NOT NULL,
  KEY idx_code (code),
  KEY idx_created (created_at)
) ENGINE=InnoDB COMMENT='sluice bench wide v1';

INSERT INTO wide
SELECT
  seq,
  (seq * 7919) % 2000000000 - 1000000000,
  IF(seq % 2 = 0, (seq % 4000000) * 1844674407370 + 17, 18446744073709551615 - seq * 12345),
  ((seq * 104729) % 100000000000) / 10000 - 1000000,
  SIN(seq) * 1000000,
  IF(seq % 10 = 0, NULL, (seq % 1000) / 7),
  CONCAT('SKU-', LPAD(seq, 9, '0'), '-', LEFT(MD5(seq), 8)),
  IF(seq % 13 = 0, NULL,
     CONCAT('Item ', seq, ' ', ELT(1 + seq % 5, 'Müller & Söhne', 'naïve café', '日本語のタイトル', 'plain title', 'emoji 😀'))),
  IF(seq % 29 = 0, NULL,
     CONCAT('Lorem ipsum ', seq, ': ', MD5(seq), ' ', SHA1(seq), ' ', MD5(seq * 3), ' ', SHA1(seq * 7),
            IF(seq % 17 = 0, '\n\tsecond line, a backslash \\ and a quote \'', ''))),
  TIMESTAMP('2015-01-01') + INTERVAL seq * 97 SECOND + INTERVAL (seq * 7919) % 1000000 MICROSECOND,
  IF(seq % 9 = 0, NULL, FROM_UNIXTIME(1500000000 + seq * 61)),
  IF(seq % 8 = 0, NULL, DATE('1950-01-01') + INTERVAL seq % 25000 DAY),
  IF(seq % 11 = 0, NULL, SEC_TO_TIME(seq % 86400)),
  ELT(1 + seq % 4, 'new', 'active', 'suspended', 'closed'),
  IF(seq % 7 = 0, NULL,
     JSON_OBJECT('v', seq % 100, 'tag', ELT(1 + seq % 3, 'a', 'b', 'say "hi"'), 'ok', seq % 2 = 0,
                 'tags', JSON_ARRAY('x', seq % 5))),
  UNHEX(MD5(seq)),
  seq % 256 - 128,
  seq % 256
-- seq is BIGINT UNSIGNED; signed arithmetic needs a signed seq.
FROM (SELECT CAST(seq AS SIGNED) AS seq FROM seq_1_to_@ROWS@) s;

ANALYZE TABLE wide;
