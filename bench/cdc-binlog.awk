# bench/cdc-binlog.awk — turns the row images of a binlog range, decoded by
#   mariadb-binlog --verbose --base64-output=DECODE-ROWS
# into the two PostgreSQL reference replays of bench/cdc.sh. Every row
# change of database `db` becomes, in binlog order:
#
#   sql:   one single-row statement, COMMIT; BEGIN; every `txn` statements
#            INSERT INTO db.t (c1, …) VALUES (after image)
#            UPDATE db.t SET c1 = …, … (after image) WHERE key = (before key)
#            DELETE FROM db.t WHERE key = (before key)
#          (the same statement shapes sluice sends: an update sets every
#          column of the after image, keyed by the before image's key).
#   merge: one line of a COPY into a staging table per target table; every
#          `batch` changes one transaction: the COPYs, then per table one
#          merge statement that takes each key's last change of the batch
#          and applies it (DELETE … USING for deletes, INSERT … ON CONFLICT
#          DO UPDATE for inserts and updates). An update that changes the key
#          is staged as a delete of the old key and an upsert of the new one.
#
# Variables (awk -v): db (source database = target schema), cols (the tables'
# column names, comma-separated, the key first; every table of db must have
# these columns, as sysbench's do), sql and merge (output paths), txn and batch.
#
# Prints one summary line on stdout:
#   inserts=N updates=N deletes=N transactions=N other=N merged=N
# where transactions counts the binlog transactions with changes of db,
# other the row changes of other databases in the range (other sessions'
# work on the shared server, which the replays leave out), and merged the
# rows the merge replay writes: each key's changes within a batch collapse
# into its last one (sysbench's delete and re-insert of a key in one
# transaction become one upsert).
#
# Values: integers as printed; strings must come quoted and free of quotes,
# backslashes and control characters (sysbench's are digits and dashes), so
# they go into SQL literals and COPY text unchanged; anything else stops
# the conversion (exit 3) rather than guess at mariadb-binlog's escaping.

function die(msg) {
  printf "cdc-binlog.awk: line %d: %s\n", NR, msg > "/dev/stderr"
  failed = 1
  exit 3
}

