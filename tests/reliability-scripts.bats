#!/usr/bin/env bats
# Hooks and track scripts that misbehave (flood their output, crash,
# leave children behind, hang with a child holding their output): the
# master's adverts keep their schedule, measured as the worst gap
# between two of them in a capture, which must stay under the backup's
# Master_Down_Interval (0.361 s at 0.1 s adverts, priority 100); no
# zombie is left, and the instance's descriptors and memory stay flat.
# Already elsewhere: a hung hook loses its process group
# (vrrpd-hooks.bats), a hung track script fails (vrrpd-track.bats).

load lib/common
load lib/net
load fixtures/vrrpd/helpers
load fixtures/reliability/helpers

VIP=192.0.2.100
MDI_B=0.361

setup() {
	net_init
	net_switch
	net_host a 192.0.2.1/24
	T=$(scratch)
}

teardown() {
	# Children a script left behind are in its process group, named
	# by the file the script wrote.
	[ -s "$T/child" ] && kill -KILL "$(cat "$T/child")" 2>/dev/null
	net_cleanup
}

script() {
	printf '#!/bin/sh\n%s\n' "$2" >"$T/$1"
	chmod 755 "$T/$1"
}

# schedule_kept PCAP: a's adverts in the capture kept their schedule.
schedule_kept() {
	local gap n
	n=$(advert_count "$1" 192.0.2.1)
	gap=$(worst_gap "$1" 192.0.2.1)
	tap_note "$n adverts, worst gap ${gap}s (bound $MDI_B s)"
	[ "$n" -ge 10 ]
	lt "$gap" "$MDI_B"
}

# The launcher is vrrpd's one child that is not a script.
launcher() {
	children_of "${VR_PID[a]}" | head -1
}

no_zombies() {
	local z
	z=$(zombies_of "${VR_PID[a]}" "$(launcher)")
	[ -z "$z" ] || { echo "zombies: $z" >&2; return 1; }
}

@test "a hook that prints 20 MB ends normally and the adverts keep their schedule" {
	script flood 'yes "a hook that will not stop talking" | head -c 20000000; echo done >'"$T/flooded"
	cap_start "$T/c.pcap" "ip proto 112 and src 192.0.2.1"
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}" --notify-master "$T/flood"
	vr_wait a MASTER
	wait_until 20 test -e "$T/flooded"
	sleep 1
	cap_stop
	schedule_kept "$T/c.pcap"
	[ "$(vr_json a .counters.hooks_run)" = 1 ]
	[ "$(vr_json a .counters.hooks_failed)" = 0 ]
	no_zombies
	vr_logs_clean a
}

@test "a hook that crashes is logged with its signal and counted, and the adverts keep their schedule" {
	script crash 'kill -SEGV $$'
	cap_start "$T/c.pcap" "ip proto 112 and src 192.0.2.1"
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}" --notify "$T/crash"
	vr_wait a MASTER
	wait_until 5 lines_matching 2 "hook $T/crash INSTANCE a [A-Z]* 200: killed by signal 11" "$T/a.log"
	sleep 1
	cap_stop
	schedule_kept "$T/c.pcap"
	[ "$(vr_json a .counters.hooks_failed)" = 2 ]
	no_zombies
	vr_stop a
	# The STOP hook still ran, and crashed too, after the others.
	grep -q "hook $T/crash INSTANCE a STOP 200: killed by signal 11" "$T/a.log"
	vr_logs_clean a
}

@test "a hook whose child outlives it ends when it exits, the next hook runs, no zombie" {
	# The child holds nothing of the hook's output: it is a daemon the
	# hook started, which vrrpd leaves alone as keepalived does.
	script spawn 'sleep 600 >/dev/null 2>&1 & echo $! >'"$T/child"'; echo "$3" >>'"$T/calls"
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}" --notify "$T/spawn"
	vr_wait a MASTER
	# Both hooks (BACKUP, then MASTER) ran: the first one's child did
	# not hold up the second.
	wait_until 5 lines_matching 2 . "$T/calls"
	[ "$(cat "$T/calls" | tr '\n' ' ')" = "BACKUP MASTER " ]
	kill -0 "$(cat "$T/child")"
	[ "$(vr_json a .counters.hooks_run)" = 2 ]
	[ "$(vr_json a .counters.hooks_failed)" = 0 ]
	no_zombies
	vr_stop a
	vr_logs_clean a
}

