#!/usr/bin/env bats
# hcheck watch: keeps probing and prints "UP label" or "DOWN label
# reason" once per change of state, as keepalived's checkers decide it
# (delay_loop, connect_timeout, retry, delay_before_retry), with --rise
# and --fall on top.

bats_require_minimum_version 1.5.0

load lib/common
load lib/net
load fixtures/hcheck/web

setup_file() { web_setup; }
teardown_file() { web_teardown; }
teardown() { bg_cleanup; }

OUT=

# watch ARGS...: start hcheck watch in the namespace, output to $OUT.
watch() {
	OUT=$BATS_TEST_TMPDIR/out
	: > "$OUT"
	bg ip netns exec "$(ns web)" hcheck watch "$@" > "$OUT" 2> "$BATS_TEST_TMPDIR/err"
	WATCH_PID=$BG_PID
}

# has_line TEXT: the output holds that exact line.
has_line() {
	grep -qxF "$1" "$OUT"
}

ok_file() {
	printf 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok' > "$BATS_TEST_TMPDIR/ok"
	echo "$BATS_TEST_TMPDIR/ok"
}

@test "a live target starting down is reported UP once, and nothing more" {
	printf 'http %s:80 /index.html --name web1\n' "$WEB_ADDR" > "$BATS_TEST_TMPDIR/p"
	watch -f "$BATS_TEST_TMPDIR/p" --interval 0.2
	wait_until 5 has_line "UP web1"
	sleep 1
	[ "$(cat "$OUT")" = "UP web1" ]
}

@test "--initial up prints nothing for a live target and DOWN for a dead one" {
	printf 'http %s:80 / --name live\ntcp 127.0.0.1:9 --name dead\n' "$WEB_ADDR" > "$BATS_TEST_TMPDIR/p"
	watch -f "$BATS_TEST_TMPDIR/p" --initial up --interval 0.2 --delay-before-retry 0.1
	wait_until 5 has_line "DOWN dead connection refused"
	sleep 0.5
	[ "$(cat "$OUT")" = "DOWN dead connection refused" ]
}

@test "a target that dies goes DOWN with the reason, and UP when it is back" {
	bad 9501 -f "$(ok_file)"
	local server=$BG_PID
	echo "http 127.0.0.1:9501 / --name app" > "$BATS_TEST_TMPDIR/p"
	watch -f "$BATS_TEST_TMPDIR/p" --interval 0.2 --retry 0
	wait_until 5 has_line "UP app"
	kill "$server"
	wait_until 5 has_line "DOWN app connection refused"
	bad 9501 -f "$(ok_file)"
	wait_until 5 bash -c "[ \$(grep -c '^UP app$' $OUT) -eq 2 ]"
	run cat "$OUT"
	[ "${lines[0]}" = "UP app" ]
	[ "${lines[1]}" = "DOWN app connection refused" ]
	[ "${lines[2]}" = "UP app" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "a live server that fails is retried --retry times before it goes DOWN" {
	bad 9502 -f "$(resp 'HTTP/1.0 503 Busy\r\n\r\n')"
	echo "http 127.0.0.1:9502 / --name busy" > "$BATS_TEST_TMPDIR/p"
	watch -f "$BATS_TEST_TMPDIR/p" --initial up --retry 3 --delay-before-retry 0.1 --interval 30
	wait_until 10 has_line "DOWN busy status 503, expected 200-299"
	# One attempt and three retries, then the next check is 30 s away.
	[ "$(requests 9502)" -eq 4 ]
}

@test "--fall counts failed checks, --interval apart, before DOWN" {
	bad 9503 -f "$(resp 'HTTP/1.0 503 Busy\r\n\r\n')"
	echo "http 127.0.0.1:9503 / --name busy" > "$BATS_TEST_TMPDIR/p"
	watch -f "$BATS_TEST_TMPDIR/p" --initial up --retry 0 --fall 3 --interval 0.3
	wait_until 10 has_line "DOWN busy status 503, expected 200-299"
	[ "$(requests 9503)" -ge 3 ]
}

@test "--rise counts good checks before UP" {
	bad 9504 -f "$(ok_file)"
	echo "http 127.0.0.1:9504 / --name slowriser" > "$BATS_TEST_TMPDIR/p"
	watch -f "$BATS_TEST_TMPDIR/p" --rise 3 --interval 0.3
	wait_until 10 has_line "UP slowriser"
	[ "$(requests 9504)" -ge 3 ]
}

@test "a dead server is not retried: one attempt a check, as keepalived" {
	bad 9505 -f "$(resp 'HTTP/1.0 503 Busy\r\n\r\n')"
	echo "http 127.0.0.1:9505 / --name dead" > "$BATS_TEST_TMPDIR/p"
	# Starting down: the first check is retried (keepalived does so on
	# its first run), then each check is one attempt.
	watch -f "$BATS_TEST_TMPDIR/p" --retry 2 --delay-before-retry 0.05 --interval 5
	wait_until 5 bash -c "[ \$(grep -c '^GET ' $BATS_TEST_TMPDIR/req.9505) -ge 3 ]"
	sleep 0.5
	# Three attempts for the first check, then nothing until the next.
	[ "$(requests 9505)" -eq 3 ]
	[ ! -s "$OUT" ]
}

@test "watch's lines drive a shell loop" {
	printf 'http %s:80 / --name w1\ntcp 127.0.0.1:9 --name w2\n' "$WEB_ADDR" > "$BATS_TEST_TMPDIR/p"
	local log=$BATS_TEST_TMPDIR/actions
	bg ip netns exec "$(ns web)" bash -c "hcheck watch -f $BATS_TEST_TMPDIR/p --initial up --interval 0.2 --delay-before-retry 0.1 |
		while read -r state label reason; do
			case \$state in
			UP) echo \"add \$label\" ;;
			DOWN) echo \"remove \$label (\$reason)\" ;;
			esac
		done > $log"
	wait_until 5 grep -q "remove w2 (connection refused)" "$log"
	[ "$(cat "$log")" = "remove w2 (connection refused)" ]
}

