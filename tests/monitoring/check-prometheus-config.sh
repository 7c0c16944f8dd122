#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-prometheus-config.sh PROMTOOL DIR
#
# Checks DIR/prometheus.yml (with its rule file) as shipped, then in a
# temporary copy the edits its comments document: the target replaced by
# sed, and the commented HTTPS + metrics token and Alertmanager parts
# turned on. promtool checks that the token and CA files exist, so the copy
# points them at empty files of its own.

set -eu

promtool=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail () {
  printf 'check-prometheus-config: %s\n' "$*" >&2
  exit 1
}

echo "# as shipped"
(cd "$src" && "$promtool" check config prometheus.yml) || fail "prometheus.yml as shipped"

cp "$src/prometheus.yml" "$src/healthguard-rules.yml" "$tmp/"
cd "$tmp"

echo "# the target replaced, as the header says"
sed -i "s|- targets: \['127.0.0.1:8088'\]|- targets: ['hg.example.org:8443']|" prometheus.yml
grep -q "^      - targets: \['hg.example.org:8443'\]$" prometheus.yml ||
  fail "the documented sed did not replace the target line"
grep -q "^ *- targets: \['127.0.0.1:8088'\]" prometheus.yml && fail "the old target is still there"
"$promtool" check config prometheus.yml || fail "prometheus.yml with another target"

echo "# HTTPS, the metrics token and Alertmanager turned on"
: > healthguard-ca.crt
printf 'change-me\n' > healthguard-metrics-token
sed -i -e '/^    scheme: http$/d' \
       -e '/^    #scheme: https$/,/^    #  credentials_file:/s/^    #/    /' \
       -e '/^#alerting:$/,/^#        - targets:/s/^#//' \
       -e "s|/etc/prometheus/|$tmp/|" \
       prometheus.yml
for line in '    scheme: https' '      credentials_file: ' '      ca_file: ' 'alerting:'; do
  grep -q "^$line" prometheus.yml || fail "could not turn on: $line"
done
"$promtool" check config prometheus.yml || fail "prometheus.yml with HTTPS, token and Alertmanager"
