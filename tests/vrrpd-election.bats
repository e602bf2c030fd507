#!/usr/bin/env bats
# vrrpd routers on a bridge: who becomes master, and when the VIP moves.
# Most tests use VRRPv3 at 0.1 s: Master_Down_Interval is under 0.4 s,
# so every wait below (seconds) has a wide margin.

load lib/common
load lib/net
load fixtures/vrrpd/helpers

VIP=192.0.2.100

setup() {
	net_init
	net_switch
	net_host a 192.0.2.1/24 2001:db8::1/64
	net_host b 192.0.2.2/24 2001:db8::2/64
}

teardown() {
	net_cleanup
}

@test "the higher priority router becomes master and alone holds the VIP" {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}"
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}"
	vr_wait a MASTER
	vr_wait b BACKUP
	wait_until 3 vip_only $VIP a a b
	# The backup sees the master and nothing it had to drop.
	run vr_dump b
	[ "$(jq -r .master.address <<<"$output")" = 192.0.2.1 ]
	[ "$(jq -r .master.priority <<<"$output")" = 200 ]
	[ "$(jq -r .counters.adverts_received <<<"$output")" -gt 0 ]
	[ "$(jq -r .dropped.total <<<"$output")" = 0 ]
	sleep 1
	vr_is b BACKUP
	vip_only $VIP a a b
	vr_logs_clean a b
}

# A tie is decided when both are master at once (RFC 5798 6.4.3): a
# backup keeps an equal-priority master whatever its address.  So make
# a split brain (multicast dropped), then heal it.
@test "when a split brain heals, equal priorities go to the higher primary address" {
	local h
	for h in a b; do
		nsx $h nft -f - <<-'EOF'
			table ip split {
				chain in { type filter hook input priority 0; ip protocol 112 drop; }
			}
		EOF
	done
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 "${FAST[@]}"
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 "${FAST[@]}"
	vr_wait a MASTER
	vr_wait b MASTER
	[ "$(vip_count $VIP a b)" = 2 ]
	nsx a nft delete table ip split
	nsx b nft delete table ip split
	vr_wait a BACKUP
	grep -q 'MASTER -> BACKUP: equal priority 100 from higher address 192.0.2.2' "$(scratch)/a.log"
	wait_until 3 vip_only $VIP b a b
	sleep 1
	vr_is b MASTER
	vr_logs_clean a b
}

@test "a returning higher-priority router preempts the master" {
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}"
	vr_wait b MASTER
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}"
	vr_wait a MASTER
	vr_wait b BACKUP
	wait_until 3 vip_only $VIP a a b
	grep -q 'MASTER -> BACKUP: higher priority 200 from 192.0.2.1' "$(scratch)/b.log"
	vr_logs_clean a b
}

@test "with --no-preempt a returning higher-priority router stays backup" {
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}"
	vr_wait b MASTER
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 --no-preempt "${FAST[@]}"
	vr_wait a BACKUP
	# Five times Master_Down_Interval.
	sleep 2
	vr_is a BACKUP
	vr_is b MASTER
	vip_only $VIP b a b
	vr_logs_clean a b
}

@test "--preempt-delay postpones preemption of a lower-priority master" {
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}"
	vr_wait b MASTER
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 --preempt-delay 3 "${FAST[@]}"
	vr_wait a BACKUP
	sleep 1
	vr_is a BACKUP
	vr_wait a MASTER 8
	vr_wait b BACKUP
	wait_until 3 vip_only $VIP a a b
	vr_logs_clean a b
}

@test "the address owner (priority 255) becomes master without waiting" {
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}"
	vr_wait b MASTER
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 255 "${FAST[@]}"
	vr_wait a MASTER
	grep -q 'INIT -> MASTER: address owner' "$(scratch)/a.log"
	vr_wait b BACKUP
	wait_until 3 vip_only $VIP a a b
	vr_logs_clean a b
}

@test "a graceful stop hands over after skew time, not master down interval" {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}"
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}"
	vr_wait a MASTER
	vr_wait b BACKUP
	vr_stop a
	[ "$(vr_state a)" = STOP ]
	vr_wait b MASTER
	grep -q 'BACKUP -> MASTER: master 192.0.2.1 resigned (priority 0)' "$(scratch)/b.log"
	[ "$(vr_json b .counters.priority_zero_received)" = 1 ]
	wait_until 3 vip_only $VIP b a b
	vr_logs_clean a b
}

