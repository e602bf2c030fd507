# Network topologies for tests, built only in network namespaces the
# test creates: each "switch" is a bridge in a namespace of its own,
# each host a namespace with a veth to a switch.  Nothing touches the
# root namespace's interfaces.  Addresses: 192.0.2.0/24, 198.51.100.0/24,
# 203.0.113.0/24 and 2001:db8::/32 only.
#
#   load lib/net
#   setup()    { net_init; }
#   teardown() { net_cleanup; }
#
#   net_switch                     # switch "sw" (bridge br0)
#   net_host a 192.0.2.1/24 2001:db8::1/64   # host a, eth0 on sw
#   net_attach a sw2 eth1 198.51.100.1/24     # a second link
#   nsx a ip -o addr               # run in host a
#   net_cut a / net_mend a         # unplug / replug a's cable (on the switch)
# shellcheck shell=bash

# A prefix unique to this test: "hk<pid of the test process>t<test number>".
net_init() {
	NET_ID=hk$$t${BATS_SUITE_TEST_NUMBER:-0}
	NET_NAMES=()
	net_sweep_stale
}

# Remove namespaces left by runs whose bats process is gone (a run
# killed before its teardown).
net_sweep_stale() {
	local ns pid
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		case $ns in hk[0-9]*t[0-9]*-*) ;; *) continue ;; esac
		pid=${ns#hk}
		pid=${pid%%t*}
		kill -0 "$pid" 2>/dev/null && continue
		net_del_ns "$ns"
	done
}

net_del_ns() {
	local ns=$1 p
	for p in $(ip netns pids "$ns" 2>/dev/null); do
		kill -KILL "$p" 2>/dev/null || true
	done
	ip netns del "$ns" 2>/dev/null || true
}

# The namespace name of host or switch NAME.
ns() {
	echo "$NET_ID-$1"
}

# nsx NAME CMD...: run CMD in NAME's namespace.
nsx() {
	local n=$1
	shift
	ip netns exec "$NET_ID-$n" "$@"
}

net_new_ns() {
	local n=$1 full=$NET_ID-$1
	[ -e "/run/netns/$full" ] && return 0
	ip netns add "$full"
	NET_NAMES+=("$n")
	ip -n "$full" link set lo up
	# No duplicate address detection: addresses work at once, and VIPs
	# moving between hosts are the point of these tests.
	ip netns exec "$full" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.dad_transmits=0 \
		net.ipv6.conf.default.dad_transmits=0 >/dev/null
}

# net_switch [NAME]: a bridge br0 in namespace NAME (default sw).
net_switch() {
	local sw=${1:-sw}
	net_new_ns "$sw"
	ip -n "$(ns "$sw")" link add br0 type bridge
	# No snooping: VRRP's groups must reach every port, as on a dumb
	# switch.  Forward at once (no STP listening delay).
	ip -n "$(ns "$sw")" link set br0 type bridge mcast_snooping 0 forward_delay 0 stp_state 0
	ip -n "$(ns "$sw")" link set br0 up
}

# net_attach HOST SWITCH IFNAME [ADDR/PLEN...]: cable HOST to SWITCH;
# the host side is IFNAME, the switch port is named HOST-IFNAME (cut
# to 15 bytes).
net_attach() {
	local host=$1 sw=$2 ifn=$3 a port
	shift 3
	net_new_ns "$host"
	port=$(printf '%.15s' "$host-$ifn")
	ip -n "$(ns "$sw")" link add "$port" type veth peer name "$ifn" netns "$(ns "$host")"
	ip -n "$(ns "$sw")" link set "$port" master br0 up
	for a in "$@"; do
		case $a in
		*:*) ip -n "$(ns "$host")" addr add "$a" dev "$ifn" nodad ;;
		*) ip -n "$(ns "$host")" addr add "$a" dev "$ifn" ;;
		esac
	done
	ip -n "$(ns "$host")" link set "$ifn" up
	# The kernel reports carrier asynchronously (linkwatch); frames sent
	# before it does are dropped, so wait until the link is really up.
	wait_until 5 sh -c "ip -n '$(ns "$host")' link show '$ifn' | grep -q 'state UP'"
}

# net_host HOST [ADDR/PLEN...]: HOST with eth0 on switch sw.
net_host() {
	local host=$1
	shift
	net_attach "$host" sw eth0 "$@"
}

# The MAC address of IFNAME (default eth0) in HOST.
net_mac() {
	ip -n "$(ns "$1")" -o link show "${2:-eth0}" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
}

# net_cut HOST [IFNAME [SWITCH]] / net_mend ...: take the switch port of
# HOST's cable down or up, as pulling the cable would (the host sees
# its carrier go).
net_cut() {
	ip -n "$(ns "${3:-sw}")" link set "$(printf '%.15s' "$1-${2:-eth0}")" down
}
net_mend() {
	ip -n "$(ns "${3:-sw}")" link set "$(printf '%.15s' "$1-${2:-eth0}")" up
}

# Print HOST's addresses on IFNAME as "ADDR/PLEN" lines (scope global).
net_addrs() {
	ip -n "$(ns "$1")" -o addr show dev "${2:-eth0}" scope global |
		awk '{print $4}'
}

# net_has HOST ADDR [IFNAME]: does HOST hold ADDR (any prefix length)?
net_has() {
	net_addrs "$1" "${3:-eth0}" | grep -q "^$2/"
}

# Capture on the switch's bridge into FILE with a pcap filter, in the
# background; returns once tcpdump is listening (at most 10 s).
# cap_stop ends it (flushing what it has).
cap_start() {
	local file=$1 filter=$2 sw=${3:-sw}
	HK_CAP_ERR=$file.stderr
	: >"$HK_CAP_ERR"
	ip netns exec "$(ns "$sw")" tcpdump -i br0 --immediate-mode -U -n -w "$file" "$filter" 2>"$HK_CAP_ERR" &
	HK_CAP_PID=$!
	HK_BG_PIDS+=("$HK_CAP_PID")
	wait_until 10 grep -q "listening on" "$HK_CAP_ERR"
}
cap_stop() {
	sleep 0.2
	kill -INT "$HK_CAP_PID" 2>/dev/null || true
	wait "$HK_CAP_PID" 2>/dev/null || true
}

net_cleanup() {
	local n
	type bg_cleanup >/dev/null 2>&1 && bg_cleanup
	for n in "${NET_NAMES[@]}"; do
		net_del_ns "$NET_ID-$n"
	done
	NET_NAMES=()
}
