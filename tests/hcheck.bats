#!/usr/bin/env bats
# hcheck http and tcp against nginx: the one-line result, the exit
# codes of monitoring plugins, and every option of a probe.

bats_require_minimum_version 1.5.0

load lib/common
load lib/net
load fixtures/hcheck/web

setup_file() { web_setup; }
teardown_file() { web_teardown; }
teardown() { bg_cleanup; }

index_md5() {
	md5sum < "$WEB_DIR/html/index.html" | cut -c1-32
}

index_len() {
	stat -c %s "$WEB_DIR/html/index.html"
}

@test "hcheck -h prints the usage on stdout and exits 0" {
	run --separate-stderr hcheck -h
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "usage: hcheck http ADDR:PORT [PATH] [OPTION...] [--json]" ]
	[[ $output == *"hcheck watch -f FILE|-"* ]]
	[ -z "$stderr" ]
}

@test "an unknown option prints the usage on stderr and exits 3 (UNKNOWN)" {
	run --separate-stderr hcheck http 192.0.2.10:80 --bogus
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ $stderr == "hcheck: unknown option '--bogus'"* ]]
	[[ $stderr == *"usage: hcheck"* ]]
	refused hcheck http 192.0.2.10:80 --bogus "unknown option '--bogus'"
}

@test "an option without its value exits 3 naming it" {
	refused hcheck http 192.0.2.10:80 --timeout "option '--timeout' needs a value"
	refused hcheck http 192.0.2.10:80 -t "option '-t' needs a value"
}

@test "no check at all exits 3 with the usage" {
	run hcheck
	[ "$status" -eq 3 ]
	[[ $output == *"no check given"*"usage: hcheck"* ]]
	refused hcheck "no check given"
	refused hcheck http "http needs a target ADDR:PORT"
	refused hcheck tcp "tcp needs a target ADDR:PORT"
}

@test "bad words on the command line exit 3 with one line naming the value" {
	refused hcheck ftp 192.0.2.10:21 "unknown check 'ftp' (http, https, tcp, udp, dns, smtp or ping)"
	refused hcheck http www.example.com:80 "'www.example.com' is not an IPv4 or IPv6 address"
	refused hcheck http 192.0.2.10 "'192.0.2.10' has no port (ADDR:PORT, [ADDR6]:PORT)"
	refused hcheck http 192.0.2.10:0 "'192.0.2.10:0': port '0' must be 1-65535"
	refused hcheck http 192.0.2.10:80 index.html "PATH 'index.html' does not start with '/'"
	refused hcheck tcp 192.0.2.10:80 /x "tcp takes no PATH ('/x')"
	refused hcheck tcp 192.0.2.10:80 --status 200 "--status applies to http and https, not tcp"
	refused hcheck http 192.0.2.10:80 --sni www.example.test "--sni applies to https only"
	refused hcheck http 192.0.2.10:80 --initial up "--initial applies to watch only"
}

@test "every probe option refuses a bad value with exit 3, naming it" {
	local t=(http 192.0.2.10:80)
	refused hcheck "${t[@]}" --status 600-700x "--status: '600-700x' is not a status code"
	refused hcheck "${t[@]}" --status 99 "--status: '99' is not a status code or range of 100-999"
	refused hcheck "${t[@]}" --digest nothex "--digest: 'nothex' is not 32 hex digits (an MD5)"
	refused hcheck "${t[@]}" --regex 'a(' "--regex: 'a(' is not an extended regex"
	refused hcheck "${t[@]}" --vhost 'a b' "--vhost: 'a b' holds a space, a control character or a non-ASCII byte"
	refused hcheck "${t[@]}" --http 2.0 "--http: '2.0' is not 1.0, 1.0c or 1.1"
	refused hcheck "${t[@]}" --timeout 5000 "--timeout: '5000' is out of range 0.001-3600 seconds"
	refused hcheck "${t[@]}" -t soon "--timeout: 'soon' is not a number of seconds"
	refused hcheck "${t[@]}" --retry 101 "--retry: '101' is out of range 0-100"
	refused hcheck "${t[@]}" --retry -1 "--retry: '-1' is not a whole number"
	refused hcheck "${t[@]}" --delay-before-retry 1m "--delay-before-retry: '1m' is not a number of seconds"
	refused hcheck "${t[@]}" --bind 300.1.1.1 "--bind: '300.1.1.1' is not an IPv4 or IPv6 address"
	refused hcheck "${t[@]}" --bind 2001:db8::1 "--bind: the source and '192.0.2.10:80' are not the same family"
	refused hcheck "${t[@]}" --fwmark 0 "--fwmark: '0' is out of range 1-4294967295"
	refused hcheck "${t[@]}" --warn-time 0 "--warn-time: '0' is out of range 0.000001-3600 seconds"
	refused hcheck "${t[@]}" --name 'web 1' "--name: 'web 1' holds a blank or a control character"
	refused hcheck "${t[@]}" --name '' "--name: '' is empty"
}

