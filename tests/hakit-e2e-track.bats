#!/usr/bin/env bats
# Tracking end to end: the seeds' check scripts, tracked files and sync
# group, each scenario run under `hakit run` and under keepalived (Debian's
# 2.2.7) on the same keepalived.conf, with the same VIP placement asserted
# at every step.  The nginx the scripts watch is a stand-in the test
# controls (tests/fixtures/e2e/002-check).

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

# Seed 002's nginx pair with lb-5's check_web.sh (IMPL runs both nodes):
# nginx dies and the script restarts it (nothing moves); nginx cannot
# start and the script stops the director (lb-6 takes the VIP); nginx
# mended and the director started again, lb-5 takes the VIP back.
scenario_002_check() {
	local impl=$1 d=$T/lb5.d
	net_switch
	net_host lb5 192.0.2.5/24
	net_host lb6 192.0.2.6/24
	E2E_NODES=(lb5 lb6)
	mkdir -p "$d/bin"
	fixture_to 002-lb5-check.conf "$T/lb5.conf" "$d"
	fixture_to 002-check/check_web.sh "$d/check_web.sh" "$d" 0755
	fixture_to 002-check/ps "$d/bin/ps" "$d" 0755
	fixture_to 002-check/systemctl "$d/bin/systemctl" "$d" 0755
	: >"$d/nginx.running"
	node_start lb5 "$impl" "$T/lb5.conf"
	echo "${E2E_PID[lb5]}" >"$d/daemon.pid"
	node_start lb6 "$impl" "$E2E_FIX/002-lb6.conf"
	step "both up, nginx running on lb-5: lb-5 holds the VIP"
	wait_placed 10 192.0.2.3 lb5
	wait_state lb5 VIP_1 MASTER
	wait_state lb6 VIP_1 BACKUP

	step "nginx dies on lb-5: check_web.sh restarts it and the VIP stays"
	rm "$d/nginx.running"
	wait_until 5 test -e "$d/nginx.running"
	[ "$(cat "$d/systemctl.log")" = "restart nginx" ]
	# a failed check would put lb-5 in FAULT and move the VIP at once
	stays_placed 2 192.0.2.3 lb5
	! entered lb6 VIP_1 MASTER || false

	step "nginx cannot start: check_web.sh stops lb-5's director, lb-6 takes the VIP"
	: >"$d/systemctl.log"
	: >"$d/nginx.conf.broken"
	rm "$d/nginx.running"
	wait_placed 8 192.0.2.3 lb6
	node_exited lb5 10
	wait_until 3 heard_resign lb6
	[ "$(sed -n 1,2p "$d/systemctl.log")" = "restart nginx"$'\n'"stop keepalived" ]

	step "nginx mended, lb-5's director started again: it takes the VIP back"
	rm "$d/nginx.conf.broken"
	: >"$d/nginx.running"
	node_start lb5 "$impl" "$T/lb5.conf"
	echo "${E2E_PID[lb5]}" >"$d/daemon.pid"
	wait_placed 10 192.0.2.3 lb5
	wait_state lb5 VIP_1 MASTER
	wait_state lb6 VIP_1 BACKUP
}

@test "seed 002's check_web.sh under hakit: nginx restarted in place, or the director stopped and the VIP moved" {
	scenario_002_check hakit
	nodes_clean
}

@test "seed 002's check_web.sh under keepalived: the placements hakit is held to" {
	scenario_002_check keepalived
	nodes_clean
}

# Seed 000's pair (IMPL runs both nodes): lvs1 (MASTER, 100) and lvs2
# (BACKUP, 95) share 192.0.2.200 and .201 over unicast and track the file
# nginx.txt, which the test writes, and the script check_nginx.sh, which
# fails while nginx.down exists, both with weight -10.  Each node's files
# live in $T/NODE.d.
pair_000() {
	local impl=$1 n
	net_switch
	net_host lvs1 192.0.2.100/24
	net_host lvs2 192.0.2.101/24
	E2E_NODES=(lvs1 lvs2)
	for n in lvs1 lvs2; do
		mkdir -p "$T/$n.d"
		fixture_to "000-$n.conf" "$T/$n.conf" "$T/$n.d"
		fixture_to 000-check_nginx.sh "$T/$n.d/check_nginx.sh" "$T/$n.d" 0755
	done
	node_start lvs1 "$impl" "$T/lvs1.conf"
	node_start lvs2 "$impl" "$T/lvs2.conf"
}

# both_on NODE: wait for both of seed 000's VIPs to be on NODE alone (at
# most 10 s: a preempting backup's Master_Down_Interval, 3.6 s, and a
# loaded host's margin).
both_on() {
	wait_placed 10 192.0.2.200 "$1"
	placed 192.0.2.201 "$1"
}

