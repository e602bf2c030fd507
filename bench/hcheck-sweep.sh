#!/usr/bin/env bash
# Benchmark 2: a sweep of 1,000 HTTP targets on loopback (1,000 addresses
# 127.0.x.y, one nginx behind them all), side by side: one `hcheck -f`
# against `xargs -P 16` running one curl per target.
#
#   bench/hcheck-sweep.sh              # RUNS=20 by default
#   N=5000 bench/hcheck-sweep.sh       # more targets
#
# Target (issue 4): at least 10x faster than xargs+curl, under 1 s.
. "$(dirname "$0")/hcheck.lib"
need curl
N=${N:-1000}
bench_web_start

: > "$DIR/probes"
: > "$DIR/urls"
for i in $(seq 0 $((N - 1))); do
	a=127.0.$((i / 250 + 1)).$((i % 250 + 1))
	echo "http $a:80 /index.html" >> "$DIR/probes"
	echo "http://$a/index.html" >> "$DIR/urls"
done

ok=$(nsx "$BIN/hcheck" -f "$DIR/probes" | grep -c 'HTTP OK' || true)
echo "hcheck: $ok of $N OK" >&2
[ "$ok" -eq "$N" ] || { echo "$0: hcheck found only $ok of $N up" >&2; exit 1; }
ok=$(nsx xargs -a "$DIR/urls" -P 16 -n 1 curl -s -o /dev/null -w '%{http_code}\n' | grep -c 200 || true)
echo "curl:   $ok of $N answered 200" >&2

nsx sh -c 'ulimit -n $(ulimit -Hn); exec "$@"' sh hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$DIR/r.json" \
	-n "hcheck -f ($N targets)" "$BIN/hcheck -f $DIR/probes" \
	-n "xargs -P 16 curl ($N targets)" "xargs -a $DIR/urls -P 16 -n 1 curl -s -o /dev/null -w %{http_code}\n" >/dev/null
bench_report "$DIR/r.json"
bench_rows "$DIR/r.json" hcheck-sweep "a sweep of $N HTTP targets on loopback" "hcheck -f" 10
read -r med _ <<<"$(hyperfine_ms "$DIR/r.json" 0)"
t=$(hyperfine_ms "$DIR/r.json" 0)
row hcheck-sweep-abs "a sweep of $N HTTP targets, absolute" "hcheck -f" "(1 s)" ms "$RUNS" "$t" "1000 1000 1000" \
	"under 1 s" "$(awk -v m="$med" 'BEGIN { print (m < 1000) ? "true" : "false" }')"
