#!/usr/bin/env bats
# vrrpd's command line and --config files: every bad input, the exit
# codes, -n, -h, daemon mode.

load lib/common
load lib/net
load fixtures/vrrpd/helpers

bats_require_minimum_version 1.5.0

setup() {
	net_init
	net_switch
	net_host a 192.0.2.1/24 2001:db8::1/64
	T=$(scratch)
	printf '#!/bin/sh\n' >"$T/hook"
	chmod +x "$T/hook"
	printf '#!/bin/sh\n' >"$T/noexec"
	printf 'pw\n' >"$T/pass"
	chmod 600 "$T/pass"
}

teardown() {
	net_cleanup
}

# vr_bad WANT ARGS...: vrrpd ARGS in host a exits 2 with a one-line
# message containing WANT, and records it in the catalogue.
vr_bad() {
	local want=$1
	shift
	run nsx a vrrpd "$@"
	catalogue vrrpd "$@"
	if [ "$status" -ne 2 ] || [[ "${lines[0]}" != "vrrpd: "*"$want"* ]]; then
		echo "vrrpd $*: exit $status, wanted 2 and '$want':" >&2
		printf '%s\n' "$output" >&2
		return 1
	fi
}

@test "-h prints the man page's synopsis on stdout and exits 0" {
	run --separate-stderr vrrpd -h
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "${lines[0]}" == "usage: vrrpd [-i IFACE] --vrid 1-255"* ]]
	# The same words as the SYNOPSIS of vrrpd.8.
	local man usage
	man=$(MANWIDTH=200 man -l "$HK_TOP/vrrpd/vrrpd.8" 2>/dev/null |
		sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \n' ' ' | sed 's/^ //;s/ $//')
	usage=$(vrrpd -h | sed 's/^usage: //' | tr -s ' \n' ' ' | sed 's/^ //;s/ $//')
	[ "$man" = "$usage" ]
}

@test "an unknown option prints the usage on stderr and exits 2" {
	run --separate-stderr vrrpd --frobnicate
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == "vrrpd: unknown option '--frobnicate'"* ]]
	[[ "$stderr" == *"usage: vrrpd"* ]]
	# Again with both streams in $lines, for the catalogue's answer.
	run vrrpd --frobnicate
	catalogue vrrpd --frobnicate
	[ "${lines[0]}" = "vrrpd: unknown option '--frobnicate'" ]
	run vrrpd --vrid
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == "vrrpd: this option needs a value: '--vrid'" ]]
	catalogue vrrpd --vrid
	run vrrpd --vrid 1 stray
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == "vrrpd: unexpected argument 'stray'" ]]
	catalogue vrrpd --vrid 1 stray
}

@test "required options are named when missing" {
	vr_bad "--vrid is required (1-255)" --vip 192.0.2.100
	vr_bad "at least one --vip is required" --vrid 5
}

