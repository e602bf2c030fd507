#!/usr/bin/env bats
# ipvsctl's command-line contract, on the host: usage, exit codes and
# every bad input refused (exit 2) before the kernel is asked anything.
# What needs IPVS itself runs in the VM: tests/vm/ipvsctl*.bats.

bats_require_minimum_version 1.5.0

load lib/common

# each_refused "ARGS|MESSAGE"...: ipvsctl ARGS exits 2 with a message
# containing MESSAGE, for every case.
each_refused() {
	local c args want
	for c in "$@"; do
		args=${c%%|*}
		want=${c#*|}
		# shellcheck disable=SC2086
		run ipvsctl $args
		# For the README's bad-input catalogue, where the harness has it.
		# shellcheck disable=SC2086
		if type catalogue >/dev/null 2>&1; then catalogue ipvsctl $args; fi
		[ "$status" -eq 2 ] || { echo "exit $status for: $args"; return 1; }
		[[ "$output" == "ipvsctl: "*"$want"* ]] || { echo "for '$args': $output"; return 1; }
	done
}

@test "-h prints the usage to stdout and exits 0" {
	run --separate-stderr ipvsctl -h
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]}" = "usage: ipvsctl [--idempotent] add service SERVICE [sched NAME] [flags FLAG,...]" ]
	[[ "$output" == *"SERVICE := tcp|udp|sctp ADDR[:PORT] | fwmark N [ipv6]"* ]]
}

@test "a bad option prints the usage to stderr and exits 2" {
	run --separate-stderr ipvsctl --frobnicate list
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"usage: ipvsctl"* ]]
}

@test "no command, or an unknown one, exits 2" {
	run ipvsctl
	[ "$status" -eq 2 ]
	run --separate-stderr ipvsctl frobnicate
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" == "ipvsctl: unknown command 'frobnicate'" ]]
}

@test "every bad service given on the command line is refused with exit 2, naming it" {
	local -a cases=(
		"add service icmp 192.0.2.1:80|unknown service kind 'icmp'"
		"add service tcp 300.0.2.1:80|'300.0.2.1' is not an IPv4 address"
		"add service tcp 192.0.2.1:70000|'70000' is out of range 0-65535"
		"add service tcp 192.0.2.1|port 0 is only allowed for a persistent service"
		"add service tcp [2001:db8::1:80|lacks its closing ']'"
		"add service fwmark 0|'0' is out of range 1-4294967295"
		"add service fwmark|fwmark needs a value"
		"add service tcp 192.0.2.1:80 sched fastest|unknown scheduler 'fastest'"
		"add service tcp 192.0.2.1:80 persistent 0|'0' is out of range 1-2678400"
		"add service tcp 192.0.2.1:80 persistent netmask 255.0.0.256|netmask '255.0.0.256'"
		"add service tcp [2001:db8::1]:80 persistent netmask 129|'129' is out of range 1-128"
		"add service tcp 192.0.2.1:80 flags sh-port|needs scheduler sh, not wlc"
		"add service tcp 192.0.2.1:80 ops|only for UDP and fwmark services"
		"add service tcp 192.0.2.1:80 pe sip|needs persistence"
		"add service tcp 192.0.2.1:80 colour red|unknown service option 'colour'"
		"del service tcp 192.0.2.1:80 sched rr|unexpected 'sched'"
		"add widget tcp 192.0.2.1:80|add what: 'widget' (service or dest)"
	)
	each_refused "${cases[@]}"
}

@test "every bad destination given on the command line is refused with exit 2, naming it" {
	local -a cases=(
		"add dest tcp 192.0.2.1:80|no destination given"
		"add dest tcp 192.0.2.1:80 198.51.100.1 mode fast|unknown mode 'fast'"
		"add dest tcp 192.0.2.1:80 198.51.100.1 weight 65536|'65536' is out of range 0-65535"
		"add dest tcp 192.0.2.1:80 198.51.100.1 weight|weight needs a value"
		"add dest tcp 192.0.2.1:80 198.51.100.1 uthreshold 1 lthreshold 2|lower threshold 2 is above the upper threshold 1"
		"add dest tcp 192.0.2.1:80 224.0.0.1|not a unicast address"
		"add dest tcp 192.0.2.1:80 2001:db8::1|address family (only tunnels may be)"
		"add dest tcp 192.0.2.1:80 198.51.100.1 tun-type gue|need the tunnel mode"
		"add dest tcp 192.0.2.1:80 198.51.100.1 mode tun tun-type gue|needs a tunnel port"
		"set dest tcp 192.0.2.1:80 198.51.100.1|set dest: nothing to change"
		"set service tcp 192.0.2.1:80|set service: nothing to change"
		"del dest tcp 192.0.2.1:80 198.51.100.1 weight 2|unexpected 'weight'"
	)
	each_refused "${cases[@]}"
}

