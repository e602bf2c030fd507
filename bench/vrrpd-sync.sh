#!/usr/bin/env bash
# A sync group's transition, vrrpd (one process per member, over Unix
# sockets) against keepalived (one process): a director with VG_1, VI_1
# on eth0 and VI_2 on eth1, both master; a tracked file puts VI_2 in
# FAULT, then lets it go.  From packet timestamps, on the two links:
#   fault:  VI_2's priority-0 advert to VI_1's (VI_1 follows VI_2 out)
#   master: the first advert of whichever member becomes master first
#           to the other's first (the other follows it in)
# VRRPv3 at 0.1 s; the issue's target is one advert interval.  JSON rows
# on stdout (bench/run), a Markdown table on stderr.
#
#   bench/vrrpd-sync.sh          BENCH_RUNS (>= 5) transitions of each
set -u
BENCH_TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$BENCH_TOP/bench/lib.sh"
[ "$BENCH_RUNS" -ge 5 ] || BENCH_RUNS=5

NS=hksy$$
TMP=$(mktemp -d)
cleanup() {
	local n
	for n in d sw sw2; do
		ip netns pids "$NS-$n" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns del "$NS-$n" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

topology() {
	local s
	for s in sw sw2 d; do
		ip netns add "$NS-$s"
		ip -n "$NS-$s" link set lo up
	done
	for s in sw sw2; do
		ip -n "$NS-$s" link add br0 type bridge
		ip -n "$NS-$s" link set br0 type bridge mcast_snooping 0 forward_delay 0 stp_state 0
		ip -n "$NS-$s" link set br0 up
	done
	ip -n "$NS-sw" link add p0 type veth peer name eth0 netns "$NS-d"
	ip -n "$NS-sw2" link add p1 type veth peer name eth1 netns "$NS-d"
	ip -n "$NS-sw" link set p0 master br0 up
	ip -n "$NS-sw2" link set p1 master br0 up
	ip -n "$NS-d" addr add 192.0.2.1/24 dev eth0
	ip -n "$NS-d" addr add 198.51.100.1/24 dev eth1
	ip -n "$NS-d" link set eth0 up
	ip -n "$NS-d" link set eth1 up
	sleep 1
}

conf() {
	cat >"$TMP/ka.conf" <<-EOF
		global_defs {
		  router_id d
		}
		track_file down {
		  file "$TMP/down"
		}
		vrrp_sync_group VG_1 {
		  group {
		    VI_1
		    VI_2
		  }
		}
		vrrp_instance VI_1 {
		  interface eth0
		  virtual_router_id 51
		  priority 150
		  advert_int 0.1
		  version 3
		  virtual_ipaddress {
		    192.0.2.100/24
		  }
		}
		vrrp_instance VI_2 {
		  interface eth1
		  virtual_router_id 52
		  priority 150
		  advert_int 0.1
		  version 3
		  virtual_ipaddress {
		    198.51.100.100/24
		  }
		  track_file {
		    down
		  }
		}
	EOF
}

# Both members' states, "MASTER MASTER" and the like.
states_vrrpd() { echo "$(awk '{print $2}' "$TMP/VI_1.state" "$TMP/VI_2.state" 2>/dev/null | tr '\n' ' ')"; }
states_ka() {
	local i s out=""
	for i in VI_1 VI_2; do
		s=$(grep -oE "\\($i\\) Entering (MASTER|BACKUP|FAULT) STATE" "$TMP/ka.log" | tail -1 | awk '{print $3}')
		out="$out$s "
	done
	echo "$out"
}
both() { [ "$($1)" = "$2 $2 " ]; }
wait_for() {
	local n=200
	while ! both "$1" "$2"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.05
	done
}

# capture IMPL: tcpdump on both links around BENCH_RUNS transitions.
capture() {
	local impl=$1 st i
	rm -f "$TMP/down" "$TMP"/*.state "$TMP/ka.log"
	for i in 0 1; do
		ip netns exec "$NS-$([ $i = 0 ] && echo sw || echo sw2)" tcpdump -i br0 --immediate-mode -U -n \
			-w "$TMP/$impl$i.pcap" 'ip proto 112' 2>"$TMP/tcpdump$i.err" &
		echo $! >"$TMP/tcpdump$i.pid"
	done
	for i in 0 1; do
		for _ in $(seq 100); do grep -q listening "$TMP/tcpdump$i.err" && break; sleep 0.05; done
	done
	if [ "$impl" = vrrpd ]; then
		st=states_vrrpd
		kaconf -q -o "$TMP/kc" "$TMP/ka.conf" >"$TMP/plan"
		for i in VI_1 VI_2; do
			grep -vE '^(state|dump)-file ' "$TMP/kc/$i.conf" >"$TMP/$i.conf"
			ip netns exec "$NS-d" vrrpd -f --config "$TMP/$i.conf" --sync-dir "$TMP/sync" \
				--state-file "$TMP/$i.state" --dump-file "$TMP/$i.json" >>"$TMP/$i.log" 2>&1 &
		done
	else
		st=states_ka
		ip netns exec "$NS-d" keepalived -P -n -l -D -f "$TMP/ka.conf" -p "$TMP/ka.pid" \
			-r "$TMP/ka.vpid" >>"$TMP/ka.log" 2>&1 &
	fi
	wait_for $st MASTER || { echo "vrrpd-sync.sh: $impl never became master" >&2; return 1; }
	for i in $(seq "$BENCH_RUNS"); do
		echo 1 >"$TMP/down"
		wait_for $st FAULT || { echo "vrrpd-sync.sh: $impl run $i: no FAULT" >&2; return 1; }
		sleep 0.3
		echo 0 >"$TMP/down"
		wait_for $st MASTER || { echo "vrrpd-sync.sh: $impl run $i: no MASTER" >&2; return 1; }
		sleep 0.3
	done
	ip netns pids "$NS-d" | xargs -r kill -TERM
	sleep 1
	for i in 0 1; do kill -INT "$(cat "$TMP/tcpdump$i.pid")"; done
	wait
}

# lags IMPL: "fault master" lags in ms, one line per transition.
lags() {
	local impl=$1
	for i in 0 1; do
		tshark -n -r "$TMP/$impl$i.pcap" -T fields -e frame.time_epoch -e vrrp.prio 2>/dev/null >"$TMP/$impl$i.txt"
	done
	# The k-th priority-0 advert on each link, and the k-th advert that
	# follows a priority-0 one (the first as master again).
	awk -v n="$BENCH_RUNS" '
		FNR == 1 { f++ }
		{ t = $1; p = $2 }
		p == 0 && last[f] != 0 { z[f, ++nz[f]] = t }
		p != 0 && last[f] == 0 && seen[f] { m[f, ++nm[f]] = t }
		{ last[f] = p; seen[f] = 1 }
		END {
			for (k = 1; k <= n; k++) {
				if (!((1, k) in z) || !((2, k) in z) || !((1, k) in m) || !((2, k) in m))
					continue
				fault = (z[1, k] - z[2, k]) * 1000
				d = m[1, k] - m[2, k]; if (d < 0) d = -d
				printf "%.3f %.3f\n", fault, d * 1000
			}
		}' "$TMP/${impl}0.txt" "$TMP/${impl}1.txt"
}

topology
conf
capture vrrpd || exit 1
capture keepalived || exit 1
mapfile -t vf < <(lags vrrpd | awk '{print $1}')
mapfile -t vm < <(lags vrrpd | awk '{print $2}')
mapfile -t kf < <(lags keepalived | awk '{print $1}')
mapfile -t km < <(lags keepalived | awk '{print $2}')
within() { awk -v t="$1" 'BEGIN { print (t != "null" && t < 100) ? "true" : "false" }'; }
{
	ts=$(stats "${vf[@]}")
	row vrrpd-sync-fault "sync group: a member's FAULT to the other's priority-0 advert" \
		"vrrpd ×2" keepalived ms "${#vf[@]}" "$ts" "$(stats "${kf[@]}")" \
		"within one advert interval (100 ms)" "$(within "${ts%% *}")" \
		"VG_1 of two members on two links, VRRPv3 at 0.1 s, from packet timestamps"
	ts=$(stats "${vm[@]}")
	row vrrpd-sync-master "sync group: the first member's first advert as master to the other's" \
		"vrrpd ×2" keepalived ms "${#vm[@]}" "$ts" "$(stats "${km[@]}")" \
		"within one advert interval (100 ms)" "$(within "${ts%% *}")" \
		"after the FAULT clears; from packet timestamps"
} | tee "$TMP/rows"
{
	echo "| what | vrrpd median (min–max) | keepalived median (min–max) | transitions | target | met |"
	echo "|---|---|---|---|---|---|"
	jq -r '"| \(.what) | \(.tool_median) ms (\(.tool_min)–\(.tool_max)) | \(.anchor_median) ms (\(.anchor_min)–\(.anchor_max)) | \(.runs) | \(.target) | \(if .met then "yes" else "**no**" end) |"' "$TMP/rows"
} >&2
