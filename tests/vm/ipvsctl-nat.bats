#!/usr/bin/env bats
# LVS-NAT end to end in the VM: the client and the real servers on two
# segments, the director routing between them and rewriting addresses
# and ports.

load ../lib/common
load ../lib/net
load ipvs

setup() {
	net_init
}

teardown() {
	net_cleanup
}

@test "LVS-NAT carries connections through the director to both real servers, changing the port" {
	net_switch
	net_switch sw2
	net_host c 203.0.113.10/24
	net_attach d sw eth0 203.0.113.1/24 203.0.113.100/32
	net_attach d sw2 eth1 198.51.100.1/24
	net_attach rs1 sw2 eth0 198.51.100.11/24
	net_attach rs2 sw2 eth0 198.51.100.12/24
	ip -n "$(ns rs1)" route add default via 198.51.100.1
	ip -n "$(ns rs2)" route add default via 198.51.100.1
	nsx d sysctl -qw net.ipv4.ip_forward=1
	http_server rs1 8080 rs1
	http_server rs2 8080 rs2
	ictl add service tcp 203.0.113.100:80 sched rr
	ictl add dest tcp 203.0.113.100:80 198.51.100.11:8080 mode nat
	ictl add dest tcp 203.0.113.100:80 198.51.100.12:8080 mode nat
	run hits c 203.0.113.100 80 20
	echo "$output"
	[ "$(count rs1)" -eq 10 ]
	[ "$(count rs2)" -eq 10 ]
}