@test "options a command does not take are refused with exit 2" {
	run ipvsctl save --all
	[ "$status" -eq 2 ]
	[ "$output" = "ipvsctl: save does not take --all" ]
	run ipvsctl --idempotent set dest tcp 192.0.2.1:80 198.51.100.1 weight 1
	[ "$status" -eq 2 ]
	[ "$output" = "ipvsctl: set does not take --idempotent" ]
	run ipvsctl list --stats --rate
	[ "$status" -eq 2 ]
	[[ "$output" == *"different views; give one"* ]]
	run ipvsctl flush extra
	[ "$status" -eq 2 ]
	[ "$output" = "ipvsctl: unexpected 'extra'" ]
}

@test "restore refuses a bad line with its line number and exit 2, before reading the table" {
	local f
	f=$(scratch)/rules
	printf -- '-A -t 192.0.2.1:80 -s wrr\n\n# comment\n-a -t 192.0.2.1:80 -r 198.51.100.1 -w 2 -q\n' >"$f"
	run ipvsctl restore "$f"
	[ "$status" -eq 2 ]
	[ "$output" = "ipvsctl: $f: line 4: unknown option '-q'" ]
	run ipvsctl restore - <<<"-A -t 192.0.2.1:80 -s"
	[ "$status" -eq 2 ]
	[ "$output" = "ipvsctl: stdin: line 1: option '-s' needs a value" ]
}

@test "restore refuses a line longer than 1022 bytes, naming its line" {
	local f
	f=$(scratch)/long
	{ echo "-A -t 192.0.2.1:80"; printf -- '-A -t 192.0.2.2:80 %01100d\n' 0; } >"$f"
	run ipvsctl restore "$f"
	[ "$status" -eq 2 ]
	[ "$output" = "ipvsctl: $f: line 2: longer than 1022 bytes" ]
}

@test "restore and apply of a missing file exit 2 naming it, and apply needs a file" {
	each_refused "restore /nonexistent/rules|cannot open '/nonexistent/rules': No such file or directory" \
		"apply /nonexistent/rules|cannot open '/nonexistent/rules'" \
		"apply|apply needs one FILE (or - for stdin)"
	run ipvsctl apply
	[ "$output" = "ipvsctl: apply needs one FILE (or - for stdin)" ]
}

@test "apply refuses lines that are not -A or -a before reading the table" {
	run ipvsctl apply - <<<"-D -t 192.0.2.1:80"
	[ "$status" -eq 2 ]
	[ "$output" = "ipvsctl: apply: line 1: apply takes the desired table, -A and -a lines only" ]
}

@test "timeout and sync-daemon refuse bad words with exit 2" {
	local -a cases=(
		"timeout tcp|timeout: tcp needs a value in seconds"
		"timeout tcp 0|tcp: '0' is out of range 1-2678400"
		"timeout tcpfin 1h|tcpfin: '1h' is not a whole number"
		"timeout udp 2678401|udp: '2678401' is out of range 1-2678400"
		"timeout sctp 5|timeout: unknown 'sctp' (tcp, tcpfin or udp)"
		"timeout tcp 5 tcp 6|tcp"
		"sync-daemon|sync-daemon needs start, stop or status"
		"sync-daemon restart master|sync-daemon: unknown 'restart' (start, stop or status)"
		"sync-daemon start|sync-daemon start needs master or backup"
		"sync-daemon stop primary|sync-daemon: 'primary' is neither master nor backup"
		"sync-daemon start master backup|sync-daemon start: unexpected 'backup'"
		"sync-daemon status now|sync-daemon status: unexpected 'now'"
		"sync-daemon start primary --interface lo|sync-daemon: 'primary' is neither master nor backup"
		"sync-daemon start master|sync-daemon start needs --interface IF"
		"sync-daemon start master --interface lo --syncid 256|--syncid: '256' is out of range 0-255"
		"sync-daemon start master --interface a/b|--interface: 'a/b' is not a valid interface name"
		"sync-daemon start master --interface abcdefghijklmnopq|--interface: interface name 'abcdefghijklmnopq' is longer than 15 bytes"
		"sync-daemon start master --interface|option '--interface' requires an argument"
	)
	each_refused "${cases[@]}"
}

