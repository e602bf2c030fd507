#!/usr/bin/env bats
# hcheck against servers that misbehave (badhttpd): every way of going
# wrong is CRITICAL, with its reason, on time, and never a crash.

bats_require_minimum_version 1.5.0

load lib/common
load lib/net
load fixtures/hcheck/web

setup_file() { web_setup; }
teardown_file() { web_teardown; }
teardown() { bg_cleanup; }

@test "a server that accepts and never answers is CRITICAL after --timeout" {
	bad 9301 -s
	elapsed_ms w hcheck http 127.0.0.1:9301 / --timeout 0.5
	[ "$status" -eq 2 ]
	[ "$output" = "HTTP CRITICAL: timeout after 0.5 s waiting for the response" ]
	[ "$ms" -lt 5000 ]
}

@test "a server that trickles a byte at a time still fails when --timeout is up" {
	# 43 bytes at one every 200 ms would take 8.6 s: --timeout bounds
	# the whole probe, not each read.
	bad 9302 -t 200 -f "$(resp 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello')"
	elapsed_ms w hcheck http 127.0.0.1:9302 / --timeout 1
	[ "$status" -eq 2 ]
	[[ $output == "HTTP CRITICAL: timeout after 1 s reading the header ("*" bytes)" ]]
	[ "$ms" -lt 6000 ]
}

@test "a body that trickles is cut at --timeout too, saying how much came" {
	bad 9303 -T 100 -f "$(resp 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n')" -n 100
	run w hcheck http 127.0.0.1:9303 / --timeout 1.5
	[ "$status" -eq 2 ]
	[[ $output =~ ^HTTP\ CRITICAL:\ timeout\ after\ 1\.5\ s\ reading\ the\ body\ \([0-9]+\ of\ 100\ bytes\)$ ]]
}

@test "an answer that is not HTTP is CRITICAL at once, showing what came" {
	bad 9304 -k -f "$(resp 'SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n')"
	elapsed_ms w hcheck http 127.0.0.1:9304 / --timeout 10
	[ "$status" -eq 2 ]
	[ "$output" = "HTTP CRITICAL: not an HTTP response: 'SSH-2.0-OpenSSH_9.2p1 Debian-2\\x0d\\x0a'" ]
	# It did not wait for the 10 s timeout.
	[ "$ms" -lt 5000 ]
}

@test "binary garbage is CRITICAL, never a crash" {
	head -c 4096 /dev/urandom > "$BATS_TEST_TMPDIR/junk"
	bad 9305 -f "$BATS_TEST_TMPDIR/junk"
	run w hcheck http 127.0.0.1:9305 / --timeout 2
	[ "$status" -eq 2 ]
	[[ $output == "HTTP CRITICAL: "* ]]
}

@test "a body cut short is CRITICAL with how much of it came" {
	bad 9306 -f "$(resp 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly this')"
	run w hcheck http 127.0.0.1:9306 /
	[ "$status" -eq 2 ]
	[ "$output" = "HTTP CRITICAL: connection closed after 9 of 1000 body bytes" ]
}

@test "a Content-Length longer than what is sent, on an open connection, times out in the body" {
	bad 9307 -k -f "$(resp 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly this')"
	run w hcheck http 127.0.0.1:9307 / --timeout 0.5
	[ "$status" -eq 2 ]
	[ "$output" = "HTTP CRITICAL: timeout after 0.5 s reading the body (9 of 1000 bytes)" ]
}

@test "a complete answer on a connection left open ends the probe without waiting" {
	bad 9308 -k -f "$(resp 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello')"
	elapsed_ms w hcheck http 127.0.0.1:9308 / --timeout 10
	[ "$status" -eq 0 ]
	[[ $output == "HTTP OK: 200, 5 bytes, "* ]]
	[ "$ms" -lt 5000 ]
}

