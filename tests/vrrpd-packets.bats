#!/usr/bin/env bats
# What vrrpd puts on the wire, as tshark's dissector reads it, and what
# it does with malformed packets injected from a neighbour.

load lib/common
load lib/net
load fixtures/vrrpd/helpers

VIP=192.0.2.100

setup() {
	net_init
	net_switch
	net_host a 192.0.2.1/24 2001:db8::1/64
	net_host x 192.0.2.9/24 2001:db8::9/64
	T=$(scratch)
}

teardown() {
	net_cleanup
}

# Stop the capture once what was sent is surely in it (without
# --immediate-mode, libpcap hands packets over in blocks).
cap_end() {
	sleep 1
	cap_stop
}

# fields PCAP FILTER FIELD...: the distinct values, tab-separated.
fields() {
	local pcap=$1 filter=$2 f args=()
	shift 2
	for f in "$@"; do args+=(-e "$f"); done
	tshark -n -r "$pcap" -Y "$filter" -T fields -E separator=/t "${args[@]}" 2>/dev/null | sort -u
}

@test "VRRPv2 adverts carry the configured fields and a checksum tshark finds good" {
	printf 'pw12345\n' >"$T/pass"
	chmod 600 "$T/pass"
	cap_start "$T/c.pcap" 'ip proto 112'
	vr_start a a -i eth0 --vrid 42 --vip $VIP/24 --vip 192.0.2.101 --priority 150 \
		--auth-pass-file "$T/pass" --state master
	vr_wait a MASTER 5
	sleep 0.3
	vr_stop a
	cap_end
	run fields "$T/c.pcap" 'vrrp.prio != 0' ip.src ip.dst ip.ttl ip.dsfield vrrp.version \
		vrrp.type vrrp.virt_rtr_id vrrp.prio vrrp.addr_count vrrp.auth_type vrrp.adver_int \
		vrrp.auth_string vrrp.ip_addr vrrp.checksum.status
	[ "$output" = "$(printf '192.0.2.1\t224.0.0.18\t255\t0xc0\t2\t1\t42\t150\t2\t1\t1\tpw12345\t192.0.2.100,192.0.2.101\t1')" ]
	# And the last one resigns.
	run fields "$T/c.pcap" 'vrrp.prio == 0' vrrp.checksum.status
	[ "$output" = 1 ]
	vr_logs_clean a
}

@test "VRRPv3 IPv4 adverts use the pseudo-header checksum, or not with --v3-checksum-as-v2" {
	cap_start "$T/c.pcap" 'ip proto 112'
	vr_start a a -i eth0 --vrid 43 --vip $VIP/24 --priority 255 "${FAST[@]}"
	vr_start a2 a -i eth0 --vrid 44 --vip 192.0.2.102/24 --priority 255 "${FAST[@]}" \
		--v3-checksum-as-v2
	vr_wait a MASTER
	vr_wait a2 MASTER
	sleep 0.5
	cap_end
	run fields "$T/c.pcap" 'vrrp.virt_rtr_id == 43' ip.ttl vrrp.version vrrp.prio \
		vrrp.short_adver_int vrrp.ip_addr vrrp.checksum.status
	[ "$output" = "$(printf '255\t3\t255\t10\t192.0.2.100\t1')" ]
	run fields "$T/c.pcap" 'vrrp.virt_rtr_id == 44' vrrp.checksum.status
	[ "$output" = 0 ]	# bad, read with the pseudo-header
	[ "$(tshark -n -r "$T/c.pcap" -o vrrp.v3_checksum_as_in_v2:TRUE -Y 'vrrp.virt_rtr_id == 44' \
		-T fields -e vrrp.checksum.status 2>/dev/null | sort -u)" = 1 ]
	vr_logs_clean a a2
}

@test "VRRPv3 IPv6 adverts leave from the link-local address with hop limit 255" {
	local ll
	ll=$(nsx a ip -6 -o addr show dev eth0 scope link | awk '{print $4}' | cut -d/ -f1)
	cap_start "$T/c.pcap" 'ip6 proto 112'
	vr_start a a -i eth0 --vrid 45 --vip 2001:db8::100/64 --priority 255 --advert-int 0.1
	vr_wait a MASTER
	sleep 0.5
	cap_end
	run fields "$T/c.pcap" vrrp ipv6.src ipv6.dst ipv6.hlim vrrp.version vrrp.virt_rtr_id \
		vrrp.short_adver_int vrrp.ipv6_addr vrrp.checksum.status
	[ "$output" = "$(printf '%s\tff02::12\t255\t3\t45\t10\t2001:db8::100\t1' "$ll")" ]
	vr_logs_clean a
}

