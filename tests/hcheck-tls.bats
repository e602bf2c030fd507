#!/usr/bin/env bats
# hcheck https: SNI, certificate verification (system store or --ca),
# and the days a certificate has left.

bats_require_minimum_version 1.5.0

load lib/common
load lib/net
load fixtures/hcheck/web

setup_file() { web_setup; }
teardown_file() { web_teardown; }
teardown() { bg_cleanup; }

@test "https is OK and tells the days the certificate has left" {
	run w hcheck https "$WEB_ADDR:443" /index.html
	[ "$status" -eq 0 ]
	# 400 days from its making, rounded down: 399, or 400 within its
	# first second.
	[[ $output =~ ^HTTPS\ OK:\ 200,\ [0-9]+\ bytes,\ [0-9.]+\ ms,\ certificate\ expires\ in\ (399|400)\ days\ \| ]]
}

@test "without --verify any certificate is taken, as keepalived's SSL_GET does" {
	run w hcheck https "$WEB_ADDR:8443" /index.html
	[ "$status" -eq 0 ]
}

@test "--verify refuses a certificate the system store does not know" {
	run w hcheck https "$WEB_ADDR:8443" /index.html --verify
	[ "$status" -eq 2 ]
	[ "$output" = "HTTPS CRITICAL: certificate verify failed: self-signed certificate" ]
	run w hcheck https "$WEB_ADDR:443" /index.html --verify
	[ "$status" -eq 2 ]
	[[ $output == "HTTPS CRITICAL: certificate verify failed: unable to get local issuer certificate" ]]
}

@test "--ca verifies against that CA and the target's address" {
	run w hcheck https "$WEB_ADDR:443" /index.html --ca "$WEB_DIR/tls/ca.pem"
	[ "$status" -eq 0 ]
	run w hcheck https "[$WEB_ADDR6]:443" /index.html --ca "$WEB_DIR/tls/ca.pem"
	[ "$status" -eq 0 ]
	# 127.0.0.1 is not in the certificate.
	run w hcheck https 127.0.0.1:443 /index.html --ca "$WEB_DIR/tls/ca.pem"
	[ "$status" -eq 2 ]
	[ "$output" = "HTTPS CRITICAL: certificate verify failed: IP address mismatch" ]
}

@test "--ca with --vhost verifies the name and sends it as SNI" {
	run w hcheck https 127.0.0.1:443 /sni --ca "$WEB_DIR/tls/ca.pem" --vhost www.example.test \
		--regex '^sni=www.example.test$'
	[ "$status" -eq 0 ]
	run w hcheck https "$WEB_ADDR:443" / --ca "$WEB_DIR/tls/ca.pem" --vhost other.example.test
	[ "$status" -eq 2 ]
	[ "$output" = "HTTPS CRITICAL: certificate verify failed: hostname mismatch" ]
}

@test "--sni sends a name of its own, apart from the Host header" {
	run w hcheck https "$WEB_ADDR:443" /sni --sni www.example.test --regex '^sni=www.example.test$'
	[ "$status" -eq 0 ]
	run w hcheck https "$WEB_ADDR:443" /sni --regex '^sni=$'
	[ "$status" -eq 0 ]
}

@test "--cert-days warns when the certificate expires sooner" {
	run w hcheck https "$WEB_ADDR:8444" /index.html --cert-days 30
	[ "$status" -eq 1 ]
	[[ $output =~ ^HTTPS\ WARNING:\ 200,\ [0-9]+\ bytes,\ [0-9.]+\ ms,\ certificate\ expires\ in\ [01]\ days\ \(--cert-days\ 30\) ]]
	run w hcheck https "$WEB_ADDR:443" /index.html --cert-days 30
	[ "$status" -eq 0 ]
}

@test "an expired certificate is CRITICAL with --cert-days or --verify" {
	run w hcheck https "$WEB_ADDR:8445" /index.html --cert-days 10
	[ "$status" -eq 2 ]
	[[ $output =~ ^HTTPS\ CRITICAL:\ certificate\ expired\ [0-9]+\ days\ ago ]]
	run w hcheck https "$WEB_ADDR:8445" /index.html --ca "$WEB_DIR/tls/ca.pem"
	[ "$status" -eq 2 ]
	[ "$output" = "HTTPS CRITICAL: certificate verify failed: certificate has expired" ]
}

@test "--json carries the days left" {
	run w hcheck https "$WEB_ADDR:443" / --json
	[ "$status" -eq 0 ]
	[[ $(jq -r .cert_days <<<"$output") =~ ^(399|400)$ ]]
	[ "$(jq -r .check <<<"$output")" = https ]
}

@test "TLS to a server that speaks plain HTTP is CRITICAL" {
	run w hcheck https "$WEB_ADDR:80" /
	[ "$status" -eq 2 ]
	[[ $output == "HTTPS CRITICAL: TLS handshake: "* ]]
}

@test "a server that never finishes the handshake is CRITICAL after --timeout" {
	bad 9201 -s
	run w hcheck https 127.0.0.1:9201 / --timeout 0.3
	[ "$status" -eq 2 ]
	[ "$output" = "HTTPS CRITICAL: timeout after 0.3 s in the TLS handshake" ]
}

@test "a CA file that cannot be read is UNKNOWN: exit 3 before probing" {
	refused hcheck https "$WEB_ADDR:443" / --ca /nonexistent/ca.pem \
		"--ca: '/nonexistent/ca.pem': No such file or directory"
	refused hcheck https "$WEB_ADDR:443" / --ca "$WEB_DIR" "--ca: '$WEB_DIR' is not a regular file"
	refused hcheck https "$WEB_ADDR:443" / --ca '' "--ca: empty file name"
	# Read as a CA file, a file of no certificate is refused too.
	refused hcheck https "$WEB_ADDR:443" / --ca "$WEB_DIR/html/index.html" "--ca '$WEB_DIR/html/index.html': "
	[ "${#lines[@]}" -eq 1 ]
}

@test "https's own options refuse a bad value with exit 3, naming it" {
	refused hcheck https "$WEB_ADDR:443" --sni 'a b' \
		"--sni: 'a b' holds a space, a control character or a non-ASCII byte"
	refused hcheck https "$WEB_ADDR:443" --sni '' "--sni: '' is empty"
	refused hcheck https "$WEB_ADDR:443" --cert-days 0 "--cert-days: '0' is out of range 1-36500"
	refused hcheck https "$WEB_ADDR:443" --cert-days soon "--cert-days: 'soon' is not a whole number"
	refused hcheck http "$WEB_ADDR:80" --ca "$WEB_DIR/tls/ca.pem" "--ca applies to https only"
}

@test "a chunked body over TLS is decoded and hashed as genhash does" {
	local d
	d=$(w /usr/bin/genhash -S -s "$WEB_ADDR" -p 443 -u /echo -P 1.1)
	run w hcheck https "$WEB_ADDR:443" /echo --http 1.1 --digest "$d" --regex '^world$'
	[ "$status" -eq 0 ]
}
