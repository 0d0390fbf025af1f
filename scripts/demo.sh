#!/usr/bin/env bash
# The sluice demo: a sample "shop" database of about 1 M rows on the harness
# MariaDB, synced into the harness PostgreSQL with progress bars, then the row
# counts of both sides side by side. Run it with `make demo`, which starts the
# servers (scripts/dbs.sh) and builds bin/sluice first.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/dbs.sh env)"

MYSQL_PORT=${SLUICE_MYSQL_PORT:-33061}
PG_PORT=${SLUICE_PG_PORT:-54321}
my() { mariadb --default-character-set=utf8mb4 -h127.0.0.1 -P"$MYSQL_PORT" -uroot "$@"; }
pg() { psql -X -q -v ON_ERROR_STOP=1 -h127.0.0.1 -p"$PG_PORT" -U postgres "$@"; }

CUSTOMERS=${DEMO_CUSTOMERS:-100000}
PRODUCTS=${DEMO_PRODUCTS:-20000}
ORDERS=${DEMO_ORDERS:-300000}

echo "== creating the sample database shop on MariaDB 127.0.0.1:$MYSQL_PORT ($CUSTOMERS customers, $PRODUCTS products, $ORDERS orders, 2 items per order)"
my <<SQL
DROP DATABASE IF EXISTS shop;
CREATE DATABASE shop CHARACTER SET utf8mb4;
USE shop;
CREATE TABLE customers (
  id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(255) NOT NULL,
  name VARCHAR(100) NOT NULL COMMENT 'display name',
  country CHAR(2) NOT NULL DEFAULT 'DE',
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  balance DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  vip TINYINT(1) NOT NULL DEFAULT 0,
  tags SET('new','returning','wholesale','newsletter') NOT NULL DEFAULT '',
  profile JSON,
  UNIQUE KEY uk_email (email),
  KEY idx_country_created (country, created_at)
) COMMENT 'people who buy';
CREATE TABLE products (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  sku BINARY(16) NOT NULL,
  name VARCHAR(200) NOT NULL,
  price DECIMAL(10,2) NOT NULL,
  weight_kg FLOAT,
  status ENUM('draft','active','retired') NOT NULL DEFAULT 'draft',
  description TEXT,
  warehouse POINT,
  UNIQUE KEY uk_sku (sku),
  KEY idx_name (name(20))
);
CREATE TABLE orders (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  customer_id BIGINT UNSIGNED NOT NULL,
  status ENUM('new','paid','shipped','cancelled') NOT NULL,
  placed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  total DECIMAL(14,2) NOT NULL,
  delivery_window TIME,
  note TEXT,
  KEY idx_customer (customer_id),
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
);
CREATE TABLE order_items (
  order_id BIGINT NOT NULL,
  line_no SMALLINT UNSIGNED NOT NULL,
  product_id INT UNSIGNED NOT NULL,
  qty SMALLINT UNSIGNED NOT NULL,
  unit_price DECIMAL(10,2) NOT NULL,
  PRIMARY KEY (order_id, line_no),
  CONSTRAINT fk_items_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
  CONSTRAINT fk_items_product FOREIGN KEY (product_id) REFERENCES products (id)
);
SET SESSION sql_log_bin = 0;
INSERT INTO customers (email, name, country, created_at, balance, vip, tags, profile)
SELECT CONCAT('user', seq, '@example.com'), CONCAT('Customer ', seq, IF(seq % 7 = 0, ' Müller 😀', '')),
       ELT(1 + seq % 5, 'DE', 'FR', 'US', 'JP', 'BR'),
       TIMESTAMP('2020-01-01') + INTERVAL seq MINUTE + INTERVAL (seq % 1000000) MICROSECOND,
       (seq % 100000) / 100, seq % 10 = 0, ELT(1 + seq % 4, 'new', 'returning', 'new,newsletter', ''),
       IF(seq % 3 = 0, NULL, JSON_OBJECT('lang', ELT(1 + seq % 3, 'de', 'en', 'ja'), 'score', seq % 97))
