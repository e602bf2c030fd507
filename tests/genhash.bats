#!/usr/bin/env bats
# genhash: keepalived's flags, keepalived's digest, and exit codes that
# say when no digest could be made.  The reference is keepalived's own
# genhash (Debian's keepalived package), run against the same servers.

bats_require_minimum_version 1.5.0

load lib/common
load lib/net
load fixtures/hcheck/web

KA_GENHASH=/usr/bin/genhash

setup_file() { web_setup; }
teardown_file() { web_teardown; }
teardown() { bg_cleanup; }

# Both genhashes on the same URL: the same digest, and a real one.
same_digest() {
	local ours theirs
	ours=$(w genhash "$@")
	theirs=$(w "$KA_GENHASH" "$@")
	echo "ours=$ours keepalived=$theirs" >&2
	[[ $ours =~ ^[0-9a-f]{32}$ ]]
	[ "$ours" = "$theirs" ]
}

@test "genhash -h prints the usage on stdout and exits 0" {
	run --separate-stderr genhash -h
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == "usage: genhash -s SERVER -p PORT -u URL"* ]]
	[ -z "$stderr" ]
}

@test "an unknown option prints the usage on stderr and exits 3" {
	run --separate-stderr genhash -s 192.0.2.10 -p 80 -u / -x
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ $stderr == *"usage: genhash"* ]]
	refused genhash -s 192.0.2.10 -p 80 -u / -x "invalid option -- 'x'"
	refused genhash -s 192.0.2.10 -p 80 -u / --ssl "unrecognized option '--ssl'"
}

@test "each of -s, -p and -u is required" {
	refused genhash -p 80 -u / "-s SERVER is required"
	refused genhash -s 192.0.2.10 -u / "-p PORT is required"
	refused genhash -s 192.0.2.10 -p 80 "-u URL is required"
}

@test "an option without its value exits 3 naming it" {
	local o
	for o in -s -p -u -V -P -t -m; do
		refused genhash -s 192.0.2.10 -p 80 -u / "$o" "option requires an argument -- '${o#-}'"
	done
}

@test "bad values are refused with exit 3, naming the value" {
	refused genhash -s www.example.test -p 80 -u / "-s: 'www.example.test'"
	refused genhash -s 192.0.2.10 -p 99999 -u / "-p: '99999' is out of range 1-65535"
	refused genhash -s 192.0.2.10 -p http -u / "-p: 'http' is not a whole number"
	refused genhash -s 192.0.2.10 -p 80 -u index.html "-u: 'index.html' does not start with '/'"
	refused genhash -s 192.0.2.10 -p 80 -u '/a b' "-u: '/a b' holds a space"
	refused genhash -s 192.0.2.10 -p 80 -u /x -P 2.0 "-P: '2.0' is not 1.0, 1.0c or 1.1"
	refused genhash -s 192.0.2.10 -p 80 -u /x -t 0 "-t: '0' is out of range 0.001-3600 seconds"
	refused genhash -s 192.0.2.10 -p 80 -u /x -t soon "-t: 'soon' is not a number of seconds"
	refused genhash -s 192.0.2.10 -p 80 -u /x -m 0 "-m: '0' is out of range 1-4294967295"
	refused genhash -s 192.0.2.10 -p 80 -u /x -V 'a b' \
		"-V: 'a b' holds a space, a control character or a non-ASCII byte"
	refused genhash -s 192.0.2.10 -p 80 -u /x extra "unexpected argument 'extra'"
}

@test "-I needs -S and a virtual host to send" {
	refused genhash -s 192.0.2.10 -p 443 -u / -I -V www.example.test "-I: SNI needs -S"
	run genhash -S -s 192.0.2.10 -p 443 -u / -I
	[ "$status" -eq 3 ]
	[[ $output == *"give it with -V"* ]]
}

@test "the digest of a static page equals keepalived's and md5sum's" {
	same_digest -s "$WEB_ADDR" -p 80 -u /index.html
	[ "$(w genhash -s "$WEB_ADDR" -p 80 -u /index.html)" = "$(md5sum < "$WEB_DIR/html/index.html" | cut -c1-32)" ]
}

@test "the digest of a chunked body equals keepalived's (framing included)" {
	run w curl -s -i --http1.1 "http://$WEB_ADDR/echo"
	[[ $output == *"Transfer-Encoding: chunked"* ]]
	same_digest -s "$WEB_ADDR" -p 80 -u /echo -P 1.1
}

@test "the digest of a body delimited by the close equals keepalived's" {
	same_digest -s "$WEB_ADDR" -p 80 -u /echo -P 1.0
}

@test "the digest over HTTPS equals keepalived's, with and without SNI" {
	same_digest -S -s "$WEB_ADDR" -p 443 -u /index.html
	same_digest -S -s "$WEB_ADDR" -p 443 -u /echo -P 1.1
	same_digest -S -I -V www.example.test -s "$WEB_ADDR" -p 443 -u /sni
	[ "$(w genhash -S -I -V www.example.test -s "$WEB_ADDR" -p 443 -u /sni)" = \
	  "$(printf 'sni=www.example.test\n' | md5sum | cut -c1-32)" ]
}

