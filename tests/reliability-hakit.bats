#!/usr/bin/env bats
# The supervisor under faults, with the real vrrpd in namespaces: a
# child killed again and again comes back after growing delays, and a
# run that lasted resets them.  (A SIGHUP with a broken file is in
# tests/hakit.bats and tests/hakit-e2e.bats; a child that dies at
# start-up in tests/hakit.bats.)

load lib/common
load lib/net
load fixtures/e2e/helpers
load fixtures/reliability/helpers

setup() {
	net_init
	T=$(scratch)
}

teardown() {
	net_cleanup
}

# conf NODE PRIORITY: one VRRPv3 instance at 0.1 s adverts.
conf() {
	cat >"$T/$1.conf" <<-EOF
		global_defs { router_id $1 }
		vrrp_instance VI_1 {
		    state BACKUP
		    interface eth0
		    virtual_router_id 51
		    version 3
		    priority $2
		    advert_int 0.1
		    virtual_ipaddress { 192.0.2.3 }
		}
	EOF
}

# vrrpd_pid NODE: the pid of NODE's vrrpd, from hakit status.
vrrpd_pid() {
	hakit status -r "$T/$1.run" | sed -n 's/^child vrrpd for VI_1: pid \([0-9]*\),.*/\1/p'
}

# fresh_pid NODE: NODE's vrrpd runs, and it is not the one last killed.
fresh_pid() {
	local p
	p=$(vrrpd_pid "$1")
	[ -n "$p" ] && [ "$p" != "${LAST_KILLED:-}" ]
}

# kill_vrrpd NODE: SIGKILL NODE's vrrpd, as a crash would, as soon as a
# new one runs.
kill_vrrpd() {
	wait_until 15 fresh_pid "$1" || return 1
	LAST_KILLED=$(vrrpd_pid "$1")
	kill -KILL "$LAST_KILLED"
}

masters() {
	grep -c 'vrrpd: VI_1: [A-Z]* -> MASTER' "$T/$1.log"
}

# back_master NODE N: a new vrrpd runs on NODE and has become MASTER
# since NODE's log held N such transitions (the killed one's state file
# and VIP say nothing: they stay behind).
back_master() {
	wait_until 15 fresh_pid "$1" &&
		wait_until 15 sh -c "[ \$(grep -c 'vrrpd: VI_1: [A-Z]* -> MASTER' '$T/$1.log') -gt $2 ]" &&
		wait_placed 10 192.0.2.3 "$1"
}

logged() {
	wait_until 15 grep -qF -- "$2" "$T/$1.log" || { echo "not in $1's log: $2" >&2; tail -20 "$T/$1.log" >&2; return 1; }
}

@test "a vrrpd killed again and again is restarted after growing delays, and a run that lasted resets them" {
	export HAKIT_BACKOFF_MIN=0.5 HAKIT_STABLE=5
	net_switch
	net_host lb5 192.0.2.5/24
	net_host lb6 192.0.2.6/24
	E2E_NODES=(lb5 lb6)
	conf lb5 150
	conf lb6 100
	node_start lb5 hakit "$T/lb5.conf"
	node_start lb6 hakit "$T/lb6.conf"
	wait_placed 10 192.0.2.3 lb5
	wait_state lb5 VI_1 MASTER
	# Three crashes in a row, each as soon as the last restart runs.
	local n
	kill_vrrpd lb5
	logged lb5 "hakit: vrrpd for VI_1 exited with status 137; restarting in 0.5s"
	kill_vrrpd lb5
	logged lb5 "hakit: vrrpd for VI_1 exited with status 137; restarting in 1s"
	n=$(masters lb5)
	kill_vrrpd lb5
	logged lb5 "hakit: vrrpd for VI_1 exited with status 137; restarting in 2s"
	# Meanwhile lb6 holds the VIP; lb5 takes it back once it runs on,
	# having removed what its killed runs left.
	back_master lb5 "$n"
	grep -q 'VI_1: removed 192.0.2.3/32 left by an earlier run' "$T/lb5.log"
	grep -q 'VI_1: BACKUP -> MASTER' "$T/lb6.log"
	# Up longer than HAKIT_STABLE: the next crash restarts at once again.
	sleep 6
	n=$(masters lb5)
	kill_vrrpd lb5
	logged lb5 "hakit: vrrpd for VI_1 exited with status 137; restarting in 0.5s"
	back_master lb5 "$n"
	run hakit status -r "$T/lb5.run"
	[[ ${lines[2]} =~ ^"child vrrpd for VI_1: pid "[0-9]+", 4 restart(s)"$ ]]
	[ "$(grep -c 'restarting in' "$T/lb5.log")" = 4 ]
	san_clean "$T/lb5.log" "$T/lb6.log"
}