@test "a crashed master is replaced after master down interval and cleans up when it returns" {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}"
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}"
	vr_wait a MASTER
	vr_wait b BACKUP
	vr_crash a
	vr_wait b MASTER
	grep -q 'BACKUP -> MASTER: no advert from a master for 0.360 s' "$(scratch)/b.log"
	# The killed process left its VIP behind; the new run removes it
	# first, then preempts.
	net_has a $VIP
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}"
	wait_until 5 grep -q 'removed 192.0.2.100/24 left by an earlier run' "$(scratch)/a.log"
	vr_wait a MASTER
	vr_wait b BACKUP
	wait_until 3 vip_only $VIP a a b
	vr_logs_clean a b
}

@test "cutting the master's cable moves the VIP, mending it brings it back" {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 --notify-fault "/bin/touch $(scratch)/fault" "${FAST[@]}"
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}"
	vr_wait a MASTER
	vr_wait b BACKUP
	net_cut a
	vr_wait a FAULT
	vr_wait b MASTER
	wait_until 3 vip_only $VIP b a b
	wait_until 3 test -e "$(scratch)/fault"
	net_mend a
	vr_wait a MASTER
	vr_wait b BACKUP
	wait_until 3 vip_only $VIP a a b
	grep -q 'FAULT -> BACKUP: interface back up' "$(scratch)/a.log"
	vr_logs_clean a b
}

@test "of three routers the best is master and the next best succeeds it" {
	net_host c 192.0.2.3/24
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}"
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 150 "${FAST[@]}"
	vr_start c c -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}"
	vr_wait a MASTER
	vr_wait b BACKUP
	vr_wait c BACKUP
	wait_until 3 vip_only $VIP a a b c
	vr_stop a
	vr_wait b MASTER
	sleep 1
	vr_is c BACKUP
	vip_only $VIP b a b c
	[ "$(vr_json c .master.address)" = 192.0.2.2 ]
	vr_logs_clean a b c
}

@test "unicast peers keep a single master when multicast is blocked" {
	block_multicast a b
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}" \
		--unicast-src 192.0.2.1 --unicast-peer 192.0.2.2
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}" \
		--unicast-peer 192.0.2.1
	vr_wait a MASTER
	vr_wait b BACKUP
	sleep 1
	vr_is b BACKUP
	vip_only $VIP a a b
	run vr_dump b
	[ "$(jq -r .mode <<<"$output")" = unicast ]
	[ "$(jq -r .counters.adverts_received <<<"$output")" -gt 5 ]
	vr_stop a
	vr_wait b MASTER
	vr_logs_clean a b
}

@test "a unicast router drops adverts from addresses that are not its peers" {
	net_host x 192.0.2.9/24
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}" \
		--unicast-peer 192.0.2.1
	vr_wait b MASTER
	nsx x vrrp-inject -i eth0 --src 192.0.2.9 --dst 192.0.2.2 --vrid 7 --prio 250 \
		--interval 10 --addr $VIP --count 5
	wait_until 3 vr_json_is b .dropped.not_peer 5
	vr_is b MASTER
	vr_logs_clean b
}

@test "a custom multicast group is joined and used" {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 --mcast-group 224.0.0.99 "${FAST[@]}"
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 100 --mcast-group 224.0.0.99 "${FAST[@]}"
	vr_wait a MASTER
	vr_wait b BACKUP
	nsx b ip maddr show dev eth0 | grep -q 224.0.0.99
	! nsx b ip maddr show dev eth0 | grep -q 224.0.0.18
	sleep 1
	vr_is b BACKUP
	[ "$(vr_json b .counters.adverts_received)" -gt 5 ]
	vr_logs_clean a b
}

@test "IPv6 routers elect a master with VRRPv3 and move the VIP on stop" {
	local v6=2001:db8::100
	vr_start a a -i eth0 --vrid 7 --vip $v6/64 --priority 200 --advert-int 0.1
	vr_start b b -i eth0 --vrid 7 --vip $v6/64 --priority 100 --advert-int 0.1
	vr_wait a MASTER
	vr_wait b BACKUP
	wait_until 3 vip_only $v6 a a b
	# No duplicate address detection on a VIP.
	! nsx a ip -6 addr show dev eth0 | grep $v6 | grep -q tentative
	run vr_dump b
	[ "$(jq -r .version <<<"$output")" = 3 ]
	[[ "$(jq -r .master.address <<<"$output")" == fe80::* ]]
	vr_stop a
	vr_wait b MASTER
	wait_until 3 vip_only $v6 b a b
	vr_logs_clean a b
}

