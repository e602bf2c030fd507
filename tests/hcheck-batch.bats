#!/usr/bin/env bats
# hcheck -f: many probes from a file, one line each, run concurrently
# on one event loop and reported in the file's order.

bats_require_minimum_version 1.5.0

load lib/common
load lib/net
load fixtures/hcheck/web

setup_file() { web_setup; }
teardown_file() { web_teardown; }
teardown() { bg_cleanup; }

probes() {
	cat > "$BATS_TEST_TMPDIR/probes"
	echo "$BATS_TEST_TMPDIR/probes"
}

@test "each line gets one result line, labelled, in the file's order" {
	local f
	f=$(probes <<-EOF
	# web tier
	http $WEB_ADDR:80 /index.html --name web1

	http $WEB_ADDR:80 /missing   --name web2
	tcp  127.0.0.1:9                       # nothing listens here
	https $WEB_ADDR:443 /index.html --name "tls"
	EOF
	)
	run w hcheck -f "$f"
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 4 ]
	[[ ${lines[0]} == "web1	HTTP OK: 200, "* ]]
	[[ ${lines[1]} == "web2	HTTP CRITICAL: status 404, expected 200-299"* ]]
	[ "${lines[2]}" = "127.0.0.1:9	TCP CRITICAL: connection refused" ]
	[[ ${lines[3]} == "tls	HTTPS OK: 200, "* ]]
}

@test "the exit code is the worst result: CRITICAL, then WARNING, then UNKNOWN" {
	local f
	f=$(probes <<-EOF
	http $WEB_ADDR:80 / --name ok
	http $WEB_ADDR:80 /slow --warn-time 0.1 --name slow
	EOF
	)
	run w hcheck -f "$f"
	[ "$status" -eq 1 ]
	echo "http $WEB_ADDR:80 / --bind 203.0.113.1 --name unknown" >> "$f"
	run w hcheck -f "$f"
	[ "$status" -eq 1 ]
	[[ ${lines[2]} == "unknown	HTTP UNKNOWN: bind 203.0.113.1: "* ]]
	echo "tcp 127.0.0.1:9 --name down" >> "$f"
	run w hcheck -f "$f"
	[ "$status" -eq 2 ]
	run w hcheck -f - <<<"http $WEB_ADDR:80 / --bind 203.0.113.1"
	[ "$status" -eq 3 ]
}

@test "-f - reads the probes from stdin" {
	run w hcheck -f - <<-EOF
	http $WEB_ADDR:80 /index.html
	tcp $WEB_ADDR:443
	EOF
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == "$WEB_ADDR:80	HTTP OK: "* ]]
	[[ ${lines[1]} == "$WEB_ADDR:443	TCP OK: "* ]]
}

@test "options on the command line apply to every line, and a line's own win" {
	bad 9401 -s
	local f
	f=$(probes <<-EOF
	http 127.0.0.1:9401 / --name short --timeout 0.2
	http 127.0.0.1:9401 / --name default
	http $WEB_ADDR:80 /missing --name notfound
	EOF
	)
	run w hcheck -f "$f" --timeout 0.4 --status 200,404
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "short	HTTP CRITICAL: timeout after 0.2 s waiting for the response" ]
	[ "${lines[1]}" = "default	HTTP CRITICAL: timeout after 0.4 s waiting for the response" ]
	[[ ${lines[2]} == "notfound	HTTP OK: 404, "* ]]
}

@test "a bad line stops everything before any probe: FILE:LINE and exit 3" {
	bad 9402 -f "$(resp 'HTTP/1.0 200 OK\r\n\r\n')"
	local f
	f=$(probes <<-EOF
	http 127.0.0.1:9402 /
	http 127.0.0.1:9402 / --name second --timeout soon
	EOF
	)
	run --separate-stderr w hcheck -f "$f"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[ "$stderr" = "hcheck: $f:2: --timeout: 'soon' is not a number of seconds" ]
	[ "$(requests 9402)" -eq 0 ]
}

@test "every kind of bad line is named with its line number" {
	local f=$BATS_TEST_TMPDIR/p
	check_line() {
		printf 'tcp 192.0.2.1:1\n%s\n' "$1" > "$f"
		run hcheck -f "$f"
		[ "$status" -eq 3 ] || return 1
		[ "$output" = "hcheck: $f:2: $2" ] || { echo "got: $output" >&2; return 1; }
	}
	check_line 'http 192.0.2.1:80 "open' "a quote is not closed"
	check_line 'http 192.0.2.1:80 "a"b' "text right after a closing quote"
	check_line 'http 192.0.2.1:80 --name "a\nb"' "unknown escape '\\n' in quotes (only \\\" and \\\\)"
	check_line 'gopher 192.0.2.1:70' "unknown check 'gopher' (http, https, tcp, udp, dns, smtp or ping)"
	check_line 'http 192.0.2.1' "'192.0.2.1' has no port (ADDR:PORT, [ADDR6]:PORT)"
	check_line 'http 192.0.2.1:80 --json' "--json applies to the whole run: give it on the command line"
	check_line 'http 192.0.2.1:80 --concurrency 5' "--concurrency applies to the whole run: give it on the command line"
	check_line 'tcp 192.0.2.1:1' "label '192.0.2.1:1' is already used on line 1 (give --name)"
	check_line 'http 192.0.2.1:80 / / /' "unexpected word '/'"
}

