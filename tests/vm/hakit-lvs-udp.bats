#!/usr/bin/env bats
# A DNS service over UDP behind LVS-DR, end to end in the VM, run by
# hakit and then by keepalived on the same keepalived.conf
# (tests/fixtures/e2e/dns-udp-lvs.conf): DNS_CHECK on one real server,
# UDP_CHECK and PING_CHECK on the other.  The real servers are
# namespaces answering DNS queries with tests/tools/udp-echo; a firewall
# rule takes ICMP away.  At each step both directors must leave the same
# IPVS table (ipvsadm -Sn, lines sorted).

load ../lib/common
load ../lib/net
load ../fixtures/e2e/helpers

# keepalived's checker only: the file has no vrrp_instance
E2E_KA_MODE=-C

# delay_loop (2 s) plus retry (1) times connect_timeout and
# delay_before_retry (1 s each), twice, and margin for the emulated CPU.
BOUND=$((2 * (2 + 1 * (1 + 1)) + 6))

setup_file() {
	net_init
	export NET_ID
	net_switch
	net_host d 192.0.2.136/24
	net_host rs1 192.0.2.138/24
	net_host rs2 192.0.2.139/24
	local r
	for r in rs1 rs2; do
		RS_LO0_STATE_DIR=$BATS_FILE_TMPDIR/rs-lo0-$r nsx "$r" rs-lo0 start 192.0.2.100 >/dev/null
		nsx "$r" nft add table inet t
		nsx "$r" nft add chain inet t in '{ type filter hook input priority 0; }'
	done
}

teardown_file() {
	net_cleanup
}

setup() {
	T=$(scratch)
	E2E_NODES=(d)
	nsx d ipvsadm -C
	local r
	for r in rs1 rs2; do
		dns_serve "$r"
		nsx "$r" nft flush chain inet t in
	done
}

teardown() {
	# (the DNS responders too: they were started with bg)
	bg_cleanup
	rm -f "$BATS_FILE_TMPDIR"/*.dns
}

# dns_serve RS: a DNS responder on port 53 (pid in $BATS_FILE_TMPDIR/RS.dns),
# stopped by the test's teardown.
dns_serve() {
	local pidf=$BATS_FILE_TMPDIR/$1.dns
	[ -s "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null && return 0
	bg ip netns exec "$(ns "$1")" udp-echo 0.0.0.0 53 dns 0
	echo "$BG_PID" >"$pidf"
	wait_until 5 eval "nsx $1 ss -Hlun 'sport = :53' | grep -q ."
}

# dns_kill RS: its responder is stopped (queries get ICMP unreachable).
dns_kill() {
	local pidf=$BATS_FILE_TMPDIR/$1.dns
	kill "$(cat "$pidf")"
	rm -f "$pidf"
	wait_until 5 eval "! nsx $1 ss -Hlun 'sport = :53' | grep -q ."
}

table() {
	nsx d ipvsadm -Sn | LC_ALL=C sort
}

wait_table() {
	local want
	want=$(LC_ALL=C sort <<<"$1")
	wait_until "$BOUND" eval '[ "$(table)" = "$want" ]' || {
		diff <(echo "$want") <(table) | sed 's/^/# table: /' >&2
		echo "# director's log:" >&2
		tail -15 "$T/d.log" >&2
		return 1
	}
}

ALL='-A -u 192.0.2.100:53 -s rr
-a -u 192.0.2.100:53 -r 192.0.2.138:53 -g -w 1
-a -u 192.0.2.100:53 -r 192.0.2.139:53 -g -w 2'

scenario_dns() {
	node_start d "$1" "$E2E_FIX/dns-udp-lvs.conf"
	step "start: both real servers in"
	wait_table "$ALL"
	step "rs1's DNS server stops: DNS_CHECK takes it out"
	dns_kill rs1
	wait_table '-A -u 192.0.2.100:53 -s rr
-a -u 192.0.2.100:53 -r 192.0.2.139:53 -g -w 2'
	step "it is back: rs1 back in"
	dns_serve rs1
	wait_table "$ALL"
	step "rs2 stops answering pings: PING_CHECK takes it out"
	nsx rs2 nft add rule inet t in icmp type echo-request drop
	wait_table '-A -u 192.0.2.100:53 -s rr
-a -u 192.0.2.100:53 -r 192.0.2.138:53 -g -w 1'
	step "pings again, but its DNS server stops: UDP_CHECK keeps it out"
	nsx rs2 nft flush chain inet t in
	dns_kill rs2
	sleep 3
	wait_table '-A -u 192.0.2.100:53 -s rr
-a -u 192.0.2.100:53 -r 192.0.2.138:53 -g -w 1'
	step "its DNS server is back: rs2 back in"
	dns_serve rs2
	wait_table "$ALL"
	node_stop d
	[ -z "$(table)" ]
}

@test "a DNS service over UDP under hakit: DNS_CHECK, UDP_CHECK and PING_CHECK move the real servers" {
	scenario_dns hakit
	grep -qF 'hakit: real server 192.0.2.138:53 of udp 192.0.2.100:53 is down (DNS_CHECK' "$T/d.log"
	grep -qF 'hakit: real server 192.0.2.139:53 of udp 192.0.2.100:53 is down (PING_CHECK' "$T/d.log"
	# rs2's second checker may fail while it is down already: said so.
	nodes_clean 'UDP_CHECK 192.0.2.139:53 failed too \(port unreachable \(ICMP\)\); still down'
}

@test "the same DNS service under keepalived: the same IPVS table at each step" {
	scenario_dns keepalived
	grep -qF 'Removing service [192.0.2.138]:udp:53 from VS [192.0.2.100]:udp:53' "$T/d.log"
}
