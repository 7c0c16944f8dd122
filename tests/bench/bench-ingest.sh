#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Alert ingest, side by side on loopback: healthguard-server (demo hospital,
# a fresh database) and Debian's Prometheus Alertmanager (one receiver that
# notifies nobody), both loaded with the same tool (hg-bench-load):
#
#   1. saturation: closed loop, --connections in flight, one alert per
#      request, each alert unique: alerts/s of both and the ratio;
#   2. an open-loop sweep of offered rates (percentages of the lower of the
#      two saturation rates, the same rates for both): p50/p99/p99.9;
#   3. healthguard at half of Alertmanager's saturation rate: its p99
#      (target: under 10 ms);
#   4. healthguard with arrays of 100 alerts, closed loop: alerts/s
#      (target: over 100,000); Alertmanager the same, for reference;
#   5. the floor under targets 1 and 2: the server's CPU for a request it
#      refuses before the store (the HTTP side alone), and SQLite's CPU for
#      the rows of one new incident and of one joining alert, written in
#      bulk by the sqlite3 shell into a copy of the server's database;
#   6. a PNG of p50 and p99 latency against offered load (gnuplot).
#
# Usage:
#   tests/bench/bench-ingest.sh --server PATH --load PATH [--alertmanager PATH]
#                               [--out DIR] [--smoke] [--fresh] [--keep-alive] [--duration S]
#                               [--warmup S] [--connections C] [--sweep "10 25 50 75 90 100"]
#
# --server: healthguard-server; --load: hg-bench-load (both from the build).
# --out: where the TSV files and the plot go (default build/bench).
# --smoke: a few seconds in all, low rates; checks that both servers take
# alerts and that the plot is made.
# --fresh: start both servers again, empty, before each measurement. By
# default the two run throughout, and healthguard's database (Alertmanager's
# memory) keeps the alerts of the runs before: the order of the runs counts.
# --keep-alive: every request on a connection kept open from the one
# before, to both servers (hg-bench-load --keep-alive), as HTTP clients
# that post often do. By default each POST opens a new connection, as
# libsoup's client does for a POST.
#
# The healthguard-server runs with a configuration made for the benchmark:
# the per-key ingest ceiling (ingest_rate_limit, 1000 alerts/s by default)
# at its maximum, and escalation pushed out to a week so that the incidents
# the load opens do not start reminding staff in the middle of the run,
# as Alertmanager's receiver notifies nobody. Otherwise each alert gets the
# full treatment: a 201 means it is on disk. Alertmanager keeps alerts in
# memory and answers before any of it is written.
#
# Needs curl and gnuplot (build-aux/dev installs both). Figures are noisy
# on a small machine: both servers and the load tool share its cores.

set -euo pipefail

SERVER=
LOAD=
ALERTMANAGER=/usr/bin/prometheus-alertmanager
OUT=build/bench
SMOKE=0
FRESH=0
KEEP_ALIVE=()
DURATION=10
WARMUP=2
CONNECTIONS=64
BATCH_CONNECTIONS=8
SWEEP="10 25 50 75 90 100"

usage () {
  sed -n '/^# Usage:/,/^# --smoke/p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

fail () {
  echo "bench-ingest: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case "$1" in
    --server) SERVER=${2:?}; shift 2 ;;
    --load) LOAD=${2:?}; shift 2 ;;
    --alertmanager) ALERTMANAGER=${2:?}; shift 2 ;;
    --out) OUT=${2:?}; shift 2 ;;
    --smoke) SMOKE=1; shift ;;
    --fresh) FRESH=1; shift ;;
    --keep-alive) KEEP_ALIVE=(--keep-alive); shift ;;
    --duration) DURATION=${2:?}; shift 2 ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --connections) CONNECTIONS=${2:?}; shift 2 ;;
    --sweep) SWEEP=${2:?}; shift 2 ;;
    -h|--help) usage ;;
    *) echo "bench-ingest: unknown argument $1" >&2; usage ;;
  esac
done
[ -n "$SERVER" ] && [ -n "$LOAD" ] || usage
[ -x "$SERVER" ] || fail "$SERVER is not an executable healthguard-server"
[ -x "$LOAD" ] || fail "$LOAD is not an executable hg-bench-load"
[ -x "$ALERTMANAGER" ] || fail "$ALERTMANAGER is missing: apt-get install prometheus-alertmanager (build-aux/dev installs it)"
command -v gnuplot >/dev/null || fail "gnuplot is missing: apt-get install gnuplot-nox (build-aux/dev installs it)"
command -v curl >/dev/null || fail "curl is missing: apt-get install curl (build-aux/dev installs it)"
command -v sqlite3 >/dev/null || fail "sqlite3 is missing: apt-get install sqlite3 (build-aux/dev installs it)"

