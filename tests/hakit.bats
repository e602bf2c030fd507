#!/usr/bin/env bats
# hakit, the supervisor, against fake vrrpd, ipvsctl and hcheck put first
# on PATH: they log how they are called, and the test drives hcheck's
# UP/DOWN lines.  kaconf is the real one.  No network is touched.

load lib/common
bats_require_minimum_version 1.5.0

setup() {
	T=$(scratch)
	FK=$T/fake
	mkdir -p "$FK" "$T/bin"
	: >"$FK/hcheck.in"
	: >"$FK/ipvsctl.log"
	: >"$FK/vrrpd.log"
	: >"$FK/hooks.log"
	make_fakes
	export HK_FAKE=$FK HAKIT_TICK=0.2 HAKIT_BACKOFF_MIN=1 HAKIT_STOP_WAIT=5
	PATH=$T/bin:$PATH
	LOG=$T/hakit.log
	: >"$LOG"
}

teardown() {
	# fake vrrpd made to ignore SIGTERM go first, so that hakit can stop
	[ -e "$FK/vrrpd.stubborn" ] &&
		awk '$1 == "start" { print $3 }' "$FK/vrrpd.log" | xargs -r kill -KILL 2>/dev/null
	bg_cleanup
}

make_fakes() {
	cat >"$T/bin/vrrpd" <<'EOF'
#!/bin/sh
# fake vrrpd: says when it starts, stops and re-reads; writes its state file
conf=
while [ $# -gt 0 ]; do [ "$1" = --config ] && conf=$2; shift; done
name=$(sed -n 's/^name //p' "$conf")
sf=$(sed -n 's/^state-file //p' "$conf")
echo "start $name $$ $conf" >>"$HK_FAKE/vrrpd.log"
if [ -e "$HK_FAKE/vrrpd.die" ]; then
	echo "die $name $$" >>"$HK_FAKE/vrrpd.log"
	exit 3
fi
mkdir -p "${sf%/*}"
echo "$name MASTER 100" >"$sf"
trap 'echo "stop $name $$" >>"$HK_FAKE/vrrpd.log"; exit 0' TERM
[ -e "$HK_FAKE/vrrpd.stubborn" ] && trap 'echo "ignore $name $$" >>"$HK_FAKE/vrrpd.log"' TERM
trap 'echo "hup $name $$" >>"$HK_FAKE/vrrpd.log"' HUP
while :; do sleep 0.2 & wait $!; done
EOF
	cat >"$T/bin/ipvsctl" <<'EOF'
#!/bin/sh
# fake ipvsctl: logs its arguments; 'apply FILE' keeps a copy of FILE
echo "$*" >>"$HK_FAKE/ipvsctl.log"
if [ "$1" = apply ]; then
	n=$(ls "$HK_FAKE" | grep -c '^applied')
	cp "$2" "$HK_FAKE/applied.$((n + 1))"
fi
[ ! -e "$HK_FAKE/ipvsctl.fail" ]
EOF
	cat >"$T/bin/hcheck" <<'EOF'
#!/bin/sh
# fake hcheck watch: logs its arguments, then prints what the test appends
# to hcheck.in
echo "$*" >>"$HK_FAKE/hcheck.log"
exec tail -n 0 -F "$HK_FAKE/hcheck.in" 2>/dev/null
EOF
	cat >"$T/bin/hook" <<'EOF'
#!/bin/sh
echo "$*" >>"$HK_FAKE/hooks.log"
EOF
	cat >"$T/bin/misc" <<'EOF'
#!/bin/sh
read -r rc <"$HK_FAKE/misc.rc"
exit "$rc"
EOF
	chmod +x "$T/bin"/*
}

# start CONF [ARGS]: hakit run in the background, wait until it runs
start() {
	local conf=$1
	shift
	bg hakit run -f "$conf" -r "$T/run" "$@" 2>>"$LOG"
	HAKIT_PID=$BG_PID
	wait_until 15 grep -q 'hakit: running ' "$LOG" || { cat "$LOG"; return 1; }
}

# hc LINE: hcheck reports LINE (once the fake hcheck is listening)
hc() {
	wait_until 5 test -s "$FK/hcheck.log"
	sleep 0.3	# tail -F starting after the log line
	echo "$*" >>"$FK/hcheck.in"
}

ipvs_has() {
	wait_until 10 grep -qx -- "$1" "$FK/ipvsctl.log" || { echo "ipvsctl log:"; cat "$FK/ipvsctl.log"; echo "hakit log:"; cat "$LOG"; return 1; }
}

logs() {
	wait_until 10 grep -qF -- "$1" "$LOG" || { echo "hakit log:"; cat "$LOG"; return 1; }
}

# A director with one instance and one LVS-DR service of two real servers.
conf_lvs() {
	cat >"$T/k.conf" <<EOF
global_defs { router_id t }
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    authentication { auth_type PASS
        auth_pass s3cret }
    virtual_ipaddress { 192.0.2.100/24 }
}
virtual_server 192.0.2.100 80 {
    delay_loop 2
    lb_algo wrr
    lb_kind DR
    $1
    real_server 198.51.100.1 80 {
        weight 2
        notify_up "$T/bin/hook up 198.51.100.1"
        notify_down "$T/bin/hook down 198.51.100.1"
        $2
        HTTP_GET { url { path /index.html } connect_timeout 1 }
    }
    real_server 198.51.100.2 80 {
        weight 2
        $3
        TCP_CHECK { connect_timeout 1 }
    }
}
EOF
}

@test "hakit -h prints the usage on stdout and exits 0" {
	run --separate-stderr hakit -h
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "usage: hakit run [-f FILE] [-r DIR] [-k]" ]
	[ "${lines[3]}" = "       hakit status [-r DIR] [--json]" ]
}

@test "hakit with no command or an unknown one exits 2 with the usage on stderr" {
	run --separate-stderr hakit
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"no command given"*"usage: hakit run"* ]]
	run --separate-stderr hakit frobnicate
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"unknown command 'frobnicate'"* ]]
}

@test "hakit run with a bad option or a stray argument exits 2" {
	run hakit run -x
	[ "$status" -eq 2 ]
	run hakit run -f "$T/k.conf" extra
	[ "$status" -eq 2 ]
	[[ "$output" == *"run: unexpected 'extra'"* ]]
	run hakit status --frob
	[ "$status" -eq 2 ]
}

# hk_bad CODE ARGS... WANT: hakit ARGS exits CODE with a first line WANT,
# starts nothing, and is recorded in the bad-input catalogue.
hk_bad() {
	local code=$1 want=${*: -1}
	shift
	set -- "${@:1:$#-1}"
	run hakit "$@"
	catalogue hakit "$@"
	if [ "$status" -ne "$code" ] || [ "${lines[0]}" != "$want" ] ||
		[ -s "$FK/vrrpd.log" ] || [ -s "$FK/ipvsctl.log" ]; then
		echo "hakit $*: exit $status, wanted $code and '$want':" >&2
		printf '%s\n' "$output" >&2
		return 1
	fi
}

@test "an unknown option or an option without its value is named before the usage, exit 2" {
	hk_bad 2 run -x "hakit: unknown option '-x'"
	[ "${lines[1]}" = "usage: hakit run [-f FILE] [-r DIR] [-k]" ]
	hk_bad 2 run -f "hakit: option '-f' needs a value"
	hk_bad 2 run -r "hakit: option '-r' needs a value"
	hk_bad 2 check -f "hakit: option '-f' needs a value"
	hk_bad 2 check -k "hakit: unknown option '-k'"
	hk_bad 2 plan -f "hakit: option '-f' needs a value"
	hk_bad 2 status -r "hakit: option '-r' needs a value"
	hk_bad 2 status --frob "hakit: status: unexpected '--frob'"
	hk_bad 2 "hakit: no command given"
	hk_bad 2 frobnicate "hakit: unknown command 'frobnicate'"
}

@test "a bad value for -f or -r stops hakit before anything starts" {
	hk_bad 2 check -f /nonexistent/keepalived.conf \
		"kaconf: error: cannot open '/nonexistent/keepalived.conf': No such file or directory"
	hk_bad 2 plan -f /nonexistent/keepalived.conf \
		"kaconf: error: cannot open '/nonexistent/keepalived.conf': No such file or directory"
	cd "$T"
	hk_bad 2 run -f /nonexistent/keepalived.conf -r run \
		"kaconf: error: cannot open '/nonexistent/keepalived.conf': No such file or directory"
	[[ "$output" == *"hakit: /nonexistent/keepalived.conf: not started (see above)"* ]]
	[ ! -e "$T/run/hakit.pid" ]
	hk_bad 1 run -f /nonexistent/keepalived.conf -r /proc/hakit/run \
		"hakit: -r: cannot create '/proc/hakit/run': No such file or directory"
	hk_bad 2 run -r "$(printf 'a\tb')" "hakit: -r: 'a	b' holds a tab or newline"
}

@test "hakit check gives kaconf's verdict and exit status" {
	conf_lvs
	run hakit check -f "$T/k.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"configuration OK"* ]]
	echo 'vrrp_instance X { priority 300 }' >"$T/bad.conf"
	run hakit check -f "$T/bad.conf"
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad.conf:1:28: error: priority: '300' is out of range 1-255"* ]]
}

@test "hakit plan prints the plan and every file but the password" {
	conf_lvs
	run hakit plan -f "$T/k.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"vrrpd	VI_1	/run/hakit/plan/VI_1.conf"* ]]
	[[ "$output" == *"== /run/hakit/plan/ipvs.rules"*"-A -t 192.0.2.100:80 -s wrr"* ]]
	[[ "$output" == *"== /run/hakit/plan/VI_1.pass"*"not shown"* ]]
	[[ "$output" != *s3cret* ]]
}

@test "hakit run on a broken file exits 2 and starts nothing" {
	echo 'vrrp_instance X {' >"$T/bad.conf"
	run hakit run -f "$T/bad.conf" -r "$T/run"
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad.conf:1:17: error: this '{' is never closed"* ]]
	[[ "$output" == *"not started"* ]]
	[ ! -s "$FK/vrrpd.log" ] && [ ! -s "$FK/ipvsctl.log" ]
	[ ! -e "$T/run/hakit.pid" ]
}

@test "hakit run starts one vrrpd per instance, applies the IPVS state and watches the real servers" {
	conf_lvs
	start "$T/k.conf"
	wait_until 5 grep -q "^start VI_1 " "$FK/vrrpd.log"
	grep -q "^start VI_1 [0-9]* $T/run/plan/VI_1.conf\$" "$FK/vrrpd.log"
	ipvs_has "apply $T/run/plan/ipvs.rules"
	grep -qx -- '-a -t 192.0.2.100:80 -r 198.51.100.1:80 -g -w 2' "$FK/applied.1"
	wait_until 5 test -s "$FK/hcheck.log"
	[ "$(cat "$FK/hcheck.log")" = "watch -f $T/run/plan/watch-2s-up.list --interval 2 --rise 1 --fall 1 --initial up" ]
	logs "running $T/k.conf: 1 instance(s), 1 virtual server(s), 2 real server(s), 2 checker(s)"
}

@test "a real server whose checker fails leaves IPVS and comes back when it recovers, running its notify scripts" {
	conf_lvs
	start "$T/k.conf"
	hc "DOWN c1 HTTP status 404, expected 200-299"
	ipvs_has "del dest tcp 192.0.2.100:80 198.51.100.1:80 --idempotent"
	logs "real server 198.51.100.1:80 of tcp 192.0.2.100:80 is down (HTTP_GET 198.51.100.1:80/index.html: HTTP status 404, expected 200-299): removed from IPVS"
	wait_until 5 grep -qx 'down 198.51.100.1' "$FK/hooks.log"
	hc "UP c1"
	ipvs_has "add dest tcp 192.0.2.100:80 198.51.100.1:80 mode dr weight 2 --idempotent"
	wait_until 5 grep -qx 'up 198.51.100.1' "$FK/hooks.log"
	logs "real server 198.51.100.1:80 of tcp 192.0.2.100:80 is up: added to IPVS"
}

@test "a real server with an HTTP_GET and a TCP_CHECK is up only when both are" {
	conf_lvs "" "" "HTTP_GET { url { path /health } }"
	start "$T/k.conf"
	# c2 is the HTTP_GET, c3 the TCP_CHECK of 198.51.100.2
	hc "DOWN c2 connection refused"
	ipvs_has "del dest tcp 192.0.2.100:80 198.51.100.2:80 --idempotent"
	hc "DOWN c3 status 500"
	hc "UP c2"
	hc "UP c3"
	ipvs_has "add dest tcp 192.0.2.100:80 198.51.100.2:80 mode dr weight 2 --idempotent"
	# events are handled in order: had "UP c2" brought it back, there would
	# be a second add before the one "UP c3" made
	[ "$(grep -c '198.51.100.2:80' "$FK/ipvsctl.log")" -eq 2 ]
	logs "real server 198.51.100.2:80 of tcp 192.0.2.100:80 is down (HTTP_GET 198.51.100.2:80/health: connection refused): removed from IPVS"
	logs "real server 198.51.100.2:80 of tcp 192.0.2.100:80: TCP_CHECK 198.51.100.2:80 failed too (status 500); still down, 2 checker(s) failing"
	logs "real server 198.51.100.2:80 of tcp 192.0.2.100:80: HTTP_GET 198.51.100.2:80/health is up again; still down, 1 checker(s) failing"
}

@test "inhibit_on_failure sets the weight to 0 instead of removing the server" {
	conf_lvs "" "inhibit_on_failure"
	start "$T/k.conf"
	hc "DOWN c1 timed out"
	ipvs_has "set dest tcp 192.0.2.100:80 198.51.100.1:80 weight 0"
	logs "is down (HTTP_GET 198.51.100.1:80/index.html: timed out): disabled (weight 0)"
	hc "UP c1"
	ipvs_has "set dest tcp 192.0.2.100:80 198.51.100.1:80 weight 2"
	! grep -q 'del dest' "$FK/ipvsctl.log" || false
}

@test "quorum loss and regain with hysteresis bring the sorry server in and out" {
	conf_lvs "quorum 3
    hysteresis 1
    sorry_server 203.0.113.9 8080
    quorum_up \"$T/bin/hook quorum up\"
    quorum_down \"$T/bin/hook quorum down\""
	start "$T/k.conf"
	# weight 4 >= 3+1: up.  One down leaves 2, not below 3-1: still up.
	hc "DOWN c1 refused"
	ipvs_has "del dest tcp 192.0.2.100:80 198.51.100.1:80 --idempotent"
	hc "DOWN c2 refused"
	ipvs_has "add dest tcp 192.0.2.100:80 203.0.113.9:8080 mode dr weight 1 --idempotent"
	logs "virtual server tcp 192.0.2.100:80 lost quorum (live weight 0 < 3-1); real servers out, sorry server 203.0.113.9:8080 in"
	wait_until 5 grep -qx 'quorum down' "$FK/hooks.log"
	[ "$(grep -c 'lost quorum' "$LOG")" -eq 1 ]
	# weight 2 < 3+1: still down, and the table does not move
	hc "UP c1"
	logs "is up: left out while the sorry server stands in"
	! grep -q '^add dest tcp 192.0.2.100:80 198.51.100.1:80' "$FK/ipvsctl.log" || false
	hc "UP c2"
	ipvs_has "del dest tcp 192.0.2.100:80 203.0.113.9:8080 --idempotent"
	ipvs_has "add dest tcp 192.0.2.100:80 198.51.100.1:80 mode dr weight 2 --idempotent"
	ipvs_has "add dest tcp 192.0.2.100:80 198.51.100.2:80 mode dr weight 2 --idempotent"
	wait_until 5 grep -qx 'quorum up' "$FK/hooks.log"
	logs "gained quorum (live weight 4 >= 3+1); sorry server 203.0.113.9:8080 out, real servers back in"
}

@test "alpha real servers start outside the table and join on their first success" {
	conf_lvs "alpha
    sorry_server 203.0.113.9 80"
	start "$T/k.conf"
	# all down at start: no quorum, the sorry server stands in
	grep -qx -- '-a -t 192.0.2.100:80 -r 203.0.113.9:80 -g -w 1' "$FK/applied.1"
	! grep -q '198.51.100' "$FK/applied.1" || false
	[ "$(cat "$FK/hcheck.log")" = "watch -f $T/run/plan/watch-2s-down.list --interval 2 --rise 1 --fall 1 --initial down" ]
	hc "UP c2"
	ipvs_has "del dest tcp 192.0.2.100:80 203.0.113.9:80 --idempotent"
	ipvs_has "add dest tcp 192.0.2.100:80 198.51.100.2:80 mode dr weight 2 --idempotent"
}

@test "a MISC_CHECK runs under the supervisor and misc_dynamic sets the weight" {
	echo 0 >"$FK/misc.rc"
	cat >"$T/k.conf" <<EOF
virtual_server 192.0.2.100 80 {
    delay_loop 1
    lb_kind NAT
    real_server 198.51.100.3 80 {
        weight 5
        MISC_CHECK { misc_path "$T/bin/misc"
            misc_dynamic }
    }
}
EOF
	start "$T/k.conf"
	echo 1 >"$FK/misc.rc"
	ipvs_has "del dest tcp 192.0.2.100:80 198.51.100.3:80 --idempotent"
	logs "(MISC_CHECK $T/bin/misc: exit status 1)"
	echo 12 >"$FK/misc.rc"
	ipvs_has "add dest tcp 192.0.2.100:80 198.51.100.3:80 mode nat weight 5 --idempotent"
	ipvs_has "set dest tcp 192.0.2.100:80 198.51.100.3:80 weight 10"
	logs "real server 198.51.100.3:80 of tcp 192.0.2.100:80: weight 5 -> 10 (misc_dynamic)"
}

@test "a child that dies is restarted with growing delays" {
	conf_lvs
	touch "$FK/vrrpd.die"
	HAKIT_BACKOFF_MIN=0.3 start "$T/k.conf"
	logs "vrrpd for VI_1 exited with status 3; restarting in 0.3s"
	logs "vrrpd for VI_1 exited with status 3; restarting in 0.6s"
	logs "vrrpd for VI_1 exited with status 3; restarting in 1.2s"
	logs "restarting vrrpd for VI_1"
	rm "$FK/vrrpd.die"
	wait_until 15 grep -q '^stop\|MASTER' "$T/run/vrrp/VI_1.state"
	# a healthy start after the failures, and it stays up
	local pid
	pid=$(awk '$1 == "start" { p = $3 } END { print p }' "$FK/vrrpd.log")
	sleep 1
	kill -0 "$pid"
	[ "$(grep -c '^die ' "$FK/vrrpd.log")" -ge 3 ]
}

@test "SIGHUP with a broken file keeps the running configuration and says why" {
	conf_lvs
	start "$T/k.conf"
	wait_until 5 grep -q "^start VI_1 " "$FK/vrrpd.log"
	echo 'virtual_server 192.0.2.100 80 { delay_loop x }' >>"$T/k.conf"
	kill -HUP "$HAKIT_PID"
	logs "reload failed, keeping the running configuration: kaconf: $T/k.conf:29:44: error: delay_loop: 'x' is not a number of seconds"
	[ "$(grep -c '^start ' "$FK/vrrpd.log")" -eq 1 ]
	! grep -q '^hup\|^stop' "$FK/vrrpd.log" || false
	hc "DOWN c1 refused"
	ipvs_has "del dest tcp 192.0.2.100:80 198.51.100.1:80 --idempotent"
}

# add_vi2: a second instance, VI_2 on eth1, after conf_lvs's
add_vi2() {
	cat >>"$T/k.conf" <<EOF
vrrp_instance VI_2 {
    interface eth1
    virtual_router_id 52
    virtual_ipaddress { 198.51.100.100 }
}
EOF
}

# pid_of NAME: the pid of the last fake vrrpd started for NAME
pid_of() {
	awk -v n="$1" '$1 == "start" && $2 == n { p = $3 } END { print p }' "$FK/vrrpd.log"
}

starts_of() {
	grep -c "^start $1 " "$FK/vrrpd.log"
}

# started NAME N: the fake vrrpd for NAME has started N times
started() {
	[ "$(starts_of "$1")" = "$2" ]
}

@test "SIGHUP applies only the difference: an unchanged vrrpd runs on, a changed one re-reads, health is kept" {
	conf_lvs
	add_vi2
	start "$T/k.conf"
	wait_until 5 grep -q "^start VI_2 " "$FK/vrrpd.log"
	hc "DOWN c1 refused"
	ipvs_has "del dest tcp 192.0.2.100:80 198.51.100.1:80 --idempotent"
	# a VIP: vrrpd changes it in place
	sed -i 's/198.51.100.100 }/198.51.100.101 }/' "$T/k.conf"
	sed -i 's/real_server 198.51.100.2 80 {/real_server 198.51.100.4 80 { weight 7 }\n    &/' "$T/k.conf"
	kill -HUP "$HAKIT_PID"
	logs "reloaded: 2 instance(s), 1 virtual server(s); 1 vrrpd told to re-read"
	wait_until 5 grep -q '^hup VI_2 ' "$FK/vrrpd.log"
	! grep -q '^hup VI_1 \|^stop ' "$FK/vrrpd.log" || false
	[ "$(grep -c '^start ' "$FK/vrrpd.log")" -eq 2 ]
	ipvs_has "apply $T/run/plan/ipvs.rules"
	# the server that was down stays out of the new desired state; the new one is in
	! grep -q '198.51.100.1:80' "$FK/applied.2" || false
	grep -qx -- '-a -t 192.0.2.100:80 -r 198.51.100.4:80 -g -w 7' "$FK/applied.2"
	hc "UP c1"
	ipvs_has "add dest tcp 192.0.2.100:80 198.51.100.1:80 mode dr weight 2 --idempotent"
}

@test "SIGHUP with a changed VRID stops that instance's vrrpd and starts it again instead of signalling it" {
	conf_lvs
	add_vi2
	start "$T/k.conf"
	wait_until 5 grep -q "^start VI_2 " "$FK/vrrpd.log"
	local old
	old=$(pid_of VI_2)
	sed -i 's/virtual_router_id 52/virtual_router_id 53/' "$T/k.conf"
	kill -HUP "$HAKIT_PID"
	logs "vrrp_instance VI_2 changed its VRID, which vrrpd cannot change in place: it stops and starts again"
	logs "reloaded: 2 instance(s), 1 virtual server(s); 0 vrrpd told to re-read, 0 child(ren) started, 0 stopped, 1 vrrpd started again"
	logs "vrrpd for VI_2 stopped (status 0); starting it with its new configuration"
	wait_until 5 started VI_2 2
	# the old one stopped before the new one started, on the new file
	[ "$(grep -n "^stop VI_2 $old\$" "$FK/vrrpd.log" | cut -d: -f1)" -lt \
		"$(grep -n "^start VI_2 $(pid_of VI_2) " "$FK/vrrpd.log" | cut -d: -f1)" ]
	grep -qx 'vrid 53' "$T/run/plan/VI_2.conf"
	! grep -q '^hup \|^stop VI_1 ' "$FK/vrrpd.log" || false
	[ "$(starts_of VI_1)" = 1 ]
	# a start for a new configuration is no failure: no restart counted
	wait_until 5 grep -qx "child	vrrpd for VI_2	$(pid_of VI_2)	0" "$T/run/status"
	! grep -q 'exited with status\|restarting' "$LOG" || false
}

@test "SIGHUP with another interface, VRRP version, use_vmac or sync group starts the vrrpd again, saying which" {
	conf_lvs
	add_vi2
	start "$T/k.conf"
	wait_until 5 grep -q "^start VI_2 " "$FK/vrrpd.log"
	local n=1 change
	for change in 's/interface eth1/interface eth2/|its interface' \
		's/virtual_router_id 52/&\n    version 3/|its VRRP version' \
		's/virtual_router_id 52/&\n    use_vmac/|use_vmac' \
		'$a vrrp_sync_group VG_2 {\n group {\n  VI_2\n }\n}|its sync group'; do
		sed -i "${change%|*}" "$T/k.conf"
		kill -HUP "$HAKIT_PID"
		n=$((n + 1))
		wait_until 5 started VI_2 "$n"
		logs "vrrp_instance VI_2 changed ${change#*|}, which vrrpd cannot change in place"
	done
	! grep -q '^hup ' "$FK/vrrpd.log" || false
	[ "$(starts_of VI_1)" = 1 ]
}

@test "SIGHUP with a first hook starts vrrpd again, a changed hook is re-read, another script user starts it again" {
	conf_lvs
	add_vi2
	start "$T/k.conf"
	wait_until 5 grep -q "^start VI_2 " "$FK/vrrpd.log"
	sed -i "s|virtual_router_id 52|&\n    notify_master \"$T/bin/hook m\"|" "$T/k.conf"
	kill -HUP "$HAKIT_PID"
	logs "vrrp_instance VI_2 changed its hooks or track scripts (there were none), which vrrpd cannot change in place"
	wait_until 5 started VI_2 2
	local p2
	p2=$(pid_of VI_2)
	# the hook with another argument: in place
	sed -i "s|$T/bin/hook m\"|$T/bin/hook m2\"|" "$T/k.conf"
	kill -HUP "$HAKIT_PID"
	wait_until 5 grep -qx "hup VI_2 $p2" "$FK/vrrpd.log"
	logs "vrrp_instance VI_2 changed: vrrpd re-reads its configuration"
	# scripts run as another user: VI_2 starts again, VI_1 (no script of
	# its own) re-reads
	sed -i 's/global_defs { router_id t }/global_defs {\n    router_id t\n    script_user nobody\n}/' "$T/k.conf"
	kill -HUP "$HAKIT_PID"
	logs "vrrp_instance VI_2 changed the user its scripts run as, which vrrpd cannot change in place"
	wait_until 5 started VI_2 3
	wait_until 5 grep -q "^hup VI_1 " "$FK/vrrpd.log"
	[ "$(starts_of VI_1)" = 1 ]
}

@test "a vrrpd that does not stop to start again is killed after HAKIT_STOP_WAIT" {
	conf_lvs
	add_vi2
	touch "$FK/vrrpd.stubborn"
	HAKIT_STOP_WAIT=1 start "$T/k.conf"
	wait_until 5 grep -q "^start VI_2 " "$FK/vrrpd.log"
	local old
	old=$(pid_of VI_2)
	sed -i 's/interface eth1/interface eth2/' "$T/k.conf"
	kill -HUP "$HAKIT_PID"
	wait_until 5 grep -qx "ignore VI_2 $old" "$FK/vrrpd.log"
	logs "vrrpd for VI_2 did not stop in 1s; killing it"
	logs "vrrpd for VI_2 stopped (status 137); starting it with its new configuration"
	wait_until 5 started VI_2 2
	! kill -0 "$old" 2>/dev/null || false
}

# sock PATH [listen]: a Unix socket file at PATH that nothing listens on
# (what a member that died leaves), or one a process listens on.
sock() {
	mkdir -p "${1%/*}"
	local prog='socket(my $s, AF_UNIX, SOCK_SEQPACKET, 0) or die "socket: $!";
		bind($s, pack_sockaddr_un($ARGV[0])) or die "bind: $!";'
	if [ "${2-}" = listen ]; then
		bg perl -MSocket -e "$prog"' listen($s, 1) or die "listen: $!"; sleep 60' "$1"
		wait_until 5 grep -q " $1\$" /proc/net/unix
	else
		perl -MSocket -e "$prog" "$1"
	fi
	[ -S "$1" ]
}

# A director whose two instances are the sync group VG_1.
conf_group() {
	conf_lvs
	add_vi2
	printf 'vrrp_sync_group VG_1 {\n group {\n  VI_1\n  VI_2\n }\n}\n' >>"$T/k.conf"
}

@test "hakit run removes the sync group sockets nothing listens on, and keeps one a process listens on" {
	conf_group
	local d=$T/run/sync/VG_1
	sock "$d/VI_9.sock"
	sock "$d/VI_1.sock"
	sock "$d/VI_8.sock" listen
	sock "$T/run/sync/VG_OLD/VI_5.sock"
	start "$T/k.conf"
	logs "sync group VG_1: removed the socket of member VI_9, which nothing listens on (left by a vrrpd that died)"
	logs "sync group VG_1: removed the socket of member VI_1, which nothing listens on"
	logs "sync group VG_OLD: removed the socket of member VI_5, which nothing listens on"
	[ ! -e "$d/VI_9.sock" ] && [ ! -e "$d/VI_1.sock" ] && [ ! -e "$T/run/sync/VG_OLD" ]
	[ -S "$d/VI_8.sock" ]
	# vrrpd is told to meet there
	grep -qx "sync-dir $T/run/sync" "$T/run/plan/VI_1.conf"
}

@test "SIGHUP removes the dead sockets of members no longer configured and keeps those of configured ones" {
	conf_group
	start "$T/k.conf"
	local d=$T/run/sync/VG_1
	sock "$d/VI_1.sock"
	sock "$d/VI_7.sock"
	kill -HUP "$HAKIT_PID"
	logs "sync group VG_1: removed the socket of member VI_7, which nothing listens on"
	logs "reloaded: 2 instance(s)"
	# VI_1's is taken over by its vrrpd when it starts again
	[ -S "$d/VI_1.sock" ] && [ ! -e "$d/VI_7.sock" ]
	! grep -q 'member VI_1,' "$LOG" || false
}

@test "SIGTERM stops the children, runs omega's down notifiers and removes the IPVS services" {
	conf_lvs "omega
    quorum_down \"$T/bin/hook quorum down\""
	start "$T/k.conf"
	wait_until 5 grep -q "^start VI_1 " "$FK/vrrpd.log"
	kill -TERM "$HAKIT_PID"
	wait_until 10 grep -q 'hakit: stopped' "$LOG"
	grep -q '^stop VI_1 ' "$FK/vrrpd.log"
	ipvs_has "del service tcp 192.0.2.100:80 --idempotent"
	wait_until 5 grep -qx 'down 198.51.100.1' "$FK/hooks.log"
	wait_until 5 grep -qx 'quorum down' "$FK/hooks.log"
	[ ! -e "$T/run/hakit.pid" ] && [ ! -e "$T/run/events" ]
	run wait "$HAKIT_PID"
	[ "$status" -eq 0 ]
	! pgrep -f "$T/bin/hcheck" && ! pgrep -f "tail -n 0 -F $FK/hcheck.in" || false
}

@test "hakit run -k leaves the IPVS services in place on SIGTERM" {
	conf_lvs
	start "$T/k.conf" -k
	kill -TERM "$HAKIT_PID"
	wait_until 10 grep -q 'hakit: stopped' "$LOG"
	grep -q 'leaving the IPVS entries in place (-k)' "$LOG"
	! grep -q 'del service' "$FK/ipvsctl.log" || false
}

@test "hakit status shows instances and real servers, and --json the same as JSON" {
	conf_lvs
	start "$T/k.conf"
	wait_until 5 test -s "$T/run/vrrp/VI_1.state"
	hc "DOWN c2 refused"
	ipvs_has "del dest tcp 192.0.2.100:80 198.51.100.2:80 --idempotent"
	wait_until 5 grep -q '198.51.100.2:80	down' "$T/run/status"
	run hakit status -r "$T/run"
	[ "$status" -eq 0 ]
	[[ "$output" == *"instance VI_1             MASTER   priority 100"* ]]
	[[ "$output" == *"virtual server tcp 192.0.2.100:80: quorum up, sorry server -"* ]]
	[[ "$output" == *"real server 198.51.100.2:80          down weight 2"* ]]
	run hakit status -r "$T/run" --json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r '.instances[0].state')" = MASTER ]
	[ "$(echo "$output" | jq -r '.virtual_servers[0].service')" = "tcp 192.0.2.100:80" ]
	[ "$(echo "$output" | jq -r '.virtual_servers[0].real_servers[1].state')" = down ]
	[ "$(echo "$output" | jq -r '.virtual_servers[0].real_servers[0].weight')" = 2 ]
}

@test "hakit status when nothing runs says so and exits 1" {
	run hakit status -r "$T/run"
	[ "$status" -eq 1 ]
	[ "$output" = "hakit is not running (run directory $T/run)" ]
	run hakit status -r "$T/run" --json
	[ "$output" = '{"running":false}' ]
}

@test "a second hakit run on the same run directory exits 1" {
	conf_lvs
	start "$T/k.conf"
	run hakit run -f "$T/k.conf" -r "$T/run"
	[ "$status" -eq 1 ]
	[[ "$output" == *"already running for $T/run (pid $HAKIT_PID)"* ]]
}

@test "an IPVS state that cannot be applied stops hakit with exit 1 before any vrrpd runs" {
	conf_lvs
	touch "$FK/ipvsctl.fail"
	run hakit run -f "$T/k.conf" -r "$T/run"
	[ "$status" -eq 1 ]
	[[ "$output" == *"the IPVS state could not be applied; not started"* ]]
	[ ! -s "$FK/vrrpd.log" ]
}

@test "make install puts hakit, kaconf, their man pages and a unit that runs hakit in place" {
	make -C "$HK_TOP" -s install O="$HK_BUILD" DESTDIR="$T/inst" PREFIX=/usr >/dev/null
	[ -x "$T/inst/usr/sbin/hakit" ] && [ -x "$T/inst/usr/sbin/kaconf" ]
	[ -e "$T/inst/usr/share/man/man8/hakit.8" ] && [ -e "$T/inst/usr/share/man/man8/kaconf.8" ]
	local unit=$T/inst/usr/lib/systemd/system/hakit.service
	grep -qx 'Type=simple' "$unit"
	grep -qx 'ExecStart=/usr/sbin/hakit run -f /etc/keepalived/keepalived.conf' "$unit"
	grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$unit"
	grep -qx 'Restart=on-failure' "$unit"
	grep -qx 'KillMode=mixed' "$unit"
	# the installed script finds kaconf next to itself
	PATH=/usr/bin:/bin run "$T/inst/usr/sbin/hakit" check -f "$BATS_TEST_DIRNAME/fixtures/kaconf/002-lb5.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"configuration OK"* ]]
}

@test "reports for a checker the plan does not have are logged and ignored" {
	conf_lvs
	start "$T/k.conf"
	hc "DOWN c9 refused"
	hc "DOWN x1 refused"
	hc "DOWN c1 refused"
	ipvs_has "del dest tcp 192.0.2.100:80 198.51.100.1:80 --idempotent"
	logs "ignoring a report for unknown checker 'c9'"
	logs "ignoring a report for unknown checker 'x1'"
	[ "$(wc -l <"$FK/ipvsctl.log")" -eq 2 ]
}

@test "a tool the configuration needs that is not installed stops hakit with exit 1, naming it" {
	conf_lvs
	mkdir "$T/bin2"
	ln -s "$(command -v kaconf)" "$T/bin2/kaconf"
	ln -s "$T/bin/ipvsctl" "$T/bin2/ipvsctl"
	PATH=$T/bin2:/usr/bin:/bin run "$HK_TOP/shell/hakit" run -f "$T/k.conf" -r "$T/run"
	[ "$status" -eq 1 ]
	[[ "$output" == *"not found in PATH: vrrpd hcheck; not started"* ]]
	[ ! -s "$FK/ipvsctl.log" ]
}

@test "SIGHUP with new process tuning in global_defs starts every vrrpd again, saying why" {
	conf_lvs
	add_vi2
	start "$T/k.conf"
	wait_until 5 grep -q "^start VI_2 " "$FK/vrrpd.log"
	sed -i 's/global_defs { router_id t }/global_defs {\n    router_id t\n    vrrp_rt_priority 10\n}/' "$T/k.conf"
	kill -HUP "$HAKIT_PID"
	logs "vrrp_instance VI_1 changed its process tuning (vrrp_rt_priority, vrrp_rlimit_rttime, vrrp_priority, vrrp_no_swap, vrrp_cpu_affinity), which vrrpd cannot change in place"
	logs "vrrp_instance VI_2 changed its process tuning"
	wait_until 5 started VI_1 2
	wait_until 5 started VI_2 2
	grep -qx 'rt-priority 10' "$T/run/plan/VI_1.conf"
	! grep -q '^hup ' "$FK/vrrpd.log" || false
}
