#!/usr/bin/env bash
# vipctl batch mode against ip -batch: 1,000 "address add" lines, the
# same file for both, in a namespace of our own, alternating runs.
set -eu
. "$(dirname "$0")/lib.sh"

bench_ns
ip -n "$BENCH_NS" link add eth0 type veth peer name eth1
ip -n "$BENCH_NS" link set eth0 up
ip -n "$BENCH_NS" link set eth1 up
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; ip netns pids "$BENCH_NS" 2>/dev/null | xargs -r kill -KILL; ip netns del "$BENCH_NS" 2>/dev/null' EXIT
for i in $(seq 0 999); do
	echo "address add 198.51.$((100 + i / 250)).$((i % 250 + 1))/32 dev eth0"
done >"$tmp/ip.batch"
sed 's/^address add/add/' "$tmp/ip.batch" >"$tmp/vipctl.batch"

hyperfine -N --style none --runs "$BENCH_RUNS" --export-json "$tmp/h.json" \
	--prepare "ip -n $BENCH_NS addr flush dev eth0" \
	"ip netns exec $BENCH_NS vipctl -b $tmp/vipctl.batch" \
	"ip netns exec $BENCH_NS ip -batch $tmp/ip.batch" >/dev/null

# Both must have added all 1,000 (checked after the last run of each).
n=$(ip -n "$BENCH_NS" -o addr show dev eth0 | grep -c 'inet 198\.51\.')
[ "$n" -eq 1000 ] || { echo "vipctl.sh: expected 1000 addresses, found $n" >&2; exit 1; }

t=$(hyperfine_ms "$tmp/h.json" 0)
a=$(hyperfine_ms "$tmp/h.json" 1)
row vipctl-batch "add 1,000 VIPs from one batch file" "vipctl -b" "ip -batch" ms "$BENCH_RUNS" \
	"$t" "$a" "at least as fast as ip -batch" "$(ratio_at_least "${a%% *}" "${t%% *}" 1)"