# value(s): the literal of a column value as printed by mariadb-binlog;
# sets V_SQL (SQL literal) and V_COPY (COPY text).
function value(s,    inner) {
  if (s == "NULL") { V_SQL = "NULL"; V_COPY = "\\N"; return }
  if (s ~ /^'/) {
    if (s !~ /^'.*'$/) die("unterminated string value: " s)
    inner = substr(s, 2, length(s) - 2)
    if (inner ~ /['\\]/ || inner ~ /[[:cntrl:]]/) die("string value with quotes, backslashes or control characters: " s)
    V_SQL = "'" inner "'"
    V_COPY = inner
    return
  }
  # Integers: negative values of integer columns are printed as
  # "-1 (4294967295)", the signed and the unsigned reading.
  sub(/ \([0-9]+\)$/, "", s)
  if (s !~ /^-?[0-9]+(\.[0-9]+)?$/) die("value neither quoted nor numeric: " s)
  V_SQL = s
  V_COPY = s
}

# start(op): a new row of the current event.
function start(op) {
  OP = op
  delete BS; delete BC; delete AS; delete AC
  SEC = ""
  HAVE_B = 0; HAVE_A = 0
}

function qualified(t) { return db "." t }

# stage(t, op, which): one line for t's staging table from image which
# ("A" after, "B" before).
function stage(t, op, which,    line, i, key) {
  seq++
  key = which == "A" ? AC[1] : BC[1]
  if (!((t, key) in seen)) { seen[t, key] = 1; merged++ }
  line = seq "\t" op
  for (i = 1; i <= ncols; i++) {
    if (which == "A") line = line "\t" AC[i]
    else if (i == 1) line = line "\t" BC[1]
    else line = line "\t\\N"
  }
  if (!(t in staged)) { staged[t] = 0; order[++norder] = t }
  L[t, ++staged[t]] = line
}

function emit_sql(stmt) {
  print stmt ";" > sql
  if (++nsql % txn == 0) print "COMMIT;\nBEGIN;" > sql
}

# flush: the row just read is complete; write it out.
function flush(    i, set, vals) {
  if (OP == "") return
  if (SKIP) { other++; OP = ""; return }
  if (!counted) { counted = 1; txns++ }
  for (i = 1; i <= ncols; i++) {
    if ((OP != "D" && !(i in AS)) || (OP != "I" && i == 1 && !(1 in BS))) die("row image of " TABLE " without column @" i)
  }
  if (OP == "I") {
    inserts++
    vals = AS[1]
    for (i = 2; i <= ncols; i++) vals = vals ", " AS[i]
    emit_sql("INSERT INTO " qualified(TABLE) " (" collist ") VALUES (" vals ")")
    stage(TABLE, "I", "A")
  } else if (OP == "U") {
    updates++
    set = C[1] " = " AS[1]
    for (i = 2; i <= ncols; i++) set = set ", " C[i] " = " AS[i]
    emit_sql("UPDATE " qualified(TABLE) " SET " set " WHERE " C[1] " = " BS[1])
    if (AC[1] != BC[1]) stage(TABLE, "D", "B")
    stage(TABLE, "U", "A")
  } else {
    deletes++
    emit_sql("DELETE FROM " qualified(TABLE) " WHERE " C[1] " = " BS[1])
    stage(TABLE, "D", "B")
  }
  OP = ""
  if (++inbatch == batch) write_batch()
}

# write_batch: one transaction of the merge replay.
function write_batch(    k, t, i, n, upd) {
  if (inbatch == 0) return
  print "BEGIN;" > merge
  for (k = 1; k <= norder; k++) {
    t = order[k]
    if (!(t in created)) {
      created[t] = 1
      # The staging table has the target's column types but no constraints
      # (a delete carries only the key).
      print "CREATE TEMP TABLE stage_" t " ON COMMIT DELETE ROWS AS SELECT 0::bigint AS seq, ''::\"char\" AS op, " \
        collist " FROM " qualified(t) " WITH NO DATA;" > merge
    }
    print "COPY stage_" t " (seq, op, " collist ") FROM STDIN;" > merge
    n = staged[t]
    for (i = 1; i <= n; i++) { print L[t, i] > merge; delete L[t, i] }
    print "\\." > merge
  }
  for (k = 1; k <= norder; k++) {
    t = order[k]
    upd = C[2] " = EXCLUDED." C[2]
    for (i = 3; i <= ncols; i++) upd = upd ", " C[i] " = EXCLUDED." C[i]
    print "WITH last AS (SELECT DISTINCT ON (" C[1] ") * FROM stage_" t " ORDER BY " C[1] ", seq DESC), " \
      "gone AS (DELETE FROM " qualified(t) " AS t USING last WHERE t." C[1] " = last." C[1] " AND last.op = 'D') " \
      "INSERT INTO " qualified(t) " (" collist ") SELECT " collist " FROM last WHERE op <> 'D' " \
      "ON CONFLICT (" C[1] ") DO UPDATE SET " upd ";" > merge
  }
  print "COMMIT;" > merge
  delete staged; delete order; delete seen; norder = 0
  inbatch = 0
}

BEGIN {
  if (db == "" || cols == "" || sql == "" || merge == "" || txn < 1 || batch < 1) die("usage: awk -v db=… -v cols=… -v sql=… -v merge=… -v txn=N -v batch=N")
  ncols = split(cols, C, ",")
  collist = C[1]
  for (i = 2; i <= ncols; i++) collist = collist ", " C[i]
  print "BEGIN;" > sql
  OP = ""
}

# A row header: "### UPDATE `db`.`table`", one per row.
/^### (INSERT INTO|UPDATE|DELETE FROM) `/ {
  flush()
  if (!match($0, /`[^`]*`\.`[^`]*`$/)) die("unexpected row header: " $0)
  name = substr($0, RSTART + 1, RLENGTH - 2)
  split(name, parts, "`\\.`")
  SKIP = parts[1] != db
  TABLE = parts[2]
  if (!SKIP && TABLE !~ /^[a-z_][a-z0-9_]*$/) die("table name needs quoting, which this script does not do: " TABLE)
  start($2 == "INSERT" ? "I" : $2 == "UPDATE" ? "U" : "D")
  next
}

/^### WHERE$/ {
  if (OP == "") die("WHERE outside a row")
  if (HAVE_B || HAVE_A) { op = OP; flush(); start(op) }   # a further row of a multi-row event
  SEC = "B"; HAVE_B = 1
  next
}

/^### SET$/ {
  if (OP == "") die("SET outside a row")
  if (HAVE_A) { op = OP; flush(); start(op) }
  SEC = "A"; HAVE_A = 1
  next
}

/^###   @[0-9]+=/ {
  if (OP == "" || SEC == "") die("column value outside a row image")
  if (SKIP) next
  eq = index($0, "=")
  col = substr($0, 8, eq - 8) + 0
  if (col < 1 || col > ncols) die("column @" col " in " TABLE ", which should have " ncols " columns")
  value(substr($0, eq + 1))
  if (SEC == "B") { BS[col] = V_SQL; BC[col] = V_COPY } else { AS[col] = V_SQL; AC[col] = V_COPY }
  next
}

/^###/ { die("unexpected line: " $0) }

# Any other line ends the row; a transaction's end resets its count.
{
  flush()
  if ($0 ~ /^START TRANSACTION/ || $0 ~ /^BEGIN/) counted = 0
}

END {
  if (failed) exit 3
  flush()
  write_batch()
  print "COMMIT;" > sql
  close(sql); close(merge)
  printf "inserts=%d updates=%d deletes=%d transactions=%d other=%d merged=%d\n", inserts, updates, deletes, txns, other, merged
}
