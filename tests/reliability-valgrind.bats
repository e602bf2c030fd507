#!/usr/bin/env bats
# vrrpd under valgrind's memcheck through a failover, a preemption, a
# reload, a dump and a graceful stop: no error and no leak, in vrrpd or
# in its script launcher (a fork valgrind follows).  The binary is the
# normal build's objects linked dynamically ($HK_BUILD/valgrind/vrrpd,
# see the Makefile: memcheck cannot see malloc in a static binary).

load lib/common
load lib/net
load fixtures/vrrpd/helpers
load fixtures/reliability/helpers

VIP=192.0.2.100

setup() {
	net_init
	net_switch
	net_host a 192.0.2.1/24
	net_host b 192.0.2.2/24
	T=$(scratch)
	VG_VRRPD=${HK_BIN%/bin}/valgrind/vrrpd
}

teardown() {
	net_cleanup
}

@test "vrrpd under valgrind goes through a failover, a reload and a graceful stop with no error and no leak" {
	[ -x "$VG_VRRPD" ] || { echo "$VG_VRRPD was not built (make testbins)" >&2; return 1; }
	printf '#!/bin/sh\necho "$*" >>%s/calls\n' "$T" >"$T/hook"
	printf '#!/bin/sh\necho checked\nexit 0\n' >"$T/check"
	chmod 755 "$T/hook" "$T/check"
	cat >"$T/a.conf" <<-EOF
		interface eth0
		vrid 7
		vip $VIP/24
		priority 100
		version 3
		advert-int 0.1
		notify $T/hook
		track-script $T/check
		track-interval 0.3
		track-weight 5
	EOF
	# b, the normal build, is master first.
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}"
	vr_wait b MASTER
	ip netns exec "$(ns a)" valgrind --quiet --leak-check=full \
		--show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
		--suppressions="$BATS_TEST_DIRNAME/fixtures/reliability/valgrind.supp" \
		--error-exitcode=99 --log-file="$T/vg.%p.log" \
		"$VG_VRRPD" -f --name a --config "$T/a.conf" --state-file "$T/a.state" \
		--dump-file "$T/a.json" --allow-root-scripts >>"$T/a.log" 2>&1 &
	VR_PID[a]=$!
	HK_BG_PIDS+=("$!")
	vr_wait a BACKUP 30
	# b crashes (its VIP stays behind): a takes over, adds the VIP and
	# announces it.
	vr_crash b
	vr_wait a MASTER 30
	wait_until 30 net_has a $VIP
	# b returns and preempts: a hands the VIP back.
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}"
	vr_wait a BACKUP 30
	wait_until 30 vip_only $VIP b a b
	# A reload that adds an address, and a dump.
	echo "vip 192.0.2.101/24" >>"$T/a.conf"
	kill -HUP "${VR_PID[a]}"
	wait_until 30 grep -q 'SIGHUP: ' "$T/a.log"
	grep -q 'SIGHUP: configuration re-read' "$T/a.log"
	[ "$(vr_json a '.vips | length')" = 2 ]
	# Under memcheck each hook start is a fork of a slowed-down launcher;
	# with the VM suites sharing the cores (make check) that has taken
	# longer than 10 s.  The bound only delays a real failure.
	wait_until 60 lines_matching 3 . "$T/calls" || {
		echo "hook calls:" >&2; cat "$T/calls" >&2
		echo "a's log:" >&2; tail -30 "$T/a.log" >&2
		return 1
	}
	# Then a graceful stop, which runs the STOP hook.
	local rc=0
	kill -TERM "${VR_PID[a]}"
	wait_until 60 sh -c "! kill -0 ${VR_PID[a]} 2>/dev/null" || true
	wait "${VR_PID[a]}" || rc=$?
	cat "$T"/vg.*.log >&2
	tap_note "vrrpd under valgrind exited $rc; $(ls "$T"/vg.*.log | wc -l) processes checked"
	[ "$rc" -eq 0 ]
	grep -q ' STOP ' "$T/calls"
	# vrrpd and its launcher each left a log; --quiet logs only errors.
	[ "$(ls "$T"/vg.*.log | wc -l)" -ge 2 ]
	! grep -q . "$T"/vg.*.log
}