# The file's number times the weight (-10) is added to the priority: 0 or
# no file leaves lvs1 at 100, 1 takes it to 90 and 2 to 80, under lvs2's
# 95; a backup's priority moves the same way, VIPs or not, and with its
# check script (weight -10) once it failed 3 times, back after 2 passes.
scenario_000_file() {
	local impl=$1 f=$T/lvs1.d/nginx.txt
	pair_000 "$impl"
	step "both up, no nginx.txt (it reads as 0): lvs1 holds both VIPs"
	both_on lvs1
	wait_state lvs1 VI_1 MASTER
	wait_state lvs2 VI_1 BACKUP
	prio_is lvs1 VI_1 100 100
	step "lvs1's nginx.txt holds 1: priority 100 - 10 = 90 < 95, the VIPs move to lvs2"
	echo 1 >"$f"
	prio_is lvs1 VI_1 100 90
	both_on lvs2
	wait_state lvs1 VI_1 BACKUP
	step "it holds 2: priority 100 - 2 * 10 = 80, the VIPs stay on lvs2"
	echo 2 >"$f"
	prio_is lvs1 VI_1 100 80
	placed 192.0.2.200 lvs2
	placed 192.0.2.201 lvs2
	step "it holds 0 again: priority 100, lvs1 preempts"
	echo 0 >"$f"
	prio_is lvs1 VI_1 100 100
	both_on lvs1
	wait_state lvs2 VI_1 BACKUP
	step "the backup's nginx.txt holds 1, then is removed: 85, then 95 (a missing file reads as 0)"
	echo 1 >"$T/lvs2.d/nginx.txt"
	prio_is lvs2 VI_1 95 85
	rm "$T/lvs2.d/nginx.txt"
	prio_is lvs2 VI_1 95 95
	step "the backup's chk_httpd fails (fall 3): 85; it passes again (rise 2): 95"
	: >"$T/lvs2.d/nginx.down"
	prio_is lvs2 VI_1 95 85 10
	rm "$T/lvs2.d/nginx.down"
	prio_is lvs2 VI_1 95 95 10
	placed 192.0.2.200 lvs1
	placed 192.0.2.201 lvs1
}

@test "seed 000's track_file and check script under hakit: the priority moves by number times weight, the VIPs follow, a 0 or missing file is healthy" {
	scenario_000_file hakit
	nodes_clean
}

@test "seed 000's track_file and check script under keepalived: the placements hakit is held to" {
	scenario_000_file keepalived
	nodes_clean
}

# Seed 001's VG_1 (IMPL runs both nodes): ka01 (MASTER, 150) holds the VIP
# 192.0.2.100 on eth0 (VI_1) and the DIP 198.51.100.254 on eth1 (VI_2),
# ka02 (BACKUP, 100) takes both over.  VI_1's weighted check script fails
# on ka01 and nothing moves (keepalived drops it from a group member);
# then VI_2's link is cut on ka01, and VI_1's tracked file (weight 0)
# holds 1: each time one member fails and the group moves; mended, ka01
# takes both back (preempt).
scenario_vg1() {
	local impl=$1 n
	net_switch
	net_switch sw2
	net_host ka01 192.0.2.136/24
	net_host ka02 192.0.2.137/24
	net_attach ka01 sw2 eth1 198.51.100.1/24
	net_attach ka02 sw2 eth1 198.51.100.2/24
	E2E_NODES=(ka01 ka02)
	for n in ka01 ka02; do
		mkdir -p "$T/$n.d"
		fixture_to "001-vg1-$n.conf" "$T/$n.conf" "$T/$n.d"
		fixture_to 000-check_nginx.sh "$T/$n.d/check_nginx.sh" "$T/$n.d" 0755
		node_start "$n" "$impl" "$T/$n.conf"
	done
	step "both up: ka01 holds the VIP (eth0) and the DIP (eth1)"
	group_on ka01
	step "chk_httpd fails on ka01: its weight (-10) drops it from the group member, nothing moves"
	: >"$T/ka01.d/nginx.down"
	# tracked, it would put VI_1 in FAULT after 3 runs, 1 s apart
	stays_placed 5 192.0.2.100 ka01
	placed_on eth1 198.51.100.254 ka01
	state_is ka01 VI_1 MASTER
	rm "$T/ka01.d/nginx.down"
	step "ka01's inside cable (VI_2's eth1) is cut: ka01 in FAULT, VIP and DIP on ka02"
	net_cut ka01 eth1 sw2
	group_on ka02
	wait_state ka01 VI_2 FAULT
	wait_state ka01 VI_1 FAULT
	step "the cable is mended: ka01 takes both back"
	net_mend ka01 eth1 sw2
	group_on ka01
	step "ka01's nginx.txt holds 1 (VI_1's track, weight 0 in the group): VIP and DIP on ka02"
	echo 1 >"$T/ka01.d/nginx.txt"
	group_on ka02
	wait_state ka01 VI_1 FAULT
	wait_state ka01 VI_2 FAULT
	step "nginx.txt holds 0 again: ka01 takes both back"
	echo 0 >"$T/ka01.d/nginx.txt"
	group_on ka01
}

# group_on NODE: VG_1's VIP and DIP on NODE alone, both its instances
# MASTER, the other node's BACKUP or FAULT.
group_on() {
	local other=ka01 i
	[ "$1" = ka01 ] && other=ka02
	wait_placed 10 192.0.2.100 "$1"
	wait_placed_on 3 eth1 198.51.100.254 "$1"
	for i in VI_1 VI_2; do
		wait_state "$1" "$i" MASTER 3
		state_is "$other" "$i" BACKUP || state_is "$other" "$i" FAULT || {
			echo "$i on $other is '$(node_state "$other" "$i")'" >&2
			return 1
		}
	done
}

@test "seed 001's VG_1 under hakit: a cut link or a tracked file on one member moves the VIP and the DIP together" {
	scenario_vg1 hakit
	nodes_clean
}

@test "seed 001's VG_1 under keepalived: the placements hakit is held to" {
	scenario_vg1 keepalived
	nodes_clean
}