@test "numbers out of range or malformed are refused, naming the value" {
	vr_bad "--vrid: '0' is out of range 1-255" --vrid 0 --vip 192.0.2.100
	vr_bad "--vrid: '256' is out of range 1-255" --vrid 256 --vip 192.0.2.100
	vr_bad "--vrid: 'five' is not a whole number" --vrid five --vip 192.0.2.100
	vr_bad "--priority: '0' is out of range 1-255" --vrid 5 --vip 192.0.2.100 --priority 0
	vr_bad "--priority: '-1' is not a whole number" --vrid 5 --vip 192.0.2.100 --priority -1
	vr_bad "--version: '4' is out of range 2-3" --vrid 5 --vip 192.0.2.100 --version 4
	vr_bad "--preempt-delay: '1001' is out of range 0-1000 seconds" --vrid 5 --vip 192.0.2.100 --preempt-delay 1001
	vr_bad "--garp-repeat: '101' is out of range 0-100" --vrid 5 --vip 192.0.2.100 --garp-repeat 101
	vr_bad "--garp-delay: 'soon' is not a number of seconds" --vrid 5 --vip 192.0.2.100 --garp-delay soon
	vr_bad "--garp-refresh: '86401' is out of range 0-86400 seconds" --vrid 5 --vip 192.0.2.100 --garp-refresh 86401
	vr_bad "--hook-timeout: '0' is out of range 0.01-3600 seconds" --vrid 5 --vip 192.0.2.100 --hook-timeout 0
	vr_bad "--state: 'primary' is neither backup nor master" --vrid 5 --vip 192.0.2.100 --state primary
	vr_bad "--rt-priority: '0' is out of range 1-99" --vrid 5 --vip 192.0.2.100 --rt-priority 0
	vr_bad "--rt-priority: '100' is out of range 1-99" --vrid 5 --vip 192.0.2.100 --rt-priority 100
	vr_bad "--nice: '-21' is out of range -20..19" --vrid 5 --vip 192.0.2.100 --nice -21
	vr_bad "--nice: '20' is out of range -20..19" --vrid 5 --vip 192.0.2.100 --nice 20
	vr_bad "--rlimit-rttime: '0.0001' is out of range 0.001-60 seconds" --vrid 5 --vip 192.0.2.100 \
		--rt-priority 10 --rlimit-rttime 0.0001
	vr_bad "--rlimit-rttime limits real-time scheduling: it needs --rt-priority" --vrid 5 \
		--vip 192.0.2.100 --rlimit-rttime 0.02
	vr_bad "--cpu-affinity: 'one' is not a list of CPUs (0,2 or 0-3)" --vrid 5 --vip 192.0.2.100 \
		--cpu-affinity one
	vr_bad "--cpu-affinity: '4095': CPUs are numbered 0-1023, low to high" --vrid 5 \
		--vip 192.0.2.100 --cpu-affinity 4095
	vr_bad "--cpu-affinity: there is no CPU $(nproc --all) here (CPUs 0-$(($(nproc --all) - 1)))" \
		--vrid 5 --vip 192.0.2.100 --cpu-affinity "$(nproc --all)"
}

@test "advertisement intervals must fit the version" {
	vr_bad "--advert-int: '0' is out of range 0.01-255 seconds" --vrid 5 --vip 192.0.2.100 --advert-int 0
	vr_bad "--advert-int '0.5': VRRPv2 intervals are whole seconds 1-255 (fractions need --version 3)" \
		--vrid 5 --vip 192.0.2.100 --advert-int 0.5
	vr_bad "--advert-int '0.015': VRRPv3 intervals are hundredths of a second, 0.01-40.95" \
		--vrid 5 --vip 192.0.2.100 --version 3 --advert-int 0.015
	vr_bad "--advert-int '41': VRRPv3 intervals are hundredths of a second, 0.01-40.95" \
		--vrid 5 --vip 192.0.2.100 --version 3 --advert-int 41
	vr_bad "--advert-int: '0.001' is out of range 0.01-255 seconds" --vrid 5 --vip 192.0.2.100 \
		--version 3 --advert-int 0.001
	vr_bad "--version 2 is IPv4 only; IPv6 needs VRRPv3" --vrid 5 --vip 2001:db8::100 --version 2
}

@test "bad virtual addresses are refused, naming the bad part" {
	vr_bad "--vip: '300.1.1.1' is not an IPv4 or IPv6 address" --vrid 5 --vip 300.1.1.1
	vr_bad "--vip: '192.0.2.100/33': prefix length '33' must be 0-32" --vrid 5 --vip 192.0.2.100/33
	vr_bad "--vip: '224.0.0.5' cannot be a virtual address" --vrid 5 --vip 224.0.0.5
	vr_bad "--vip: unknown word 'brd' in '192.0.2.100 brd 192.0.2.255'" --vrid 5 --vip '192.0.2.100 brd 192.0.2.255'
	vr_bad "--vip: 'dev' needs a value in '192.0.2.100 dev'" --vrid 5 --vip '192.0.2.100 dev'
	vr_bad "--vip 192.0.2.100: unknown interface 'eth9'" --vrid 5 --vip '192.0.2.100 dev eth9'
	vr_bad "--vip 192.0.2.100: label 'lo:1' must start with the interface name 'eth0'" \
		--vrid 5 --vip '192.0.2.100 label lo:1'
	vr_bad "--vip: '2001:db8::100 label eth0:1': labels exist only for IPv4 addresses" \
		--vrid 5 --vip '2001:db8::100 label eth0:1'
	vr_bad "--vip: '192.0.2.100/24' is given twice" --vrid 5 --vip 192.0.2.100 --vip 192.0.2.100/24
	vr_bad "--interface: unknown interface 'eth9'" --vrid 5 --vip 192.0.2.100 -i eth9
}