@test "the same label twice is refused, naming both lines" {
	run hcheck -f - <<-EOF
	http 192.0.2.1:80 / --name web
	tcp 192.0.2.2:80
	tcp 192.0.2.3:80 --name web
	EOF
	[ "$status" -eq 3 ]
	[ "$output" = "hcheck: stdin:3: label 'web' is already used on line 1 (give --name)" ]
}

@test "a file that cannot be read, or holds no probe, is UNKNOWN" {
	run hcheck -f /nonexistent
	[ "$status" -eq 3 ]
	[ "$output" = "hcheck: -f: '/nonexistent': No such file or directory" ]
	refused hcheck -f /nonexistent "-f: '/nonexistent': No such file or directory"
	refused hcheck -f "option '-f' needs a value"
	refused hcheck --file "option '--file' needs a value"
	run hcheck -f - <<<"# nothing"
	[ "$status" -eq 3 ]
	[ "$output" = "hcheck: stdin: no checks in it" ]
	run hcheck -f - http 192.0.2.1:80
	[ "$status" -eq 3 ]
	[[ $output == "hcheck: unexpected word 'http': with -f, the checks come from the file" ]]
}

@test "the run's own options refuse a bad value with exit 3, naming it" {
	refused hcheck -f - --concurrency 0 "--concurrency: '0' is out of range 1-1000000"
	refused hcheck -f - --concurrency many "--concurrency: 'many' is not a whole number"
	refused hcheck -f - --concurrency "option '--concurrency' needs a value"
	refused hcheck -f - --initial up "--initial applies to watch only"
	# A probe option on the command line is every line's default, checked once.
	refused hcheck -f - --timeout 0 "--timeout: '0' is out of range 0.001-3600 seconds"
}

@test "--json prints one object a line, each with its label" {
	run w hcheck -f - --json <<-EOF
	http $WEB_ADDR:80 / --name a
	tcp 127.0.0.1:9 --name b
	EOF
	[ "$status" -eq 2 ]
	[ "$(jq -r .label <<<"${lines[0]}")" = a ]
	[ "$(jq -r .state <<<"${lines[0]}")" = OK ]
	[ "$(jq -r .label <<<"${lines[1]}")" = b ]
	[ "$(jq -r .reason <<<"${lines[1]}")" = "connection refused" ]
}

@test "probes run concurrently: ten silent servers take one timeout, not ten" {
	bad 9403 -s
	local i
	for i in $(seq 1 10); do echo "http 127.0.0.1:9403 / --name s$i"; done > "$BATS_TEST_TMPDIR/p"
	elapsed_ms w hcheck -f "$BATS_TEST_TMPDIR/p" --timeout 1
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 10 ]
	# Ten in a row would take 10 s; together they take about 1.
	[ "$ms" -lt 6000 ]
}

@test "--concurrency bounds the probes in flight, and they all still run" {
	bad 9404 -s
	local i
	for i in $(seq 1 6); do echo "http 127.0.0.1:9404 / --name s$i"; done > "$BATS_TEST_TMPDIR/p"
	elapsed_ms w hcheck -f "$BATS_TEST_TMPDIR/p" --timeout 0.3 --concurrency 2
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 6 ]
	# Three rounds of 0.3 s at the least, one after the other.
	[ "$ms" -ge 900 ]
	[ "$(requests 9404)" -eq 6 ]
}

@test "the open file limit caps the concurrency with a warning" {
	local i
	for i in $(seq 1 200); do echo "tcp $WEB_ADDR:80 --name t$i"; done > "$BATS_TEST_TMPDIR/p"
	run --separate-stderr w bash -c "ulimit -n 64 && hcheck -f $BATS_TEST_TMPDIR/p --concurrency 1000"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 200 ]
	[ "$stderr" = "hcheck: --concurrency 1000 lowered to 32: the open file limit" ]
}

@test "a thousand targets are all probed and reported" {
	local i
	for i in $(seq 1 1000); do echo "http $WEB_ADDR:80 /index.html --name n$i"; done > "$BATS_TEST_TMPDIR/p"
	run w hcheck -f "$BATS_TEST_TMPDIR/p"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1000 ]
	[[ ${lines[999]} == "n1000	HTTP OK: 200, "* ]]
	[ "$(grep -c 'HTTP OK' <<<"$output")" -eq 1000 ]
}
