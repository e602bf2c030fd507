#!/usr/bin/env bats
# hakit end to end on the host: directors in namespaces, each running
# `hakit run -f` on a seed's keepalived.conf with the real vrrpd, checked
# by where the VIPs are and by what `hakit status` says at each step.  No
# IPVS here (tests/vm/hakit-lvs.bats); keepalived side by side in
# tests/hakit-e2e-keepalived.bats, on the same scenarios.

load lib/common
load lib/net
load fixtures/e2e/helpers

setup() {
	net_init
	T=$(scratch)
}

teardown() {
	net_cleanup
}

# child_pid NODE INSTANCE: the pid of INSTANCE's vrrpd, from hakit status.
child_pid() {
	hakit status -r "$T/$1.run" | sed -n "s/^child vrrpd for $2: pid \([0-9]*\),.*/\1/p"
}

# add_instance FILE NAME VRID STATE PRIORITY VIP: append a vrrp_instance
# like seed 002's VIP_1.
add_instance() {
	cat >>"$1" <<-EOF

		vrrp_instance $2 {
		    state $4
		    interface eth0
		    virtual_router_id $3
		    priority $5
		    advert_int 1
		    authentication {
		        auth_type PASS
		        auth_pass 1111
		    }
		    virtual_ipaddress {
		        $6
		    }
		}
	EOF
}

@test "seed 002's pair under hakit fails over on a stop and a cut cable, and fails back" {
	scenario_002 hakit hakit
	run hakit status -r "$T/lb5.run"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "hakit (pid ${E2E_PID[lb5]}) running $T/lb5.conf" ]
	[ "${lines[1]}" = "instance VIP_1            MASTER   priority 150" ]
	[[ "${lines[2]}" =~ ^"child vrrpd for VIP_1: pid "[0-9]+", 0 restart(s)"$ ]]
	run hakit status -r "$T/lb6.run" --json
	[ "$status" -eq 0 ]
	jq -e --argjson pid "${E2E_PID[lb6]}" --arg conf "$T/lb6.conf" '. == {running: true,
		pid: $pid, config: $conf, instances: [{name: "VIP_1", state: "BACKUP",
		priority: 100}], virtual_servers: []}' <<<"$output"
	node_stop lb5
	node_stop lb6
	placed 192.0.2.3 nowhere
	run hakit status -r "$T/lb6.run"
	[ "$status" -eq 1 ]
	[ "$output" = "hakit is not running (run directory $T/lb6.run)" ]
	run hakit status -r "$T/lb6.run" --json
	[ "$status" -eq 1 ]
	[ "$output" = '{"running":false}' ]
	nodes_clean
}

@test "seed 001's active/active pair under hakit: a failed node's VIP moves and does not move back" {
	scenario_001 hakit hakit
	node_stop ka01
	node_stop ka02
	placed 192.0.2.100 nowhere
	placed 192.0.2.102 nowhere
	nodes_clean
}

@test "SIGTERM stops the master's hakit with status 0, leaving no VIP, process or pid file" {
	net_switch
	net_host lb5 192.0.2.5/24
	E2E_NODES=(lb5)
	node_start lb5 hakit "$E2E_FIX/002-lb5.conf"
	wait_placed 10 192.0.2.3 lb5
	wait_state lb5 VIP_1 MASTER
	# node_stop checks the exit status, the namespace and the pid file
	node_stop lb5
	placed 192.0.2.3 nowhere
	grep -q 'vrrpd: VIP_1: MASTER -> STOP' "$T/lb5.log"
	[ "$(tail -n1 "$T/lb5.log")" = "hakit: stopped" ]
	nodes_clean
}

