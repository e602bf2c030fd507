#!/usr/bin/env bash
# Benchmark 1: one HTTP probe as a whole process (start, connect, GET,
# read, judge, exit), side by side: hcheck, curl, and monitoring-plugins'
# check_http, against the same nginx page on loopback.
#
#   bench/hcheck-oneshot.sh            # RUNS=20 by default
#   RUNS=100 bench/hcheck-oneshot.sh
#
# Target (issue 4): hcheck faster than both.
. "$(dirname "$0")/hcheck.lib"
need curl
CHECK_HTTP=/usr/lib/nagios/plugins/check_http
[ -x "$CHECK_HTTP" ] || { echo "$0: needs $CHECK_HTTP (monitoring-plugins-basic)" >&2; exit 2; }
bench_web_start

{
nsx "$BIN/hcheck" http 127.0.0.1:80 /index.html
nsx "$CHECK_HTTP" -I 127.0.0.1 -p 80 -u /index.html
echo "curl: $(nsx curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1/index.html)"
echo
} >&2

nsx hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$DIR/r.json" \
	-n hcheck "$BIN/hcheck http 127.0.0.1:80 /index.html" \
	-n curl "curl -s -o /dev/null -w %{http_code} http://127.0.0.1/index.html" \
	-n check_http "$CHECK_HTTP -I 127.0.0.1 -p 80 -u /index.html" >/dev/null
bench_report "$DIR/r.json"
bench_rows "$DIR/r.json" hcheck-oneshot "one HTTP probe as a whole process" "hcheck http" 1
