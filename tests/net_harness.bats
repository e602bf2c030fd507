#!/usr/bin/env bats
# The topology helpers themselves: later suites stand on them.

load lib/common
load lib/net

setup() { net_init; }
teardown() { net_cleanup; }

@test "two hosts on a switch reach each other over IPv4 and IPv6" {
	net_switch
	net_host a 192.0.2.1/24 2001:db8::1/64
	net_host b 192.0.2.2/24 2001:db8::2/64
	nsx a ping -c1 -W2 192.0.2.2
	nsx a ping -c1 -W2 2001:db8::2
}

@test "cutting a cable takes the host's carrier away and mending restores it" {
	net_switch
	net_host a 192.0.2.1/24
	net_host b 192.0.2.2/24
	net_cut b
	run nsx a ping -c1 -W1 192.0.2.2
	[ "$status" -ne 0 ]
	wait_until 2 sh -c "ip -n $(ns b) link show eth0 | grep -q NO-CARRIER"
	net_mend b
	wait_until 5 nsx a ping -c1 -W1 192.0.2.2
}

@test "cleanup removes every namespace the test made" {
	net_switch
	net_host a 192.0.2.1/24
	nsx a sleep 60 &
	local id=$NET_ID
	net_cleanup
	run sh -c "ip netns list | grep -c '^$id-'"
	[ "$output" = 0 ]
}
