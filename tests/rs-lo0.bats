#!/usr/bin/env bats
# rs-lo0: the LVS-DR real-server set-up, in a namespace of its own.

bats_require_minimum_version 1.5.0

load lib/common
load lib/net

setup() {
	net_init
	net_new_ns rs
	export RS_LO0_STATE_DIR=$(scratch)/state
}

teardown() {
	net_cleanup
}

rs() {
	nsx rs rs-lo0 "$@"
}

sysctls() {
	nsx rs sysctl -n net.ipv4.conf.all.arp_ignore net.ipv4.conf.all.arp_announce \
		net.ipv4.conf.lo.arp_ignore net.ipv4.conf.lo.arp_announce | tr '\n' ' '
}

@test "start puts each VIP on lo with a label and sets the ARP sysctls" {
	run rs start 192.0.2.201 198.51.100.7/32
	[ "$status" -eq 0 ]
	nsx rs ip -o addr show dev lo | grep -q 'inet 192.0.2.201/32 .*lo:0'
	nsx rs ip -o addr show dev lo | grep -q 'inet 198.51.100.7/32 .*lo:1'
	[ "$(sysctls)" = "1 2 1 2 " ]
}

@test "start of an IPv6 VIP adds it as /128" {
	rs start 2001:db8::201
	nsx rs ip -o addr show dev lo | grep -q 'inet6 2001:db8::201/128'
}

@test "start is idempotent" {
	rs start 192.0.2.201
	run rs start 192.0.2.201
	[ "$status" -eq 0 ]
	[[ "$output" == *"192.0.2.201/32 is already on lo"* ]]
	[ "$(nsx rs ip -o addr show dev lo | grep -c 192.0.2.201)" -eq 1 ]
}

@test "stop removes the VIPs and restores the sysctls as they were" {
	nsx rs sysctl -qw net.ipv4.conf.all.arp_ignore=2 net.ipv4.conf.lo.arp_announce=1
	local before=$(sysctls)
	rs start 192.0.2.201 2001:db8::201
	[ "$(sysctls)" = "1 2 1 2 " ]
	rs stop
	! nsx rs ip -o addr show dev lo | grep -q 192.0.2.201
	! nsx rs ip -o addr show dev lo | grep -q 2001:db8::201
	[ "$(sysctls)" = "$before" ]
}

@test "sysctls are restored only when the last VIP goes" {
	local before=$(sysctls)
	rs start 192.0.2.201 192.0.2.202
	rs stop 192.0.2.201
	[ "$(sysctls)" = "1 2 1 2 " ]
	nsx rs ip -o addr show dev lo | grep -q 192.0.2.202
	rs stop 192.0.2.202
	[ "$(sysctls)" = "$before" ]
}

@test "a second start does not overwrite the remembered sysctls" {
	local before=$(sysctls)
	rs start 192.0.2.201
	rs start 192.0.2.202
	rs stop
	[ "$(sysctls)" = "$before" ]
}

@test "status reports the VIPs and the sysctls, exit 3 when none is up" {
	run rs status
	[ "$status" -eq 3 ]
	rs start 192.0.2.201
	run rs status
	[ "$status" -eq 0 ]
	[[ "$output" == *"vip 192.0.2.201/32 up"* ]]
	[[ "$output" == *"sysctl net.ipv4.conf.all.arp_ignore=1"* ]]
	[[ "$output" == *"saved net.ipv4.conf.all.arp_ignore=0"* ]]
	nsx rs ip addr del 192.0.2.201/32 dev lo
	run rs status
	[ "$status" -eq 3 ]
	[[ "$output" == *"vip 192.0.2.201/32 missing"* ]]
}

@test "a bad address is refused with exit 2 and nothing changes" {
	local bad before=$(sysctls)
	for bad in 192.0.2.300 192.0.2.1/24 2001:db8::1/64 2001:db8:::1 eth0 "" 1.2.3; do
		run rs start 192.0.2.201 "$bad"
		catalogue rs-lo0 start 192.0.2.201 "$bad"
		[ "$status" -eq 2 ]
		[ "$output" = "rs-lo0: '$bad' is not an IPv4 or IPv6 host address" ]
	done
	! nsx rs ip -o addr show dev lo | grep -q 192.0.2.201
	[ "$(sysctls)" = "$before" ]
	run rs stop 10.0.0.300
	catalogue rs-lo0 stop 10.0.0.300
	[ "$status" -eq 2 ]
	[ "$output" = "rs-lo0: '10.0.0.300' is not an IPv4 or IPv6 host address" ]
}

@test "usage errors exit 2; -h prints the usage and exits 0" {
	run rs frob
	catalogue rs-lo0 frob
	[ "$status" -eq 2 ]
	[[ "$output" == "rs-lo0: unknown command 'frob' (start, stop, status)"* ]]
	local c want
	for c in "start|start needs at least one VIP" "|no command given (start, stop, status)" \
		"status extra|status: unexpected 'extra'" "-x|unknown command '-x' (start, stop, status)"; do
		want=${c#*|}
		# shellcheck disable=SC2086
		run rs ${c%%|*}
		# shellcheck disable=SC2086
		catalogue rs-lo0 ${c%%|*}
		[ "$status" -eq 2 ]
		[ "${lines[0]}" = "rs-lo0: $want" ]
		[ "${lines[1]}" = "usage: rs-lo0 start VIP [VIP...]" ]
	done
	run --separate-stderr rs -h
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: rs-lo0 start VIP [VIP...]"* ]]
}

@test "two namespaces keep separate state" {
	unset RS_LO0_STATE_DIR
	net_new_ns rs2
	nsx rs rs-lo0 start 192.0.2.201
	nsx rs2 rs-lo0 start 192.0.2.202
	nsx rs rs-lo0 stop
	[ "$(nsx rs sysctl -n net.ipv4.conf.lo.arp_ignore)" = 0 ]
	[ "$(nsx rs2 sysctl -n net.ipv4.conf.lo.arp_ignore)" = 1 ]
	nsx rs2 rs-lo0 stop
	[ "$(nsx rs2 sysctl -n net.ipv4.conf.lo.arp_ignore)" = 0 ]
}
