#!/usr/bin/env bats
# Tracking, side by side with keepalived: the same keepalived.conf runs
# in keepalived on both hosts, and through kaconf in vrrpd on both
# hosts, and the VIP must be in the same place at every step.  Director
# a (priority 100) tracks; b (95) does not.  VRRPv3 at 0.1 s where
# keepalived allows it; the seeds' check keeps its own 1 s interval.

load lib/common
load lib/net
load fixtures/vrrpd/helpers

VIP=192.0.2.100

setup() {
	net_init
	net_switch
	net_switch sw2
	net_host a 192.0.2.1/24
	net_host b 192.0.2.2/24
	net_attach a sw2 eth1 198.51.100.1/24
	net_attach a sw2 eth2 203.0.113.1/24
	T=$(scratch)
}

teardown() {
	[ -s "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null
	net_cleanup
}

# conf FILE ROUTER_ID PRIORITY [LINE...]: a keepalived.conf with one
# instance VI_1 on eth0 holding the VIP; the LINEs go into the instance,
# the blocks in $T/blocks before it.
conf() {
	local file=$1 id=$2 prio=$3 line
	shift 3
	{
		printf 'global_defs {\n  router_id %s\n  script_user root\n  enable_script_security\n}\n' "$id"
		[ -e "$T/blocks" ] && cat "$T/blocks"
		printf 'vrrp_instance VI_1 {\n  state BACKUP\n  interface eth0\n  virtual_router_id 51\n'
		printf '  priority %s\n  advert_int 0.1\n  version 3\n' "$prio"
		for line in "$@"; do printf '  %s\n' "$line"; done
		printf '  virtual_ipaddress {\n    %s/24\n  }\n}\n' "$VIP"
	} >"$file"
}

# start IMPL HOST CONF: keepalived, or kaconf and one vrrpd per
# instance of its plan, on HOST.
start() {
	local impl=$1 host=$2 conf=$3 kind name file rest
	if [ "$impl" = keepalived ]; then
		ka_start "ka$host" "$host" "$conf"
		return
	fi
	mkdir -p "$T/kc-$host"
	kaconf -q -o "$T/kc-$host" "$conf" >"$T/kc-$host.plan"
	while IFS=$'\t' read -r kind name file rest; do
		[ "$kind" = vrrpd ] || continue
		# Our own state and dump files, not /run/hakit's.
		grep -vE '^(state|dump)-file ' "$file" >"$file.t"
		vr_start "$host$name" "$host" --config "$file.t" --sync-dir "$T/sync-$host"
	done <"$T/kc-$host.plan"
}

# ---- the seeds' nginx check ----

# A fake nginx: "$T/bin/$NGX" starts a daemon whose name is $NGX (a copy
# of sleep), unless $T/nginx.broken exists.
fake_nginx() {
	NGX=nginx-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
	mkdir -p "$T/bin" "$T/sbin"
	cp /bin/sleep "$T/sbin/$NGX"
	cat >"$T/bin/$NGX" <<-EOF
		#!/bin/sh
		[ -e "$T/nginx.broken" ] && exit 1
		setsid "$T/sbin/$NGX" 100000 </dev/null >/dev/null 2>&1 &
		echo \$! >"$T/nginx.pid"
	EOF
	chmod 755 "$T/bin/$NGX"
	sed -e "s|@STATUS@|$T/nginx.txt|" -e "s|@NGINX@|$NGX|g" -e "s|@START@|$T/bin/$NGX|" \
		"$HK_TOP/tests/fixtures/vrrpd/check_nginx.sh" >"$T/check_nginx.sh"
	chmod 755 "$T/check_nginx.sh"
}

nginx_stop() {
	touch "$T/nginx.broken"
	kill "$(cat "$T/nginx.pid")"
}

nginx_scenario() {
	local impl=$1
	fake_nginx
	nsx a "$T/bin/$NGX"
	# Seed 000's vrrp_script and track_file, as written there.
	cat >"$T/blocks" <<-EOF
		vrrp_script chk_httpd {
		  script "$T/check_nginx.sh"
		  interval 1
		  timeout 10
		  weight -10
		  fall 3
		  rise 2
		  user root
		}
		track_file nginx_pid {
		  file "$T/nginx.txt"
		  weight -10
		}
	EOF
	conf "$T/a.conf" a 100 'track_script {' '  chk_httpd' '}' 'track_file {' '  nginx_pid' '}'
	rm "$T/blocks"
	conf "$T/b.conf" b 95
	start "$impl" a "$T/a.conf"
	start "$impl" b "$T/b.conf"
	expect_place 15 $VIP eth0 a a b
	test -s "$T/nginx.txt"
	# nginx dies and will not come back: three failed runs (each
	# waits 2 s for it) take 10 off a's priority.
	nginx_stop
	expect_place 30 $VIP eth0 b a b
	# The script removed the status file: missing, it holds 0.
	[ ! -e "$T/nginx.txt" ]
	# It starts again; two good runs give the 10 back.
	rm "$T/nginx.broken"
	expect_place 30 $VIP eth0 a a b
	[ "$(cat "$T/nginx.txt")" = 0 ]
}

@test "the seeds' nginx check (weight -10, fall 3, rise 2) moves the VIP and back: vrrpd" {
	nginx_scenario vrrpd
	grep -q 'track script .*check_nginx.sh: nginx restart failed' "$T/aVI_1.log"
	grep -q 'priority 100 -> 90' "$T/aVI_1.log"
	vr_logs_clean aVI_1 bVI_1
}

@test "the seeds' nginx check (weight -10, fall 3, rise 2) moves the VIP and back: keepalived, the same steps" {
	skip_under_san
	nginx_scenario keepalived
	grep -q 'Changing effective priority from 100 to 90' "$T/kaa.log"
}

# ---- the seeds' track_file ----

file_scenario() {
	local impl=$1
	cat >"$T/blocks" <<-EOF
		track_file nginx_pid {
		  file "$T/nginx.txt"
		  weight -10
		}
	EOF
	conf "$T/a.conf" a 100 'track_file {' '  nginx_pid' '}'
	rm "$T/blocks"
	conf "$T/b.conf" b 95
	# No file yet: 0, healthy.
	start "$impl" a "$T/a.conf"
	start "$impl" b "$T/b.conf"
	expect_place 10 $VIP eth0 a a b
	echo 1 >"$T/nginx.txt"
	expect_place 5 $VIP eth0 b a b
	echo 0 >"$T/nginx.txt"
	expect_place 5 $VIP eth0 a a b
	echo 1 >"$T/nginx.txt"
	expect_place 5 $VIP eth0 b a b
	# Deleted: 0 again, as keepalived reads it.
	rm "$T/nginx.txt"
	expect_place 5 $VIP eth0 a a b
	# 26 times -10 is beyond -254: FAULT, not a priority.
	echo 26 >"$T/nginx.txt"
	expect_place 5 $VIP eth0 b a b
	printf '0x0\n' >"$T/nginx.txt.new"
	mv "$T/nginx.txt.new" "$T/nginx.txt"
	expect_place 5 $VIP eth0 a a b
}

@test "the seeds' track_file (weight -10) moves the VIP with the number in the file: vrrpd" {
	file_scenario vrrpd
	grep -q "tracked file $T/nginx.txt now holds 26" "$T/aVI_1.log"
	grep -q "MASTER -> FAULT: tracked file $T/nginx.txt holds 26" "$T/aVI_1.log"
	vr_logs_clean aVI_1 bVI_1
}

@test "the seeds' track_file (weight -10) moves the VIP with the number in the file: keepalived, the same steps" {
	skip_under_san
	file_scenario keepalived
	grep -q 'Entering FAULT STATE' "$T/kaa.log"
}

# ---- track_interface ----

if_scenario() {
	local impl=$1
	conf "$T/a.conf" a 100 'track_interface {' '  eth1' '  eth2 weight -10' '}'
	conf "$T/b.conf" b 95
	start "$impl" a "$T/a.conf"
	start "$impl" b "$T/b.conf"
	expect_place 10 $VIP eth0 a a b
	net_cut a eth2 sw2
	expect_place 5 $VIP eth0 b a b
	net_mend a eth2 sw2
	expect_place 5 $VIP eth0 a a b
	net_cut a eth1 sw2
	expect_place 5 $VIP eth0 b a b
	net_mend a eth1 sw2
	expect_place 5 $VIP eth0 a a b
}

@test "tracked interfaces: a weighted one moves the priority, one without a weight forces FAULT: vrrpd" {
	if_scenario vrrpd
	grep -q 'MASTER -> FAULT: tracked interface eth1 is down' "$T/aVI_1.log"
	grep -q 'priority 100 -> 90' "$T/aVI_1.log"
	vr_logs_clean aVI_1 bVI_1
}

@test "tracked interfaces: a weighted one moves the priority, one without a weight forces FAULT: keepalived, the same steps" {
	skip_under_san
	if_scenario keepalived
	grep -q 'Entering FAULT STATE' "$T/kaa.log"
}

# ---- what vrrpd says about its scripts ----

@test "a track script that hangs is stopped at its timeout and counts as failed" {
	printf '#!/bin/sh\nsleep 30\n' >"$T/hang"
	chmod 755 "$T/hang"
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 "${FAST[@]}" \
		--track-script "$T/hang" --track-interval 0.3 --track-timeout 0.2
	vr_wait a FAULT 5
	grep -q "track script $T/hang still running after 0.200 s: stopping it" "$T/a.log"
	grep -q "track script $T/hang now dies of signal 15 (timed out)" "$T/a.log"
	[ "$(vr_json a '.tracking.scripts[0].status')" = bad ]
	vr_logs_clean a
}

@test "a script without a weight holds the instance in INIT until its first run ends" {
	# The first run lasts until the test says so.
	printf '#!/bin/sh\nwhile [ ! -e %s/go ]; do sleep 0.05; done\necho fine\n' "$T" >"$T/slow"
	chmod 755 "$T/slow"
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 "${FAST[@]}" --track-script "$T/slow" \
		--track-timeout 20
	wait_until 5 vr_json_is a .state INIT
	sleep 0.5
	vr_json_is a .state INIT
	[ "$(vr_json a .tracking.why)" = "waiting for the first run of the track scripts" ]
	[ ! -e "$T/a.state" ]
	touch "$T/go"
	vr_wait a MASTER 5
	grep -q "track script $T/slow: fine" "$T/a.log"
	vr_logs_clean a
}

@test "a positive weight raises the priority while the script succeeds, and the master advertises it" {
	printf '#!/bin/sh\nexec test ! -e %s/down\n' "$T" >"$T/up"
	chmod 755 "$T/up"
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 "${FAST[@]}" --priority 90 \
		--track-script "$T/up" --track-interval 0.2 --track-weight 20
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 "${FAST[@]}" --priority 100
	vr_wait a MASTER 5
	vr_wait b BACKUP
	[ "$(vr_json b .master.priority)" = 110 ]
	touch "$T/down"
	vr_wait b MASTER 5
	vr_wait a BACKUP
	grep -q 'priority 110 -> 90 (90+0 from tracking)' "$T/a.log"
	vr_logs_clean a b
}