@test "IPv6 unicast peers elect a master without multicast" {
	local v6=2001:db8::100 h
	for h in a b; do
		nsx $h nft -f - <<-'EOF'
			table ip6 nomcast {
				chain in { type filter hook input priority 0; ip6 daddr ff02::12 drop; }
			}
		EOF
	done
	vr_start a a -i eth0 --vrid 7 --vip $v6/64 --priority 200 --advert-int 0.1 \
		--unicast-src 2001:db8::1 --unicast-peer 2001:db8::2
	vr_start b b -i eth0 --vrid 7 --vip $v6/64 --priority 100 --advert-int 0.1 \
		--unicast-src 2001:db8::2 --unicast-peer 2001:db8::1
	vr_wait a MASTER
	vr_wait b BACKUP
	sleep 1
	vr_is b BACKUP
	vip_only $v6 a a b
	[ "$(vr_json b .master.address)" = 2001:db8::1 ]
	vr_stop a
	vr_wait b MASTER
	wait_until 3 vip_only $v6 b a b
	vr_logs_clean a b
}

@test "instances of other VRIDs on the link never reach the process" {
	vr_start a1 a -i eth0 --vrid 1 --vip 192.0.2.101/24 --priority 200 "${FAST[@]}"
	vr_start b1 b -i eth0 --vrid 1 --vip 192.0.2.101/24 --priority 100 "${FAST[@]}"
	vr_start a2 a -i eth0 --vrid 2 --vip 192.0.2.102/24 --priority 100 "${FAST[@]}"
	vr_start b2 b -i eth0 --vrid 2 --vip 192.0.2.102/24 --priority 200 "${FAST[@]}"
	vr_wait a1 MASTER
	vr_wait b2 MASTER
	vr_wait b1 BACKUP
	vr_wait a2 BACKUP
	sleep 1
	local id
	for id in a1 b1 a2 b2; do
		[ "$(vr_json $id .dropped.total)" = 0 ]
	done
	# Each backup heard its own master, about ten adverts a second.
	[ "$(vr_json b1 .counters.adverts_received)" -gt 5 ]
	[ "$(vr_json a2 .counters.adverts_received)" -gt 5 ]
	vip_only 192.0.2.101 a a b
	vip_only 192.0.2.102 b a b
	vr_logs_clean a1 b1 a2 b2
}

@test "a VIP on another interface than the VRRP one gets its label there" {
	net_switch sw2
	net_attach a sw2 eth1 198.51.100.1/24
	net_attach b sw2 eth1 198.51.100.2/24
	local spec='198.51.100.100/24 dev eth1 label eth1:vip'
	vr_start a a -i eth0 --vrid 7 --vip "$spec" --priority 200 "${FAST[@]}"
	vr_start b b -i eth0 --vrid 7 --vip "$spec" --priority 100 "${FAST[@]}"
	vr_wait a MASTER
	vr_wait b BACKUP
	wait_until 3 net_has a 198.51.100.100 eth1
	nsx a ip -4 -o addr show dev eth1 | grep 198.51.100.100 | grep -q 'eth1:vip'
	! net_has b 198.51.100.100 eth1
	vr_logs_clean a b
}

@test "the interface defaults to the one with an address in the VIP's subnet" {
	net_switch sw2
	net_attach a sw2 eth1 198.51.100.1/24
	run nsx a vrrpd --vrid 9 --vip 198.51.100.100 -n
	[ "$status" -eq 0 ]
	grep -qx 'interface eth1' <<<"$output"
	grep -qx 'name eth1-9' <<<"$output"
	run nsx a vrrpd --vrid 9 --vip 203.0.113.5 -n
	[ "$status" -eq 2 ]
	[[ "$output" == *"no interface has an address in the subnet of '203.0.113.5'; give --interface"* ]]
}

@test "a stale VIP on a starting backup is removed" {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}"
	vr_wait a MASTER
	nsx b ip addr add $VIP/24 dev eth0
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}"
	vr_wait b BACKUP
	wait_until 3 vip_only $VIP a a b
	grep -q 'removed 192.0.2.100/24 left by an earlier run' "$(scratch)/b.log"
	vr_logs_clean a b
}