@test "addresses of the wrong family or kind are refused" {
	vr_bad "--unicast-peer '2001:db8::2' is not IPv4 like the first --vip" \
		--vrid 5 --vip 192.0.2.100 --unicast-peer 2001:db8::2
	vr_bad "--unicast-src '2001:db8::1' is not IPv4 like the first --vip" \
		--vrid 5 --vip 192.0.2.100 --unicast-src 2001:db8::1
	vr_bad "--unicast-peer: '224.0.0.18' is not a unicast address" \
		--vrid 5 --vip 192.0.2.100 --unicast-peer 224.0.0.18
	vr_bad "--unicast-peer: '192.0.2.2' is given twice" \
		--vrid 5 --vip 192.0.2.100 --unicast-peer 192.0.2.2 --unicast-peer 192.0.2.2
	vr_bad "--mcast-group: '192.0.2.5' is not a multicast address" \
		--vrid 5 --vip 192.0.2.100 --mcast-group 192.0.2.5
	vr_bad "--mcast-group 'ff02::12' is not IPv4 like the first --vip" \
		--vrid 5 --vip 192.0.2.100 --mcast-group ff02::12
	vr_bad "--v3-checksum-as-v2 applies to VRRPv3 over IPv4 only" \
		--vrid 5 --vip 192.0.2.100 --v3-checksum-as-v2
}

@test "the password file must exist and hold 1 to 8 bytes, for VRRPv2 only" {
	vr_bad "--auth-pass-file: cannot open '/nonexistent/pass': No such file or directory" \
		--vrid 5 --vip 192.0.2.100 --auth-pass-file /nonexistent/pass
	printf 'ninechars\n' >"$T/long"
	chmod 600 "$T/long"
	vr_bad "--auth-pass-file: '$T/long' must hold a password of 1-8 bytes on its first line" \
		--vrid 5 --vip 192.0.2.100 --auth-pass-file "$T/long"
	: >"$T/empty"
	chmod 600 "$T/empty"
	vr_bad "must hold a password of 1-8 bytes" --vrid 5 --vip 192.0.2.100 --auth-pass-file "$T/empty"
	vr_bad "--auth-pass-file: VRRPv3 has no authentication (RFC 5798); it needs --version 2" \
		--vrid 5 --vip 192.0.2.100 --version 3 --auth-pass-file "$T/pass"
	# Never the password itself on the command line or in -n.
	run nsx a vrrpd --vrid 5 --vip 192.0.2.100 --auth-pass-file "$T/pass" -n
	[ "$status" -eq 0 ]
	grep -qx "auth-pass-file $T/pass" <<<"$output"
	! grep -v '^auth-pass-file ' <<<"$output" | grep -q pw
}

@test "a password file others may read, or root does not own, is refused" {
	chmod 640 "$T/pass"
	vr_bad "--auth-pass-file: '$T/pass' has mode 0640: others than its owner may use it (chmod 600)" \
		--vrid 5 --vip 192.0.2.100 --auth-pass-file "$T/pass"
	chmod 600 "$T/pass"
	chown 65534 "$T/pass"
	vr_bad "--auth-pass-file: '$T/pass' belongs to uid 65534, not root" \
		--vrid 5 --vip 192.0.2.100 --auth-pass-file "$T/pass"
	vr_bad "--auth-pass-file: '$T' is not a regular file" \
		--vrid 5 --vip 192.0.2.100 --auth-pass-file "$T"
}

