#!/usr/bin/env bats
# kaconf: keepalived.conf checked and turned into a plan.  The seeds'
# configurations (tests/fixtures/kaconf) are checked line by line; bad
# input is written by each test next to the diagnostic it must produce.

load lib/common
bats_require_minimum_version 1.5.0

FIX=$BATS_TEST_DIRNAME/fixtures/kaconf

setup() {
	T=$(scratch)
	cd "$T" || return 1
}

# plan FILE [ARGS]: write the plan of FILE into $T/p, plan lines in $T/plan
plan() {
	local f=$1
	shift
	kaconf -q -o "$T/p" --run-dir /run/hakit "$@" "$f" >"$T/plan"
}

# line N FILE: the Nth line of FILE
line() {
	sed -n "$1p" "$2"
}

# The seed 001 director laid out as on the blog: main file and conf.d/.
ka01() {
	mkdir -p "$T/etc/conf.d"
	sed 's|/apps/keepalived/etc/keepalived/conf.d|conf.d|' "$FIX/001-$1.conf" >"$T/etc/keepalived.conf"
	cp "$FIX/001-$1-www.${2:-http}.conf" "$T/etc/conf.d/www.ming.org.conf"
}

@test "kaconf -h prints the usage on stdout and exits 0" {
	run kaconf -h
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "usage: kaconf -c [-q] FILE" ]
}

@test "kaconf with a bad option prints the usage on stderr and exits 2" {
	run --separate-stderr kaconf --frobnicate x.conf
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"usage: kaconf -c"* ]]
}

@test "kaconf without a file, or with two, exits 2 and says so" {
	run kaconf -c
	[ "$status" -eq 2 ]
	[[ "$output" == *"no configuration file given"* ]]
	run kaconf -c a.conf b.conf
	[ "$status" -eq 2 ]
	[[ "$output" == *"'b.conf' is one too many"* ]]
}

@test "kaconf needs exactly one of -c and -o" {
	run kaconf "$FIX/002-lb5.conf"
	[ "$status" -eq 2 ]
	[[ "$output" == *"give -c to check, or -o DIR"* ]]
	run kaconf -c -o "$T/p" "$FIX/002-lb5.conf"
	[ "$status" -eq 2 ]
	[ ! -e "$T/p" ]
}

@test "kaconf on a missing file exits 2 naming it" {
	run kaconf -c "$T/nope.conf"
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == "kaconf: error: cannot open '$T/nope.conf': No such file or directory" ]]
}

@test "kaconf on a directory exits 2" {
	run kaconf -c "$T"
	[ "$status" -eq 2 ]
	[[ "$output" == *"is not a regular file"* ]]
}

@test "kaconf refuses a tab or newline in --run-dir" {
	run kaconf -o "$T/p" --run-dir "$(printf 'a\tb')" "$FIX/002-lb5.conf"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--run-dir"*"holds a tab or newline"* ]]
}

# kc_bad ARGS... WANT: kaconf ARGS exits 2 with a first line "kaconf: WANT",
# writes no plan, and is recorded in the bad-input catalogue.
kc_bad() {
	local want=${*: -1}
	run kaconf "${@:1:$#-1}"
	catalogue kaconf "${@:1:$#-1}"
	if [ "$status" -ne 2 ] || [ "${lines[0]}" != "kaconf: $want" ] || [ -e "$T/p" ]; then
		echo "kaconf ${*:1:$#-1}: exit $status, wanted 2 and 'kaconf: $want':" >&2
		printf '%s\n' "$output" >&2
		return 1
	fi
}

@test "every option that takes a value refuses a bad one, naming it, and plans nothing" {
	# Short relative names (setup works in $T): the catalogue shows them.
	local f=lb5.conf
	cp "$FIX/002-lb5.conf" "$f"
	kc_bad -o '' "$f" "-o: '' is empty or holds a tab or newline"
	kc_bad -o p --run-dir run "$f" "--run-dir: 'run' is not an absolute path"
	kc_bad -o p --run-dir '' "$f" "--run-dir: '' is empty or holds a tab or newline"
	kc_bad -o p --ref-dir plan "$f" "--ref-dir: 'plan' is not an absolute path"
	kc_bad -o p --carry /nonexistent/carry "$f" \
		"--carry: cannot open '/nonexistent/carry': No such file or directory"
	kc_bad -c --carry carry "$f" "--ref-dir and --carry go with -o"
	kc_bad -c '' "FILE: '' is empty or holds a tab or newline"
	kc_bad -c /nonexistent/keepalived.conf "error: cannot open '/nonexistent/keepalived.conf': No such file or directory"
}

@test "an unknown option, an option without its value or no file is named before the usage" {
	kc_bad --frobnicate x.conf "unrecognized option '--frobnicate'"
	kc_bad -c -o "option requires an argument -- 'o'"
	kc_bad -c --run-dir "option '--run-dir' requires an argument"
	kc_bad -c --carry "option '--carry' requires an argument"
	kc_bad -c --ref-dir "option '--ref-dir' requires an argument"
	kc_bad -c "no configuration file given"
	kc_bad "no configuration file given"
	kc_bad -c a.conf b.conf "one configuration file only: 'b.conf' is one too many"
	cp "$FIX/002-lb5.conf" lb5.conf
	kc_bad lb5.conf "give -c to check, or -o DIR to write a plan"
	[[ "${lines[1]}" == "usage: kaconf -c [-q] FILE" ]]
}