if [ "$SMOKE" = 1 ]; then
  DURATION=0.5
  WARMUP=0
  CONNECTIONS=4
  BATCH_CONNECTIONS=2
fi

# --- Processes and clean-up ---------------------------------------------

TMP=$(mktemp -d "${TMPDIR:-/tmp}/hg-bench-ingest-XXXXXX")
[ -d "$TMP" ] || fail "could not make a temporary directory"
HG_PID=
AM_PID=

stop () {
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup () {
  stop "$HG_PID"
  stop "$AM_PID"
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port below the ephemeral range that nothing answers on.
free_port () {
  local port i
  for i in $(seq 1 100); do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# wait_ready URL PID NAME LOG: until URL answers 200, or PID is gone.
wait_ready () {
  local i
  for i in $(seq 1 300); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { tail -n 20 "$4" >&2; fail "$3 exited before it was ready"; }
    sleep 0.1
  done
  tail -n 20 "$4" >&2
  fail "$3 was not ready at $1 within 30 s"
}

{
  printf '[server]\ningest_rate_limit=1000000\n'
  for severity in critical high medium low; do
    printf '\n[escalation.%s]\n' "$severity"
    printf '%s=604800\n' remind_after reassign_after alert_supervisors_after start_within
  done
} > "$TMP/healthguard.conf"

printf 'route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n' > "$TMP/alertmanager.yml"

# Sets HG_PID, HG_URL and KEY: the demo hospital on an empty database.
start_healthguard () {
  local i
  rm -f "$TMP/healthguard.db" "$TMP/healthguard.db-wal" "$TMP/healthguard.db-shm"
  "$SERVER" --demo --config "$TMP/healthguard.conf" --database "$TMP/healthguard.db" \
    --listen 127.0.0.1:0 2> "$TMP/healthguard.log" &
  HG_PID=$!
  HG_URL=
  for i in $(seq 1 300); do
    HG_URL=$(grep -o 'Listening on http://[0-9.]*:[0-9]*' "$TMP/healthguard.log" | head -n 1 | cut -d' ' -f3 || true)
    [ -n "$HG_URL" ] && break
    kill -0 "$HG_PID" 2>/dev/null || { cat "$TMP/healthguard.log" >&2; fail "healthguard-server exited at start"; }
    sleep 0.1
  done
  [ -n "$HG_URL" ] || fail "healthguard-server did not say where it listens within 30 s"
  wait_ready "$HG_URL/health/ready" "$HG_PID" healthguard-server "$TMP/healthguard.log"
  KEY=$("$LOAD" --url "$HG_URL" --make-key) || fail "could not make an integration key on healthguard-server"
}

# Sets AM_PID and AM_URL: an Alertmanager holding no alert.
start_alertmanager () {
  local port
  rm -rf "$TMP/alertmanager"
  mkdir "$TMP/alertmanager"
  port=$(free_port) || fail "found no free port for Alertmanager"
  "$ALERTMANAGER" --config.file="$TMP/alertmanager.yml" --storage.path="$TMP/alertmanager" \
    --web.listen-address="127.0.0.1:$port" --cluster.listen-address= > "$TMP/alertmanager.log" 2>&1 &
  AM_PID=$!
  AM_URL="http://127.0.0.1:$port"
  wait_ready "$AM_URL/-/ready" "$AM_PID" Alertmanager "$TMP/alertmanager.log"
}

# With --fresh, both servers start again, empty, before each measurement.
refresh () {
  if [ "$FRESH" = 1 ]; then
    stop "$HG_PID"
    stop "$AM_PID"
    start_healthguard
    start_alertmanager
  fi
}

start_healthguard
start_alertmanager
mkdir -p "$OUT"

echo "bench-ingest: healthguard-server $HG_URL, Alertmanager $AM_URL ($("$ALERTMANAGER" --version 2>&1 | head -n 1))"
if [ "$FRESH" = 1 ]; then
  echo "bench-ingest: $(nproc) cores; ${DURATION} s measured after ${WARMUP} s warm-up; both servers fresh for each run"
else
  echo "bench-ingest: $(nproc) cores; ${DURATION} s measured after ${WARMUP} s warm-up; the same two servers throughout"
fi

# load TARGET ARGS...: one run of the tool; prints its TSV line:
#   1 target 2 mode 3 rate 4 connections 5 batch 6 duration 7 requests
#   8 alerts 9 errors 10 alerts/s 11 requests/s 12 mean 13 p50 14 p99
#   15 p99.9 16 max (milliseconds) 17 the tool's share of a core
#   18 the server's CPU time per alert (microseconds)
load () {
  local target=$1 line
  shift
  if [ "$target" = healthguard ]; then
    line=$("$LOAD" --url "$HG_URL" --target healthguard --key "$KEY" --tsv --server-pid "$HG_PID" \
           --duration "$DURATION" --warmup "$WARMUP" "${KEEP_ALIVE[@]}" "$@") || fail "healthguard-server: the load run $* failed"
  else
    line=$("$LOAD" --url "$AM_URL" --target alertmanager --tsv --server-pid "$AM_PID" \
           --duration "$DURATION" --warmup "$WARMUP" "${KEEP_ALIVE[@]}" "$@") || fail "Alertmanager: the load run $* failed"
  fi
  echo "$line"
}

field () {
  echo "$1" | cut -f "$2"
}

# --- 1. Saturation -------------------------------------------------------

if [ ${#KEEP_ALIVE[@]} -gt 0 ]; then
  echo "connections: kept alive between requests, for both servers"
else
  echo "connections: a new one for each request, for both servers"
fi

refresh
HG_SAT_LINE=$(load healthguard --connections "$CONNECTIONS")
refresh
AM_SAT_LINE=$(load alertmanager --connections "$CONNECTIONS")
HG_SAT=$(field "$HG_SAT_LINE" 10)
AM_SAT=$(field "$AM_SAT_LINE" 10)
RATIO=$(awk -v h="$HG_SAT" -v a="$AM_SAT" 'BEGIN { printf "%.2f", (a > 0 ? h / a : 0) }')
printf 'saturation (closed loop, %s connections, 1 alert per request):\n' "$CONNECTIONS"
printf '  healthguard   %10.0f alerts/s  (p50 %s ms, p99 %s ms; server CPU %s us an alert, load tool %.0f %% of a core)\n' \
  "$HG_SAT" "$(field "$HG_SAT_LINE" 13)" "$(field "$HG_SAT_LINE" 14)" "$(field "$HG_SAT_LINE" 18)" \
  "$(awk -v c="$(field "$HG_SAT_LINE" 17)" 'BEGIN { print c * 100 }')"
printf '  alertmanager  %10.0f alerts/s  (p50 %s ms, p99 %s ms; server CPU %s us an alert, load tool %.0f %% of a core)\n' \
  "$AM_SAT" "$(field "$AM_SAT_LINE" 13)" "$(field "$AM_SAT_LINE" 14)" "$(field "$AM_SAT_LINE" 18)" \
  "$(awk -v c="$(field "$AM_SAT_LINE" 17)" 'BEGIN { print c * 100 }')"
printf '  ratio healthguard/alertmanager: %s\n' "$RATIO"

# The floor (section 5) writes into a copy of the database as the
# saturation run left it, so that it is measured against the same tables.
sqlite3 "$TMP/healthguard.db" ".backup '$TMP/floor-base.db'" || fail "could not copy healthguard-server's database"

# --- 2. Open-loop sweep ----------------------------------------------------

if [ "$SMOKE" = 1 ]; then
  RATES="20 50"
else
  LOWER=$(awk -v h="$HG_SAT" -v a="$AM_SAT" 'BEGIN { print (h < a ? h : a) }')
  RATES=$(for p in $SWEEP; do
            awk -v l="$LOWER" -v p="$p" 'BEGIN { r = int (l * p / 100); print (r < 1 ? 1 : r) }'
          done)
fi
SWEEP_TSV="$OUT/ingest-sweep.tsv"
printf 'target\toffered_alerts_per_s\tachieved_alerts_per_s\tp50_ms\tp99_ms\tp999_ms\tmax_ms\terrors\n' > "$SWEEP_TSV"
: > "$TMP/healthguard.dat"
: > "$TMP/alertmanager.dat"
echo "open-loop sweep (latency from the intended send time, ms):"
printf '  %-13s %10s %10s %9s %9s %9s %9s\n' target offered achieved p50 p99 p99.9 max
for rate in $RATES; do
  for target in healthguard alertmanager; do
    refresh
    line=$(load "$target" --rate "$rate")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$rate" "$(field "$line" 10)" "$(field "$line" 13)" \
      "$(field "$line" 14)" "$(field "$line" 15)" "$(field "$line" 16)" "$(field "$line" 9)" >> "$SWEEP_TSV"
    printf '%s\t%s\t%s\n' "$rate" "$(field "$line" 13)" "$(field "$line" 14)" >> "$TMP/$target.dat"
    printf '  %-13s %10s %10.0f %9s %9s %9s %9s\n' "$target" "$rate" "$(field "$line" 10)" "$(field "$line" 13)" \
      "$(field "$line" 14)" "$(field "$line" 15)" "$(field "$line" 16)"
  done
done

# --- 3. Half of Alertmanager's saturation rate, against healthguard -----------

HALF=$(awk -v a="$AM_SAT" -v s="$SMOKE" \
         'BEGIN { r = int (a / 2); if (s == 1 && r > 50) r = 50; print (r < 1 ? 1 : r) }')
refresh
HALF_LINE=$(load healthguard --rate "$HALF")
HALF_P99=$(field "$HALF_LINE" 14)
HALF_MET=$(awk -v p="$HALF_P99" 'BEGIN { print (p < 10 ? "met" : "NOT met") }')
printf 'healthguard at half of Alertmanager'"'"'s saturation rate (%s alerts/s, open loop):\n' "$HALF"
printf '  p50 %s ms, p99 %s ms, p99.9 %s ms (target p99 < 10 ms: %s)\n' \
  "$(field "$HALF_LINE" 13)" "$HALF_P99" "$(field "$HALF_LINE" 15)" "$HALF_MET"

# --- 4. Arrays of 100 --------------------------------------------------------

refresh
ARRAY_LINE=$(load healthguard --batch 100 --connections "$BATCH_CONNECTIONS")
ARRAY_RATE=$(field "$ARRAY_LINE" 10)
ARRAY_MET=$(awk -v r="$ARRAY_RATE" 'BEGIN { print (r > 100000 ? "met" : "NOT met") }')
refresh
AM_ARRAY_LINE=$(load alertmanager --batch 100 --connections "$BATCH_CONNECTIONS")
printf 'arrays of 100 alerts (closed loop, %s connections):\n' "$BATCH_CONNECTIONS"
printf '  healthguard   %10.0f alerts/s  (p99 %s ms a request; server CPU %s us an alert; target > 100000 alerts/s: %s)\n' \
  "$ARRAY_RATE" "$(field "$ARRAY_LINE" 14)" "$(field "$ARRAY_LINE" 18)" "$ARRAY_MET"
printf '  alertmanager  %10.0f alerts/s  (p99 %s ms a request; server CPU %s us an alert; for reference)\n' \
  "$(field "$AM_ARRAY_LINE" 10)" "$(field "$AM_ARRAY_LINE" 14)" "$(field "$AM_ARRAY_LINE" 18)"

# --- 5. The floor ------------------------------------------------------------
#
# What the stack the server must use costs per alert before any of its own
# work, measured on the same machine in the same run:
#   - the HTTP side alone: every alert has a severity the server refuses, so
#     each request is read, signed in, parsed and answered 400, and never
#     reaches the store (hg-bench-load --refused);
#   - SQLite alone: the rows the server wrote for its newest incident (the
#     incident, its alert, timeline, notification, deadlines, and one stream
#     event of each kind it wrote), written again FLOOR_N times by the sqlite3
#     shell in one transaction, a statement per table, into a copy of the
#     server's own database: every index, trigger and foreign key, and none
#     of the server's code; and likewise the rows of an alert that joins an
#     open incident. The copy is of the database as the saturation run (1)
#     left it: the floor grows with the tables.
# healthguard-server is stopped for the second part.

refresh
REFUSED_LINE=$(load healthguard --refused --connections "$CONNECTIONS")
stop "$HG_PID"
HG_PID=
FLOOR_N=20000
[ "$SMOKE" = 1 ] && FLOOR_N=200
TEMPLATE=$(sqlite3 "$TMP/floor-base.db" \
  "SELECT max(incident_id) FROM notifications WHERE incident_id IN (SELECT incident_id FROM deadlines)")
[ -n "$TEMPLATE" ] || fail "healthguard-server wrote no incident with a notification and deadlines to copy"

# floor_cpu SQL: copies the database, runs SQL in one transaction there and
# prints the CPU time (user + system, in microseconds) its statements took.
floor_cpu () {
  rm -f "$TMP/floor.db" "$TMP/floor.db-wal" "$TMP/floor.db-shm"
  cp "$TMP/floor-base.db" "$TMP/floor.db" || fail "could not copy the database"
  { printf 'PRAGMA foreign_keys=ON;\nPRAGMA synchronous=NORMAL;\n'
    printf 'CREATE TEMP TABLE n AS WITH RECURSIVE r (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < %s) SELECT i FROM r;\n' "$FLOOR_N"
    printf 'CREATE TEMP TABLE base AS SELECT (SELECT max(id) FROM incidents) AS b, %s AS t;\n' "$TEMPLATE"
    printf '.timer on\nBEGIN;\n%s\nCOMMIT;\n' "$1"
  } | sqlite3 "$TMP/floor.db" > "$TMP/floor.out" 2>&1 || { cat "$TMP/floor.out" >&2; fail "the sqlite3 shell failed"; }
  awk '/^Run Time:/ { us += ($6 + $8) * 1000000 } END { printf "%.0f", us }' "$TMP/floor.out"
}

NEW_SQL=$(cat <<'SQL'
INSERT INTO incidents (id, version, status, severity, title, alert_type, patient_id, ward, room, bed,
                       assignee_id, required_role, required_specialty, dedup_key, alert_count,
                       escalation_level, created_at, assigned_at)
  SELECT b + i, version, status, severity, title, alert_type, patient_id, ward, room, bed, assignee_id,
         required_role, required_specialty, dedup_key || '/' || i, alert_count, escalation_level,
         created_at, assigned_at
    FROM incidents, n, base WHERE id = t;
INSERT INTO alerts (incident_id, type, patient_id, ward, room, bed, severity, message, source, labels,
                    dedup_key, phase, occurred_at, received_at, posted_by)
  SELECT b + i, type, patient_id, ward, room, bed, severity, message, source, labels,
         dedup_key || '/' || i, phase, occurred_at, received_at, posted_by
    FROM alerts, n, base WHERE incident_id = t;
INSERT INTO timeline (incident_id, at, actor_id, action, from_status, to_status, detail)
  SELECT b + i, at, actor_id, action, from_status, to_status, detail FROM timeline, n, base WHERE incident_id = t;
INSERT INTO notifications (staff_id, incident_id, kind, message, created_at)
  SELECT staff_id, b + i, kind, message, created_at FROM notifications, n, base WHERE incident_id = t;
INSERT INTO deadlines (incident_id, step, due_at)
  SELECT b + i, step, due_at FROM deadlines, n, base WHERE incident_id = t;
INSERT INTO events (at, type, audience, data)
  SELECT e.at, e.type, e.audience, e.data FROM n,
    (SELECT * FROM events WHERE seq IN (SELECT max(seq) FROM events
      WHERE type IN ('incident.created', 'staff.updated', 'alarm', 'notification') GROUP BY type)) AS e;
SQL
)
JOIN_SQL=$(cat <<'SQL'
UPDATE incidents SET alert_count = alert_count + (SELECT count(*) FROM n),
                     version = version + (SELECT count(*) FROM n) / 100 WHERE id = (SELECT t FROM base);
INSERT INTO alerts (incident_id, type, patient_id, ward, room, bed, severity, message, source, labels,
                    dedup_key, phase, occurred_at, received_at, posted_by)
  SELECT incident_id, type, patient_id, ward, room, bed, severity, message || ' ' || i, source, labels,
         dedup_key, phase, occurred_at, received_at, posted_by
    FROM n, (SELECT * FROM alerts WHERE incident_id = (SELECT t FROM base) ORDER BY id LIMIT 1);
INSERT INTO timeline (incident_id, at, actor_id, action, from_status, to_status, detail)
  SELECT t, 0, NULL, 'correlated', NULL, NULL, 'alert ' || (i + 1) FROM n, base;
INSERT INTO events (at, type, audience, data)
  SELECT e.at, 'incident.updated', NULL, e.data FROM n,
    (SELECT * FROM events WHERE type = 'incident.created' ORDER BY seq DESC LIMIT 1) AS e WHERE i % 100 = 0;
SQL
)
NEW_US=$(floor_cpu "$NEW_SQL")
JOIN_US=$(floor_cpu "$JOIN_SQL")
[ "$(sqlite3 "$TMP/floor.db" "SELECT count(*) FROM alerts WHERE incident_id = $TEMPLATE")" -gt "$FLOOR_N" ] ||
  fail "the floor's SQL wrote fewer alerts than asked"
FLOOR_NEW=$(awk -v u="$NEW_US" -v n="$FLOOR_N" 'BEGIN { printf "%.1f", u / n }')
FLOOR_JOIN=$(awk -v u="$JOIN_US" -v n="$FLOOR_N" 'BEGIN { printf "%.1f", u / n }')
FLOOR_HTTP=$(field "$REFUSED_LINE" 18)
FLOOR_SUM=$(awk -v h="$FLOOR_HTTP" -v s="$FLOOR_NEW" 'BEGIN { printf "%.0f", h + s }')
echo "the floor under targets 1 and 2:"
printf '  the HTTP side alone (read, signed in, parsed, refused 400 before the store; %s connections): %s us of server CPU a request, %.0f requests/s\n' \
  "$CONNECTIONS" "$FLOOR_HTTP" "$(field "$REFUSED_LINE" 10)"
printf '  SQLite alone, the rows of one new incident (incident %s'"'"'s, written %s times in bulk): %s us of CPU an incident\n' \
  "$TEMPLATE" "$FLOOR_N" "$FLOOR_NEW"
printf '  SQLite alone, the rows of an alert that joins an open incident, in bulk: %s us of CPU an alert\n' "$FLOOR_JOIN"
printf '  so at least %s us of server CPU for a new incident posted alone, before routing, correlation and the answer; Alertmanager used %s us an alert in all\n' \
  "$FLOOR_SUM" "$(field "$AM_SAT_LINE" 18)"

{
  printf 'figure\tvalue\n'
  printf 'healthguard_saturation_alerts_per_s\t%s\n' "$HG_SAT"
  printf 'alertmanager_saturation_alerts_per_s\t%s\n' "$AM_SAT"
  printf 'ratio_healthguard_alertmanager\t%s\n' "$RATIO"
  printf 'healthguard_saturation_server_cpu_us_per_alert\t%s\n' "$(field "$HG_SAT_LINE" 18)"
  printf 'alertmanager_saturation_server_cpu_us_per_alert\t%s\n' "$(field "$AM_SAT_LINE" 18)"
  printf 'healthguard_half_am_rate_alerts_per_s\t%s\n' "$HALF"
  printf 'healthguard_half_am_rate_p99_ms\t%s\n' "$HALF_P99"
  printf 'healthguard_array100_alerts_per_s\t%s\n' "$ARRAY_RATE"
  printf 'alertmanager_array100_alerts_per_s\t%s\n' "$(field "$AM_ARRAY_LINE" 10)"
  printf 'healthguard_array100_server_cpu_us_per_alert\t%s\n' "$(field "$ARRAY_LINE" 18)"
  printf 'alertmanager_array100_server_cpu_us_per_alert\t%s\n' "$(field "$AM_ARRAY_LINE" 18)"
  printf 'floor_http_refused_server_cpu_us_per_request\t%s\n' "$FLOOR_HTTP"
  printf 'floor_sqlite_new_incident_cpu_us\t%s\n' "$FLOOR_NEW"
  printf 'floor_sqlite_joining_alert_cpu_us\t%s\n' "$FLOOR_JOIN"
} > "$OUT/ingest-summary.tsv"

# --- 6. The plot ---------------------------------------------------------------

PNG="$OUT/ingest-latency.png"
if gnuplot -e 'set terminal' 2>&1 | grep -qw pngcairo; then
  TERMINAL='pngcairo size 900,600'
else
  TERMINAL='png size 900,600'
fi
gnuplot <<PLOT || fail "gnuplot could not draw $PNG"
set terminal $TERMINAL
set output '$PNG'
set title 'Alert ingest latency against offered load (open loop, loopback)'
set xlabel 'offered load (alerts/s, one alert per request)'
set ylabel 'latency from the intended send time (ms)'
set logscale y
set grid
set key top left
plot '$TMP/healthguard.dat' using 1:2 with linespoints lw 2 title 'healthguard p50', \
     '$TMP/healthguard.dat' using 1:3 with linespoints lw 2 title 'healthguard p99', \
     '$TMP/alertmanager.dat' using 1:2 with linespoints lw 2 dt 2 title 'alertmanager p50', \
     '$TMP/alertmanager.dat' using 1:3 with linespoints lw 2 dt 2 title 'alertmanager p99'
PLOT
[ -s "$PNG" ] || fail "gnuplot made no $PNG"
echo "bench-ingest: wrote $SWEEP_TSV, $OUT/ingest-summary.tsv and $PNG"
echo "bench-ingest: OK"