@test "hooks must exist and be executable at start-up" {
	vr_bad "--notify: '/nonexistent/hook': No such file or directory" \
		--vrid 5 --vip 192.0.2.100 --notify /nonexistent/hook
	vr_bad "--notify-master: '$T/noexec' is not executable" \
		--vrid 5 --vip 192.0.2.100 --notify-master "$T/noexec arg"
	vr_bad "--notify-backup: 'no-such-program-here' is not found in PATH" \
		--vrid 5 --vip 192.0.2.100 --notify-backup 'no-such-program-here x'
	vr_bad "--notify-fault: '$T' is not a regular file" \
		--vrid 5 --vip 192.0.2.100 --notify-fault "$T"
	vr_bad "--notify-stop: '\"$T/hook' has an unterminated double quote" \
		--vrid 5 --vip 192.0.2.100 --notify-stop "\"$T/hook"
	vr_bad "--notify: '   ' is not a command" --vrid 5 --vip 192.0.2.100 --notify '   '
	# A name without a slash is looked up in PATH.
	run nsx a vrrpd --vrid 5 --vip 192.0.2.100 --notify-master 'true now' --allow-root-scripts -n
	[ "$status" -eq 0 ]
	grep -qx 'notify-master true now' <<<"$output"
}

@test "names and file paths are checked" {
	vr_bad "--name: 'a/b' is not a name" --vrid 5 --vip 192.0.2.100 --name a/b
	vr_bad "--state-file: directory '/nonexistent/dir' does not exist" \
		--vrid 5 --vip 192.0.2.100 --state-file /nonexistent/dir/state
	vr_bad "--dump-file: directory '/nonexistent/dir' does not exist" \
		--vrid 5 --vip 192.0.2.100 --dump-file /nonexistent/dir/x.json
	vr_bad "--config: cannot open '/nonexistent/vrrpd.conf': No such file or directory" \
		--config /nonexistent/vrrpd.conf
}

@test "files read or written after start-up must be named by absolute paths" {
	# A daemon works from /: a relative name would mean another file by then.
	vr_bad "--state-file: 'vi.state' is not an absolute path" --vrid 5 --vip 192.0.2.100 --state-file vi.state
	vr_bad "--dump-file: 'vi.json' is not an absolute path" --vrid 5 --vip 192.0.2.100 --dump-file vi.json
	vr_bad "--auth-pass-file: 'pass' is not an absolute path" --vrid 5 --vip 192.0.2.100 --auth-pass-file pass
	vr_bad "--state-file: empty path" --vrid 5 --vip 192.0.2.100 --state-file ''
}

@test "-n prints every setting, and --config reads it back to the same instance" {
	run nsx a vrrpd --vrid 51 --vip '192.0.2.100/24 dev eth0 label eth0:1' --vip 2001:db8::100 \
		--priority 120 --version 3 --advert-int 0.05 --no-preempt --preempt-delay 2.5 \
		--unicast-src 192.0.2.1 --unicast-peer 192.0.2.2 --unicast-peer 192.0.2.3 \
		--notify "$T/hook a \"b c\"" --notify-master "$T/hook master" --hook-timeout 4 \
		--garp-delay 0 --garp-repeat 2 --garp-refresh 60 --name VI_1 --state master \
		--state-file "$T/state" --dump-file "$T/dump.json" --v3-checksum-as-v2 \
		--allow-root-scripts --rt-priority 20 --rlimit-rttime 0.05 --nice -5 --mlock \
		--cpu-affinity 0 -n
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat <<-EOF
		# vrrpd instance VI_1
		name VI_1
		interface eth0
		vrid 51
		version 3
		priority 120
		advert-int 0.05
		state master
		no-preempt
		preempt-delay 2.5
		vip 192.0.2.100/24 dev eth0 label eth0:1
		vip 2001:db8::100/128 dev eth0
		unicast-src 192.0.2.1
		unicast-peer 192.0.2.2
		unicast-peer 192.0.2.3
		mcast-group 224.0.0.18
		v3-checksum-as-v2
		garp-delay 0
		garp-repeat 2
		garp-refresh 60
		notify $T/hook a "b c"
		notify-master $T/hook master
		hook-timeout 4
		accept
		allow-root-scripts
		rt-priority 20
		rlimit-rttime 0.05
		nice -5
		mlock
		cpu-affinity 0
		state-file $T/state
		dump-file $T/dump.json
		EOF
	)" ]
	printf '%s\n' "$output" >"$T/conf"
	run nsx a vrrpd --config "$T/conf" -n
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$T/conf")" ]
}