@test "kaconf refuses a broken --carry file naming its line" {
	printf 'vs\ttcp\t192.0.2.1:80\tup\nbogus\n' >"$T/carry"
	run kaconf -o "$T/p" --carry "$T/carry" "$FIX/000-lvs.conf"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--carry: $T/carry:2: not a 'vs' or 'rs' state line"* ]]
}

# ---- the seeds ------------------------------------------------------------

@test "seed 000 nginx: check passes with its warnings and the track_file note" {
	run kaconf -c "$FIX/000-nginx.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"000-nginx.conf:7:5: warning: 'vrrp_skip_check_adv_addr' in global_defs: not supported by hakit; ignored"* ]]
	[[ "$output" == *"000-nginx.conf:36:5: warning: 'user' in vrrp_script"* ]]
	[[ "$output" == *"000-nginx.conf:47:15: warning: vrrp_instance VI_1: preempt_delay needs state BACKUP; cleared, as keepalived does"* ]]
	[[ "$output" == *"000-nginx.conf:93:9: note: track_file nginx_pid: the number in /tmp/nginx.txt times -10 is added to VI_1's priority; a missing or empty file counts as 0 (healthy)"* ]]
	[[ "$output" == *"000-nginx.conf:26:12: warning: enable_script_security: '/etc/keepalived/check_nginx.sh' cannot be found here"* ]]
	[[ "$output" == *"configuration OK (4 warnings)"* ]]
}

