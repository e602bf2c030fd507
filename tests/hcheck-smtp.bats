#!/usr/bin/env bats
# hcheck smtp, keepalived's SMTP_CHECK: greeting 220, HELO 250, QUIT;
# replies of several lines, bad codes, a server that says nothing or
# hangs up, and bad values.  Servers are shell scripts behind busybox
# nc in the web namespace.

bats_require_minimum_version 1.5.0

load lib/common
load lib/net
load fixtures/hcheck/web

setup_file() { web_setup; }
teardown_file() { web_teardown; }
teardown() { bg_cleanup; }

# smtpd PORT GREETING HELO-REPLY: a server answering with those lines
# (\r\n added; '-' for none: it then waits), logging what the client
# said to $BATS_TEST_TMPDIR/said.PORT.
smtpd() {
	local port=$1 s=$BATS_TEST_TMPDIR/smtpd.$1
	cat >"$s" <<-SH
	#!/bin/sh
	[ "$2" = - ] && exec sleep 30
	[ "$2" = close ] && exit 0
	printf '%b\r\n' "$2"
	IFS= read -r line; printf '%s\n' "\$line" >> $BATS_TEST_TMPDIR/said.$port
	[ "$3" = - ] && exec sleep 30
	printf '%s\r\n' "$3"
	IFS= read -r line; printf '%s\n' "\$line" >> $BATS_TEST_TMPDIR/said.$port
	printf '221 bye\r\n'
	SH
	chmod +x "$s"
	bg ip netns exec "$(ns web)" busybox nc -ll -p "$port" -e "$s"
	wait_until 5 nsx web bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
}

@test "220, HELO 250, QUIT is OK; the HELO name is keepalived's unless --helo" {
	smtpd 2501 '220 mail.example.test ESMTP' '250 hello'
	run w hcheck smtp 127.0.0.1:2501
	[ "$status" -eq 0 ]
	[[ $output =~ ^"SMTP OK: 220, HELO 250, QUIT in "[0-9.]+" ms | time=" ]]
	run w hcheck smtp 127.0.0.1:2501 --helo lb1.example.test
	[ "$status" -eq 0 ]
	said=$BATS_TEST_TMPDIR/said.2501
	grep -qx $'HELO smtpchecker.keepalived.org\r' "$said"
	grep -qx $'HELO lb1.example.test\r' "$said"
	grep -qx $'QUIT\r' "$said"
}

@test "a greeting of several lines is read to its last" {
	smtpd 2502 '220-mail.example.test ESMTP\r\n220-no UCE\r\n220 ready' '250 hello'
	run w hcheck smtp 127.0.0.1:2502
	[ "$status" -eq 0 ]
}

@test "another greeting or HELO reply is CRITICAL, quoted" {
	smtpd 2503 '554 no service here' '250 hello'
	run w hcheck smtp 127.0.0.1:2503
	[ "$status" -eq 2 ]
	[[ $output == "SMTP CRITICAL: the greeting was '554 no service here', expected 220"* ]]
	smtpd 2504 '220 mail' '550 go away'
	run w hcheck smtp 127.0.0.1:2504
	[ "$status" -eq 2 ]
	[[ $output == "SMTP CRITICAL: the HELO reply was '550 go away', expected 250"* ]]
}

@test "silence and a hang-up end on time with what was awaited" {
	smtpd 2505 - -
	run w hcheck smtp 127.0.0.1:2505 -t 0.3
	[ "$status" -eq 2 ]
	[ "$output" = "SMTP CRITICAL: timeout after 0.3 s waiting for the greeting" ]
	smtpd 2506 '220 mail' -
	run w hcheck smtp 127.0.0.1:2506 -t 0.3
	[ "$status" -eq 2 ]
	[ "$output" = "SMTP CRITICAL: timeout after 0.3 s waiting for the HELO reply" ]
	smtpd 2507 close -
	run w hcheck smtp 127.0.0.1:2507
	[ "$status" -eq 2 ]
	[[ $output == "SMTP CRITICAL: connection closed before the greeting"* ]]
	run w hcheck smtp 127.0.0.1:2599
	[ "$status" -eq 2 ]
	[ "$output" = "SMTP CRITICAL: connection refused" ]
}

@test "smtp options and words that do not fit exit 3 naming them" {
	refused hcheck smtp 127.0.0.1:25 --helo "a b" "--helo: 'a b' holds a blank or a control character"
	refused hcheck smtp 127.0.0.1:25 --helo "" "--helo: '' is empty"
	refused hcheck smtp 127.0.0.1:25 /x "smtp takes no PATH ('/x')"
	refused hcheck tcp 127.0.0.1:25 --helo x "--helo applies to smtp only"
	refused hcheck smtp 127.0.0.1 "'127.0.0.1' has no port"
}
