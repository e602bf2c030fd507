#!/usr/bin/env bats
# hcheck udp, keepalived's UDP_CHECK: the datagram sent, replies judged
# by pattern and length, no reply (passing unless one is required), an
# ICMP port unreachable, watch mode, and bad values.  Servers are
# tests/tools/udp-echo in the web namespace.

bats_require_minimum_version 1.5.0

load lib/common
load lib/net
load fixtures/hcheck/web

setup_file() { web_setup; }
teardown_file() { web_teardown; }
teardown() { bg_cleanup; }

# udp ADDR PORT MODE [HEX]: a udp-echo in the web namespace, logging
# what it gets to $BATS_TEST_TMPDIR/got.PORT (an empty line first: the
# probe that found it ready).
udp() {
	local target=$1:$2
	[[ $1 == *:* ]] && target=[$1]:$2
	UDP_ECHO_LOG=$BATS_TEST_TMPDIR/got.$2 bg ip netns exec "$(ns web)" udp-echo "$@"
	# Ready once the port no longer answers with ICMP unreachable.
	wait_until 5 nsx web hcheck udp "$target" -t 0.1
}

@test "a reply passes: OK, its size and time as performance data" {
	udp 192.0.2.10 5301 echo
	run w hcheck udp 192.0.2.10:5301 --payload 0102
	[ "$status" -eq 0 ]
	[[ $output =~ ^"UDP OK: a reply of 2 bytes in "[0-9.]+" ms | time="[0-9.]+"s;;;0 size=2B;;;0"$ ]]
}

@test "the payload goes out as one datagram, byte for byte; none is an empty one" {
	udp 192.0.2.10 5302 silent
	run w hcheck udp 192.0.2.10:5302 --payload '48 45 4c 4c 4f 0 ff' -t 0.2
	[ "$status" -eq 0 ]
	run w hcheck udp 192.0.2.10:5302 -t 0.2
	[ "$status" -eq 0 ]
	three() { [ "$(wc -l < "$BATS_TEST_TMPDIR/got.5302")" -eq 3 ]; }
	wait_until 2 three
	[ "$(sed -n 2p "$BATS_TEST_TMPDIR/got.5302")" = 48454c4c4f00ff ]
	[ -z "$(sed -n 3p "$BATS_TEST_TMPDIR/got.5302")" ]
}

@test "no reply passes unless one is required, as keepalived's UDP_CHECK" {
	udp 192.0.2.10 5303 silent
	run w hcheck udp 192.0.2.10:5303 -t 0.3
	[ "$status" -eq 0 ]
	[[ $output == "UDP OK: no reply in 0.3 s, none required | time=0.3"* ]]
	run w hcheck udp 192.0.2.10:5303 -t 0.3 --require-reply
	[ "$status" -eq 2 ]
	[ "$output" = "UDP CRITICAL: no reply in 0.3 s" ]
	run w hcheck udp 192.0.2.10:5303 -t 0.3 --reply 00
	[ "$status" -eq 2 ]
	[ "$output" = "UDP CRITICAL: no reply in 0.3 s" ]
}

@test "a closed port answers with ICMP port unreachable: CRITICAL at once" {
	start=$EPOCHREALTIME
	run w hcheck udp 192.0.2.10:5399 -t 5
	[ "$status" -eq 2 ]
	[ "$output" = "UDP CRITICAL: port unreachable (ICMP)" ]
	# Well before the 5 s timeout.
	[ $(( ${EPOCHREALTIME/./} - ${start/./} )) -lt 3000000 ]
}

@test "--reply: the reply's first bytes must match, x a wildcard nibble" {
	udp 192.0.2.10 5304 reply 48454c4c4f
	run w hcheck udp 192.0.2.10:5304 --reply '48 45 4c'
	[ "$status" -eq 0 ]
	run w hcheck udp 192.0.2.10:5304 --reply 4x4x4c4c4f
	[ "$status" -eq 0 ]
	run w hcheck udp 192.0.2.10:5304 --reply 48454c5c
	[ "$status" -eq 2 ]
	[[ $output == "UDP CRITICAL: a reply of 5 bytes that differs from --reply at byte 4 |"* ]]
	# As keepalived: only as many bytes as both have are compared.
	run w hcheck udp 192.0.2.10:5304 --reply 48454c4c4f2121
	[ "$status" -eq 0 ]
}