@test "a track script that prints 20 MB each run stays good, logs ten lines per ten seconds, memory and descriptors flat" {
	script chatty 'yes "a track script that will not stop talking" | head -c 20000000'
	cap_start "$T/c.pcap" "ip proto 112 and src 192.0.2.1"
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}" \
		--track-script "$T/chatty" --track-interval 0.5 --track-timeout 5 --track-weight 10
	vr_wait a MASTER
	# RSS and descriptors after the first run, then after six more.
	sleep 1
	local rss0 fd0 rss1 fd1 lines
	rss0=$(rss_kib "${VR_PID[a]}")
	fd0=$(fd_count "${VR_PID[a]}")
	sleep 3
	rss1=$(rss_kib "${VR_PID[a]}")
	fd1=$(fd_count "${VR_PID[a]}")
	cap_stop
	schedule_kept "$T/c.pcap"
	tap_note "vrrpd RSS ${rss0} -> ${rss1} KiB, descriptors $fd0 -> $fd1"
	[ "$(vr_json a '.tracking.scripts[0].status')" = good ]
	[ "$(vr_json a .priority)" = 210 ]
	[ "$rss1" -le $((rss0 + 64)) ]
	[ "$fd1" -le "$fd0" ]
	lines=$(grep -c "track script $T/chatty: a track script" "$T/a.log")
	tap_note "$lines lines of its output logged"
	[ "$lines" -ge 1 ] && [ "$lines" -le 11 ]
	no_zombies
	vr_logs_clean a
}

@test "a track script that crashes counts as failing and moves the VIP" {
	script crash '[ -e '"$T"'/broken ] && kill -SEGV $$; exit 0'
	net_host b 192.0.2.2/24
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}" \
		--track-script "$T/crash" --track-interval 0.2 --track-weight -150
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}"
	vr_wait a MASTER
	vr_wait b BACKUP
	touch "$T/broken"
	vr_wait b MASTER
	vr_wait a BACKUP
	wait_until 3 vip_only $VIP b a b
	grep -q "track script $T/crash now dies of signal 11" "$T/a.log"
	[ "$(vr_json a '.tracking.scripts[0].status')" = bad ]
	no_zombies
	vr_logs_clean a b
}

@test "a track script whose child keeps its output open: the runs go on, no descriptor leaks, no zombie" {
	# Each run leaves a sleep holding the pipe vrrpd reads the output
	# from; the run is judged by the script's exit, not by the pipe.
	script leaky 'sleep 30 & echo $! >>'"$T/kids"'; echo checked'
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}" \
		--track-script "$T/leaky" --track-interval 0.2 --track-timeout 1 --track-weight 10
	vr_wait a MASTER
	wait_until 5 lines_matching 3 . "$T/kids"
	local fd0 fd1
	fd0=$(fd_count "${VR_PID[a]}")
	wait_until 10 lines_matching 15 . "$T/kids"
	fd1=$(fd_count "${VR_PID[a]}")
	tap_note "descriptors $fd0 after 3 runs, $fd1 after 15"
	[ "$fd1" -le "$fd0" ]
	[ "$(vr_json a '.tracking.scripts[0].status')" = good ]
	[ "$(vr_json a .priority)" = 210 ]
	no_zombies
	xargs kill -KILL <"$T/kids" 2>/dev/null || true
	vr_logs_clean a
}

@test "a track script that hangs with a child holding its output loses both at its timeout, adverts on schedule" {
	script hang 'sleep 987.'$$' & echo $! >'"$T/child"'; exec sleep 988.'$$
	cap_start "$T/c.pcap" "ip proto 112 and src 192.0.2.1"
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}" \
		--track-script "$T/hang" --track-interval 5 --track-timeout 0.5 --track-weight -10
	vr_wait a MASTER
	wait_until 3 test -s "$T/child"
	wait_until 5 grep -q "track script $T/hang now dies of signal 15 (timed out)" "$T/a.log"
	wait_until 3 sh -c "! kill -0 $(cat "$T/child") 2>/dev/null"
	! pgrep -f "sleep 98[78].$$"
	sleep 0.5
	cap_stop
	schedule_kept "$T/c.pcap"
	[ "$(vr_json a .priority)" = 190 ]
	no_zombies
	vr_logs_clean a
}