@test "--config lines count where --config stands on the command line" {
	printf 'vrid 51\nvip 192.0.2.100\npriority 120\n' >"$T/conf"
	run nsx a vrrpd --priority 50 --config "$T/conf" -n
	grep -qx 'priority 120' <<<"$output"
	run nsx a vrrpd --config "$T/conf" --priority 50 --vip 192.0.2.101 -n
	grep -qx 'priority 50' <<<"$output"
	[ "$(grep -c '^vip ' <<<"$output")" = 2 ]
}

@test "a bad --config line is reported with its file and line number" {
	printf 'vrid 51\n# fine\n\nvip 192.0.2.100\npriority 300\n' >"$T/c1"
	vr_bad "$T/c1:5: priority: '300' is out of range 1-255" --config "$T/c1"
	printf 'vrid 51\n--vip 192.0.2.100\n' >"$T/c2"
	vr_bad "$T/c2:2: unknown option '--vip'" --config "$T/c2"
	printf 'vrid 51\nno-preempt yes\n' >"$T/c3"
	vr_bad "$T/c3:2: no-preempt: takes no value (got 'yes')" --config "$T/c3"
	printf 'config %s\n' "$T/c1" >"$T/c4"
	vr_bad "$T/c4:1: config files do not nest" --config "$T/c4"
	printf 'vip\n' >"$T/c5"
	vr_bad "$T/c5:1: vip: needs a value" --config "$T/c5"
}

@test "without the right to open a raw socket it exits 1 having changed nothing" {
	run nsx a setpriv --bounding-set -net_raw vrrpd -f --vrid 5 --vip 192.0.2.100
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot open a raw socket: Operation not permitted"* ]]
	! net_has a 192.0.2.100
}

@test "without -f it detaches, and SIGTERM still resigns and removes the VIP" {
	local name=d$$ pid
	run nsx a vrrpd --name $name --vrid 5 --vip 192.0.2.100/24 --priority 255 \
		--state-file "$T/state"
	[ "$status" -eq 0 ]
	wait_until 5 grep -q "$name MASTER 255" "$T/state"
	wait_until 3 net_has a 192.0.2.100
	pid=$(pgrep -f -- "--name $name ")
	[ -n "$pid" ]
	kill -HUP "$pid"
	sleep 0.2
	kill -0 "$pid"
	kill -TERM "$pid"
	wait_until 5 sh -c "! kill -0 $pid 2>/dev/null"
	grep -q "$name STOP 255" "$T/state"
	! net_has a 192.0.2.100
}

@test "bad tracking, sync group and script options are refused, naming the bad value" {
	vr_bad "--track-weight: applies to a --track-script: give one before --track-weight" \
		--vrid 5 --vip 192.0.2.100 --track-weight -10
	vr_bad "--track-weight: '-300' is out of range -253..253" \
		--vrid 5 --vip 192.0.2.100 --track-script "$T/hook" --track-weight -300
	vr_bad "--track-rise: '0' is out of range 1-1000" \
		--vrid 5 --vip 192.0.2.100 --track-script "$T/hook" --track-rise 0
	vr_bad "--track-fall: 'often' is not a whole number" \
		--vrid 5 --vip 192.0.2.100 --track-script "$T/hook" --track-fall often
	vr_bad "--track-timeout: '0' is out of range 0.001-86400 seconds" \
		--vrid 5 --vip 192.0.2.100 --track-script "$T/hook" --track-timeout 0
	vr_bad "--track-interval: '0.001'" \
		--vrid 5 --vip 192.0.2.100 --track-script "$T/hook" --track-interval 0.001
	vr_bad "--track-script: '/nonexistent/check': No such file or directory" \
		--vrid 5 --vip 192.0.2.100 --track-script /nonexistent/check --allow-root-scripts
	vr_bad "--track-file: 'nginx.txt' is not an absolute path" \
		--vrid 5 --vip 192.0.2.100 --track-file nginx.txt:-10
	vr_bad "--track-file: directory '/nonexistent' does not exist" \
		--vrid 5 --vip 192.0.2.100 --track-file /nonexistent/nginx.txt
	vr_bad "--track-file: '300' is out of range -254..254" \
		--vrid 5 --vip 192.0.2.100 --track-file /tmp/x:300
	vr_bad "--track-interface: unknown interface 'eth9'" \
		--vrid 5 --vip 192.0.2.100 --track-interface eth9
	vr_bad "--sync-group: '../x' is not a group name" \
		--vrid 5 --vip 192.0.2.100 --sync-group ../x
	vr_bad "--sync-dir: 'run/sync' is not an absolute path" \
		--vrid 5 --vip 192.0.2.100 --sync-group G --sync-dir run/sync
	vr_bad "--group-notify needs --sync-group" \
		--vrid 5 --vip 192.0.2.100 --group-notify "$T/hook" --allow-root-scripts
	vr_bad "--group-notify: '/nonexistent/hook': No such file or directory" \
		--vrid 5 --vip 192.0.2.100 --sync-group G --group-notify /nonexistent/hook --allow-root-scripts
	vr_bad "--script-user: 'a b' is not a user name" --vrid 5 --vip 192.0.2.100 --script-user 'a b'
	printf 'vrid 5\nvip 192.0.2.100\nvmac yes\n' >"$T/conf"
	vr_bad "$T/conf:3: vmac: takes no value (got 'yes')" --config "$T/conf"
}