@test "--netns with a namespace that does not exist exits 2 naming it" {
	each_refused "--netns hk-no-such-ns list|--netns: no network namespace 'hk-no-such-ns'" \
		"--netns ../etc list|--netns: '../etc' is not a namespace name" \
		"list -N|option requires an argument -- 'N'"
}

@test "an unknown option, no command or a missing object is named before the usage" {
	each_refused "--frobnicate list|unrecognized option '--frobnicate'" \
		"|no command given" \
		"frobnicate|unknown command 'frobnicate'" \
		"add|add needs 'service SERVICE' or 'dest SERVICE RADDR'" \
		"del service|del needs 'service SERVICE' or 'dest SERVICE RADDR'" \
		"set dest|set needs 'service SERVICE' or 'dest SERVICE RADDR'"
	run ipvsctl add
	[[ "${lines[1]}" == "usage: ipvsctl"* ]]
}

@test "every service and destination word that takes a value refuses a bad one, naming it" {
	local -a cases=(
		"add service tcp 192.0.2.1:80 sched|sched needs a value"
		"add service tcp 192.0.2.1:80 flags|flags needs a value"
		"add service tcp 192.0.2.1:80 flags sh-port,frob|unknown scheduler flag 'frob'"
		"add service tcp 192.0.2.1:80 persistent 60 pe frob|unknown persistence engine 'frob'"
		"add service tcp 192.0.2.1:80 persistent 2678401|persistent: '2678401' is out of range 1-2678400"
		"add service tcp 192.0.2.1:80 netmask|netmask needs a value"
		"add service udp 192.0.2.1:53 ops on|unknown service option 'on'"
		"add dest tcp 192.0.2.1:80 198.51.100.1:99999|port '99999' is out of range 0-65535"
		"add dest tcp 192.0.2.1:80 198.51.100.1:www2|unknown port 'www2' (not a number nor a tcp service)"
		"add dest tcp 192.0.2.1:80 198.51.100.1 mode|mode needs a value"
		"add dest tcp 192.0.2.1:80 198.51.100.1 weight -1|weight '-1': no value ipvsctl takes is negative"
		"add dest tcp 192.0.2.1:80 198.51.100.1 uthreshold many|upper threshold: 'many' is not a whole number"
		"add dest tcp 192.0.2.1:80 198.51.100.1 lthreshold -1|lthreshold '-1': no value ipvsctl takes is negative"
		"add dest tcp 192.0.2.1:80 198.51.100.1 mode tun tun-type vxlan|unknown tunnel type 'vxlan' (ipip, gue or gre)"
		"add dest tcp 192.0.2.1:80 198.51.100.1 mode tun tun-type gue tun-port 0|tunnel port: '0' is out of range 1-65535"
		"add dest tcp 192.0.2.1:80 198.51.100.1 mode tun tun-csum some|unknown tun-csum 'some' (nocsum, csum or remcsum)"
		"add dest tcp 192.0.2.1:80 198.51.100.1 colour red|unknown destination option 'colour'"
		"list tcp 300.1.1.1:80|'300.1.1.1' is not an IPv4 address"
		"list icmp 192.0.2.1:80|unknown service kind 'icmp' (tcp, udp, sctp or fwmark)"
		"zero udp|udp needs a value"
		"zero fwmark 4294967296|'4294967296' is out of range 1-4294967295"
		"restore a b|unexpected 'b'"
		"--syncid -1 sync-daemon start master --interface lo|--syncid '-1': no value ipvsctl takes is negative"
	)
	each_refused "${cases[@]}"
}

@test "on a kernel without IPVS a command that needs it exits 1 with a sentence" {
	if [ -d /proc/sys/net/ipv4/vs ] || modinfo ip_vs >/dev/null 2>&1; then
		skip "this kernel has IPVS: tests/vm covers it"
	fi
	run ipvsctl list
	[ "$status" -eq 1 ]
	[ "$output" = "ipvsctl: this kernel has no IPVS (the netlink family IPVS is missing and module ip_vs did not load)" ]
}
