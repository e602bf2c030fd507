#!/usr/bin/env bats
# hcheck and genhash against the faults tests/hcheck-bad.bats and
# tests/hcheck-tls.bats leave out: a server that breaks off in the
# middle of the TLS handshake, and one that sends 4 GB.  Always a
# verdict, within the timeout, in memory that does not grow with what
# the server sends (peak RSS measured with /usr/bin/time).

bats_require_minimum_version 1.5.0

load lib/common
load lib/net
load fixtures/hcheck/web
load fixtures/reliability/helpers

setup_file() { web_setup; }
teardown_file() { web_teardown; }
teardown() { bg_cleanup; }

FOUR_GB=4294967296

# A TLS record header announcing a 122-byte ServerHello, and its first
# few bytes: a server that dies while answering the ClientHello.
half_hello() {
	printf '\x16\x03\x03\x00\x7a\x02\x00\x00\x76\x03\x03\x11\x22\x33\x44' >"$BATS_TEST_TMPDIR/half"
	echo "$BATS_TEST_TMPDIR/half"
}

# peak_rss CMD...: run CMD under /usr/bin/time; its first line of output
# in $out, its status in $status, its peak RSS (KiB) in $rss.
peak_rss() {
	run w /usr/bin/time -f 'rss=%M' "$@"
	out=${lines[0]}
	rss=${lines[${#lines[@]} - 1]#rss=}
}

@test "a server that closes right after the ClientHello is CRITICAL at once" {
	bad 9501 -H -f /dev/null
	elapsed_ms w hcheck https 127.0.0.1:9501 / --timeout 10
	[ "$status" -eq 2 ]
	[ "$output" = "HTTPS CRITICAL: connection closed during the TLS handshake" ]
	[ "$ms" -lt 5000 ]
}

@test "a server that breaks off in the middle of its ServerHello is CRITICAL at once" {
	bad 9502 -H -f "$(half_hello)"
	elapsed_ms w hcheck https 127.0.0.1:9502 / --timeout 10
	[ "$status" -eq 2 ]
	[ "$output" = "HTTPS CRITICAL: connection closed during the TLS handshake" ]
	[ "$ms" -lt 5000 ]
}

@test "genhash -S against a ServerHello cut short exits 2 at once" {
	bad 9503 -H -f "$(half_hello)"
	elapsed_ms w genhash -S -s 127.0.0.1 -p 9503 -u / -t 10
	[ "$status" -eq 2 ]
	[ "$output" = "genhash: 127.0.0.1:9503: connection closed during the TLS handshake" ]
	[ "$ms" -lt 5000 ]
}

@test "a 4 GB body is read to its end in the memory a 1 MB body takes" {
	printf 'HTTP/1.1 200 OK\r\nContent-Length: %s\r\n\r\n' $FOUR_GB >"$BATS_TEST_TMPDIR/big"
	printf 'HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n' >"$BATS_TEST_TMPDIR/small"
	bad 9504 -f "$BATS_TEST_TMPDIR/big" -n $FOUR_GB
	bad 9505 -f "$BATS_TEST_TMPDIR/small" -n 1000000
	local big small
	peak_rss hcheck http 127.0.0.1:9504 / --timeout 120
	[ "$status" -eq 0 ]
	[[ $out == "HTTP OK: 200, $FOUR_GB bytes, "* ]]
	big=$rss
	peak_rss hcheck http 127.0.0.1:9505 / --timeout 120
	[ "$status" -eq 0 ]
	small=$rss
	tap_note "hcheck peak RSS: 4 GB body $big KiB, 1 MB body $small KiB"
	[ $((big - small)) -lt 1024 ]
}

@test "a 4 GB body that cannot arrive within --timeout is cut there, saying how much came" {
	printf 'HTTP/1.1 200 OK\r\nContent-Length: %s\r\n\r\n' $FOUR_GB >"$BATS_TEST_TMPDIR/big"
	bad 9506 -f "$BATS_TEST_TMPDIR/big" -n $FOUR_GB
	elapsed_ms w hcheck http 127.0.0.1:9506 / --timeout 0.5 --regex 'never there'
	[ "$status" -eq 2 ]
	[[ $output =~ ^HTTP\ CRITICAL:\ timeout\ after\ 0\.5\ s\ reading\ the\ body\ \([0-9]+\ of\ $FOUR_GB\ bytes\)$ ]]
	[ "$ms" -lt 5000 ]
}

@test "a 4 GB body searched by --regex and hashed by --digest stays in bounded memory" {
	# The regex sees a bounded window of the body; the digest streams.
	printf 'HTTP/1.0 200 OK\r\n\r\n' >"$BATS_TEST_TMPDIR/big"
	bad 9507 -f "$BATS_TEST_TMPDIR/big" -n $FOUR_GB
	peak_rss hcheck http 127.0.0.1:9507 / --timeout 120 --regex '^abcdefghijklmnopqrstuvwxyz$' \
		--digest 00000000000000000000000000000000
	[ "$status" -eq 2 ]
	[[ $out == "HTTP CRITICAL: digest "* ]]
	tap_note "hcheck peak RSS with --regex and --digest over 4 GB: $rss KiB"
	[ "$rss" -lt 16384 ]
}
