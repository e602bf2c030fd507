#!/usr/bin/env bats
# Seed 001's LVS-DR director end to end in the VM, run by hakit and then
# by keepalived on the same keepalived.conf (tests/fixtures/e2e/
# 001-ka01-lvs.conf): two sites, one with HTTP_GET real servers, one with
# TCP_CHECK and inhibit_on_failure, both with the local sorry server.
# The real servers are namespaces holding the VIPs on lo (rs-lo0) and
# serving a page with busybox httpd.  At each step both directors must
# leave the same IPVS table (ipvsadm -Sn, lines sorted).

load ../lib/common
load ../lib/net
load ../fixtures/e2e/helpers

# keepalived's checker only: the file has no vrrp_instance
E2E_KA_MODE=-C

# The longest a checker takes to see a change: delay_loop (2 s) plus
# retry (3) times connect_timeout and delay_before_retry (1 s each), with
# the same again as margin for the emulated CPU.
BOUND=$((2 * (2 + 3 * (1 + 1)) + 4))

setup_file() {
	net_init
	export NET_ID
	net_switch
	net_host d 192.0.2.136/24
	net_host rs1 192.0.2.138/24
	net_host rs2 192.0.2.139/24
	local r
	for r in rs1 rs2; do
		RS_LO0_STATE_DIR=$BATS_FILE_TMPDIR/rs-lo0-$r nsx "$r" rs-lo0 start 192.0.2.100 192.0.2.101 >/dev/null
		mkdir -p "$BATS_FILE_TMPDIR/www-$r"
		echo "$r" >"$BATS_FILE_TMPDIR/www-$r/index.html"
		rs_serve "$r"
	done
}

teardown_file() {
	net_cleanup
}

setup() {
	T=$(scratch)
	E2E_NODES=(d)
	nsx d ipvsadm -C
	local r
	for r in rs1 rs2; do
		page_back "$r"
		rs_serve "$r"
	done
}

teardown() {
	bg_cleanup
}

