#!/usr/bin/env bats
# What vrrpd keeps of root once running, whom its hooks and scripts run
# as, which scripts it refuses, and where its password never shows.

load lib/common
load lib/net
load fixtures/vrrpd/helpers

bats_require_minimum_version 1.5.0

VIP=192.0.2.100

setup() {
	net_init
	net_switch
	net_host a 192.0.2.1/24
	T=$(scratch)
	# Other users must reach the scripts, as in /etc/keepalived.
	chmod 711 "$BATS_RUN_TMPDIR" "$BATS_RUN_TMPDIR/test" "$T"
	# Prints who runs it and with what, to vrrpd's log.
	cat >"$T/who" <<-'EOF'
		#!/bin/sh
		echo "who $* uid=$(id -u) gid=$(id -g) groups=$(id -G) $(grep CapEff /proc/self/status | tr -d '\t')"
	EOF
	chmod 755 "$T/who"
}

teardown() {
	net_cleanup
}

# caps PID FIELD: the capability set FIELD (CapEff, CapBnd...) of PID.
caps() {
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# The launcher: vrrpd's only child.
launcher_of() {
	cat "/proc/$1/task/$1/children" | tr -d ' '
}

@test "once running vrrpd keeps only CAP_NET_RAW and CAP_NET_ADMIN, with no_new_privs" {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 "${FAST[@]}"
	vr_wait a MASTER
	local p=${VR_PID[a]}
	[ "$(caps "$p" CapEff)" = 0000000000003000 ]
	[ "$(caps "$p" CapPrm)" = 0000000000003000 ]
	[ "$(caps "$p" CapBnd)" = 0000000000003000 ]
	[ "$(caps "$p" CapInh)" = 0000000000000000 ]
	[ "$(caps "$p" CapAmb)" = 0000000000000000 ]
	[ "$(awk '$1 == "NoNewPrivs:" { print $2 }' "/proc/$p/status")" = 1 ]
	# Without scripts there is no launcher.
	[ -z "$(launcher_of "$p")" ]
	# And it still does its job: resign and remove the VIP.
	vr_stop a
	! net_has a $VIP
	vr_logs_clean a
}

@test "hooks and track scripts run as --script-user, without capabilities, from a launcher that keeps only setuid, setgid and kill" {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 "${FAST[@]}" --script-user nobody \
		--notify "$T/who" --track-script "$T/who check" --track-interval 0.5
	vr_wait a MASTER
	wait_until 3 grep -q 'who INSTANCE a MASTER 100' "$T/a.log"
	grep -q 'who INSTANCE a MASTER 100 uid=65534 gid=65534 groups=65534 CapEff:0000000000000000' "$T/a.log"
	grep -q 'track script .*/who: who check uid=65534 gid=65534 groups=65534 CapEff:0000000000000000' "$T/a.log"
	local l
	l=$(launcher_of "${VR_PID[a]}")
	[ -n "$l" ]
	# CAP_SETGID (6), CAP_SETUID (7), CAP_KILL (5).
	[ "$(caps "$l" CapEff)" = 00000000000000e0 ]
	[ "$(caps "$l" CapBnd)" = 00000000000000e0 ]
	vr_logs_clean a
}

@test "script-user root, asked for, runs them as root with its capabilities" {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 "${FAST[@]}" --script-user root --notify "$T/who"
	vr_wait a MASTER
	wait_until 3 grep -q 'who INSTANCE a MASTER' "$T/a.log"
	grep 'who INSTANCE a MASTER' "$T/a.log" | grep -q 'uid=0 '
	! grep 'who INSTANCE a MASTER' "$T/a.log" | grep -q 'CapEff:0000000000000000'
	vr_logs_clean a
}

@test "without a script user or hakit_script, scripts are refused unless --allow-root-scripts" {
	run nsx a vrrpd --vrid 7 --vip $VIP --notify "$T/who" -n
	catalogue vrrpd --vrid 7 --vip $VIP --notify HOOK -n
	[ "$status" -eq 2 ]
	[ "$output" = "vrrpd: hooks and track scripts would run as root: create the system user 'hakit_script', give --script-user USER, or --allow-root-scripts" ]
	run nsx a vrrpd --vrid 7 --vip $VIP --track-script "$T/who" -n
	[ "$status" -eq 2 ]
	run nsx a vrrpd --vrid 7 --vip $VIP --notify "$T/who" --script-user nosuchuser -n
	[ "$status" -eq 2 ]
	[ "$output" = "vrrpd: --script-user: no user 'nosuchuser' in /etc/passwd" ]
	run nsx a vrrpd --vrid 7 --vip $VIP --script-user 'a b' -n
	[ "$status" -eq 2 ]
	[ "$output" = "vrrpd: --script-user: 'a b' is not a user name" ]
	run nsx a vrrpd --vrid 7 --vip $VIP --notify "$T/who" --allow-root-scripts -n
	[ "$status" -eq 0 ]
}

@test "the system user hakit_script, when it exists, is the default script user" {
	# A passwd of our own, in a mount namespace of vrrpd's own.
	{ cat /etc/passwd; echo 'hakit_script:x:64999:64998::/nonexistent:/usr/sbin/nologin'; } >"$T/passwd"
	ip netns exec "$(ns a)" unshare -m --propagation private sh -c \
		'mount --bind "$1" /etc/passwd && shift && exec "$@"' sh "$T/passwd" \
		vrrpd -f --name a --state-file "$T/a.state" --dump-file "$T/a.json" -i eth0 --vrid 7 \
		--vip $VIP/24 "${FAST[@]}" --notify "$T/who" >"$T/a.log" 2>&1 &
	VR_PID[a]=$!
	HK_BG_PIDS+=("$!")
	vr_wait a MASTER
	wait_until 3 grep -q 'who INSTANCE a MASTER' "$T/a.log"
	grep -q 'who INSTANCE a MASTER 100 uid=64999 gid=64998 groups=64998' "$T/a.log"
}

@test "a hook or script that someone other than root could change is refused, naming the unsafe part" {
	mkdir -m 0777 "$T/open"
	cp "$T/who" "$T/open/hook"
	run nsx a vrrpd --vrid 7 --vip $VIP --notify "$T/open/hook" --allow-root-scripts -n
	catalogue vrrpd --vrid 7 --vip $VIP --notify DIR-0777/hook --allow-root-scripts -n
	[ "$status" -eq 2 ]
	[ "$output" = "vrrpd: --notify: '$T/open/hook' is unsafe to run: everyone may write '$T/open'" ]
	mkdir -m 0775 "$T/grp"
	chgrp 100 "$T/grp"
	cp "$T/who" "$T/grp/s"
	run nsx a vrrpd --vrid 7 --vip $VIP --track-script "$T/grp/s" --allow-root-scripts -n
	[ "$status" -eq 2 ]
	[ "$output" = "vrrpd: --track-script: '$T/grp/s' is unsafe to run: group 100 may write '$T/grp'" ]
	cp "$T/who" "$T/theirs"
	chown 65534 "$T/theirs"
	run nsx a vrrpd --vrid 7 --vip $VIP --notify-master "$T/theirs" --allow-root-scripts -n
	[ "$status" -eq 2 ]
	[ "$output" = "vrrpd: --notify-master: '$T/theirs' is unsafe to run: '$T/theirs' belongs to uid 65534, not root" ]
	# A link in a directory everyone may write, to a safe program: the
	# link could be changed.
	ln -s "$T/who" "$T/open/link"
	run nsx a vrrpd --vrid 7 --vip $VIP --notify "$T/open/link" --allow-root-scripts -n
	[ "$status" -eq 2 ]
	[[ "$output" == *"is unsafe to run: everyone may write '$T/open'" ]]
	# /tmp is world-writable but sticky: fine, as in keepalived.
	run nsx a vrrpd --vrid 7 --vip $VIP --notify "$T/who" --allow-root-scripts -n
	[ "$status" -eq 0 ]
}

@test "the password shows in no log line, no -n output and no dump" {
	printf 'Sekr3t\n' >"$T/pass"
	chmod 600 "$T/pass"
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --auth-pass-file "$T/pass" -v
	vr_wait a MASTER 6
	vr_dump a >"$T/dump"
	run nsx a vrrpd --vrid 7 --vip $VIP --auth-pass-file "$T/pass" -n
	[ "$status" -eq 0 ]
	! grep -q Sekr3t <<<"$output"
	! grep -q Sekr3t "$T/dump" "$T/a.log"
	vr_logs_clean a
}

@test "if the launcher dies vrrpd resigns, removes its VIP and exits 1" {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 "${FAST[@]}" --notify "$T/who"
	vr_wait a MASTER
	local l
	l=$(launcher_of "${VR_PID[a]}")
	kill -KILL "$l"
	local rc=0
	wait "${VR_PID[a]}" || rc=$?
	[ "$rc" -eq 1 ]
	grep -q 'the script launcher is gone; stopping' "$T/a.log"
	! net_has a $VIP
	vr_is a STOP
}
