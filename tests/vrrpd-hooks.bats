#!/usr/bin/env bats
# Hooks, the state file and the JSON dump.

load lib/common
load lib/net
load fixtures/vrrpd/helpers

VIP=192.0.2.100

setup() {
	net_init
	net_switch
	net_host a 192.0.2.1/24
	net_host b 192.0.2.2/24
	T=$(scratch)
	# A hook that appends its arguments to a file.
	cat >"$T/hook" <<-EOF
		#!/bin/sh
		echo "\$*" >>"$T/calls"
	EOF
	chmod +x "$T/hook"
}

teardown() {
	net_cleanup
}

@test "the generic hook is called as keepalived calls a notify script" {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 --notify "$T/hook" "${FAST[@]}"
	vr_wait a MASTER
	wait_until 3 grep -qx 'INSTANCE a MASTER 200' "$T/calls"
	vr_stop a
	# STOP runs before vrrpd exits.
	[ "$(cat "$T/calls")" = "$(printf 'INSTANCE a BACKUP 200\nINSTANCE a MASTER 200\nINSTANCE a STOP 200')" ]
	vr_logs_clean a
}

@test "state commands run with their own words, before the generic hook" {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}" \
		--notify "$T/hook generic" \
		--notify-master "$T/hook \"to master\"" --notify-backup "$T/hook to-backup" \
		--notify-stop "$T/hook stopping"
	vr_wait a MASTER
	wait_until 3 grep -q MASTER "$T/calls"
	vr_stop a
	run cat "$T/calls"
	[ "${lines[0]}" = "to-backup" ]
	[ "${lines[1]}" = "generic INSTANCE a BACKUP 200" ]
	[ "${lines[2]}" = "to master" ]
	[ "${lines[3]}" = "generic INSTANCE a MASTER 200" ]
	[ "${lines[4]}" = "stopping" ]
	[ "${lines[5]}" = "generic INSTANCE a STOP 200" ]
	[ "${#lines[@]}" = 6 ]
	vr_logs_clean a
}

@test "a hung hook is stopped with its whole process group after --hook-timeout" {
	cat >"$T/hang" <<-EOF
		#!/bin/sh
		sleep 987.$$ &
		echo \$! >"$T/child"
		exec sleep 988.$$
	EOF
	chmod +x "$T/hang"
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}" \
		--notify-master "$T/hang" --hook-timeout 0.5
	vr_wait a MASTER
	wait_until 3 test -s "$T/child"
	wait_until 5 grep -q 'still running after 0.500 s, stopping it' "$T/a.log"
	wait_until 3 grep -q 'killed after the 0.500 s time limit' "$T/a.log"
	# The background child went with the group.
	wait_until 3 sh -c "! kill -0 $(cat "$T/child") 2>/dev/null"
	! pgrep -f "sleep 98[78].$$"
	[ "$(vr_json a .counters.hooks_timed_out)" = 1 ]
	vr_stop a
	vr_logs_clean a
}

@test "a slow hook never delays an advert" {
	printf '#!/bin/sh\nsleep 3\n' >"$T/slow"
	chmod +x "$T/slow"
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}" \
		--notify-master "$T/slow"
	vr_wait a MASTER
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}"
	vr_wait b BACKUP
	# While a's hook sleeps, a missed advert would let b take over
	# within 0.36 s.
	local sent
	sent=$(vr_json a .counters.adverts_sent)
	sleep 2
	vr_is b BACKUP
	[ "$(vr_json a .counters.adverts_sent)" -ge $((sent + 10)) ]
	pgrep -f "$T/slow" >/dev/null
	vr_logs_clean a b
}

@test "hooks run one at a time, in the order of the transitions, and leave no zombies" {
	cat >"$T/order" <<-EOF
		#!/bin/sh
		echo "start \$3" >>"$T/calls"
		sleep 0.3
		echo "end \$3" >>"$T/calls"
	EOF
	chmod +x "$T/order"
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 100 --notify "$T/order" "${FAST[@]}"
	vr_wait b MASTER
	# Flap b: a higher master comes and goes twice.
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}"
	vr_wait b BACKUP
	vr_stop a
	vr_wait b MASTER
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}"
	vr_wait b BACKUP
	vr_stop a
	vr_wait b MASTER
	wait_until 10 lines_matching 6 '^end' "$T/calls"
	run cat "$T/calls"
	[ "$output" = "$(printf 'start %s\nend %s\nstart %s\nend %s\n' \
		BACKUP BACKUP MASTER MASTER BACKUP BACKUP MASTER MASTER BACKUP BACKUP MASTER MASTER)" ]
	! ps -o stat= --ppid "${VR_PID[b]}" | grep -q Z
	[ "$(vr_json b .counters.hooks_run)" = 6 ]
	[ "$(vr_json b .counters.hooks_failed)" = 0 ]
	vr_logs_clean a b
}

@test "a hook gets no descriptor of vrrpd but standard input, output and error" {
	printf '#!/bin/sh\nexec ls /proc/self/fd >%s/fds\n' "$T" >"$T/fds.sh"
	chmod +x "$T/fds.sh"
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}" \
		--notify-master "$T/fds.sh"
	vr_wait a MASTER
	wait_until 3 test -s "$T/fds"
	# 3 is the directory ls itself reads.
	[ "$(tr '\n' ' ' <"$T/fds")" = "0 1 2 3 " ]
	vr_logs_clean a
}

@test "a failing hook is logged with its exit status and counted" {
	printf '#!/bin/sh\nexit 3\n' >"$T/fail"
	chmod +x "$T/fail"
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}" \
		--notify-master "$T/fail"
	vr_wait a MASTER
	wait_until 3 grep -q "hook $T/fail: exit status 3" "$T/a.log"
	[ "$(vr_json a .counters.hooks_failed)" = 1 ]
	vr_logs_clean a
}

@test "the state file holds NAME STATE PRIORITY, replaced atomically" {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}"
	vr_wait a MASTER
	[ "$(cat "$T/a.state")" = "a MASTER 200" ]
	[ ! -e "$T/a.state.tmp" ]
	vr_stop a
	[ "$(cat "$T/a.state")" = "a STOP 200" ]
	vr_logs_clean a
}

@test "SIGUSR1 dumps the instance as JSON, by default in /run/hakit/vrrpd-NAME.json" {
	local name=unit$$ f=/run/hakit/vrrpd-unit$$.json
	ip netns exec "$(ns a)" vrrpd -f --name $name -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}" \
		--state-file "$T/s" >"$T/a.log" 2>&1 &
	local pid=$!
	HK_BG_PIDS+=("$pid")
	wait_until 5 grep -q MASTER "$T/s"
	rm -f "$f"
	kill -USR1 $pid
	wait_until 3 test -s "$f"
	run jq -r '[.name, .state, .vrid, .version, .priority, .interface, .mode,
		.advert_int, .skew_time, .master_down_interval, .vips[0],
		(.counters.adverts_sent > 0), .dropped.total] | @tsv' "$f"
	rm -f "$f"
	[ "$output" = "$(printf '%s\t' $name MASTER 7 3 200 eth0 multicast 0.1 0.021875 0.321875 192.0.2.100/24 true 0 | sed 's/\t$//')" ]
	grep -q "state dumped to $f" "$T/a.log"
	vr_logs_clean a
}
