#!/usr/bin/env bash
# Failover gap from packet timestamps, vrrpd against keepalived on the
# same topology, runs alternating: the time from the old master's last
# advert (a crash: SIGKILL; a stop: its priority-0 advert on SIGTERM) to
# the new master's first gratuitous ARP for the VIP, as tcpdump sees
# them on the bridge, minus the RFC's bound (Master_Down_Interval after
# a crash, Skew_Time after a stop) for the backup's priority, 100.
# At 1 s (VRRPv2) and 0.01 s (VRRPv3) adverts.  JSON rows on stdout
# (bench/run), a Markdown table on stderr.
set -u
. "$(dirname "$0")/vrrpd.lib"

VIP=192.0.2.109	# vb_ka_conf: 192.0.2.(100 + VRID)
CAP=$VB_TMP/cap.pcap

cap_begin() {
	: >"$VB_TMP/cap.err"
	ip netns exec "$VB-sw" tcpdump -i br0 --immediate-mode -U -n --time-stamp-precision=nano \
		-w "$CAP" 'ip proto 112 or arp' 2>"$VB_TMP/cap.err" &
	CAP_PID=$!
	VB_PIDS+=("$CAP_PID")
	vb_wait 10 grep -q 'listening on' "$VB_TMP/cap.err"
}

cap_end() {
	sleep 0.3
	kill -INT "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
}

# gap_ms KIND: from the capture, milliseconds from the old master's last
# advert (the priority-0 one for a stop) to b's first GARP for the VIP.
gap_ms() {
	local bmac last garp
	bmac=$(ip -n "$VB-b" -o link show eth0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
	if [ "$1" = stop ]; then
		last=$(tshark -n -r "$CAP" -Y 'ip.src == 192.0.2.1 && vrrp.prio == 0' \
			-T fields -e frame.time_epoch 2>/dev/null | head -1)
	else
		# A crash sends no priority 0; one here means the run is void.
		[ -z "$(tshark -n -r "$CAP" -Y 'ip.src == 192.0.2.1 && vrrp.prio == 0' \
			-T fields -e frame.number 2>/dev/null)" ] || return 1
		last=$(tshark -n -r "$CAP" -Y 'ip.src == 192.0.2.1 && vrrp' \
			-T fields -e frame.time_epoch 2>/dev/null | tail -1)
	fi
	garp=$(tshark -n -r "$CAP" -Y "arp.src.proto_ipv4 == $VIP && eth.src == $bmac" \
		-T fields -e frame.time_epoch 2>/dev/null | head -1)
	[ -n "$last" ] && [ -n "$garp" ] || return 1
	awk -v a="$last" -v b="$garp" 'BEGIN { printf "%.3f", (b - a) * 1000 }'
}

vrrpd_master() { grep -q ' MASTER ' "$VB_TMP/$1.state" 2>/dev/null; }
ka_master() { grep -q 'Entering MASTER STATE' "$VB_TMP/ka-$1.log" 2>/dev/null; }
ka_backup() { grep -q 'Entering BACKUP STATE' "$VB_TMP/ka-$1.log" 2>/dev/null; }

# one IMPL KIND ADVERT_INT: one failover; prints the overhead in ms.
one() {
	local impl=$1 kind=$2 adv=$3 version=2 settle pre bound gap mp bp
	case $adv in *.*) version=3 ;; esac
	settle=$(awk -v a="$adv" 'BEGIN { print 3 * a + 0.5 }')
	pre=$(awk -v a="$adv" 'BEGIN { print 1.5 * a + 0.05 }')
	rm -f "$VB_TMP"/*.state "$VB_TMP"/ka-*.log
	ip -n "$VB-m" addr del $VIP/24 dev eth0 2>/dev/null
	ip -n "$VB-b" addr del $VIP/24 dev eth0 2>/dev/null
	if [ "$impl" = vrrpd ]; then
		vb_vrrpd_start m fm -i eth0 --vrid 9 --vip $VIP/24 --priority 255 \
			--version $version --advert-int "$adv"
		mp=$VR_PID
		vb_wait 10 vrrpd_master fm || return 1
		vb_vrrpd_start b fb -i eth0 --vrid 9 --vip $VIP/24 --priority 100 \
			--version $version --advert-int "$adv"
		bp=$VR_PID
		vb_wait 10 grep -q ' BACKUP ' "$VB_TMP/fb.state" || return 1
	else
		vb_ka_conf "$VB_TMP/ka-m.conf" 255 "$adv" 9
		vb_ka_conf "$VB_TMP/ka-b.conf" 100 "$adv" 9
		vb_ka_start m "$VB_TMP/ka-m.conf"
		vb_wait 10 ka_master m || return 1
		vb_ka_start b "$VB_TMP/ka-b.conf"
		vb_wait 10 ka_backup b || return 1
	fi
	sleep "$settle"
	cap_begin || return 1
	sleep "$pre"
	local sig=KILL
	[ "$kind" = stop ] && sig=TERM
	if [ "$impl" = vrrpd ]; then
		kill -$sig "$mp"
		vb_wait 15 vrrpd_master fb || { cap_end; return 1; }
	else
		# shellcheck disable=SC2046
		kill -$sig $(vb_ka_pids m)
		vb_wait 15 ka_master b || { cap_end; return 1; }
	fi
	cap_end
	if [ "$impl" = vrrpd ]; then
		vb_stop "$mp" "$bp"
	else
		# shellcheck disable=SC2046
		vb_stop $(vb_ka_pids m) $(vb_ka_pids b)
	fi
	gap=$(gap_ms "$kind") || return 1
	if [ "$kind" = stop ]; then bound=$(vb_skew 100 "$adv"); else bound=$(vb_mdi 100 "$adv"); fi
	awk -v g="$gap" -v b="$bound" 'BEGIN { printf "%.3f", g - b * 1000 }'
}

vb_topology
rows=$VB_TMP/rows
: >"$rows"
for adv in 1 0.01; do
	for kind in crash stop; do
		declare -a tv=() av=()
		for i in $(seq "$BENCH_RUNS"); do
			t=$(one vrrpd $kind $adv) || { echo "vrrpd-failover.sh: vrrpd $kind at $adv s failed" >&2; exit 1; }
			a=$(one keepalived $kind $adv) || { echo "vrrpd-failover.sh: keepalived $kind at $adv s failed" >&2; exit 1; }
			tv+=("$t")
			av+=("$a")
			echo "vrrpd-failover.sh: $kind at $adv s, run $i: overhead vrrpd $t ms, keepalived $a ms" >&2
		done
		ts=$(stats "${tv[@]}")
		as=$(stats "${av[@]}")
		met=$(awk -v t="${ts%% *}" -v a="${as%% *}" 'BEGIN { print (t < 1 && t <= a) ? "true" : "false" }')
		if [ $kind = crash ]; then
			what="failover after a crash (SIGKILL), $adv s adverts: gap minus Master_Down_Interval"
		else
			what="failover after a stop (SIGTERM), $adv s adverts: gap minus Skew_Time"
		fi
		row "vrrpd-failover-$kind-$adv" "$what" vrrpd keepalived ms "$BENCH_RUNS" "$ts" "$as" \
			"median under 1 ms, no worse than keepalived's" "$met" \
			"last advert of the old master to the first GARP of the new one, from tcpdump on the bridge" \
			>>"$rows"
	done
done
cat "$rows"
md_table <"$rows" >&2