FROM seq_1_to_${CUSTOMERS};
INSERT INTO products (sku, name, price, weight_kg, status, description, warehouse)
SELECT UNHEX(MD5(seq)), CONCAT('Product ', seq), 1 + (seq % 50000) / 100, (seq % 1000) / 7,
       ELT(1 + seq % 3, 'draft', 'active', 'retired'), REPEAT('lorem ipsum ', 1 + seq % 20),
       IF(seq % 4 = 0, NULL, POINT(seq % 180, seq % 90))
FROM seq_1_to_${PRODUCTS};
INSERT INTO orders (customer_id, status, placed_at, total, delivery_window, note)
SELECT 1 + seq % ${CUSTOMERS}, ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'cancelled'),
       TIMESTAMP('2023-01-01') + INTERVAL seq SECOND, (seq % 100000) / 10,
       SEC_TO_TIME(seq % 86400), IF(seq % 5 = 0, 'leave at the door', NULL)
FROM seq_1_to_${ORDERS};
INSERT INTO order_items (order_id, line_no, product_id, qty, unit_price)
SELECT o.seq, l.seq, 1 + (o.seq * 7 + l.seq) % ${PRODUCTS}, 1 + o.seq % 5, 1 + (o.seq % 5000) / 100
FROM seq_1_to_${ORDERS} o, seq_1_to_2 l;
ANALYZE TABLE customers, products, orders, order_items;
SQL

echo "== creating the empty target database shop_demo on PostgreSQL 127.0.0.1:$PG_PORT"
pg -d postgres -c "DROP DATABASE IF EXISTS shop_demo WITH (FORCE)" -c "CREATE DATABASE shop_demo"

echo "== sluice run --phases schema,full"
set -x
bin/sluice run \
  --source "mysql://root@127.0.0.1:$MYSQL_PORT" \
  --target "postgres://postgres@127.0.0.1:$PG_PORT/shop_demo?sslmode=disable" \
  --include 'shop.*' --phases schema,full \
  --ack prefix-index # products.idx_name (name(20)) becomes an index on left(name, 20)
set +x

echo "== changes on the source after the copy: new orders, price changes, cancellations"
my shop <<SQL
INSERT INTO orders (customer_id, status, total, note)
  SELECT 1 + seq % ${CUSTOMERS}, 'new', seq, 'placed during the demo' FROM seq_1_to_5000;
UPDATE products SET price = price * 1.1 WHERE id % 10 = 0;
DELETE FROM order_items WHERE order_id % 1000 = 0;
UPDATE orders SET status = 'cancelled' WHERE id % 1000 = 0;
SQL

echo "== sluice run --stop-when-caught-up: follow the binlog from the snapshot, exit when caught up"
set -x
bin/sluice run \
  --source "mysql://root@127.0.0.1:$MYSQL_PORT" \
  --target "postgres://postgres@127.0.0.1:$PG_PORT/shop_demo?sslmode=disable" \
  --include 'shop.*' --stop-when-caught-up
set +x

echo "== row counts, source vs target"
for t in customers products orders order_items; do
  src=$(my -N -e "SELECT COUNT(*) FROM shop.$t")
  dst=$(pg -d shop_demo -At -c "SELECT count(*) FROM shop.$t")
  printf '%-12s mariadb %8s   postgresql %8s   %s\n' "$t" "$src" "$dst" "$([ "$src" = "$dst" ] && echo same || echo DIFFERENT)"
done
echo "== sluice verify: every row of every table, compared key range by key range inside both databases"
set -x
bin/sluice verify \
  --source "mysql://root@127.0.0.1:$MYSQL_PORT" \
  --target "postgres://postgres@127.0.0.1:$PG_PORT/shop_demo?sslmode=disable" \
  --include 'shop.*'
set +x
echo "== try it: psql -h 127.0.0.1 -p $PG_PORT -U postgres shop_demo -c '\\d shop.orders'"
