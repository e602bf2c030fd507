#!/usr/bin/env bash
# Benchmark 3: the digest of a 100 MB body (nginx on loopback), side by
# side: our genhash, keepalived's genhash, and `curl -s URL | md5sum`.
#
#   bench/genhash-big.sh               # RUNS=10 by default
#   MB=500 bench/genhash-big.sh
#
# Target (issue 4): no slower than either.
RUNS=${RUNS:-10}
. "$(dirname "$0")/hcheck.lib"
need curl
need md5sum
KA=/usr/bin/genhash
[ -x "$KA" ] || { echo "$0: needs $KA (keepalived)" >&2; exit 2; }
MB=${MB:-100}
bench_web_start
head -c $((MB * 1000000)) /dev/urandom > "$DIR/html/big.bin"

want=$(md5sum < "$DIR/html/big.bin" | cut -c1-32)
got=$(nsx "$BIN/genhash" -s 127.0.0.1 -p 80 -u /big.bin -t 60)
{
echo "md5sum of the file:  $want"
echo "genhash (hakit):     $got"
echo "genhash (keepalived): $(nsx "$KA" -s 127.0.0.1 -p 80 -u /big.bin -t 60)"
echo "curl | md5sum:       $(nsx sh -c 'curl -s http://127.0.0.1/big.bin | md5sum' | cut -c1-32)"
echo
} >&2
[ "$got" = "$want" ] || { echo "$0: genhash printed $got, the file's MD5 is $want" >&2; exit 1; }

nsx hyperfine --warmup 1 --runs "$RUNS" --export-json "$DIR/r.json" \
	-n "genhash (hakit), $MB MB" "$BIN/genhash -s 127.0.0.1 -p 80 -u /big.bin -t 60" \
	-n "genhash (keepalived), $MB MB" "$KA -s 127.0.0.1 -p 80 -u /big.bin -t 60" \
	-n "curl | md5sum, $MB MB" "curl -s http://127.0.0.1/big.bin | md5sum" >/dev/null
bench_report "$DIR/r.json"
bench_rows "$DIR/r.json" genhash-big "digest of a $MB MB body" genhash 1
