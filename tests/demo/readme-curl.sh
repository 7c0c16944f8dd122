#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the README's curl lines exactly as written (only the port changes)
# against a real demo server, and checks the fall ends acknowledged.
set -euo pipefail

server="${HG_SERVER_BINARY:?HG_SERVER_BINARY is not set}"
readme="$1"
work="$(mktemp -d "${TMPDIR:-/tmp}/hg-readme-curl.XXXXXX")"
pid=""
trap '[[ -n "$pid" ]] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }; rm -rf "$work"' EXIT

# The log exists before the server starts: the shell opens it in the
# child, which may run after the first look below.
: > "$work/server.log"
"$server" --demo --database "$work/demo.db" --listen 127.0.0.1:0 2>"$work/server.log" &
pid=$!
for _ in $(seq 100); do
  port="$(sed -n 's|.*Listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/server.log")"
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "$port" ]] || { cat "$work/server.log" >&2; echo "server did not start" >&2; exit 1; }

sed -n '/<!-- curl lines -->/,/<!-- \/curl lines -->/p' "$readme" \
  | sed -n '/^```sh$/,/^```$/p' | sed '1d;$d' \
  | sed "s|127.0.0.1:8088|127.0.0.1:$port|g" > "$work/lines.sh"
[[ -s "$work/lines.sh" ]] || { echo "no curl lines found in $readme" >&2; exit 1; }

bash -eu "$work/lines.sh" > "$work/out.txt"
cat "$work/out.txt"
grep -q '"deduplicated":false' "$work/out.txt"
grep -q '"incidents":\[{' "$work/out.txt"
tail -n 1 "$work/out.txt" | grep -q '"status":"acknowledged"'
echo "README curl lines work as printed"