@test "the virtual host picks the page, as with keepalived" {
	same_digest -s "$WEB_ADDR" -p 80 -u /index.html -V www.example.test
	[ "$(w genhash -s "$WEB_ADDR" -p 80 -u /index.html -V www.example.test)" = \
	  "$(md5sum < "$WEB_DIR/html/vhost/index.html" | cut -c1-32)" ]
}

@test "the digest over IPv6 equals keepalived's" {
	same_digest -s "$WEB_ADDR6" -p 80 -u /index.html
}

@test "a body longer than its Content-Length is hashed up to the length, as keepalived does" {
	bad 9001 -f "$(resp 'HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello world')"
	same_digest -s 127.0.0.1 -p 9001 -u /
	[ "$(w genhash -s 127.0.0.1 -p 9001 -u /)" = "$(printf hello | md5sum | cut -c1-32)" ]
}

@test "the request is byte for byte keepalived's, for each protocol and with a virtual host" {
	bad 9002 -f "$(resp 'HTTP/1.0 200 OK\r\n\r\nx')"
	local req=$BATS_TEST_TMPDIR/req.9002 p
	for p in 1.0 1.0c 1.1; do
		rm -f "$req"
		w genhash -s 127.0.0.1 -p 9002 -u /a/b?c=d -P $p >/dev/null
		mv "$req" "$BATS_TEST_TMPDIR/ours"
		w "$KA_GENHASH" -s 127.0.0.1 -p 9002 -u /a/b?c=d -P $p >/dev/null
		cmp "$BATS_TEST_TMPDIR/ours" "$req"
	done
	rm -f "$req"
	w genhash -s 127.0.0.1 -p 9002 -u / -V www.example.test >/dev/null
	mv "$req" "$BATS_TEST_TMPDIR/ours"
	w "$KA_GENHASH" -s 127.0.0.1 -p 9002 -u / -V www.example.test >/dev/null
	cmp "$BATS_TEST_TMPDIR/ours" "$req"
	grep -q '^Host: www.example.test' "$req"
}

@test "a 3 MB body is hashed as it streams and matches md5sum" {
	[ "$(w genhash -s "$WEB_ADDR" -p 80 -u /big.bin)" = "$(md5sum < "$WEB_DIR/html/big.bin" | cut -c1-32)" ]
	same_digest -S -s "$WEB_ADDR" -p 443 -u /big.bin
}

@test "a page that is not 2xx still gets its digest, with a warning and exit 0" {
	run --separate-stderr w genhash -s "$WEB_ADDR" -p 80 -u /gone
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'gone\n' | md5sum | cut -c1-32)" ]
	[[ $stderr == *"answered 503 Service"*"digest of this page"* ]]
}

@test "-v shows the request, the header and the time on stderr, the digest alone on stdout" {
	run --separate-stderr w genhash -v -s "$WEB_ADDR" -p 80 -u /echo -P 1.1
	[ "$status" -eq 0 ]
	[[ $output =~ ^[0-9a-f]{32}$ ]]
	[[ $stderr == *"> GET /echo HTTP/1.1"* ]]
	[[ $stderr == *"< HTTP/1.1 200 OK"* ]]
	[[ $stderr == *"< Transfer-Encoding: chunked"* ]]
	[[ $stderr == *"body: 12 bytes, chunked"* ]]
	[[ $stderr == *"response time: "*" usecs"* ]]
}

@test "a refused connection exits 2 with the reason (keepalived's exits 0)" {
	run --separate-stderr w genhash -s 127.0.0.1 -p 9 -u /
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "genhash: 127.0.0.1:9: connection refused" ]
}

@test "a server that never answers exits 2 once -t has passed" {
	bad 9003 -s
	elapsed_ms w genhash -s 127.0.0.1 -p 9003 -u / -t 0.5
	[ "$status" -eq 2 ]
	[[ $output == *"timeout after 0.5 s waiting for the response"* ]]
	# The protocol bound, with a wide margin for a loaded machine.
	[ "$ms" -lt 5000 ]
}

@test "an answer that is not HTTP exits 2 and shows what came" {
	bad 9004 -f "$(resp 'SSH-2.0-OpenSSH_9.2p1\r\n')"
	run w genhash -s 127.0.0.1 -p 9004 -u /
	[ "$status" -eq 2 ]
	[[ $output == *"not an HTTP response: 'SSH-2.0-OpenSSH_9.2p1"* ]]
}

@test "a body cut short exits 2 instead of printing a wrong digest" {
	bad 9005 -f "$(resp 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly this')"
	run w genhash -s 127.0.0.1 -p 9005 -u /
	[ "$status" -eq 2 ]
	[[ $output == *"connection closed after 9 of 1000 body bytes"* ]]
}

@test "a TLS handshake with a plain HTTP server exits 2" {
	run w genhash -S -s "$WEB_ADDR" -p 80 -u /
	[ "$status" -eq 2 ]
	[[ $output == *"TLS handshake"* ]]
}

@test "-m marks the probe's packets" {
	w nft add table inet hk
	w nft add chain inet hk out '{ type filter hook output priority 0; }'
	w nft add rule inet hk out meta mark 0x2a tcp dport 80 counter
	run w genhash -m 42 -s "$WEB_ADDR" -p 80 -u /index.html
	[ "$status" -eq 0 ]
	run w nft list chain inet hk out
	w nft delete table inet hk
	[[ $output =~ counter\ packets\ [1-9] ]]
}