@test "--min/--max-reply-length bound a reply checked against --reply" {
	udp 192.0.2.10 5305 reply 48454c4c4f
	run w hcheck udp 192.0.2.10:5305 --reply 48 --max-reply-length 4
	[ "$status" -eq 2 ]
	[[ $output == "UDP CRITICAL: a reply of 5 bytes, outside 0-4 |"* ]]
	run w hcheck udp 192.0.2.10:5305 --reply 48 --min-reply-length 6
	[ "$status" -eq 2 ]
	[[ $output == "UDP CRITICAL: a reply of 5 bytes, outside 6-255 |"* ]]
	run w hcheck udp 192.0.2.10:5305 --reply 48 --min-reply-length 5 --max-reply-length 5
	[ "$status" -eq 0 ]
	# Without a pattern any reply passes, whatever its length (keepalived).
	run w hcheck udp 192.0.2.10:5305 --require-reply --max-reply-length 1
	[ "$status" -eq 0 ]
}

@test "IPv6, --json, and a file of udp targets on one loop" {
	udp 2001:db8::10 5306 echo
	run w hcheck udp '[2001:db8::10]:5306' --payload 00
	[ "$status" -eq 0 ]
	run w hcheck udp 192.0.2.10:5399 --json
	[ "$status" -eq 2 ]
	[[ $output == '{"label":"192.0.2.10:5399","check":"udp","target":"192.0.2.10:5399","state":"CRITICAL","code":2,"reason":"port unreachable (ICMP)",'* ]]
	udp 192.0.2.10 5307 silent
	run w hcheck udp 192.0.2.10:5307 -t 0.2 --json
	[ "$status" -eq 0 ]
	[[ $output == *'"state":"OK"'*'"reply":false'* ]]
	printf '%s\n' "udp [2001:db8::10]:5306 --name a" "udp 192.0.2.10:5399 --name b" \
		"udp 192.0.2.10:5307 -t 0.2 --require-reply --name c" > "$BATS_TEST_TMPDIR/list"
	run w hcheck -f "$BATS_TEST_TMPDIR/list"
	[ "$status" -eq 2 ]
	[[ ${lines[0]} == "a	UDP OK: a reply of 0 bytes in "* ]]
	[ "${lines[1]}" = "b	UDP CRITICAL: port unreachable (ICMP)" ]
	[ "${lines[2]}" = "c	UDP CRITICAL: no reply in 0.2 s" ]
}

@test "watch: a UDP server that stops answering goes DOWN, and UP when back" {
	udp 192.0.2.10 5308 echo
	echo "udp 192.0.2.10:5308 --require-reply -t 0.2 --retry 0 --name dns1" > "$BATS_TEST_TMPDIR/list"
	out=$BATS_TEST_TMPDIR/watch.out
	bg ip netns exec "$(ns web)" hcheck watch -f "$BATS_TEST_TMPDIR/list" --interval 0.2 \
		--initial down > "$out"
	wait_until 5 grep -qx "UP dns1" "$out"
	bg_cleanup
	bg ip netns exec "$(ns web)" hcheck watch -f "$BATS_TEST_TMPDIR/list" --interval 0.2 \
		--initial up > "$out"
	wait_until 5 grep -q "^DOWN dns1 port unreachable (ICMP)" "$out"
	udp 192.0.2.10 5308 echo
	wait_until 5 grep -qx "UP dns1" "$out"
}

@test "udp options and words that do not fit exit 3 naming them" {
	refused hcheck udp 192.0.2.10:53 --payload zz "--payload: 'zz': 'z' at 1 is not a hex digit"
	refused hcheck udp 192.0.2.10:53 --payload 0x01 "--payload: '0x01': 'x' at 2 is not a hex digit"
	refused hcheck udp 192.0.2.10:53 --payload '' "--payload: '' holds no hex digits"
	# (Not in the README's catalogue: the word is 2,050 characters.)
	run w hcheck udp 192.0.2.10:53 --payload "$(printf 'ab%.0s' $(seq 1025))"
	[ "$status" -eq 3 ]
	[ "${lines[0]}" = "hcheck: --payload: 'abababababababababababababababababababab...' is longer than 1024 bytes" ]
	refused hcheck udp 192.0.2.10:53 --reply 1g "--reply: '1g': 'g' at 2 is not a hex digit or x"
	refused hcheck udp 192.0.2.10:53 --min-reply-length 70000 "--min-reply-length: '70000'"
	refused hcheck udp 192.0.2.10:53 --max-reply-length -1 "--max-reply-length: '-1'"
	refused hcheck udp 192.0.2.10:53 --min-reply-length 9 --max-reply-length 3 \
		"--min-reply-length 9 is above --max-reply-length 3: no reply could match"
	refused hcheck udp 192.0.2.10:53 /x "udp takes no PATH ('/x')"
	refused hcheck udp 192.0.2.10:53 --status 200 "--status applies to http and https, not udp"
	refused hcheck udp 192.0.2.10:53 --sni www.example.test "--sni applies to https only"
	refused hcheck tcp 192.0.2.10:53 --payload 00 "--payload applies to udp only"
	refused hcheck http 192.0.2.10:80 --require-reply "--require-reply applies to udp only"
	refused hcheck udp 192.0.2.10 "'192.0.2.10'"
}
