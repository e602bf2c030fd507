#!/usr/bin/env bash
# 50 VRRP instances at 0.01 s adverts on one link, a master node and a
# backup node: total CPU over 10 s (the scheduler's own count of time
# on a CPU, /proc/PID/schedstat; utime + stime from /proc/PID/stat
# where the kernel has no schedstat) and total PSS (/proc/PID/smaps_rollup) of the 50 vrrpd processes on
# each node, against keepalived's two processes running the same 50
# instances.  vrrpd and keepalived alternate, run after run, on the same
# topology.  JSON rows on stdout (bench/run), a Markdown table on stderr.
#
# Each run first measures the master node alone (its backup not yet
# started), for comparison: on one machine the kernel's work of
# delivering an advert to the backup's namespace (and of waking the
# process that takes it) is charged to the sender.
#
# Each run also measures the floor of a process per instance:
# tests/tools/vrrp-floor, 50 processes that only wake on a periodic
# timer and send one advert (master node) and 50 that only block on a
# raw socket with vrrpd's VRID filter and read each advert (backup
# node).  What vrrpd costs above that floor is its own doing; the floor
# is what the one-instance-per-process design costs on this machine.
#
#   bench/vrrpd-scale.sh            BENCH_RUNS (>= 5) runs of each
#   VB_INSTANCES=50 VB_WINDOW=10    instances, seconds measured
#   VB_RT=N                         both at real-time priority N
#                                   (vrrpd --rt-priority, keepalived's
#                                   vrrp_rt_priority)
#   VB_CPU=LIST                     both on these CPUs only (taskset)
#   VB_PIN_RUNS=5                   then runs with both pinned to CPU 0,
#                                   for comparison (0: none)
set -u
. "$(dirname "$0")/vrrpd.lib"

FLOOR=$(dirname "$BENCH_BIN")/tests/tools/vrrp-floor
[ -x "$FLOOR" ] || make -s -C "$VB_TOP" "${FLOOR#"$VB_TOP"/}" >&2 ||
	{ echo "vrrpd-scale.sh: cannot build $FLOOR (make testbins)" >&2; exit 1; }

N=${VB_INSTANCES:-50}
WINDOW=${VB_WINDOW:-10}
HZ=$(getconf CLK_TCK)
VRIDS=$(seq 1 "$N")

# CPU time of the processes, in microseconds.  utime and stime are
# samples at the scheduler tick (4 ms here): a process that wakes every
# 10 ms for a few microseconds is caught by them by the tick's phase,
# run after run differently; schedstat counts nanoseconds.
if read -r SCHED_NS _ </proc/$$/schedstat 2>/dev/null && [ "${SCHED_NS:-0}" -gt 0 ]; then
	CPU_HOW="CPU from /proc/PID/schedstat"
	cpu_us() {
		local p ns rest t=0
		for p in "$@"; do
			read -r ns rest <"/proc/$p/schedstat" || ns=0
			t=$((t + ns / 1000))
		done
		echo "$t"
	}
else
	CPU_HOW="CPU from utime + stime"
	cpu_us() {
		local p t=0
		for p in "$@"; do
			t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
		done
		echo $((t * 1000000 / HZ))
	}
fi