@test "a chunked body left open ends at its last chunk" {
	bad 9309 -k -f "$(resp 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n')" -n 100000 -c 1000
	elapsed_ms w hcheck http 127.0.0.1:9309 / --timeout 10 --regex '^abcdefghijklmnopqrstuvwxyz$'
	[ "$status" -eq 0 ]
	[[ $output == "HTTP OK: 200, 100000 bytes, "* ]]
	[ "$ms" -lt 5000 ]
}

@test "a malformed chunk is CRITICAL" {
	bad 9310 -f "$(resp 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n')"
	run w hcheck http 127.0.0.1:9310 /
	[ "$status" -eq 2 ]
	[ "$output" = "HTTP CRITICAL: malformed chunk size: unexpected 'z'" ]
}

@test "a header larger than 16 KiB is CRITICAL" {
	{ printf 'HTTP/1.1 200 OK\r\nX-Big: '; head -c 20000 /dev/zero | tr '\0' a; printf '\r\n\r\n'; } > "$BATS_TEST_TMPDIR/big"
	bad 9311 -f "$BATS_TEST_TMPDIR/big"
	run w hcheck http 127.0.0.1:9311 /
	[ "$status" -eq 2 ]
	[ "$output" = "HTTP CRITICAL: header longer than 16384 bytes" ]
}

@test "a malformed header line is CRITICAL, quoting it" {
	bad 9312 -f "$(resp 'HTTP/1.1 200 OK\r\nthis is not a header\r\n\r\n')"
	run w hcheck http 127.0.0.1:9312 /
	[ "$status" -eq 2 ]
	[ "$output" = "HTTP CRITICAL: malformed header line 'this is not a header'" ]
}

@test "a server that closes without a word is CRITICAL" {
	bad 9313 -f /dev/null
	run w hcheck http 127.0.0.1:9313 /
	[ "$status" -eq 2 ]
	[ "$output" = "HTTP CRITICAL: connection closed without a response" ]
}

@test "a reset connection is CRITICAL" {
	bad 9314 -R
	run w hcheck http 127.0.0.1:9314 /
	[ "$status" -eq 2 ]
	# Where the reset lands (connecting, sending, reading) is a race.
	[[ $output =~ ^HTTP\ CRITICAL:\ connection\ (reset|closed\ without\ a\ response) ]]
}

@test "a 204 with no body is OK" {
	bad 9315 -k -f "$(resp 'HTTP/1.1 204 No Content\r\n\r\n')"
	run w hcheck http 127.0.0.1:9315 / --timeout 5
	[ "$status" -eq 0 ]
	[[ $output == "HTTP OK: 204, 0 bytes, "* ]]
}

@test "a 50 MB body is hashed as it streams, in bounded memory" {
	# The digest must be that of the bytes sent, and the memory used
	# must not grow with the body: compare with a 1 MB body.
	bad 9316 -f "$(resp 'HTTP/1.0 200 OK\r\n\r\n')" -n 50000000
	bad 9317 -f "$(resp 'HTTP/1.0 200 OK\r\n\r\n')" -n 1000000
	local want small big
	want=$(yes abcdefghijklmnopqrstuvwxyz | head -c 50000000 | md5sum | cut -c1-32)
	run w /usr/bin/time -f 'rss=%M' hcheck http 127.0.0.1:9316 / --digest "$want" --timeout 30
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == "HTTP OK: 200, 50000000 bytes, "* ]]
	big=${lines[1]#rss=}
	run w /usr/bin/time -f 'rss=%M' hcheck http 127.0.0.1:9317 / --timeout 30
	small=${lines[1]#rss=}
	echo "rss: 50 MB body $big KiB, 1 MB body $small KiB" >&2
	[ $((big - small)) -lt 8192 ]
}

@test "a body of NUL bytes is searched whole by --regex" {
	{ printf 'HTTP/1.0 200 OK\r\n\r\n'; head -c 100 /dev/zero; printf '\nstatus: ready\n'; } > "$BATS_TEST_TMPDIR/nul"
	bad 9318 -f "$BATS_TEST_TMPDIR/nul"
	run w hcheck http 127.0.0.1:9318 / --regex '^status: ready$'
	[ "$status" -eq 0 ]
}