@test "unicast adverts go to every peer and nowhere else" {
	net_host y 192.0.2.8/24
	cap_start "$T/c.pcap" 'ip proto 112'
	vr_start a a -i eth0 --vrid 46 --vip $VIP/24 --priority 255 "${FAST[@]}" \
		--unicast-peer 192.0.2.9 --unicast-peer 192.0.2.8
	vr_wait a MASTER
	sleep 0.5
	cap_end
	run fields "$T/c.pcap" vrrp ip.dst vrrp.checksum.status
	[ "$output" = "$(printf '192.0.2.8\t1\n192.0.2.9\t1')" ]
	vr_logs_clean a
}

@test "a new master sends --garp-repeat gratuitous ARPs, and again after --garp-delay" {
	cap_start "$T/c.pcap" arp
	vr_start a a -i eth0 --vrid 47 --vip $VIP/24 --priority 255 "${FAST[@]}" \
		--garp-repeat 3 --garp-delay 1
	vr_wait a MASTER
	sleep 1.5
	cap_end
	local mac
	mac=$(net_mac a)
	run fields "$T/c.pcap" 'arp.src.proto_ipv4 == 192.0.2.100' eth.dst arp.opcode \
		arp.src.hw_mac arp.dst.proto_ipv4
	[ "$output" = "$(printf 'ff:ff:ff:ff:ff:ff\t1\t%s\t192.0.2.100' "$mac")" ]
	[ "$(tshark -r "$T/c.pcap" -Y 'arp.src.proto_ipv4 == 192.0.2.100' 2>/dev/null | wc -l)" = 6 ]
	[ "$(vr_json a .counters.announcements_sent)" = 6 ]
	vr_logs_clean a
}

@test "an IPv6 master sends unsolicited neighbour advertisements for its VIP" {
	cap_start "$T/c.pcap" 'icmp6'
	vr_start a a -i eth0 --vrid 48 --vip 2001:db8::100/64 --priority 255 --advert-int 0.1 \
		--garp-repeat 2
	vr_wait a MASTER
	sleep 0.5
	cap_end
	run fields "$T/c.pcap" 'icmpv6.type == 136' ipv6.dst ipv6.hlim icmpv6.nd.na.target_address \
		icmpv6.nd.na.flag.o icmpv6.nd.na.flag.s icmpv6.checksum.status
	[ "$output" = "$(printf 'ff02::1\t255\t2001:db8::100\t1\t0\t1')" ]
	[ "$(tshark -r "$T/c.pcap" -Y 'icmpv6.type == 136' 2>/dev/null | wc -l)" = 2 ]
	vr_logs_clean a
}

# inject ARGS...: from host x, towards the group, VRID 7, priority 200.
inject() {
	nsx x vrrp-inject -i eth0 --src 192.0.2.9 --vrid 7 --prio 200 --addr $VIP "$@"
}

@test "malformed VRRPv3 packets are dropped, counted by reason and change nothing" {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}"
	vr_wait a MASTER
	inject --interval 10 --ttl 64 --count 3
	inject --interval 10 --bad-checksum --count 3
	inject --interval 1 --version 2 --pass x --count 3
	inject --interval 10 --type 2 --count 3
	inject --interval 10 --naddr 2 --count 3
	inject --interval 10 --short --count 3
	inject --interval 0 --count 3
	nsx x vrrp-inject -i eth0 --src 192.0.2.9 --vrid 7 --prio 200 --interval 10 \
		--addr 192.0.2.99 --count 3
	wait_until 3 vr_json_is a .dropped.total 24
	run vr_dump a
	[ "$(jq -c '.dropped | del(.total) | with_entries(select(.value > 0))' <<<"$output")" = \
		'{"short":3,"ttl":3,"version":3,"type":3,"length":3,"checksum":3,"interval":3,"address_list":3}' ]
	[ "$(jq -r .counters.adverts_received <<<"$output")" = 0 ]
	[ "$(jq -r .counters.released_master <<<"$output")" = 0 ]
	vr_is a MASTER
	grep -q 'dropped a packet from 192.0.2.9: TTL is not 255 (64)' "$T/a.log"
	grep -q 'dropped a packet from 192.0.2.9: bad checksum' "$T/a.log"
	grep -q 'dropped a packet from 192.0.2.9: wrong VRRP version (2, expected 3)' "$T/a.log"
	# The same injector's well-formed advert is obeyed: the test can fail.
	inject --interval 10
	wait_until 3 vr_json_is a .counters.released_master 1
	vr_logs_clean a
}