pss_kb() {
	local p t=0
	for p in "$@"; do
		t=$((t + $(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup")))
	done
	echo "$t"
}

# measure MASTER_PIDS -- BACKUP_PIDS: append "cpu_m cpu_b pss_m pss_b"
# (% of a core, MB) to $RESULT.
measure() {
	local m=() b=() side=m p t0m t0b t1m t1b
	for p in "$@"; do
		[ "$p" = -- ] && { side=b; continue; }
		if [ $side = m ]; then m+=("$p"); else b+=("$p"); fi
	done
	t0m=$(cpu_us "${m[@]}")
	t0b=$(cpu_us "${b[@]}")
	sleep "$WINDOW"
	t1m=$(cpu_us "${m[@]}")
	t1b=$(cpu_us "${b[@]}")
	RESULT=$(awk -v a=$((t1m - t0m)) -v b=$((t1b - t0b)) -v w="$WINDOW" \
		-v pm="$(pss_kb "${m[@]}")" -v pb="$(pss_kb "${b[@]}")" \
		'BEGIN { printf "%.2f %.2f %.2f %.2f", a / w / 10000, b / w / 10000, pm / 1024, pb / 1024 }')
}

all_in() {
	local host=$1 state=$2 v
	for v in $VRIDS; do
		grep -q " $state " "$VB_TMP/$host$v.state" 2>/dev/null || return 1
	done
}

# Backup-side takeovers so far: a backup that misses its master's
# adverts (an overloaded node) becomes master for a while.
flaps_vrrpd() { cat "$VB_TMP"/b*.log 2>/dev/null | grep -c 'BACKUP -> MASTER'; }
flaps_ka() { grep -c 'Entering MASTER STATE' "$VB_TMP/ka-b.log"; }

run_vrrpd() {
	local v mp=() bp=() f0
	rm -f "$VB_TMP"/*.state "$VB_TMP"/[mb]*.log
	for v in $VRIDS; do
		vb_vrrpd_start m "m$v" -i eth0 --vrid "$v" --vip "192.0.2.$((100 + v))/24" \
			--priority 200 --version 3 --advert-int 0.01
		mp+=("$VR_PID")
	done
	vb_wait 30 all_in m MASTER ||
		{ echo "vrrpd-scale.sh: vrrpd masters did not settle" >&2; return 1; }
	sleep 2
	measure "${mp[@]}" --
	ALONE=${RESULT%% *}
	for v in $VRIDS; do
		vb_vrrpd_start b "b$v" -i eth0 --vrid "$v" --vip "192.0.2.$((100 + v))/24" \
			--priority 100 --version 3 --advert-int 0.01
		bp+=("$VR_PID")
	done
	vb_wait 30 all_in m MASTER && vb_wait 30 all_in b BACKUP ||
		{ echo "vrrpd-scale.sh: vrrpd instances did not settle" >&2; return 1; }
	sleep 2
	f0=$(flaps_vrrpd)
	measure "${mp[@]}" -- "${bp[@]}"
	FLAPS=$(($(flaps_vrrpd) - f0))
	vb_stop "${mp[@]}" "${bp[@]}"
}

run_floor() {
	local v mp=() bp=()
	for v in $VRIDS; do
		ip netns exec "$VB-m" "$FLOOR" send eth0 "$v" 10000 &
		mp+=("$!")
		VB_PIDS+=("$!")
	done
	sleep 2
	measure "${mp[@]}" --
	ALONE=${RESULT%% *}
	for v in $VRIDS; do
		ip netns exec "$VB-b" "$FLOOR" recv eth0 "$v" &
		bp+=("$!")
		VB_PIDS+=("$!")
	done
	sleep 2
	measure "${mp[@]}" -- "${bp[@]}"
	kill -KILL "${mp[@]}" "${bp[@]}" 2>/dev/null
	wait "${mp[@]}" "${bp[@]}" 2>/dev/null
	return 0
}

run_keepalived() {
	local h f0
	for h in m b; do
		rm -f "$VB_TMP/ka-$h.log"
		vb_ka_conf "$VB_TMP/ka-$h.conf" "$([ $h = m ] && echo 200 || echo 100)" 0.01 $VRIDS
	done
	vb_ka_start m "$VB_TMP/ka-m.conf"
	vb_wait 30 sh -c "[ \$(grep -c 'Entering MASTER STATE' $VB_TMP/ka-m.log) -ge $N ]" ||
		{ echo "vrrpd-scale.sh: keepalived masters did not settle" >&2; return 1; }
	sleep 2
	# shellcheck disable=SC2046
	measure $(vb_ka_pids m) --
	ALONE=${RESULT%% *}
	vb_ka_start b "$VB_TMP/ka-b.conf"
	vb_wait 30 sh -c "[ \$(grep -c 'Entering BACKUP STATE' $VB_TMP/ka-b.log) -ge $N ]" ||
		{ echo "vrrpd-scale.sh: keepalived backups did not settle" >&2; return 1; }
	sleep 2
	f0=$(flaps_ka)
	# shellcheck disable=SC2046
	measure $(vb_ka_pids m) -- $(vb_ka_pids b)
	FLAPS=$(($(flaps_ka) - f0))
	# shellcheck disable=SC2046
	vb_stop $(vb_ka_pids m) $(vb_ka_pids b)
}

# series RUNS PREFIX: RUNS runs of each tool, their figures appended to
# the arrays PREFIX{v,k}{cm,cb,pm,pb,ca} (CPU master/backup, PSS
# master/backup, CPU of the master alone), the backups' takeovers to
# PREFIX{v,k}flaps.
series() {
	local runs=$1 p=$2 i a b c d
	local -n xvcm=${p}vcm xvcb=${p}vcb xvpm=${p}vpm xvpb=${p}vpb xvca=${p}vca
	local -n xkcm=${p}kcm xkcb=${p}kcb xkpm=${p}kpm xkpb=${p}kpb xkca=${p}kca
	local -n xvf=${p}vflaps xkf=${p}kflaps
	for i in $(seq "$runs"); do
		run_vrrpd || exit 1
		read -r a b c d <<<"$RESULT"
		xvcm+=("$a") xvcb+=("$b") xvpm+=("$c") xvpb+=("$d") xvca+=("$ALONE")
		xvf=$((xvf + FLAPS))
		run_keepalived || exit 1
		read -r a b c d <<<"$RESULT"
		xkcm+=("$a") xkcb+=("$b") xkpm+=("$c") xkpb+=("$d") xkca+=("$ALONE")
		xkf=$((xkf + FLAPS))
		if [ -z "$p" ]; then
			run_floor || exit 1
			read -r a b c d <<<"$RESULT"
			fcm+=("$a") fcb+=("$b") fca+=("$ALONE")
		fi
		echo "vrrpd-scale.sh: ${p:+pinned }run $i: CPU % master/backup, PSS MB master/backup:" \
			"vrrpd ${xvcm[-1]}/${xvcb[-1]} ${xvpm[-1]}/${xvpb[-1]}," \
			"keepalived ${xkcm[-1]}/${xkcb[-1]} ${xkpm[-1]}/${xkpb[-1]};" \
			"master node alone: vrrpd ${xvca[-1]}, keepalived ${xkca[-1]}; takeovers by a backup in the windows:" \
			"vrrpd $xvf, keepalived $xkf${fcm:+; floor of a process per instance: master ${fcm[-1]}, backup ${fcb[-1]}, master alone ${fca[-1]}}" >&2
	done
}

vb_topology
# shellcheck disable=SC2034  # filled through series' namerefs
declare -a vcm vcb vpm vpb kcm kcb kpm kpb vca kca fcm fcb fca
# shellcheck disable=SC2034
declare -a pvcm pvcb pvpm pvpb pkcm pkcb pkpm pkpb pvca pkca
vflaps=0 kflaps=0 pvflaps=0 pkflaps=0
series "$BENCH_RUNS" ""
# Then, for comparison, both pinned to CPU 0 by their own settings
# (vrrpd --cpu-affinity 0, keepalived's vrrp_cpu_affinity 0):
# VB_PIN_RUNS runs (default 5; 0 for none), unless VB_CPU pinned
# everything already.
PIN_RUNS=${VB_PIN_RUNS:-5}
[ -n "${VB_CPU:-}" ] && PIN_RUNS=0
if [ "$PIN_RUNS" -gt 0 ]; then
	# shellcheck disable=SC2034  # read by vrrpd.lib
	VB_AFFINITY=0
	series "$PIN_RUNS" p
	unset VB_AFFINITY
fi

# met: CPU at most half of keepalived's; PSS at most keepalived's.
half() { awk -v t="$1" -v a="$2" 'BEGIN { print (t <= a / 2) ? "true" : "false" }'; }
none() { echo null; }
atmost() { awk -v t="$1" -v a="$2" 'BEGIN { print (t <= a) ? "true" : "false" }'; }
emit() {
	local id=$1 what=$2 unit=$3 target=$4 check=$5 ts as
	shift 5
	local -n t=$1 a=$2
	ts=$(stats "${t[@]}")
	as=$(stats "${a[@]}")
	row "$id" "$what" "${TOOL:-vrrpd ×$N}" "keepalived" "$unit" "${#t[@]}" "$ts" "$as" "$target" \
		"$($check "${ts%% *}" "${as%% *}")" "$NOTE"
}
{
	NOTE="$N instances, VRRPv3 at 0.01 s, ${WINDOW} s windows, $CPU_HOW; backup takeovers in the windows (missed adverts): vrrpd $vflaps, keepalived $kflaps${VB_RT:+; both at real-time priority $VB_RT}${VB_CPU:+; both on CPU $VB_CPU}"
	emit vrrpd-cpu-master "CPU, $N instances at 0.01 s, master node" "% of a core" \
		"at most half of keepalived's" half vcm kcm
	emit vrrpd-cpu-master-alone "CPU, $N instances at 0.01 s, master node alone (no backup yet)" \
		"% of a core" "for comparison" none vca kca
	emit vrrpd-cpu-backup "CPU, $N instances at 0.01 s, backup node" "% of a core" \
		"at most half of keepalived's" half vcb kcb
	emit vrrpd-pss-master "PSS, $N instances, master node" MB "no more than keepalived's" \
		atmost vpm kpm
	emit vrrpd-pss-backup "PSS, $N instances, backup node" MB "no more than keepalived's" \
		atmost vpb kpb
	NOTE="the least a process per instance does: tests/tools/vrrp-floor, a periodic timer and one send per advert (master), a blocking read of each advert through vrrpd's VRID filter (backup); nothing else"
	TOOL="vrrp-floor ×$N" emit vrrpd-floor-master "CPU, $N instances at 0.01 s, master node: floor of a process per instance" \
		"% of a core" "for comparison" none fcm kcm
	TOOL="vrrp-floor ×$N" emit vrrpd-floor-master-alone \
		"CPU, $N instances at 0.01 s, master node alone: floor of a process per instance" \
		"% of a core" "for comparison" none fca kca
	TOOL="vrrp-floor ×$N" emit vrrpd-floor-backup "CPU, $N instances at 0.01 s, backup node: floor of a process per instance" \
		"% of a core" "for comparison" none fcb kcb
	if [ "$PIN_RUNS" -gt 0 ]; then
		NOTE="the same with vrrpd --cpu-affinity 0 and keepalived's vrrp_cpu_affinity 0; takeovers: vrrpd $pvflaps, keepalived $pkflaps"
		emit vrrpd-cpu-master-pinned "CPU, $N instances at 0.01 s, master node, pinned to one CPU" \
			"% of a core" "for comparison" none pvcm pkcm
		emit vrrpd-cpu-master-alone-pinned \
			"CPU, $N instances at 0.01 s, master node alone, pinned to one CPU" \
			"% of a core" "for comparison" none pvca pkca
		emit vrrpd-cpu-backup-pinned "CPU, $N instances at 0.01 s, backup node, pinned to one CPU" \
			"% of a core" "for comparison" none pvcb pkcb
	fi
} >"$VB_TMP/rows"
cat "$VB_TMP/rows"
md_table <"$VB_TMP/rows" >&2