@test "a page served is OK: exit 0 and the plugin line with performance data" {
	run w hcheck http "$WEB_ADDR:80" /index.html
	[ "$status" -eq 0 ]
	local n
	n=$(index_len)
	[[ $output =~ ^HTTP\ OK:\ 200,\ $n\ bytes,\ [0-9]+\.[0-9]\ ms\ \|\ time=[0-9]+\.[0-9]{6}s\;\;\;0\ size=${n}B\;\;\;0$ ]]
}

@test "the used-by line from the seed works as written" {
	run w hcheck http "$WEB_ADDR:80" /index.html --status 200 --digest "$(index_md5)" \
		--timeout 1 --retry 2 --delay-before-retry 2
	[ "$status" -eq 0 ]
	[[ $output == "HTTP OK: 200, $(index_len) bytes, "* ]]
}

@test "a 404 is CRITICAL: exit 2, the status and what was expected" {
	run w hcheck http "$WEB_ADDR:80" /missing
	[ "$status" -eq 2 ]
	[[ $output == "HTTP CRITICAL: status 404, expected 200-299 | time="*"size="* ]]
}

@test "--status accepts the codes and ranges it lists" {
	run w hcheck http "$WEB_ADDR:80" /missing --status 200,404
	[ "$status" -eq 0 ]
	run w hcheck http "$WEB_ADDR:80" /gone --status "200-299 500-599"
	[ "$status" -eq 0 ]
	run w hcheck http "$WEB_ADDR:80" /index.html --status 301-302
	[ "$status" -eq 2 ]
	[[ $output == "HTTP CRITICAL: status 200, expected 301-302"* ]]
}

@test "--digest takes genhash's digest and fails on another, showing both" {
	local d
	d=$(w genhash -s "$WEB_ADDR" -p 80 -u /index.html)
	run w hcheck http "$WEB_ADDR:80" /index.html --digest "$d"
	[ "$status" -eq 0 ]
	run w hcheck http "$WEB_ADDR:80" /index.html --digest 00112233445566778899aabbccddeeff
	[ "$status" -eq 2 ]
	[[ $output == "HTTP CRITICAL: digest $d, expected 00112233445566778899aabbccddeeff"* ]]
}

@test "--digest agrees with keepalived's genhash on a chunked body" {
	local d
	d=$(w /usr/bin/genhash -s "$WEB_ADDR" -p 80 -u /echo -P 1.1)
	run w hcheck http "$WEB_ADDR:80" /echo --http 1.1 --digest "$d"
	[ "$status" -eq 0 ]
	# The size is the decoded body's.
	[[ $output == "HTTP OK: 200, 12 bytes, "* ]]
}

@test "--regex matches the decoded body as an extended regex" {
	run w hcheck http "$WEB_ADDR:80" /echo --http 1.1 --regex '^world$'
	[ "$status" -eq 0 ]
	run w hcheck http "$WEB_ADDR:80" /index.html --regex '^<html>.*test page'
	[ "$status" -eq 0 ]
	run w hcheck http "$WEB_ADDR:80" /index.html --regex 'maintenance'
	[ "$status" -eq 2 ]
	[[ $output == "HTTP CRITICAL: body does not match 'maintenance'"* ]]
}

@test "--vhost is sent as the Host header and picks the virtual host" {
	run w hcheck http "$WEB_ADDR:80" / --vhost www.example.test --regex 'virtual host www.example.test'
	[ "$status" -eq 0 ]
	run w hcheck http "$WEB_ADDR:80" / --regex 'virtual host'
	[ "$status" -eq 2 ]
}

@test "the request is keepalived's HTTP_GET, for each --http" {
	bad 9101 -f "$(resp 'HTTP/1.0 200 OK\r\n\r\nx')"
	local req=$BATS_TEST_TMPDIR/req.9101
	w hcheck http 127.0.0.1:9101 /a?b
	[ "$(cat "$req")" = "$(printf 'GET /a?b HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 127.0.0.1:9101\r\n\r\n')" ]
	rm "$req"
	w hcheck http 127.0.0.1:9101 / --http 1.1 --vhost www.example.test
	[ "$(cat "$req")" = "$(printf 'GET / HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: www.example.test\r\n\r\n')" ]
	rm "$req"
	w hcheck http 127.0.0.1:9101 / --http 1.0c
	grep -q '^Connection: close' "$req"
}

@test "IPv6 targets are probed and the Host header brackets the address" {
	run w hcheck http "[$WEB_ADDR6]:80" /index.html
	[ "$status" -eq 0 ]
	run w hcheck tcp "[$WEB_ADDR6]:80"
	[ "$status" -eq 0 ]
}

@test "a refused connection is CRITICAL" {
	run w hcheck http 127.0.0.1:9 /
	[ "$status" -eq 2 ]
	[ "$output" = "HTTP CRITICAL: connection refused" ]
}

