-- bench/sysbench-prepare.lua — sysbench's own oltp_read_write "prepare"
-- (same tables, same data generator), with binary logging switched off for
-- the session that loads each table.
--
-- Why: the harness MariaDB writes a ROW binlog that sluice's tests read; a
-- few million benchmark rows would add about a gigabyte to it and slow the
-- prepare down. sql_log_bin is a session variable, so the stock script
-- cannot set it; this wrapper sets it on the connection create_table uses.
--
-- Run as: sysbench bench/sysbench-prepare.lua --db-driver=mysql ... prepare

require("oltp_read_write")

local create_table_stock = create_table

-- cmd_prepare (oltp_common.lua) calls the global create_table once per
-- table on its thread's connection.
function create_table(drv, con, table_num)
   con:query("SET SESSION sql_log_bin = 0")
   create_table_stock(drv, con, table_num)
end