@test "--rt-priority, --nice, --mlock and --cpu-affinity tune vrrpd, not the hooks it runs; a reload may not change them" {
	printf '#!/bin/sh\necho "$3 $(chrt -p $$ | head -1 | sed "s/.*: //") nice $(cut -d" " -f19 /proc/$$/stat)" >>%s/calls\n' \
		"$T" >"$T/tuned-hook"
	chmod 755 "$T/tuned-hook"
	printf 'rt-priority 10\nnice -5\nmlock\ncpu-affinity 0\n' >"$T/tune.conf"
	vr_start a a -i eth0 --vrid 5 --vip 192.0.2.100/24 --state master --notify "$T/tuned-hook" \
		--config "$T/tune.conf" "${FAST[@]}"
	vr_wait a MASTER
	local pid=${VR_PID[a]}
	run chrt -p "$pid"
	[[ "${lines[0]}" == *"SCHED_RR|SCHED_RESET_ON_FORK" ]]
	[[ "${lines[1]}" == *": 10" ]]
	[ "$(cut -d' ' -f19 "/proc/$pid/stat")" = -5 ]
	# RLIMIT_RTTIME: the warning at half of 0.1 s, the end at all of it
	[ "$(prlimit -p "$pid" --rttime -o SOFT,HARD --noheadings | xargs)" = "50000 100000" ]
	# (The sanitizers' runtime makes mlockall a no-op that succeeds.)
	[ -n "${HK_SAN:-}" ] || [ "$(awk '/^VmLck:/ { print $2 }' "/proc/$pid/status")" -gt 0 ]
	[ "$(awk '/^Cpus_allowed_list:/ { print $2 }' "/proc/$pid/status")" = 0 ]
	grep -q 'real-time scheduling, SCHED_RR priority 10' "$T/a.log"
	# The hooks run at normal priority: BACKUP at start, then MASTER.
	wait_until 5 grep -q "^MASTER " "$T/calls" || { cat "$T/calls" "$T/a.log" >&2; false; }
	run cat "$T/calls"
	[ "${lines[0]}" = "BACKUP SCHED_OTHER nice 0" ]
	[ "${lines[1]}" = "MASTER SCHED_OTHER nice 0" ]
	# Set while vrrpd could: a reload that changes them is refused.
	printf 'rt-priority 20\nnice -5\nmlock\ncpu-affinity 0\n' >"$T/tune.conf"
	kill -HUP "$pid"
	wait_until 5 grep -q 'SIGHUP: ' "$T/a.log"
	grep 'SIGHUP: ' "$T/a.log" | grep -q 'process tuning (--rt-priority, --rlimit-rttime, --nice, --mlock, --cpu-affinity)'
	run chrt -p "$pid"
	[[ "${lines[1]}" == *": 10" ]]
}
