#!/usr/bin/env bats
# LVS-DR end to end in the VM, as the seeds build it: a client, a
# director holding the VIP with IPVS tables made by ipvsctl, and two
# real servers holding the VIP on lo and running a tiny HTTP server
# whose page names them.  The topology is built once for the file (it
# is the slow part under emulation); every test starts from an empty
# IPVS table, no nftables rules on the director and client ports no
# other test used.

load ../lib/common
load ../lib/net
load ipvs

VIP=192.0.2.100

setup_file() {
	net_init
	export NET_ID
	net_switch
	net_host c 192.0.2.10/24
	net_host d 192.0.2.1/24 "$VIP/32"
	net_host rs1 192.0.2.11/24
	net_host rs2 192.0.2.12/24
	rs_lo0 rs1 "$VIP"
	rs_lo0 rs2 "$VIP"
	http_server rs1 80 rs1
	http_server rs2 80 rs2
	http_server rs1 8080 rs1-8080
	http_server rs2 8080 rs2-8080
}

teardown_file() {
	net_cleanup
}

setup() {
	ictl flush
	nsx d nft flush ruleset
	# IPVS keeps a closed connection's entry for minutes, flush or not:
	# a later test's connection from the same client port would meet it.
	# Each test's connections come from ports of their own.
	local lo=$((10000 + BATS_TEST_NUMBER * 2000))
	nsx c sysctl -qw net.ipv4.ip_local_port_range="$lo $((lo + 1999))"
}

@test "LVS-DR with wrr and weights 2 and 1 splits 300 fresh connections 2:1 within 5%" {
	ictl add service tcp $VIP:80 sched wrr
	ictl add dest tcp $VIP:80 192.0.2.11:80 mode dr weight 2
	ictl add dest tcp $VIP:80 192.0.2.12:80 mode dr weight 1
	run hits c $VIP 80 300
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(count none)" -eq 0 ]
	# 2:1 of 300 within 5% of 300 (15 connections).
	local a b
	a=$(count rs1)
	b=$(count rs2)
	[ $((a + b)) -eq 300 ]
	[ "$a" -ge 185 ] && [ "$a" -le 215 ]
	[ "$b" -ge 85 ] && [ "$b" -le 115 ]
}

@test "after del dest no new connection reaches the removed real server" {
	ictl add service tcp $VIP:80 sched wrr
	ictl add dest tcp $VIP:80 192.0.2.11:80 mode dr weight 2
	ictl add dest tcp $VIP:80 192.0.2.12:80 mode dr weight 1
	run hits c $VIP 80 6
	[ "$(count rs2)" -gt 0 ]
	ictl del dest tcp $VIP:80 192.0.2.12:80
	run hits c $VIP 80 30
	echo "$output"
	[ "$(count rs1)" -eq 30 ]
	[ "$(count rs2)" -eq 0 ]
}

@test "weight 0 drains a real server as inhibit_on_failure does, and a weight brings it back" {
	ictl add service tcp $VIP:80 sched wrr
	ictl add dest tcp $VIP:80 192.0.2.11:80 mode dr weight 1
	ictl add dest tcp $VIP:80 192.0.2.12:80 mode dr weight 1
	ictl set dest tcp $VIP:80 192.0.2.12:80 weight 0
	run hits c $VIP 80 10
	[ "$(count rs1)" -eq 10 ]
	ictl set dest tcp $VIP:80 192.0.2.12:80 weight 1
	run hits c $VIP 80 10
	[ "$(count rs2)" -eq 5 ]
}

@test "a fwmark service marked by nftables balances both ports of the VIP" {
	nsx d nft -f - <<EOF
table ip hakit_test {
	chain pre {
		type filter hook prerouting priority mangle;
		ip daddr $VIP tcp dport { 80, 8080 } meta mark set 6
	}
}
EOF
	ictl add service fwmark 6 sched rr
	ictl add dest fwmark 6 192.0.2.11 mode dr
	ictl add dest fwmark 6 192.0.2.12 mode dr
	run hits c $VIP 80 10
	echo "$output"
	[ "$(count rs1)" -eq 5 ]
	[ "$(count rs2)" -eq 5 ]
	run hits c $VIP 8080 10
	echo "$output"
	[ "$(count rs1-8080)" -eq 5 ]
	[ "$(count rs2-8080)" -eq 5 ]
}

@test "apply changes a weight while a connection is open, and the connection carries on" {
	ictl restore - <<EOF
-A -t $VIP:80 -s wrr
-a -t $VIP:80 -r 192.0.2.11:80 -g -w 1
-a -t $VIP:80 -r 192.0.2.12:80 -g -w 1
EOF
	local d
	d=$(scratch)
	# A client that connects, waits for the go, then asks for the page
	# on the connection it already has.
	cat >"$d/client" <<'EOF'
exec 3<>"/dev/tcp/$2/80" || exit 1
: >"$1/open"
for ((i = 0; i < 300; i++)); do [ -e "$1/go" ] && break; sleep 0.1; done
printf 'GET / HTTP/1.0\r\n\r\n' >&3
body=none
while IFS= read -r -t 10 line <&3; do body=${line%$'\r'}; done
echo "$body" >"$1/out"
EOF
	bg nsx c bash "$d/client" "$d" "$VIP"
	wait_until 20 test -e "$d/open"
	ictl apply - <<EOF
-A -t $VIP:80 -s wrr
-a -t $VIP:80 -r 192.0.2.11:80 -g -w 3
-a -t $VIP:80 -r 192.0.2.12:80 -g -w 3
EOF
	: >"$d/go"
	wait_until 30 test -s "$d/out"
	cat "$d/out"
	grep -Eqx 'rs[12]' "$d/out"
	[ "$(nsx d ipvsadm -Sn | grep -c -- '-g -w 3$')" -eq 2 ]
}

@test "zero resets the counters that traffic raised" {
	ictl add service tcp $VIP:80 sched rr
	ictl add dest tcp $VIP:80 192.0.2.11:80 mode dr
	run hits c $VIP 80 4
	[ "$(count rs1)" -eq 4 ]
	# The kernel sums its per-CPU counters every 2 seconds: wait.
	wait_until 20 sh -c "ip netns exec $(ns d) ipvsadm -Ln --stats --exact | grep -Eq '^TCP  $VIP:80 +4 '"
	ictl zero tcp $VIP:80
	wait_until 20 sh -c "ip netns exec $(ns d) ipvsadm -Ln --stats --exact | grep -Eq '^TCP  $VIP:80 +0 +0 +0 +0 +0\$'"
	run ictl zero tcp $VIP:81
	[ "$status" -eq 1 ]
	[ "$output" = "ipvsctl: service TCP $VIP:81 does not exist" ]
}
