#!/bin/bash
# ipvsctl against ipvsadm on a large table, inside the test VM (the host
# kernel has no IPVS):
#
#   tests/vm/run --timeout 1800 --exec bench/ipvsctl.sh [RUNS]
#
# 1,000 services with 10 destinations each (11,000 rules):
#   1. restore into an empty table: `ipvsctl restore FILE` against
#      `ipvsadm -R < FILE`;
#   2. a change of 1% of the weights (100 destinations): `ipvsctl apply`
#      against flushing and restoring the whole table, with ipvsadm and
#      with ipvsctl.
# Each is run RUNS times (default 7) by hyperfine in one VM, side by
# side; the medians and spreads are printed.  Under emulation every
# figure is many times the native one; compare the rows, not the units.
set -eu
RUNS=${1:-${BENCH_RUNS:-7}}
cd "$(dirname "$0")/.."
# No IPVS here: run this same script inside the VM (bench/run calls it
# on the host like every other benchmark).
if [ ! -e /proc/net/ip_vs ] && ! modprobe -q ip_vs 2>/dev/null; then
	echo "bench/ipvsctl.sh: no IPVS in this kernel; running inside the qemu VM of tests/vm" >&2
	exec tests/vm/run --timeout 3000 --exec bench/ipvsctl.sh "$RUNS"
fi
. bench/lib.sh
BIN=${HK_BIN:-$PWD/build/bin}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
W=$(mktemp -d)
trap 'ip netns del hkbench 2>/dev/null; rm -rf "$W"' EXIT

ip netns add hkbench
X="ip netns exec hkbench"
$X ip link set lo up

# The table: services 192.0.2.1-250 ports 80-83; destinations in
# 198.51.100.0/24 and 203.0.113.0/24, weights 1-5.
awk 'BEGIN {
	n = 0
	for (h = 1; h <= 250; h++) for (p = 80; p <= 83; p++) {
		printf "-A -t 192.0.2.%d:%d -s wrr\n", h, p
		for (d = 0; d < 10; d++)
			printf "-a -t 192.0.2.%d:%d -r %s.%d:%d -g -w %d\n", h, p,
				d < 5 ? "198.51.100" : "203.0.113", 1 + (n + d) % 250, p, 1 + (n + d) % 5
		n++
	}
}' >"$W/table"
# The same with every 100th destination's weight changed: 1% of 10,000.
awk '/^-a/ && ++k % 100 == 0 { sub(/-w [0-9]+$/, "-w 9") } { print }' "$W/table" >"$W/changed"
echo "# $(grep -c '^-A' "$W/table") services, $(grep -c '^-a' "$W/table") destinations;" \
	"$(diff "$W/table" "$W/changed" | grep -c '^>') weights differ" >&2

# Sanity: both tools produce the same table from the file.
$X ipvsadm -C; $X ipvsadm -R <"$W/table"; $X ipvsadm -Sn >"$W/by-ipvsadm"
$X ipvsadm -C; $X "$BIN/ipvsctl" restore "$W/table"; $X ipvsadm -Sn >"$W/by-ipvsctl"
cmp -s "$W/by-ipvsadm" "$W/by-ipvsctl" || { echo "bench: the two restores differ" >&2; exit 1; }
# ... and apply of the changed file makes the same table as restoring it.
$X "$BIN/ipvsctl" apply "$W/changed"; $X ipvsadm -Sn >"$W/applied"
$X ipvsadm -C; $X ipvsadm -R <"$W/changed"; $X ipvsadm -Sn >"$W/restored"
cmp -s "$W/applied" "$W/restored" || { echo "bench: apply and restore differ" >&2; exit 1; }
echo "# checked: both tools restore the same table; apply gives what a restore gives" >&2

hf() {
	$X hyperfine --style basic --runs "$RUNS" --export-json "$W/$1.json" "${@:2}" >/dev/null
	jq -r '.results[] | "\(.command)\t\(.median * 1000 | floor) ms median\t\(.min * 1000 | floor)-\(.max * 1000 | floor) ms"' "$W/$1.json" >&2
}

echo "## restore 11,000 rules into an empty table" >&2
hf restore \
	--prepare "ipvsadm -C" -n "ipvsadm -R" "ipvsadm -R < $W/table" \
	--prepare "ipvsadm -C" -n "ipvsctl restore" "$BIN/ipvsctl restore $W/table"

echo "## change 1% of the weights" >&2
hf change \
	--prepare "ipvsadm -C; ipvsadm -R < $W/table" -n "ipvsadm -C + ipvsadm -R" "ipvsadm -C; ipvsadm -R < $W/changed" \
	--prepare "ipvsadm -C; ipvsadm -R < $W/table" -n "ipvsctl flush + restore" "$BIN/ipvsctl flush; $BIN/ipvsctl restore $W/changed" \
	--prepare "ipvsadm -C; ipvsadm -R < $W/table" -n "ipvsctl apply" "$BIN/ipvsctl apply $W/changed"

# What bounds apply here: reading the table it diffs against, and
# starting a process at all under emulation.
echo "## read the whole table; start a process" >&2
hf read \
	-n "ipvsadm -S -n" "ipvsadm -S -n" \
	-n "ipvsctl save -n" "$BIN/ipvsctl save -n" \
	-n "/bin/true" "/bin/true"

# Rows for bench/run: ours first, the anchor second.
r_ipvsctl=$(hyperfine_ms "$W/restore.json" 1)
r_ipvsadm=$(hyperfine_ms "$W/restore.json" 0)
row ipvsctl-restore "restore 1,000 services x 10 destinations (in the VM)" "ipvsctl restore" "ipvsadm -R" ms "$RUNS" \
	"$r_ipvsctl" "$r_ipvsadm" "at least as fast" "$(ratio_at_least "${r_ipvsadm%% *}" "${r_ipvsctl%% *}" 1)"
c_ipvsadm=$(hyperfine_ms "$W/change.json" 0)
c_flush=$(hyperfine_ms "$W/change.json" 1)
c_apply=$(hyperfine_ms "$W/change.json" 2)
row ipvsctl-apply "change 1% of 10,000 weights (in the VM)" "ipvsctl apply" "ipvsadm -C + -R" ms "$RUNS" \
	"$c_apply" "$c_ipvsadm" "at least 20x faster" "$(ratio_at_least "${c_ipvsadm%% *}" "${c_apply%% *}" 20)"
row ipvsctl-apply-own "change 1% of 10,000 weights (in the VM)" "ipvsctl apply" "ipvsctl flush + restore" ms "$RUNS" \
	"$c_apply" "$c_flush" "at least 20x faster" "$(ratio_at_least "${c_flush%% *}" "${c_apply%% *}" 20)"
rd_ipvsadm=$(hyperfine_ms "$W/read.json" 0)
rd_ipvsctl=$(hyperfine_ms "$W/read.json" 1)
rd_true=$(hyperfine_ms "$W/read.json" 2)
row ipvsctl-read "read 1,000 services x 10 destinations (in the VM)" "ipvsctl save -n" "ipvsadm -S -n" ms "$RUNS" \
	"$rd_ipvsctl" "$rd_ipvsadm" "for comparison" null \
	"what apply reads before it changes anything: 1,001 dumps"
row ipvsctl-start "start a process that does nothing (in the VM)" "/bin/true" "(none)" ms "$RUNS" \
	"$rd_true" "null null null" "for comparison" null "the floor of every command timed in the VM"