@test "a server that never accepts is CRITICAL after --timeout" {
	elapsed_ms w hcheck http "$BLACKHOLE:80" / --timeout 0.5
	[ "$status" -eq 2 ]
	[ "$output" = "HTTP CRITICAL: timeout after 0.5 s connecting" ]
	[ "$ms" -lt 5000 ]
}

@test "--warn-time makes a slow answer a WARNING: exit 1" {
	run w hcheck http "$WEB_ADDR:80" /slow --warn-time 0.1
	[ "$status" -eq 1 ]
	[[ $output =~ ^HTTP\ WARNING:\ 200,\ 5\ bytes,\ [0-9.]+\ ms,\ slower\ than\ 0\.1\ s\ \|\ time=[0-9.]+s\;0\.100000\;\;0 ]]
}

@test "--json prints one object with the result" {
	run w hcheck http "$WEB_ADDR:80" /index.html --json --digest "$(index_md5)"
	[ "$status" -eq 0 ]
	[ "$(jq -r .state <<<"$output")" = OK ]
	[ "$(jq -r .code <<<"$output")" = 0 ]
	[ "$(jq -r .status <<<"$output")" = 200 ]
	[ "$(jq -r .bytes <<<"$output")" = "$(index_len)" ]
	[ "$(jq -r .digest <<<"$output")" = "$(index_md5)" ]
	[ "$(jq -r .label <<<"$output")" = "$WEB_ADDR:80" ]
	run w hcheck http 127.0.0.1:9 / --json
	[ "$status" -eq 2 ]
	[ "$(jq -r .reason <<<"$output")" = "connection refused" ]
	[ "$(jq -r .state <<<"$output")" = CRITICAL ]
}

@test "--retry tries again after --delay-before-retry and says how many attempts" {
	bad 9102 -f "$(resp 'HTTP/1.0 503 Busy\r\n\r\n')"
	run w hcheck http 127.0.0.1:9102 / --retry 2 --delay-before-retry 0.1
	[ "$status" -eq 2 ]
	[[ $output == "HTTP CRITICAL: status 503, expected 200-299 (after 3 attempts)"* ]]
	[ "$(requests 9102)" -eq 3 ]
}

@test "a retry that succeeds is OK and says on which attempt" {
	# A server that refuses the first attempt: started after it.
	local out=$BATS_TEST_TMPDIR/out
	w hcheck tcp 127.0.0.1:9103 --retry 20 --delay-before-retry 0.5 > "$out" &
	local pid=$!
	sleep 0.2
	bad 9103 -f "$(resp 'HTTP/1.0 200 OK\r\n\r\n')"
	wait "$pid"
	[[ $(cat "$out") =~ ^TCP\ OK:\ connected\ in\ [0-9.]+\ ms\ \(on\ attempt\ [0-9]+\) ]]
}

@test "--bind probes from the given source address" {
	run w hcheck http "$WEB_ADDR:80" /index.html --bind "$WEB_ADDR"
	[ "$status" -eq 0 ]
	run w hcheck http "$WEB_ADDR:80" /index.html --bind 203.0.113.1
	[ "$status" -eq 3 ]
	[ "$output" = "HTTP UNKNOWN: bind 203.0.113.1: Cannot assign requested address" ]
}

@test "--fwmark marks the probe's packets" {
	w nft add table inet hk
	w nft add chain inet hk out '{ type filter hook output priority 0; }'
	w nft add rule inet hk out meta mark 0x7 tcp dport 80 counter
	run w hcheck http "$WEB_ADDR:80" / --fwmark 7
	[ "$status" -eq 0 ]
	run w nft list chain inet hk out
	w nft delete table inet hk
	[[ $output =~ counter\ packets\ [1-9] ]]
}

@test "tcp is OK once connected, CRITICAL when refused or unanswered" {
	run w hcheck tcp "$WEB_ADDR:80"
	[ "$status" -eq 0 ]
	[[ $output =~ ^TCP\ OK:\ connected\ in\ [0-9.]+\ ms\ \|\ time=[0-9.]+s\;\;\;0$ ]]
	run w hcheck tcp 127.0.0.1:9
	[ "$status" -eq 2 ]
	[ "$output" = "TCP CRITICAL: connection refused" ]
	run w hcheck tcp "$BLACKHOLE:22" -t 0.3
	[ "$status" -eq 2 ]
	[ "$output" = "TCP CRITICAL: timeout after 0.3 s connecting" ]
}

@test "the plugin runs unchanged under an if" {
	if w hcheck http "$WEB_ADDR:80" /index.html >/dev/null; then up=yes; else up=no; fi
	[ "$up" = yes ]
	if w hcheck http "$WEB_ADDR:80" /missing >/dev/null; then up=yes; else up=no; fi
	[ "$up" = no ]
}