@test "seed 000 nginx: the vrrpd configuration carries every setting, line by line" {
	plan "$FIX/000-nginx.conf"
	[ "$(cat "$T/plan")" = "$(printf 'plan\t1\nsource\t%s\nscript_user\troot\t-\nvrrpd\tVI_1\t%s\t%s' \
		"$FIX/000-nginx.conf" "$T/p/VI_1.conf" /run/hakit/vrrp/VI_1.state)" ]
	run sed 1d "$T/p/VI_1.conf"
	[ "$output" = "name VI_1
interface ens160
vrid 51
priority 100
advert-int 1
version 2
state master
auth-pass-file $T/p/VI_1.pass
vip 192.168.31.200/32
vip 192.168.31.201/32
unicast-src 192.168.31.100
unicast-peer 192.168.31.101
garp-delay 5
garp-repeat 5
accept
script-user root
track-script /etc/keepalived/check_nginx.sh
track-interval 1
track-timeout 10
track-weight -10
track-rise 2
track-fall 3
track-file /tmp/nginx.txt:-10
track-interface ens160
state-file /run/hakit/vrrp/VI_1.state
dump-file /run/hakit/vrrp/VI_1.json" ]
}

@test "the VRRP password is only in a mode 0600 file, never in the plan, config or output" {
	run --separate-stderr kaconf -o "$T/p" "$FIX/000-nginx.conf"
	[ "$status" -eq 0 ]
	[ "$(stat -c %a "$T/p/VI_1.pass")" = 600 ]
	[ "$(cat "$T/p/VI_1.pass")" = 1111 ]
	! grep -q 1111 "$T/p/VI_1.conf" || false
	[[ "$output" != *1111* && "$stderr" != *1111* ]]
}

@test "a password longer than 8 bytes is cut to 8 with a warning, as keepalived does" {
	sed 's/auth_pass 1111/auth_pass 0123456789abc/' "$FIX/002-lb5.conf" >"$T/k.conf"
	run kaconf -q -o "$T/p" "$T/k.conf"
	[ "$status" -eq 0 ]
	[ "$(cat "$T/p/VIP_1.pass")" = 01234567 ]
	run kaconf -c "$T/k.conf"
	[[ "$output" == *"k.conf:13:19: warning: auth_pass: VRRPv2 passwords are 8 bytes"* ]]
}

@test "seed 000 lvs: plan lines for the virtual server, its real servers and checkers" {
	plan "$FIX/000-lvs.conf"
	run cat "$T/plan"
	[ "${lines[2]}" = "$(printf 'ipvs\t%s/p/ipvs.rules' "$T")" ]
	[ "${lines[3]}" = "$(printf 'vs\tv1\ttcp\t192.168.31.201:80\t1\t0\tup\t192.168.31.102:80\tdr\t0\t0\t0')" ]
	[ "${lines[4]}" = "$(printf 'rs\tr1\tv1\t192.168.31.102:80\t10\tdr\t0\t1\t1')" ]
	[ "${lines[5]}" = "$(printf 'check\tc1\tr1\tHTTP_GET 192.168.31.102:80/index.html\tup')" ]
	[ "${lines[6]}" = "$(printf 'check\tc2\tr1\tTCP_CHECK 192.168.31.102:80\tup')" ]
	[ "${lines[7]}" = "$(printf 'rs\tr2\tv1\t192.168.31.103:80\t10\tdr\t0\t1\t1')" ]
	[ "${lines[10]}" = "$(printf 'watch\t%s/p/watch-6s-up.list\t6\tup' "$T")" ]
	[ "${#lines[@]}" -eq 11 ]
}

@test "seed 000 lvs: the IPVS desired state is ipvsadm -S lines" {
	plan "$FIX/000-lvs.conf"
	run grep -v '^#' "$T/p/ipvs.rules"
	[ "$output" = "-A -t 192.168.31.201:80 -s rr -p 500
-a -t 192.168.31.201:80 -r 192.168.31.102:80 -g -w 10
-a -t 192.168.31.201:80 -r 192.168.31.103:80 -g -w 10" ]
}

@test "seed 000 lvs: the hcheck watch list has one probe per checker with keepalived's settings" {
	plan "$FIX/000-lvs.conf"
	run grep -v '^#' "$T/p/watch-6s-up.list"
	[ "$output" = "http 192.168.31.102:80 /index.html --status 200 --digest f52043b6e7c8dc6ae0000d580817eb1f --timeout 1 --retry 2 --delay-before-retry 2 --name c1
tcp 192.168.31.102:80 --timeout 1 --retry 2 --delay-before-retry 2 --name c2
http 192.168.31.103:80 /index.html --status 200 --digest 275c049f38d3736adf765e3febe6912e --timeout 1 --retry 2 --delay-before-retry 2 --name c3
tcp 192.168.31.103:80 --timeout 1 --retry 2 --delay-before-retry 2 --name c4" ]
}

@test "seed 000 pasted whole: the stray heading is a warning at its line and the rest still plans" {
	run kaconf -c "$FIX/000-combined.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"000-combined.conf:110:1: warning: unknown keyword '**keealived+lvs高可用配置**' in the top level; the line is ignored"* ]]
	plan "$FIX/000-combined.conf"
	grep -q '^vrrpd	VI_1	' "$T/plan"
	grep -q '^vs	v1	tcp	192.168.31.201:80	' "$T/plan"
}

@test "seed 001 ka01: include conf.d/*.conf is relative to the including file" {
	ka01 ka01
	cd /
	run kaconf -c "$T/etc/keepalived.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"etc/conf.d/www.ming.org.conf:46:13: note: 'nb_get_retry' is the old name of 'retry'"* ]]
	plan "$T/etc/keepalived.conf"
	run sed 1d "$T/p/VI_1.conf"
	[ "${lines[0]}" = "name VI_1" ]
	[ "${lines[3]}" = "priority 100" ]
	[ "${lines[4]}" = "advert-int 3" ]
	[ "${lines[6]}" = "state backup" ]
	[ "${lines[7]}" = "preempt-delay 10" ]
	[ "${lines[9]}" = "vip 192.168.126.100/24 dev eth0 label eth0:1" ]
	[ "${lines[10]}" = "unicast-src 10.1.1.1" ]
	[ "${lines[11]}" = "unicast-peer 10.1.1.2" ]
	[ "${lines[14]}" = "accept" ]
	# the notify script is not on this machine: left out, as keepalived does
	[ "${lines[15]}" = "state-file /run/hakit/vrrp/VI_1.state" ]
}

@test "a notify script that cannot be run here is left out with a warning, one that can is kept" {
	ka01 ka01
	run kaconf -c "$T/etc/keepalived.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"www.ming.org.conf:21:19: warning: notify_master: '/apps/keepalived/bin/notify.sh' cannot be run here (No such file or directory): left out, as keepalived disables it"* ]]
	[[ "$output" == *"www.ming.org.conf:23:18: warning: notify_fault: '/apps/keepalived/bin/notify.sh' cannot be run here"* ]]
	[[ "$output" == *"configuration OK (3 warnings)"* ]]
	mkdir -p "$T/bin"
	printf '#!/bin/sh\n' >"$T/bin/notify.sh"
	sed -i "s|/apps/keepalived/bin/notify.sh|$T/bin/notify.sh|" "$T/etc/conf.d/www.ming.org.conf"
	# a file that is not executable is left out too
	run kaconf -c "$T/etc/keepalived.conf"
	[[ "$output" == *"notify_backup: '$T/bin/notify.sh' cannot be run here (Permission denied)"* ]]
	chmod +x "$T/bin/notify.sh"
	plan "$T/etc/keepalived.conf"
	grep -qx "notify-master $T/bin/notify.sh master" "$T/p/VI_1.conf"
	grep -qx "notify-fault $T/bin/notify.sh fault" "$T/p/VI_1.conf"
	# a bare name is looked for in PATH, as vrrpd runs it
	sed -i "s|$T/bin/notify.sh|notify.sh|" "$T/etc/conf.d/www.ming.org.conf"
	PATH=$T/bin:$PATH plan "$T/etc/keepalived.conf"
	grep -qx "notify-backup notify.sh backup" "$T/p/VI_1.conf"
	run kaconf -c "$T/etc/keepalived.conf"
	[[ "$output" == *"notify_backup: 'notify.sh' cannot be run here (No such file or directory)"* ]]
}

@test "seed 001 ka01: HTTP_GET with nb_get_retry and a local sorry server" {
	ka01 ka01
	plan "$T/etc/keepalived.conf"
	grep -qx "$(printf 'vs\tv1\ttcp\t192.168.126.100:80\t1\t0\tup\t127.0.0.1:80\tdr\t0\t0\t0')" "$T/plan"
	run grep -v '^#' "$T/p/watch-6s-up.list"
	[ "${lines[0]}" = "http 192.168.126.138:80 /index.html --status 200 --timeout 1 --retry 3 --delay-before-retry 1 --name c1" ]
	run grep -v '^#' "$T/p/ipvs.rules"
	[ "$output" = "-A -t 192.168.126.100:80 -s wrr
-a -t 192.168.126.100:80 -r 192.168.126.138:80 -g -w 2
-a -t 192.168.126.100:80 -r 192.168.126.139:80 -g -w 1" ]
}

@test "seed 001 ka02: 'unicast src_ip' is reported with its position and the likely keyword" {
	ka01 ka02
	run kaconf -c "$T/etc/keepalived.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"conf.d/www.ming.org.conf:15:5: warning: unknown keyword 'unicast' in vrrp_instance VI_1; the line is ignored (did you mean 'unicast_src_ip'?)"* ]]
	plan "$T/etc/keepalived.conf"
	! grep -q unicast-src "$T/p/VI_1.conf" || false
	grep -qx 'unicast-peer 10.1.1.1' "$T/p/VI_1.conf"
	grep -qx 'priority 90' "$T/p/VI_1.conf"
}

@test "seed 001 ka02 TCP_CHECK: connect_port and keepalived's timings reach hcheck, nb_get_retry skipped as keepalived skips it" {
	ka01 ka02 tcp
	run kaconf -c "$T/etc/keepalived.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"www.ming.org.conf:41:13: warning: 'nb_get_retry' in TCP_CHECK: keepalived 2.2.7 takes it in HTTP_GET and SSL_GET only and skips it here (write 'retry'); ignored"* ]]
	plan "$T/etc/keepalived.conf"
	run grep -v '^#' "$T/p/watch-6s-up.list"
	# keepalived 2.2.7 logs "Unknown keyword 'nb_get_retry'" and keeps
	# TCP_CHECK's retry 1
	[ "$output" = "tcp 192.168.126.138:80 --timeout 5 --retry 1 --delay-before-retry 3 --name c1
tcp 192.168.126.139:80 --timeout 5 --retry 1 --delay-before-retry 3 --name c2" ]
}

@test "seed 001 as published: the absolute include that matches nothing is a warning" {
	run kaconf -c "$FIX/001-ka01.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"001-ka01.conf:8:9: warning: include: pattern '/apps/keepalived/etc/keepalived/conf.d/*.conf' matches no file; nothing included"* ]]
	[[ "$output" == *"has no vrrp_instance and no virtual_server: nothing to run"* ]]
}

@test "seed 001 fwmark services plan as 'fwmark N' with the scheduler kept" {
	plan "$FIX/001-fwmark7.conf"
	grep -qx "$(printf 'vs\tv1\tfwmark\t7\t1\t0\tup\t127.0.0.1:80\tdr\t0\t0\t0')" "$T/plan"
	run grep -v '^#' "$T/p/ipvs.rules"
	[ "${lines[0]}" = "-A -f 7 -s rr" ]
	[ "${lines[1]}" = "-a -f 7 -r 192.168.126.138:80 -g -w 2" ]
	grep -q '/index222.html' "$T/p/watch-3s-up.list"
}

@test "seed 001 sync group sketch: the pseudo-blocks are warnings, the group is empty" {
	run kaconf -c "$FIX/001-sync-group.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"001-sync-group.conf:6:2: warning: unknown keyword 'vrrp_instance' in vrrp_sync_group VG_1; it and its block are ignored"* ]]
	[[ "$output" == *"001-sync-group.conf:3:3: warning: vrrp_sync_group VG_1: there is no vrrp_instance 'VI_1'"* ]]
}

@test "seed 002 lb-5 and lb-6: MASTER 150 and BACKUP 100 on the same VRID" {
	plan "$FIX/002-lb5.conf"
	run grep -E '^(vrid|priority|state|vip|mcast-group) ' "$T/p/VIP_1.conf"
	[ "$output" = "vrid 50
priority 150
state master
vip 10.0.0.3/32
mcast-group 224.0.0.18" ]
	rm -rf "$T/p"
	plan "$FIX/002-lb6.conf"
	run grep -E '^(vrid|priority|state) ' "$T/p/VIP_1.conf"
	[ "$output" = "vrid 50
priority 100
state backup" ]
}

@test "seed 002 annotated lb-5: end-of-line comments change nothing" {
	plan "$FIX/002-lb5-annotated.conf"
	sed 1d "$T/p/VIP_1.conf" | sed 's|/p/|/q/|' >"$T/a"
	rm -rf "$T/p"
	kaconf -q -o "$T/q" "$FIX/002-lb5.conf" >/dev/null
	sed 1d "$T/q/VIP_1.conf" >"$T/b"
	cmp "$T/a" "$T/b"
}

@test "seed 002 check scripts: a weightless vrrp_script means FAULT on failure" {
	plan "$FIX/002-lb5-check-web.conf"
	run grep '^track-' "$T/p/VIP_1.conf"
	[ "$output" = "track-script /etc/keepalived/check_web.sh
track-interval 5
track-timeout 5
track-weight 0
track-rise 1
track-fall 1" ]
}

@test "seed 003: a line of prose at the top level is a warning and the rest still plans" {
	run kaconf -c "$FIX/003-annotated.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"003-annotated.conf:2:1: warning: unknown keyword '仅保留router_id' in the top level; the line is ignored"* ]]
	plan "$FIX/003-annotated.conf"
	grep -qx 'vip 192.16.10.5/24 dev eth1 label eth1:1' "$T/p/VI_1.conf"
}

@test "seed 003: track_script at the top level is said to belong in an instance" {
	run kaconf -c "$FIX/003-check-web.conf"
	[[ "$output" == *"003-check-web.conf:7:1: warning: 'track_script' in the top level: track_script belongs in a vrrp_instance or vrrp_sync_group; ignored"* ]]
}

@test "seed 004 template: every placeholder is an error at its position and nothing is planned" {
	run kaconf -o "$T/p" "$FIX/004-template.conf"
	[ "$status" -eq 2 ]
	[[ "$output" == *"004-template.conf:25:11: error: state: 'MASTER|BACKUP' is not MASTER or BACKUP"* ]]
	[[ "$output" == *"004-template.conf:26:23: error: virtual_router_id: 'num' is not a whole number"* ]]
	[[ "$output" == *"004-template.conf:35:19: error: auth_type: 'PASS|AH' is not PASS or AH"* ]]
	[[ "$output" == *"004-template.conf:40:9: error: virtual_ipaddress: '@IP' is not an IPv4 or IPv6 address"* ]]
	[[ "$output" == *"004-template.conf:46:35: error: 'virtual_server' takes 2 values; 'num)' is one too many"* ]]
	[[ "$output" == *"errors, "*"nothing to run"* ]]
	[ ! -e "$T/p" ]
}

# keepalived's own config test as the oracle: every line it complains about
# (other than missing interfaces) is reported by kaconf too.  (The sync
# group sketch of seed 001 is left out: kaconf reports each pseudo-block
# once at its opening line, keepalived each line inside it.)
keepalived_lines() {
	keepalived -t -l -f "$1" 2>&1 |
		grep -v "doesn't exist\|Non-existent interface" |
		sed -n 's/^(.*: Line \([0-9]*\)).*/\1/p' | sort -u
}

kaconf_lines() {
	kaconf -c "$1" 2>&1 | sed -n -E 's/^kaconf: [^:]*:([0-9]+):[0-9]+: (error|warning|note): .*/\1/p' | sort -u
}

@test "every line keepalived's config test flags in the seeds is flagged by kaconf" {
	command -v keepalived >/dev/null || skip "keepalived is not installed"
	local f missing=
	for f in 000-combined 001-ka02-www.http 001-ka02-www.tcp 003-annotated 004-template; do
		keepalived_lines "$FIX/$f.conf" >"$T/k"
		kaconf_lines "$FIX/$f.conf" >"$T/m"
		[ -s "$T/k" ] || { echo "keepalived flags nothing in $f"; return 1; }
		missing=$(comm -23 "$T/k" "$T/m")
		[ -z "$missing" ] || { echo "$f: lines $missing not flagged by kaconf"; return 1; }
	done
}

@test "the sanitizer build of kaconf reads every fixture without a report" {
	local asan=$HK_BUILD/asan/bin/kaconf f
	[ -x "$asan" ] || skip "no sanitizer build ($asan): make O=build/asan SAN=address,undefined all"
	for f in "$FIX"/*.conf; do
		ASAN_OPTIONS=detect_leaks=1 "$asan" -q -o "$T/p" "$f" >/dev/null 2>"$T/err" || true
		san_clean "$T/err" || { echo "in $f"; return 1; }
		rm -rf "$T/p"
	done
}

secure_conf() {
	cat >"$T/s.conf" <<EOF
global_defs {
    enable_script_security
    script_user root
}
vrrp_script chk { script "$1 arg" }
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 9
    virtual_ipaddress { 192.0.2.1 }
    track_script { chk }
}
EOF
}

@test "enable_script_security refuses a script others can write, naming the path" {
	mkdir -m 0755 "$T/sec"
	printf '#!/bin/sh\n' >"$T/sec/chk.sh"
	chmod 0757 "$T/sec/chk.sh"
	secure_conf "$T/sec/chk.sh"
	run kaconf -c "$T/s.conf"
	[ "$status" -eq 2 ]
	[[ "$output" == *"s.conf:5:26: error: enable_script_security: '$T/sec/chk.sh' may not run: '$T/sec/chk.sh' is writable by everyone (keepalived disables such scripts)"* ]]
	chmod 0755 "$T/sec/chk.sh"
	chmod 0777 "$T/sec"
	run kaconf -c "$T/s.conf"
	[ "$status" -eq 2 ]
	[[ "$output" == *"'$T/sec' is writable by everyone"* ]]
}

@test "enable_script_security accepts a root-owned script in root-owned directories" {
	[ "$(id -u)" = 0 ] || skip "needs root to own the script"
	mkdir -m 0755 "$T/sec"
	printf '#!/bin/sh\n' >"$T/sec/chk.sh"
	chmod 0755 "$T/sec/chk.sh"
	chmod go-w "$T"
	secure_conf "$T/sec/chk.sh"
	run kaconf -c "$T/s.conf"
	[ "$status" -eq 0 ]
	chown 65534 "$T/sec/chk.sh"
	run kaconf -c "$T/s.conf"
	[ "$status" -eq 2 ]
	[[ "$output" == *"'$T/sec/chk.sh' is owned by uid 65534, not root"* ]]
}

# ---- generated malformed files ---------------------------------------------

# kc_bin: the sanitizer build if there is one (these runs read broken
# input), else the normal one.
kc_bin() {
	if [ -x "$HK_BUILD/asan/bin/kaconf" ]; then
		echo "$HK_BUILD/asan/bin/kaconf"
	else
		command -v kaconf
	fi
}

# verdict FILE: kaconf -c must exit 0 or 2, every error naming FILE:L:C,
# and the sanitizer must stay quiet.
verdict() {
	local rc=0
	ASAN_OPTIONS=detect_leaks=1 "$KC" -c "$1" >"$T/out" 2>&1 || rc=$?
	case $rc in 0 | 2) ;; *) echo "exit $rc on $2"; cat "$T/out"; return 1 ;; esac
	san_clean "$T/out" || { echo "on $2"; return 1; }
	if grep ': error: ' "$T/out" | grep -v "^kaconf: $1:[0-9]*:[0-9]*: error: "; then
		echo "an error without a position on $2"
		return 1
	fi
	[ "$rc" = 0 ] || grep -q ': error: ' "$T/out" || { echo "exit 2 without an error on $2"; return 1; }
}

@test "seeds cut short are refused with positioned errors or accepted, never a crash" {
	KC=$(kc_bin)
	local f n i
	# every other line of two seeds: a cut inside each kind of block
	for f in 000-nginx 001-ka01-www.http; do
		n=$(wc -l <"$FIX/$f.conf")
		for ((i = 1; i < n; i += 2)); do
			head -n "$i" "$FIX/$f.conf" >"$T/cut.conf"
			verdict "$T/cut.conf" "$f cut after line $i" || return 1
		done
	done
}

@test "removing any one brace from a seed is an error with its position" {
	KC=$(kc_bin)
	local f nb i
	for f in 000-lvs 001-ka02-www.http; do
		# braces outside comments (these seeds quote none)
		nb=$(sed 's/[#!].*//' "$FIX/$f.conf" | grep -o '[{}]' | wc -l)
		for ((i = 1; i <= nb; i++)); do
			awk -v k="$i" '{
				out = ""; code = 1
				for (j = 1; j <= length($0); j++) {
					ch = substr($0, j, 1)
					if (ch == "#" || ch == "!") code = 0
					if (code && (ch == "{" || ch == "}")) { seen++; if (seen == k) continue }
					out = out ch
				}
				print out
			}' "$FIX/$f.conf" >"$T/nb.conf"
			verdict "$T/nb.conf" "$f without brace $i" || return 1
			grep -q ": error: " "$T/out" || { echo "$f without brace $i: accepted"; return 1; }
		done
	done
}

@test "an include inside an included file is relative to that file" {
	mkdir -p "$T/etc/a/b"
	echo 'include a/*.conf' >"$T/etc/main.conf"
	echo 'include b/inner.conf' >"$T/etc/a/mid.conf"
	printf 'vrrp_instance V {\n interface eth0\n virtual_router_id 3\n virtual_ipaddress { 192.0.2.3 }\n}\n' >"$T/etc/a/b/inner.conf"
	cd /
	plan "$T/etc/main.conf"
	grep -qx 'vrid 3' "$T/p/V.conf"
}

@test "a file that includes itself is an error at the include line" {
	printf 'global_defs { router_id x }\ninclude loop.conf\n' >"$T/loop.conf"
	run kaconf -c "$T/loop.conf"
	[ "$status" -eq 2 ]
	[[ "$output" == *"loop.conf:2:9: error: '$T/loop.conf' includes itself"* ]]
}

@test "an include with braces takes each match, in order, as keepalived does" {
	for n in a b c; do
		printf 'vrrp_instance V%s {\n interface eth0\n virtual_router_id %d\n virtual_ipaddress { 192.0.2.%d }\n}\n' \
			$n $(( $(printf %d "'$n") - 90 )) $(( $(printf %d "'$n") - 90 )) >"$T/$n.conf"
	done
	echo 'include {c,a}.conf' >"$T/main.conf"
	plan "$T/main.conf"
	run cut -f2 "$T/plan"
	[ "${lines[2]}" = Vc ] && [ "${lines[3]}" = Va ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "an IPv6 virtual server plans bracketed addresses for ipvsctl and hcheck" {
	printf 'virtual_server 2001:db8::10 443 {\n lb_kind DR\n real_server 2001:db8::21 443 {\n  SSL_GET { url { path /\n status_code 200-299 302 }\n  enable_sni\n  virtualhost www.example.org }\n }\n}\n' >"$T/v6.conf"
	plan "$T/v6.conf"
	grep -qxF "$(printf 'vs\tv1\ttcp\t[2001:db8::10]:443\t1\t0\tup\t-\t-\t0\t0\t0')" "$T/plan"
	grep -qx -- '-a -t \[2001:db8::10\]:443 -r \[2001:db8::21\]:443 -g -w 1' "$T/p/ipvs.rules"
	grep -qx 'https \[2001:db8::21\]:443 / --status 200-299,302 --vhost www.example.org --sni www.example.org --timeout 5 --retry 1 --delay-before-retry 3 --name c1' "$T/p/watch-60s-up.list"
}

@test "IPv6 fwmark services are an error that says why" {
	printf 'virtual_server fwmark 6 {\n ip_family inet6\n}\n' >"$T/f6.conf"
	run kaconf -c "$T/f6.conf"
	[ "$status" -eq 2 ]
	[[ "$output" == *"f6.conf:2:12: error: ip_family inet6: IPv6 fwmark services are not supported by hakit yet"* ]]
}

@test "global_defs process tuning reaches every vrrpd: real-time priority, its limit, nice, no swap" {
	{
		printf 'global_defs {\n vrrp_rt_priority 40\n vrrp_rlimit_rttime 20000\n'
		printf ' vrrp_priority -10\n vrrp_no_swap\n max_auto_priority 50\n vrrp_cpu_affinity 0\n}\n'
		sed -n '/^vrrp_instance/,$p' "$FIX/002-lb5.conf"
	} >"$T/k.conf"
	run kaconf -c "$T/k.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"k.conf:6:2: note: 'max_auto_priority' in global_defs: give vrrp_rt_priority instead"* ]]
	[[ "$output" != *"vrrp_rt_priority:"* && "$output" != *"vrrp_no_swap:"* ]]
	plan "$T/k.conf"
	run grep -E '^(rt-priority|rlimit-rttime|nice|mlock|cpu-affinity)' "$T/p/VIP_1.conf"
	[ "$output" = "rt-priority 40
rlimit-rttime 0.02
nice -10
mlock
cpu-affinity 0" ]
	# Without them, nothing of the kind.
	plan "$FIX/002-lb5.conf"
	! grep -qE '^(rt-priority|rlimit-rttime|nice|mlock|cpu-affinity)' "$T/p/VIP_1.conf"
}

@test "process tuning out of keepalived's ranges is an error at its value" {
	printf 'global_defs {\n vrrp_rt_priority 0\n vrrp_priority 20\n vrrp_rlimit_rttime 10\n vrrp_cpu_affinity 0 %s\n}\n' \
		"$(nproc --all)" >"$T/t.conf"
	run kaconf -c "$T/t.conf"
	catalogue kaconf -c "vrrp_rt_priority 0 / vrrp_priority 20 / vrrp_rlimit_rttime 10 / vrrp_cpu_affinity 0 $(nproc --all)"
	[ "$status" -eq 2 ]
	[[ "$output" == *"t.conf:2:19: error: vrrp_rt_priority: "*"'0'"* ]]
	[[ "$output" == *"t.conf:3:16: error: vrrp_priority: "*"'20'"* ]]
	[[ "$output" == *"t.conf:4:21: error: vrrp_rlimit_rttime: "*"'10'"* ]]
	[[ "$output" == *"t.conf:5:22: error: vrrp_cpu_affinity: '$(nproc --all)' is out of range 0-$(($(nproc --all) - 1))"* ]]
}

@test "UDP_CHECK: payload, require_reply with wildcards and the length range reach hcheck udp" {
	cat >"$T/k.conf" <<-'CONF'
	virtual_server 192.0.2.100 53 {
	    delay_loop 6
	    lb_algo rr
	    lb_kind DR
	    protocol UDP
	    real_server 192.0.2.11 53 {
	        UDP_CHECK {
	            connect_timeout 3
	            retry 2
	            payload 00 01 01 00 00 01 00 00 00 00 00 00 04 74 65 73 74 00 00 01 00 01
	            require_reply 00 01 8x
	            min_reply_length 12
	        }
	    }
	    real_server 192.0.2.12 53 {
	        UDP_CHECK {
	            connect_port 5353
	        }
	    }
	    real_server 192.0.2.13 53 {
	        UDP_CHECK {
	            require_reply
	        }
	    }
	}
	CONF
	run kaconf -c "$T/k.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"configuration OK (0 warnings)"* ]]
	plan "$T/k.conf"
	grep -qx "$(printf 'check\tc1\tr1\tUDP_CHECK 192.0.2.11:53\tup')" "$T/plan"
	grep -qx -- '-A -u 192.0.2.100:53 -s rr' "$T/p/ipvs.rules"
	run grep -v '^#' "$T/p/watch-6s-up.list"
	[ "$output" = "udp 192.0.2.11:53 --payload 00010100000100000000000004746573740000010001 --reply 00018x --min-reply-length 12 --max-reply-length 255 --timeout 3 --retry 2 --delay-before-retry 1 --name c1
udp 192.0.2.12:5353 --timeout 5 --retry 1 --delay-before-retry 1 --name c2
udp 192.0.2.13:53 --require-reply --timeout 5 --retry 1 --delay-before-retry 1 --name c3" ]
	# What kaconf writes, hcheck reads: in a network namespace of its
	# own with no route anywhere, every line is probed (and fails).
	sed 's/--retry [0-9]*/--retry 0/' "$T/p/watch-6s-up.list" >"$T/once.list"
	run unshare -n hcheck -f "$T/once.list"
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ ${lines[0]} == "c1	UDP CRITICAL: "* ]]
	[[ ${lines[2]} == "c3	UDP CRITICAL: "* ]]
}

@test "UDP_CHECK: a bad hex string or length range is an error at its position" {
	printf 'virtual_server 192.0.2.100 53 {\n protocol UDP\n real_server 192.0.2.11 53 {\n  UDP_CHECK {\n   payload 0g\n   min_reply_length 70000\n  }\n  UDP_CHECK {\n   payload\n   min_reply_length 9\n   max_reply_length 3\n   require_reply 12 zz\n  }\n }\n}\n' >"$T/bad.conf"
	run kaconf -c "$T/bad.conf"
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad.conf:5:12: error: payload: '0g': 'g' at 2 is not a hex digit"* ]]
	[[ "$output" == *"bad.conf:6:21: error: min_reply_length: '70000' is out of range 0-65535"* ]]
	[[ "$output" == *"bad.conf:9:4: error: payload needs a hex string"* ]]
	[[ "$output" == *"bad.conf:12:18: error: require_reply: '12 zz': 'z' at 4 is not a hex digit or x"* ]]
	[[ "$output" == *"bad.conf:8:3: error: UDP_CHECK: min_reply_length 9 is above max_reply_length 3: no reply could match"* ]]
}

@test "PING_CHECK: an echo to connect_ip, or to the real server, with the checker's timings" {
	cat >"$T/k.conf" <<-'CONF'
	virtual_server 192.0.2.100 80 {
	    delay_loop 3
	    protocol TCP
	    real_server 192.0.2.11 80 {
	        PING_CHECK {
	            connect_timeout 1
	            retry 3
	        }
	    }
	    real_server 192.0.2.12 80 {
	        PING_CHECK {
	            connect_ip 2001:db8::12
	            bindto 2001:db8::1
	        }
	        TCP_CHECK {
	        }
	    }
	}
	CONF
	run kaconf -c "$T/k.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"configuration OK (0 warnings)"* ]]
	plan "$T/k.conf"
	grep -qx "$(printf 'check\tc1\tr1\tPING_CHECK 192.0.2.11\tup')" "$T/plan"
	grep -qx "$(printf 'check\tc2\tr2\tPING_CHECK 2001:db8::12\tup')" "$T/plan"
	run grep -v '^#' "$T/p/watch-3s-up.list"
	[ "$output" = "ping 192.0.2.11 --timeout 1 --retry 3 --delay-before-retry 1 --name c1
ping 2001:db8::12 --timeout 5 --retry 1 --delay-before-retry 1 --bind 2001:db8::1 --name c2
tcp 192.0.2.12:80 --timeout 5 --retry 1 --delay-before-retry 1 --name c3" ]
	sed 's/--retry [0-9]*/--retry 0/' "$T/p/watch-3s-up.list" >"$T/once.list"
	run unshare -n hcheck -f "$T/once.list"
	[ "$status" -eq 2 ]
	[[ ${lines[0]} == "c1	PING CRITICAL: "* ]]
	# (no such local address in an empty namespace: UNKNOWN, not the target's fault)
	[[ ${lines[1]} == "c2	PING UNKNOWN: bind 2001:db8::1: "* ]]
}

@test "DNS_CHECK: type and name reach hcheck dns, with keepalived's retry 3 a delay loop apart" {
	cat >"$T/k.conf" <<-'CONF'
	virtual_server 192.0.2.100 53 {
	    delay_loop 10
	    protocol UDP
	    real_server 192.0.2.11 53 {
	        DNS_CHECK {
	            type aaaa
	            name www.example.test
	        }
	    }
	    real_server 192.0.2.12 53 {
	        DNS_CHECK {
	            connect_port 5353
	            retry 1
	            delay_before_retry 2
	            type PTR
	            name bad..name
	        }
	    }
	}
	CONF
	run kaconf -c "$T/k.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"k.conf:15:18: warning: DNS_CHECK type 'PTR' is not A, NS, CNAME, SOA, MX, TXT, AAAA, RRSIG or DNSKEY; ignored, as keepalived ignores it (SOA is asked)"* ]]
	[[ "$output" == *"k.conf:16:18: warning: DNS_CHECK name 'bad..name' is not a DNS name; ignored"* ]]
	plan "$T/k.conf"
	grep -qx "$(printf 'check\tc1\tr1\tDNS_CHECK 192.0.2.11:53 AAAA www.example.test\tup')" "$T/plan"
	run grep -v '^#' "$T/p/watch-10s-up.list"
	[ "$output" = "dns 192.0.2.11:53 --dns-type AAAA --dns-name www.example.test --timeout 5 --retry 3 --delay-before-retry 10 --name c1
dns 192.0.2.12:5353 --dns-type SOA --dns-name . --timeout 5 --retry 1 --delay-before-retry 2 --name c2" ]
	# hcheck reads the lines (without their retries, which would wait).
	sed 's/--retry [0-9]*/--retry 0/' "$T/p/watch-10s-up.list" >"$T/once.list"
	run unshare -n hcheck -f "$T/once.list"
	[ "$status" -eq 2 ]
	[[ ${lines[0]} == "c1	DNS CRITICAL: "* ]]
	[[ ${lines[1]} == "c2	DNS CRITICAL: "* ]]
}

@test "connect_timeout is at most an hour (hcheck's --timeout); delay_before_retry a day" {
	printf 'virtual_server 192.0.2.100 80 {\n real_server 192.0.2.11 80 {\n  TCP_CHECK {\n   connect_timeout 3601\n   delay_before_retry 86400\n  }\n }\n}\n' >"$T/t.conf"
	run kaconf -c "$T/t.conf"
	[ "$status" -eq 2 ]
	[[ "$output" == *"t.conf:4:20: error: connect_timeout: '3601' is out of range"* ]]
	[[ "$output" != *"delay_before_retry"* ]]
}

@test "SMTP_CHECK: helo_name, and a checker per deprecated host block, as keepalived 2.x" {
	cat >"$T/k.conf" <<-'CONF'
	virtual_server 192.0.2.100 25 {
	    delay_loop 15
	    protocol TCP
	    real_server 192.0.2.11 25 {
	        SMTP_CHECK {
	            helo_name lb1.example.test
	            connect_timeout 10
	        }
	    }
	    real_server 192.0.2.12 25 {
	        SMTP_CHECK {
	            retry 2
	            host {
	                connect_ip 192.0.2.21
	                connect_port 587
	            }
	            host {
	                connect_ip 192.0.2.22
	            }
	        }
	    }
	}
	CONF
	run kaconf -c "$T/k.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"configuration OK (0 warnings)"* ]]
	plan "$T/k.conf"
	grep -qx "$(printf 'check\tc1\tr1\tSMTP_CHECK 192.0.2.11:25\tup')" "$T/plan"
	run grep -v '^#' "$T/p/watch-15s-up.list"
	[ "$output" = "smtp 192.0.2.11:25 --helo lb1.example.test --timeout 10 --retry 1 --delay-before-retry 1 --name c1
smtp 192.0.2.21:587 --timeout 5 --retry 2 --delay-before-retry 1 --name c2
smtp 192.0.2.22:25 --timeout 5 --retry 2 --delay-before-retry 1 --name c3" ]
	sed 's/--retry [0-9]*/--retry 0/' "$T/p/watch-15s-up.list" >"$T/once.list"
	run unshare -n hcheck -f "$T/once.list"
	[ "$status" -eq 2 ]
	[[ ${lines[0]} == "c1	SMTP CRITICAL: "* ]]
	printf 'virtual_server 192.0.2.100 25 {\n real_server 192.0.2.11 25 {\n  SMTP_CHECK {\n   helo_name "a b"\n  }\n }\n}\n' >"$T/bad.conf"
	run kaconf -c "$T/bad.conf"
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad.conf:4:14: error: helo_name 'a b' is not one word of 1-255 characters"* ]]
}