@test "SIGTERM ends watch with exit 0" {
	printf 'tcp %s:80\n' "$WEB_ADDR" > "$BATS_TEST_TMPDIR/p"
	ip netns exec "$(ns web)" hcheck watch -f "$BATS_TEST_TMPDIR/p" --interval 0.1 > "$BATS_TEST_TMPDIR/o" &
	local pid=$!
	wait_until 5 grep -q "^UP " "$BATS_TEST_TMPDIR/o"
	kill -TERM "$pid"
	local rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 0 ]
}

@test "watch reads its probes from stdin with -f -" {
	printf 'http %s:80 / --name fromstdin\n' "$WEB_ADDR" > "$BATS_TEST_TMPDIR/p"
	OUT=$BATS_TEST_TMPDIR/out
	bg ip netns exec "$(ns web)" bash -c "hcheck watch -f - --interval 0.2 < $BATS_TEST_TMPDIR/p > $OUT"
	wait_until 5 has_line "UP fromstdin"
}

@test "watch needs -f, and takes neither --json nor probes on the command line" {
	run hcheck watch
	[ "$status" -eq 3 ]
	[ "$output" = "hcheck: watch needs -f FILE (or -f - for stdin)" ]
	run hcheck watch -f - --json </dev/null
	[ "$status" -eq 3 ]
	[ "$output" = "hcheck: --json does not apply to watch (it prints UP/DOWN lines)" ]
	run hcheck watch -f - --initial sideways </dev/null
	[ "$status" -eq 3 ]
	[ "$output" = "hcheck: --initial: 'sideways' is not up or down" ]
	refused hcheck watch "watch needs -f FILE (or -f - for stdin)"
	refused hcheck watch -f - --json "--json does not apply to watch (it prints UP/DOWN lines)"
}

@test "watch's own options refuse a bad value with exit 3, naming it" {
	refused hcheck watch -f - --initial sideways "--initial: 'sideways' is not up or down"
	refused hcheck watch -f - --interval 0 "--interval: '0' is out of range 0.001-86400 seconds"
	refused hcheck watch -f - --interval 1m "--interval: '1m' is not a number of seconds"
	refused hcheck watch -f - --rise 0 "--rise: '0' is out of range 1-1000"
	refused hcheck watch -f - --fall 1001 "--fall: '1001' is out of range 1-1000"
	refused hcheck watch -f - --fall x "--fall: 'x' is not a whole number"
	refused hcheck watch -f /nonexistent/list "-f: '/nonexistent/list': No such file or directory"
	refused hcheck watch -f - --concurrency 0 "--concurrency: '0' is out of range 1-1000000"
}

@test "a stdout that goes away ends watch with exit 3" {
	printf 'http %s:80 / --name a\ntcp 127.0.0.1:9 --name b\n' "$WEB_ADDR" > "$BATS_TEST_TMPDIR/p"
	run w bash -c "hcheck watch -f $BATS_TEST_TMPDIR/p --interval 0.2 --initial up --delay-before-retry 0.1 | true; echo \${PIPESTATUS[0]}"
	[ "${lines[-1]}" = 3 ]
}