@test "SIGHUP with a vrrp_instance added starts it and leaves the running one alone, and removing it stops it" {
	pair_002 hakit hakit
	local vi1
	vi1=$(child_pid lb5 VIP_1)
	[ -n "$vi1" ]
	step "seed 003's dual master: a second instance, state and priority swapped"
	cp "$T/lb5.conf" "$T/lb5.orig"
	cp "$T/lb6.conf" "$T/lb6.orig"
	add_instance "$T/lb5.conf" VIP_2 51 BACKUP 100 192.0.2.4
	add_instance "$T/lb6.conf" VIP_2 51 MASTER 150 192.0.2.4
	kill -HUP "${E2E_PID[lb5]}" "${E2E_PID[lb6]}"
	wait_placed 10 192.0.2.4 lb6
	wait_state lb5 VIP_2 BACKUP
	placed 192.0.2.3 lb5
	[ "$(child_pid lb5 VIP_1)" = "$vi1" ]
	state_is lb5 VIP_1 MASTER
	! grep -q 'VIP_1: BACKUP -> MASTER' "$T/lb6.log" || false
	grep -qF 'hakit: reloaded: 2 instance(s), 0 virtual server(s); 0 vrrpd told to re-read, 1 child(ren) started, 0 stopped' "$T/lb5.log"
	step "back to one instance: VIP_2 stops on both, its VIP leaves"
	cp "$T/lb5.orig" "$T/lb5.conf"
	cp "$T/lb6.orig" "$T/lb6.conf"
	kill -HUP "${E2E_PID[lb5]}" "${E2E_PID[lb6]}"
	wait_placed 8 192.0.2.4 nowhere
	wait_until 5 grep -qF 'hakit: vrrpd for VIP_2 stopped' "$T/lb5.log"
	grep -qF 'hakit: reloaded: 1 instance(s), 0 virtual server(s); 0 vrrpd told to re-read, 0 child(ren) started, 1 stopped' "$T/lb6.log"
	placed 192.0.2.3 lb5
	[ "$(child_pid lb5 VIP_1)" = "$vi1" ]
	nodes_clean
}

@test "SIGHUP with a VIP added to a running instance puts it on the master without a failover" {
	pair_002 hakit hakit
	local vi1
	vi1=$(child_pid lb5 VIP_1)
	# the VIP written as seed 003 writes its own
	sed -i 's|^        192.0.2.3$|&\n        192.0.2.10/24 dev eth0 label eth0:1|' "$T/lb5.conf" "$T/lb6.conf"
	grep -q 'label eth0:1' "$T/lb6.conf"
	kill -HUP "${E2E_PID[lb5]}" "${E2E_PID[lb6]}"
	wait_until 5 grep -qF 'hakit: vrrp_instance VIP_1 changed: vrrpd re-reads its configuration' "$T/lb5.log"
	wait_placed 10 192.0.2.10 lb5
	placed 192.0.2.3 lb5
	[ "$(child_pid lb5 VIP_1)" = "$vi1" ]
	nsx lb5 ip -o addr show dev eth0 | grep -q '192.0.2.10/24 .* eth0:1'
	! grep -q 'VIP_1: BACKUP -> MASTER' "$T/lb6.log" || false
	# The two supervisors re-read one after the other: in between, a
	# node may get an advert listing the other set of VIPs and drop it
	# (RFC 3768 7.1; keepalived drops it too), never for long enough to
	# take over, as the line above checks.
	nodes_clean 'dropped a packet from [0-9.]+: virtual addresses differ from ours'
}

@test "SIGHUP with a broken file keeps the running configuration and logs the first error with its place" {
	pair_002 hakit hakit
	local vi1
	vi1=$(child_pid lb5 VIP_1)
	cp "$T/lb5.conf" "$T/lb5.good"
	step "a value out of range"
	sed -i 's/priority 150/priority 300/' "$T/lb5.conf"
	kill -HUP "${E2E_PID[lb5]}"
	wait_until 5 grep -q 'reload failed' "$T/lb5.log"
	grep -qxF "hakit: reload failed, keeping the running configuration: kaconf: $T/lb5.conf:13:14: error: priority: '300' is out of range 1-255 (1 error(s))" "$T/lb5.log"
	step "an unclosed block"
	cp "$T/lb5.good" "$T/lb5.conf"
	echo 'vrrp_instance VIP_9 {' >>"$T/lb5.conf"
	kill -HUP "${E2E_PID[lb5]}"
	wait_until 5 grep -q "is never closed" "$T/lb5.log"
	grep -qxF "hakit: reload failed, keeping the running configuration: kaconf: $T/lb5.conf:23:21: error: this '{' is never closed (2 error(s))" "$T/lb5.log"
	step "still running as before: same vrrpd, VIP in place"
	[ "$(child_pid lb5 VIP_1)" = "$vi1" ]
	state_is lb5 VIP_1 MASTER
	placed 192.0.2.3 lb5
	step "the file mended: the next SIGHUP reloads, with nothing to change"
	cp "$T/lb5.good" "$T/lb5.conf"
	kill -HUP "${E2E_PID[lb5]}"
	wait_until 5 grep -qF 'hakit: reloaded: 1 instance(s), 0 virtual server(s); 0 vrrpd told to re-read, 0 child(ren) started, 0 stopped' "$T/lb5.log"
	[ "$(child_pid lb5 VIP_1)" = "$vi1" ]
	! grep -q 'VIP_1: BACKUP -> MASTER' "$T/lb6.log" || false
	# the two failed reloads are the only complaints
	[ "$(grep -c 'reload failed' "$T/lb5.log")" = 2 ]
	sed -i '/reload failed/d' "$T/lb5.log"
	nodes_clean
}
