#!/usr/bin/env bats
# hcheck ping, keepalived's PING_CHECK: an echo request and its reply,
# on a ping socket where net.ipv4.ping_group_range allows one and on a
# raw socket where it does not; no reply, no route, watch, bad values.
# Targets: the web namespace's own addresses, and the black hole with
# its firewall told to drop ICMP too.

bats_require_minimum_version 1.5.0

load lib/common
load lib/net
load fixtures/hcheck/web

setup_file() {
	web_setup
	nsx hole nft add chain inet hole pings
	nsx hole nft add rule inet hole in meta l4proto '{ icmp, ipv6-icmp }' jump pings
}
teardown_file() { web_teardown; }
teardown() {
	bg_cleanup
	nsx hole nft flush chain inet hole pings
	nsx web sysctl -qw net.ipv4.ping_group_range="1 0"
}

@test "an echo reply is OK, on a raw socket when ping sockets are not allowed" {
	[ "$(nsx web sysctl -n net.ipv4.ping_group_range | tr -s ' \t' ' ')" = "1 0" ]
	run w hcheck ping 192.0.2.10
	[ "$status" -eq 0 ]
	[[ $output =~ ^"PING OK: a reply in "[0-9.]+" ms | time="[0-9.]+"s;;;0"$ ]]
	run w hcheck ping 2001:db8::10
	[ "$status" -eq 0 ]
	run w hcheck ping 198.51.100.99
	[ "$status" -eq 0 ]
}

@test "an echo reply is OK on a ping socket, where the group range allows one" {
	nsx web sysctl -qw net.ipv4.ping_group_range="0 2147483647"
	# (LeakSanitizer cannot run under ptrace: off for this one run.)
	run w env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
		strace -f -e trace=socket hcheck ping 198.51.100.99
	[ "$status" -eq 0 ]
	[[ $output == *"SOCK_DGRAM"*"IPPROTO_ICMP"* ]]
	[[ $output == *"PING OK: a reply in "* ]]
	run w hcheck ping 2001:db8::10
	[ "$status" -eq 0 ]
}

@test "no reply is CRITICAL after the timeout; no route at once" {
	nsx hole nft add rule inet hole pings drop
	run w hcheck ping 198.51.100.99 -t 0.3
	[ "$status" -eq 2 ]
	[ "$output" = "PING CRITICAL: no reply in 0.3 s" ]
	nsx web sysctl -qw net.ipv4.ping_group_range="0 2147483647"
	run w hcheck ping 198.51.100.99 -t 0.3 --retry 1 --delay-before-retry 0.1
	[ "$status" -eq 2 ]
	[ "$output" = "PING CRITICAL: no reply in 0.3 s (after 2 attempts)" ]
	run w hcheck ping 203.0.113.9 -t 5
	[ "$status" -eq 2 ]
	[ "$output" = "PING CRITICAL: no route to host" ]
}

@test "replies from elsewhere and to other probes do not count: one file, three targets" {
	nsx hole nft add rule inet hole pings drop
	printf '%s\n' "ping 192.0.2.10 --name a" "ping 198.51.100.99 -t 0.3 --name b" \
		"ping 2001:db8::10 --name c" > "$BATS_TEST_TMPDIR/list"
	run w hcheck -f "$BATS_TEST_TMPDIR/list" --json
	[ "$status" -eq 2 ]
	[[ ${lines[0]} == '{"label":"a","check":"ping","target":"192.0.2.10","state":"OK",'* ]]
	[[ ${lines[1]} == '{"label":"b","check":"ping","target":"198.51.100.99","state":"CRITICAL","code":2,"reason":"no reply in 0.3 s",'* ]]
	[[ ${lines[2]} == '{"label":"c",'*'"state":"OK",'* ]]
}

@test "watch: a host that stops answering goes DOWN, and UP when back" {
	echo "ping 198.51.100.99 -t 0.2 --retry 0 --name rs1" > "$BATS_TEST_TMPDIR/list"
	out=$BATS_TEST_TMPDIR/watch.out
	bg ip netns exec "$(ns web)" hcheck watch -f "$BATS_TEST_TMPDIR/list" --interval 0.2 \
		--initial down > "$out"
	wait_until 5 grep -qx "UP rs1" "$out"
	nsx hole nft add rule inet hole pings drop
	wait_until 5 grep -qx "DOWN rs1 no reply in 0.2 s" "$out"
	nsx hole nft flush chain inet hole pings
	ups() { [ "$(grep -cx 'UP rs1' "$out")" -eq 2 ]; }
	wait_until 5 ups
}

@test "ping words and options that do not fit exit 3 naming them" {
	refused hcheck ping "ping needs a target ADDR"
	refused hcheck ping 192.0.2.10:80 "ping: '192.0.2.10:80' is not an IPv4 or IPv6 address (ping takes an address, no port)"
	refused hcheck ping 192.0.2.10 /x "ping takes no PATH ('/x')"
	refused hcheck ping 192.0.2.10 --payload 00 "--payload applies to udp only"
	refused hcheck ping 192.0.2.10 --status 200 "--status applies to http and https, not ping"
	refused hcheck ping 192.0.2.10 -t 0 "--timeout: '0'"
}
