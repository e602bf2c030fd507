#!/usr/bin/env bats
# hcheck dns, keepalived's DNS_CHECK: the query on the wire, a response
# with the query's ID and no error code passes, an error code fails,
# what is not the answer (another ID, no QR bit) is waited past, and bad
# values.  Servers are tests/tools/udp-echo's DNS modes in the web
# namespace.

bats_require_minimum_version 1.5.0

load lib/common
load lib/net
load fixtures/hcheck/web

setup_file() { web_setup; }
teardown_file() { web_teardown; }
teardown() { bg_cleanup; }

# dnsd PORT MODE [RCODE]: a DNS responder on 192.0.2.10, logging each
# query in hex to $BATS_TEST_TMPDIR/got.PORT.
dnsd() {
	local port=$1
	shift
	UDP_ECHO_LOG=$BATS_TEST_TMPDIR/got.$port bg ip netns exec "$(ns web)" \
		udp-echo 192.0.2.10 "$port" "$@"
	wait_until 5 nsx web hcheck udp "192.0.2.10:$port" -t 0.1
}

@test "a NOERROR response is OK; the query is keepalived's (SOA of '.', recursion desired)" {
	dnsd 5401 dns 0
	run w hcheck dns 192.0.2.10:5401
	[ "$status" -eq 0 ]
	[[ $output =~ ^"DNS OK: NOERROR, 17 bytes in "[0-9.]+" ms | time="[0-9.]+"s;;;0 size=17B;;;0"$ ]]
	# ID (any), flags RD, one question: the root, type SOA (6), class IN.
	got=$(tail -1 "$BATS_TEST_TMPDIR/got.5401")
	[ "${got:4}" = 010000010000000000000000060001 ]
}

@test "--dns-type and --dns-name shape the question; each attempt has its own ID" {
	dnsd 5402 dns 0
	run w hcheck dns 192.0.2.10:5402 --dns-type aaaa --dns-name www.example.test.
	[ "$status" -eq 0 ]
	run w hcheck dns 192.0.2.10:5402 --dns-type MX --dns-name example.test
	[ "$status" -eq 0 ]
	a=$(tail -2 "$BATS_TEST_TMPDIR/got.5402" | head -1)
	b=$(tail -1 "$BATS_TEST_TMPDIR/got.5402")
	[ "${a:4}" = 0100000100000000000003777777076578616d706c65047465737400001c0001 ]
	[ "${b:4}" = 01000001000000000000076578616d706c65047465737400000f0001 ]
	[ "${a:0:4}" != "${b:0:4}" ]
}

@test "an error code is CRITICAL, named" {
	dnsd 5403 dns 3
	run w hcheck dns 192.0.2.10:5403 --dns-name nowhere.test --dns-type A
	[ "$status" -eq 2 ]
	[[ $output == "DNS CRITICAL: response code 3 (NXDOMAIN) | time="* ]]
	dnsd 5404 dns 2
	run w hcheck dns 192.0.2.10:5404 --json
	[ "$status" -eq 2 ]
	[[ $output == *'"reason":"response code 2 (SERVFAIL)"'*'"rcode":2,'* ]]
}

@test "a response with another ID is waited past; a message that is no response is no answer" {
	dnsd 5405 dns-late
	run w hcheck dns 192.0.2.10:5405 -t 1
	[ "$status" -eq 0 ]
	dnsd 5406 dns-noqr
	run w hcheck dns 192.0.2.10:5406 -t 0.3
	[ "$status" -eq 2 ]
	[ "$output" = "DNS CRITICAL: no reply in 0.3 s" ]
}

@test "no server: ICMP port unreachable, CRITICAL at once" {
	run w hcheck dns 192.0.2.10:5499 -t 5
	[ "$status" -eq 2 ]
	[ "$output" = "DNS CRITICAL: port unreachable (ICMP)" ]
}

@test "dns options and words that do not fit exit 3 naming them" {
	refused hcheck dns 192.0.2.10:53 --dns-type PTR "--dns-type: 'PTR' is not A, NS, CNAME, SOA, MX, TXT, AAAA, RRSIG or DNSKEY"
	refused hcheck dns 192.0.2.10:53 --dns-name a..b "--dns-name: 'a..b' has an empty label"
	refused hcheck dns 192.0.2.10:53 --dns-name .a "--dns-name: '.a' has an empty label"
	refused hcheck dns 192.0.2.10:53 --dns-name "$(printf 'a%.0s' $(seq 64)).test" \
		"--dns-name: '$(printf 'a%.0s' $(seq 64)).test' has a label longer than 63 characters"
	refused hcheck dns 192.0.2.10:53 --dns-name "a b" "--dns-name: 'a b' holds a blank"
	refused hcheck dns 192.0.2.10 "'192.0.2.10' has no port"
	refused hcheck udp 192.0.2.10:53 --dns-type A "--dns-type applies to dns only"
	refused hcheck dns 192.0.2.10:53 --payload 00 "--payload applies to udp only"
}