@test "VRRPv2 packets with the wrong password, auth type or interval are dropped" {
	printf 'right\n' >"$T/pass"
	chmod 600 "$T/pass"
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 100 --auth-pass-file "$T/pass" \
		--state master
	vr_wait a MASTER
	inject --version 2 --pass wrong --count 2
	inject --version 2 --auth-type 0 --count 2
	inject --version 2 --pass right --interval 2 --count 2
	wait_until 3 vr_json_is a .dropped.total 6
	run vr_dump a
	[ "$(jq -c '.dropped | del(.total) | with_entries(select(.value > 0))' <<<"$output")" = \
		'{"auth":4,"interval":2}' ]
	vr_is a MASTER
	grep -q 'authentication mismatch' "$T/a.log"
	grep -q 'advertisement interval mismatch (2.00 s)' "$T/a.log"
	inject --version 2 --pass right
	wait_until 3 vr_json_is a .counters.released_master 1
	vr_logs_clean a
}

@test "packets for another VRID are filtered before they reach the instance" {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}"
	vr_start a8 a -i eth0 --vrid 8 --vip 192.0.2.108/24 --priority 100 "${FAST[@]}"
	vr_wait a MASTER
	vr_wait a8 MASTER
	nsx x vrrp-inject -i eth0 --src 192.0.2.9 --vrid 8 --prio 200 --interval 10 \
		--addr 192.0.2.108 --count 5
	# VRID 8's instance on the same host got them ...
	wait_until 3 vr_json_is a8 .counters.adverts_received 5
	# ... VRID 7's never saw them.
	run vr_dump a
	[ "$(jq -r .dropped.total <<<"$output")" = 0 ]
	[ "$(jq -r .counters.adverts_received <<<"$output")" = 0 ]
	vr_is a MASTER
	vr_logs_clean a a8
}

@test "a flood of bad packets costs about one log line a second" {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}"
	vr_wait a MASTER
	# A burst the socket buffer holds whole.
	inject --interval 10 --bad-checksum --count 100
	wait_until 5 vr_json_is a .dropped.checksum 100
	[ "$(grep -c 'bad checksum' "$T/a.log")" -le 3 ]
	vr_is a MASTER
	# The next window reports what the last one kept quiet.
	sleep 1.2
	inject --interval 10 --bad-checksum
	wait_until 3 grep -q 'similar messages suppressed' "$T/a.log"
	vr_logs_clean a
}

@test "malformed IPv6 packets are dropped too" {
	local v6=2001:db8::100 ll
	ll=$(nsx x ip -6 -o addr show dev eth0 scope link | awk '{print $4}' | cut -d/ -f1)
	vr_start a a -i eth0 --vrid 7 --vip $v6/64 --priority 100 --advert-int 0.1
	vr_wait a MASTER
	nsx x vrrp-inject -i eth0 --src "$ll" --vrid 7 --prio 200 --addr $v6 --interval 10 --ttl 1
	nsx x vrrp-inject -i eth0 --src "$ll" --vrid 7 --prio 200 --addr $v6 --interval 10 --bad-checksum
	wait_until 3 vr_json_is a .dropped.total 2
	run vr_dump a
	[ "$(jq -c '.dropped | del(.total) | with_entries(select(.value > 0))' <<<"$output")" = \
		'{"ttl":1,"checksum":1}' ]
	nsx x vrrp-inject -i eth0 --src "$ll" --vrid 7 --prio 200 --addr $v6 --interval 10
	wait_until 3 vr_json_is a .counters.released_master 1
	vr_logs_clean a
}
