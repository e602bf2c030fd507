#!/usr/bin/env bats
# vrrpd and Debian's keepalived (2.2.7) as one virtual router, each way
# round.  At every settled point the VIP is on exactly one host.  The
# VRRPv2 tests run at keepalived's 1 s default, so they are the slow ones.

load lib/common
load lib/net
load fixtures/vrrpd/helpers

VIP=192.0.2.100

setup() {
	net_init
	net_switch
	net_host a 192.0.2.1/24 2001:db8::1/64
	net_host b 192.0.2.2/24 2001:db8::2/64
	T=$(scratch)
	printf 'Sekr3t\n' >"$T/pass"
	chmod 600 "$T/pass"
}

teardown() {
	net_cleanup
}

@test "VRRPv2 with a password: keepalived master, vrrpd backup, then vrrpd takes over" {
	ka_conf "$T/ka.conf" 51 200 1 2 "$VIP/24" \
		'authentication {' '  auth_type PASS' '  auth_pass Sekr3t' '}'
	ka_start ka a "$T/ka.conf"
	vr_start b b -i eth0 --vrid 51 --vip $VIP/24 --priority 100 --auth-pass-file "$T/pass"
	ka_wait ka MASTER
	vr_wait b BACKUP
	wait_until 3 vip_only $VIP a a b
	sleep 2
	vr_is b BACKUP
	run vr_dump b
	[ "$(jq -r .master.address <<<"$output")" = 192.0.2.1 ]
	[ "$(jq -r .counters.adverts_received <<<"$output")" -ge 2 ]
	[ "$(jq -r .dropped.total <<<"$output")" = 0 ]
	ka_stop ka
	vr_wait b MASTER
	grep -q 'master 192.0.2.1 resigned (priority 0)' "$T/b.log"
	wait_until 3 vip_only $VIP b a b
	ka_clean ka
	vr_logs_clean b
}

@test "VRRPv2 with a password: vrrpd master, keepalived backup, then keepalived takes over" {
	ka_conf "$T/ka.conf" 51 100 1 2 "$VIP/24" \
		'authentication {' '  auth_type PASS' '  auth_pass Sekr3t' '}'
	vr_start a a -i eth0 --vrid 51 --vip $VIP/24 --priority 200 --auth-pass-file "$T/pass" \
		--state master
	vr_wait a MASTER
	ka_start ka b "$T/ka.conf"
	ka_wait ka BACKUP
	# keepalived's Master_Down_Interval is 3.6 s: it must hear us.
	sleep 4.5
	ka_is ka BACKUP
	vip_only $VIP a a b
	vr_stop a
	ka_wait ka MASTER
	grep -q 'Backup received priority 0 advertisement' "$T/ka.log"
	wait_until 3 vip_only $VIP b a b
	ka_clean ka
	vr_logs_clean a
}

@test "VRRPv3 at 0.1 s: vrrpd outranks keepalived, which takes over and is preempted back" {
	ka_conf "$T/ka.conf" 52 100 0.1 3 "$VIP/24"
	vr_start a a -i eth0 --vrid 52 --vip $VIP/24 --priority 200 "${FAST[@]}"
	vr_wait a MASTER
	ka_start ka b "$T/ka.conf"
	ka_wait ka BACKUP
	sleep 2
	ka_is ka BACKUP
	vip_only $VIP a a b
	vr_stop a
	ka_wait ka MASTER
	wait_until 3 vip_only $VIP b a b
	# Back again: vrrpd preempts keepalived after its Master_Down_Interval.
	vr_start a a -i eth0 --vrid 52 --vip $VIP/24 --priority 200 "${FAST[@]}"
	vr_wait a MASTER
	ka_wait ka BACKUP
	wait_until 3 vip_only $VIP a a b
	[ "$(vr_json a .dropped.total)" = 0 ]
	ka_clean ka
	vr_logs_clean a
}

@test "VRRPv3 at 0.1 s: keepalived outranks vrrpd, which backs off and takes over on a crash" {
	ka_conf "$T/ka.conf" 52 200 0.1 3 "$VIP/24"
	vr_start b b -i eth0 --vrid 52 --vip $VIP/24 --priority 100 "${FAST[@]}"
	vr_wait b MASTER
	ka_start ka a "$T/ka.conf"
	ka_wait ka MASTER
	vr_wait b BACKUP
	wait_until 3 vip_only $VIP a a b
	sleep 1
	vr_is b BACKUP
	[ "$(vr_json b .master.address)" = 192.0.2.1 ]
	# keepalived dies without resigning: its VRRP child is killed too.
	kill -KILL "${VR_PID[ka]}" $(cat "$T/ka.vpid")
	vr_wait b MASTER
	grep -q 'no advert from a master for 0.360 s' "$T/b.log"
	ka_clean ka
	vr_logs_clean b
}

@test "IPv6 with VRRPv3: keepalived and vrrpd hand the VIP to each other" {
	local v6=2001:db8::100
	ka_conf "$T/ka.conf" 53 100 0.1 3 "$v6/64"
	ka_start ka b "$T/ka.conf"
	ka_wait ka MASTER
	vr_start a a -i eth0 --vrid 53 --vip $v6/64 --priority 200 --advert-int 0.1
	vr_wait a MASTER
	ka_wait ka BACKUP
	wait_until 3 vip_only $v6 a a b
	sleep 1
	ka_is ka BACKUP
	[ "$(vr_json a .dropped.total)" = 0 ]
	vr_stop a
	ka_wait ka MASTER
	wait_until 3 vip_only $v6 b a b
	ka_clean ka
	vr_logs_clean a
}

@test "unicast VRRPv3 with multicast blocked: keepalived and vrrpd keep one master" {
	block_multicast a b
	ka_conf "$T/ka.conf" 54 100 0.1 3 "$VIP/24" 'unicast_src_ip 192.0.2.2' \
		'unicast_peer {' '  192.0.2.1' '}'
	vr_start a a -i eth0 --vrid 54 --vip $VIP/24 --priority 200 "${FAST[@]}" \
		--unicast-peer 192.0.2.2
	vr_wait a MASTER
	ka_start ka b "$T/ka.conf"
	ka_wait ka BACKUP
	sleep 2
	ka_is ka BACKUP
	vip_only $VIP a a b
	vr_stop a
	ka_wait ka MASTER
	wait_until 3 vip_only $VIP b a b
	# And keepalived's unicast adverts reach vrrpd.
	vr_start a a -i eth0 --vrid 54 --vip $VIP/24 --priority 50 "${FAST[@]}" \
		--unicast-peer 192.0.2.2
	vr_wait a BACKUP
	sleep 1
	vr_is a BACKUP
	[ "$(vr_json a .master.address)" = 192.0.2.2 ]
	[ "$(vr_json a .dropped.total)" = 0 ]
	ka_clean ka
	vr_logs_clean a
}