# rs_serve RS: its web server runs (pid in $BATS_FILE_TMPDIR/RS.httpd).
rs_serve() {
	local pidf=$BATS_FILE_TMPDIR/$1.httpd
	[ -s "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null && return 0
	ip netns exec "$(ns "$1")" busybox httpd -f -p 80 -h "$BATS_FILE_TMPDIR/www-$1" 3>&- &
	echo $! >"$pidf"
	wait_until 5 listening "$1"
}

# rs_kill RS: its web server is stopped (connections refused).
rs_kill() {
	local pidf=$BATS_FILE_TMPDIR/$1.httpd
	kill "$(cat "$pidf")"
	rm -f "$pidf"
	wait_until 5 eval "! listening $1"
}

listening() {
	nsx "$1" ss -Hltn 'sport = :80' | grep -q LISTEN
}

# page_gone RS / page_back RS: take its index.html away (404) and back.
page_gone() {
	mv "$BATS_FILE_TMPDIR/www-$1/index.html" "$BATS_FILE_TMPDIR/www-$1/index.off"
}
page_back() {
	local d=$BATS_FILE_TMPDIR/www-$1
	[ -e "$d/index.off" ] && mv "$d/index.off" "$d/index.html"
	return 0
}

table() {
	nsx d ipvsadm -Sn | LC_ALL=C sort
}

# wait_table TEXT: wait (at most BOUND s) for the table to be TEXT.
wait_table() {
	local want
	want=$(LC_ALL=C sort <<<"$1")
	wait_until "$BOUND" eval '[ "$(table)" = "$want" ]' || {
		diff <(echo "$want") <(table) | sed 's/^/# table: /' >&2
		echo "# director's log:" >&2
		tail -15 "$T/d.log" >&2
		return 1
	}
}

ALL='-A -t 192.0.2.100:80 -s wrr
-a -t 192.0.2.100:80 -r 192.0.2.138:80 -g -w 2
-a -t 192.0.2.100:80 -r 192.0.2.139:80 -g -w 1
-A -t 192.0.2.101:80 -s wrr
-a -t 192.0.2.101:80 -r 192.0.2.138:80 -g -w 2
-a -t 192.0.2.101:80 -r 192.0.2.139:80 -g -w 1'

# The scenario, the same steps and tables whoever directs.
scenario_lvs() {
	node_start d "$1" "$E2E_FIX/001-ka01-lvs.conf"
	step "start: every real server in, with its weight"
	wait_table "$ALL"
	step "rs1's page is gone: out of the HTTP_GET site only (TCP still connects)"
	page_gone rs1
	wait_table '-A -t 192.0.2.100:80 -s wrr
-a -t 192.0.2.100:80 -r 192.0.2.139:80 -g -w 1
-A -t 192.0.2.101:80 -s wrr
-a -t 192.0.2.101:80 -r 192.0.2.138:80 -g -w 2
-a -t 192.0.2.101:80 -r 192.0.2.139:80 -g -w 1'
	step "the page is back: rs1 back in"
	page_back rs1
	wait_table "$ALL"
	step "both web servers stop: sorry servers in; inhibited real servers stay at weight 0"
	rs_kill rs1
	rs_kill rs2
	wait_table '-A -t 192.0.2.100:80 -s wrr
-a -t 192.0.2.100:80 -r 127.0.0.1:80 -g -w 1
-A -t 192.0.2.101:80 -s wrr
-a -t 192.0.2.101:80 -r 127.0.0.1:80 -g -w 1
-a -t 192.0.2.101:80 -r 192.0.2.138:80 -g -w 0
-a -t 192.0.2.101:80 -r 192.0.2.139:80 -g -w 0'
	if [ "$1" = hakit ]; then
		run hakit status -r "$T/d.run" --json
		jq -e '[.virtual_servers[] | [.service, .quorum, .sorry_in, [.real_servers[].state]]] ==
			[["tcp 192.0.2.100:80", "down", true, ["down", "down"]],
			 ["tcp 192.0.2.101:80", "down", true, ["down", "down"]]]' <<<"$output"
	fi
	step "rs2 recovers: the sorry servers leave, rs2 is back; rs1 stays out or at 0"
	rs_serve rs2
	wait_table '-A -t 192.0.2.100:80 -s wrr
-a -t 192.0.2.100:80 -r 192.0.2.139:80 -g -w 1
-A -t 192.0.2.101:80 -s wrr
-a -t 192.0.2.101:80 -r 192.0.2.138:80 -g -w 0
-a -t 192.0.2.101:80 -r 192.0.2.139:80 -g -w 1'
	step "rs1 recovers: everything as at the start"
	rs_serve rs1
	wait_table "$ALL"
	step "the director stops: its services leave the table"
	node_stop d
	[ -z "$(table)" ]
}

# A reload while a real server is down: its health is carried over (it
# stays out), a changed weight is applied, a removed virtual server goes.
scenario_reload() {
	cp "$E2E_FIX/001-ka01-lvs.conf" "$T/lvs.conf"
	node_start d "$1" "$T/lvs.conf"
	wait_table "$ALL"
	step "rs1's page is gone: out of the HTTP_GET site"
	page_gone rs1
	wait_table '-A -t 192.0.2.100:80 -s wrr
-a -t 192.0.2.100:80 -r 192.0.2.139:80 -g -w 1
-A -t 192.0.2.101:80 -s wrr
-a -t 192.0.2.101:80 -r 192.0.2.138:80 -g -w 2
-a -t 192.0.2.101:80 -r 192.0.2.139:80 -g -w 1'
	step "SIGHUP: rs2 weighs 3 in the first site, the second site is gone"
	sed -i -e '0,/weight 1$/s//weight 3/' -e '/^virtual_server 192.0.2.101 80/,$d' "$T/lvs.conf"
	kill -HUP "${E2E_PID[d]}"
	wait_table '-A -t 192.0.2.100:80 -s wrr
-a -t 192.0.2.100:80 -r 192.0.2.139:80 -g -w 3'
	step "rs1's page is back: rs1 back in"
	page_back rs1
	wait_table '-A -t 192.0.2.100:80 -s wrr
-a -t 192.0.2.100:80 -r 192.0.2.138:80 -g -w 2
-a -t 192.0.2.100:80 -r 192.0.2.139:80 -g -w 3'
	node_stop d
	[ -z "$(table)" ]
}

@test "seed 001's LVS-DR under hakit: real servers leave and rejoin IPVS with their health, the sorry server stands in when all are down" {
	scenario_lvs hakit
	grep -qF 'hakit: real server 192.0.2.138:80 of tcp 192.0.2.100:80 is down (HTTP_GET 192.0.2.138:80/index.html: status 404, expected 200): removed from IPVS' "$T/d.log"
	grep -qF 'hakit: virtual server tcp 192.0.2.101:80 lost quorum' "$T/d.log"
	nodes_clean
}

@test "seed 001's LVS-DR under keepalived: the same IPVS table at each step" {
	scenario_lvs keepalived
	grep -qF 'Removing service [192.0.2.138]:tcp:80 from VS [192.0.2.100]:tcp:80' "$T/d.log"
	grep -qF 'Adding sorry server [127.0.0.1]:tcp:80 to VS [192.0.2.101]:tcp:80' "$T/d.log"
}

@test "SIGHUP under hakit with a real server down: it stays out, a new weight applies, a removed site goes" {
	scenario_reload hakit
	# rs1 was never put back by the reload, only by its page
	[ "$(grep -c 'real server 192.0.2.138:80 of tcp 192.0.2.100:80 is up' "$T/d.log")" = 1 ]
	grep -qF 'hakit: reloaded: 0 instance(s), 1 virtual server(s)' "$T/d.log"
	grep -qF 'hakit: virtual server tcp 192.0.2.101:80 is gone from the configuration; removing it' "$T/d.log"
	nodes_clean
}

@test "SIGHUP under keepalived with a real server down: the same IPVS tables" {
	scenario_reload keepalived
	grep -q 'Reloading' "$T/d.log"
}
