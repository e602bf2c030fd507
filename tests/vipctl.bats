#!/usr/bin/env bats
# vipctl: VIPs over netlink and their announcement, in namespaces.

bats_require_minimum_version 1.5.0

load lib/common
load lib/net

setup() {
	net_init
	net_switch
	net_host a 192.0.2.1/24 2001:db8::1/64
	net_host b 192.0.2.2/24 2001:db8::2/64
	LOG=$(scratch)/vipctl.log
}

teardown() {
	net_cleanup
}

# vip ARGS...: vipctl in host a, stderr kept for san_clean.
vip() {
	nsx a vipctl "$@" 2> >(tee -a "$LOG" >&2)
}

# The global addresses on a's eth0 as "ADDR/PLEN" lines, sorted.
addrs() {
	net_addrs a | sort
}

@test "add puts the address on the interface as ip shows it" {
	run vip add 192.0.2.10/24 dev eth0
	[ "$status" -eq 0 ]
	addrs | grep -qx 192.0.2.10/24
	san_clean "$LOG"
}

@test "add without a prefix length adds a host address" {
	vip add 192.0.2.11 dev eth0
	addrs | grep -qx 192.0.2.11/32
}

@test "add with a label shows the label in ip addr" {
	vip add 192.0.2.12/24 dev eth0 label eth0:1
	nsx a ip -o addr show dev eth0 | grep -q 'inet 192.0.2.12/24 .*eth0:1'
}

@test "an IPv6 VIP is added without duplicate address detection" {
	vip add 2001:db8::10/64 dev eth0
	nsx a ip -o addr show dev eth0 | grep 'inet6 2001:db8::10/64' | grep -q nodad
}

@test "adding an address already present succeeds and says so with -v" {
	vip add 192.0.2.10/24 dev eth0
	run vip -v add 192.0.2.10/24 dev eth0
	[ "$status" -eq 0 ]
	[[ "$output" == *"192.0.2.10/24 is already on eth0"* ]]
	[ "$(addrs | grep -c 192.0.2.10)" -eq 1 ]
}

@test "deleting an absent address succeeds and says so with -v" {
	run vip -v del 192.0.2.99/32 dev eth0
	[ "$status" -eq 0 ]
	[[ "$output" == *"192.0.2.99/32 is not on eth0"* ]]
}

@test "del without a prefix length removes the address whatever its length" {
	vip add 192.0.2.10/24 dev eth0
	vip del 192.0.2.10 dev eth0
	! addrs | grep -q 192.0.2.10
}

@test "del of an IPv6 address removes it" {
	vip add 2001:db8::10/64 dev eth0
	vip del 2001:db8::10/64 dev eth0
	! addrs | grep -q 2001:db8::10
}

@test "list prints what ip addr shows, one address a line" {
	vip add 192.0.2.10/24 dev eth0 label eth0:vip
	vip add 2001:db8::10/64 dev eth0
	run vip list dev eth0
	[ "$status" -eq 0 ]
	diff <(printf '%s\n' "${lines[@]}" | grep ' global' | awk '{print $2}' | sort) <(addrs)
	printf '%s\n' "${lines[@]}" | grep -qx 'eth0 192.0.2.10/24 global eth0:vip'
	printf '%s\n' "${lines[@]}" | grep -qx 'eth0 2001:db8::10/64 global'
}

@test "list --json is valid JSON with dev, address, prefix length, scope and label" {
	vip add 192.0.2.10/24 dev eth0 label eth0:1
	run vip list dev eth0 --json
	[ "$status" -eq 0 ]
	[ "$(jq -r '.[] | select(.address == "192.0.2.10") | "\(.dev) \(.family) \(.prefixlen) \(.scope) \(.label)"' <<<"$output")" = "eth0 inet 24 global eth0:1" ]
	[ "$(jq 'length' <<<"$output")" -ge 3 ]
}

@test "list without dev covers every interface" {
	run vip list
	[ "$status" -eq 0 ]
	printf '%s\n' "${lines[@]}" | grep -q '^lo 127.0.0.1/8 host'
	printf '%s\n' "${lines[@]}" | grep -q '^eth0 192.0.2.1/24 global'
}

# bad ARGS... EXPECTED-MESSAGE: exit 2, the message, nothing changed.
bad() {
	local want=${*: -1} before after
	before=$(addrs)
	run nsx a vipctl "${@:1:$#-1}"
	catalogue vipctl "${@:1:$#-1}"
	after=$(addrs)
	echo "status=$status output=$output"
	[ "$status" -eq 2 ]
	[[ "$output" == "vipctl: "*"$want"* ]]
	[ "${#lines[@]}" -eq 1 ]
	[ "$before" = "$after" ]
}

@test "a malformed address is refused with exit 2, naming it" {
	bad add 192.0.2.300/24 dev eth0 "'192.0.2.300/24' is not an IPv4 or IPv6 address"
	bad add 192.0.2.5/33 dev eth0 "prefix length '33' must be 0-32"
	bad add 2001:db8::5/129 dev eth0 "prefix length '129' must be 0-128"
	bad add 192.0.2.5/x dev eth0 "prefix length 'x'"
	bad add 224.0.0.18 dev eth0 "'224.0.0.18' is not a unicast address"
	bad del 0.0.0.0 dev eth0 "'0.0.0.0' is not a unicast address"
}

@test "an unknown or malformed interface is refused with exit 2" {
	bad add 192.0.2.5 dev eth9 "unknown interface 'eth9'"
	bad add 192.0.2.5 dev abcdefghijklmnopq "interface name 'abcdefghijklmnopq' is longer than 15 bytes"
	bad list dev nosuch0 "unknown interface 'nosuch0'"
	bad add 192.0.2.5 "add: missing 'dev IF'"
	bad add 192.0.2.5 dev "add: 'dev' needs a value"
}

@test "a bad label is refused with exit 2" {
	bad add 192.0.2.5 dev eth0 label eth0:abcdefghijkl "label 'eth0:abcdefghijkl' is longer than 15 bytes"
	bad add 192.0.2.5 dev eth0 label web "label 'web' must be 'eth0' or start with 'eth0:'"
	bad add 2001:db8::5 dev eth0 label eth0:1 "labels are for IPv4 addresses only"
}

@test "unknown commands, words and options are refused with exit 2" {
	bad frob 192.0.2.5 "unknown command 'frob'"
	bad add 192.0.2.5 dev eth0 extra "add: unexpected 'extra'"
	bad list --color "list: unexpected '--color'"
	bad garp 192.0.2.1 dev eth0 --count 0 "--count: '0' is out of range 1-1000"
	bad garp 192.0.2.1 dev eth0 --interval 1x "--interval: '1x' is not a number of seconds"
	bad garp 192.0.2.1/24 dev eth0 "'192.0.2.1/24' is not an IPv4 or IPv6 address"
}

# bad_usage ARGS... EXPECTED-FIRST-LINE: exit 2, the line, then the usage.
bad_usage() {
	local want=${*: -1}
	run nsx a vipctl "${@:1:$#-1}"
	catalogue vipctl "${@:1:$#-1}"
	echo "status=$status output=$output"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "vipctl: $want" ]
	[[ "${lines[1]}" == "usage: vipctl"* ]]
}

@test "an unknown option, an option without its value or no command prints why, then the usage" {
	bad_usage --bogus "unrecognized option '--bogus'"
	bad_usage -b "option requires an argument -- 'b'"
	bad_usage "missing command (add, del, list, garp)"
	bad_usage -v "missing command (add, del, list, garp)"
}

@test "every word that takes a value refuses a missing or bad one, naming it" {
	bad add "add: missing address"
	bad del 192.0.2.5 "del: missing 'dev IF'"
	bad list dev "list: 'dev' needs a value"
	bad list dev 'a b' "'a b' is not a valid interface name"
	bad add 192.0.2.5 dev eth0 label "add: 'label' needs a value"
	bad garp 192.0.2.1 dev eth0 --count "garp: '--count' needs a value"
	bad garp 192.0.2.1 dev eth0 --count 1001 "--count: '1001' is out of range 1-1000"
	bad garp 192.0.2.1 dev eth0 --interval "garp: '--interval' needs a value"
	bad garp 192.0.2.1 dev eth0 --interval 61 "--interval: '61' is out of range 0-60 seconds"
	bad -b /nonexistent/batch "cannot open batch file '/nonexistent/batch': No such file or directory"
}

@test "-h prints the usage on stdout and exits 0" {
	run --separate-stderr nsx a vipctl -h
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: vipctl [-v] add ADDR[/PLEN] dev IF [label LABEL]"* ]]
	[ -z "$stderr" ]
}

@test "a kernel refusal is exit 1 with the kernel's reason" {
	nsx a sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	run nsx a vipctl add 2001:db8::5/64 dev eth0
	[ "$status" -eq 1 ]
	[[ "$output" == "vipctl: cannot add 2001:db8::5/64 to eth0: "* ]]
	[ "${#lines[@]}" -eq 1 ]
}

@test "a batch applies every line" {
	local f=$(scratch)/batch
	{
		echo "# VIPs for the web tier"
		echo
		for i in $(seq 10 59); do echo "add 192.0.2.$i/24 dev eth0"; done
		echo "add 2001:db8::99/64 dev eth0"
		echo "del 192.0.2.10/24 dev eth0   # not this one after all"
	} >"$f"
	run nsx a vipctl -b "$f"
	[ "$status" -eq 0 ]
	[ "$(addrs | grep -c '^192\.0\.2\.[1-5][0-9]/24')" -eq 49 ]
	addrs | grep -qx 2001:db8::99/64
}

@test "a batch with a bad line applies nothing and names the line" {
	local f=$(scratch)/batch before
	printf 'add 192.0.2.20 dev eth0\nadd 192.0.2.21 dev eth0\nadd 192.0.2.22 dev eth9\n' >"$f"
	before=$(addrs)
	run nsx a vipctl -b "$f"
	[ "$status" -eq 2 ]
	[ "$output" = "vipctl: $f:3: unknown interface 'eth9'; nothing applied" ]
	[ "$(addrs)" = "$before" ]
}

@test "a batch read from stdin stops at a kernel refusal and says how many went in" {
	nsx a sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	run nsx a sh -c 'printf "add 192.0.2.20 dev eth0\nadd 192.0.2.21 dev eth0\nadd 2001:db8::7 dev eth0\nadd 192.0.2.23 dev eth0\n" | vipctl -b -'
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == "vipctl: -:3: cannot add 2001:db8::7/128 to eth0: "* ]]
	[ "${lines[1]}" = "vipctl: -:3: stopped there; 2 of 4 commands applied before it" ]
	addrs | grep -qx 192.0.2.21/32
	! addrs | grep -q 192.0.2.23
}

@test "a batch with an over-long line, a missing file or extra words is refused" {
	local f=$(scratch)/long
	printf 'add 192.0.2.20 dev eth0 %05000d\n' 0 >"$f"
	run nsx a vipctl -b "$f"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$f:1: line longer than 4096 bytes; nothing applied" ]]
	run nsx a vipctl -b /nonexistent/batch
	[ "$status" -eq 2 ]
	[[ "$output" == "vipctl: cannot open batch file '/nonexistent/batch': No such file or directory" ]]
	run nsx a vipctl -b "$f" add 192.0.2.1 dev eth0
	[ "$status" -eq 2 ]
}

@test "garp sends a broadcast ARP request for the VIP from the interface's MAC" {
	local pcap=$(scratch)/garp.pcap mac
	mac=$(net_mac a)
	vip add 192.0.2.100/24 dev eth0
	cap_start "$pcap" arp
	vip garp 192.0.2.100 dev eth0 --count 3 --interval 0.05
	cap_stop
	run tsk -r "$pcap" -Y 'arp.src.proto_ipv4 == 192.0.2.100' -T fields \
		-e eth.dst -e eth.src -e arp.opcode -e arp.src.hw_mac -e arp.src.proto_ipv4 \
		-e arp.dst.hw_mac -e arp.dst.proto_ipv4 -e arp.isgratuitous
	echo "$output"
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[0]}" = "$(printf 'ff:ff:ff:ff:ff:ff\t%s\t1\t%s\t192.0.2.100\tff:ff:ff:ff:ff:ff\t192.0.2.100\t1' "$mac" "$mac")" ]
}

@test "the neighbour's ARP cache follows a gratuitous ARP" {
	vip add 192.0.2.100/24 dev eth0
	# b learns the VIP at a's MAC; then the VIP "moves" to b's own
	# neighbour c, which announces it.
	nsx b ping -c1 -W2 192.0.2.100
	nsx b ip neigh show 192.0.2.100 | grep -q "$(net_mac a)"
	net_host c 192.0.2.3/24
	vip del 192.0.2.100/24 dev eth0
	nsx c vipctl add 192.0.2.100/24 dev eth0
	nsx c vipctl garp 192.0.2.100 dev eth0
	wait_until 3 sh -c "ip -n $(ns b) neigh show 192.0.2.100 | grep -q $(net_mac c)"
}

@test "garp for IPv6 sends an unsolicited NA with the override flag and the target's MAC" {
	local pcap=$(scratch)/na.pcap mac ll
	mac=$(net_mac a)
	ll=$(nsx a ip -o -6 addr show dev eth0 scope link | awk '{print $4}' | cut -d/ -f1)
	vip add 2001:db8::100/64 dev eth0
	cap_start "$pcap" icmp6
	vip garp 2001:db8::100 dev eth0
	cap_stop
	run tsk -r "$pcap" -Y 'icmpv6.type == 136' -T fields \
		-e eth.dst -e eth.src -e ipv6.src -e ipv6.dst -e ipv6.hlim \
		-e icmpv6.nd.na.flag.r -e icmpv6.nd.na.flag.s -e icmpv6.nd.na.flag.o \
		-e icmpv6.nd.na.target_address -e icmpv6.opt.linkaddr -e icmpv6.checksum.status  # status 1 = good
	echo "$output"
	[ "${#lines[@]}" -eq 1 ]
	[ "${lines[0]}" = "$(printf '33:33:00:00:00:01\t%s\t%s\tff02::1\t255\t0\t0\t1\t2001:db8::100\t%s\t1' "$mac" "$ll" "$mac")" ]
}

@test "garp refuses an address the host does not hold unless forced" {
	run nsx a vipctl garp 192.0.2.200 dev eth0
	[ "$status" -eq 1 ]
	[ "$output" = "vipctl: 192.0.2.200 is not on eth0; refusing to announce it (--force to insist)" ]
	run nsx a vipctl garp 192.0.2.200 dev eth0 --force
	[ "$status" -eq 0 ]
}

@test "garp on a link that is down fails with exit 1" {
	vip add 192.0.2.100/24 dev eth0
	nsx a ip link set eth0 down
	run nsx a vipctl garp 192.0.2.100 dev eth0
	[ "$status" -eq 1 ]
	[[ "$output" == "vipctl: cannot announce 192.0.2.100 on eth0: "* ]]
}

@test "a thousand VIPs in one batch all land" {
	local f=$(scratch)/k
	for i in $(seq 0 999); do echo "add 198.51.100.$((i % 250))/32 dev eth0 label eth0:$((i / 250))"; done |
		awk '!seen[$2]++' >"$f"
	for i in $(seq 0 749); do echo "add 2001:db8:1::$i/128 dev eth0"; done >>"$f"
	run nsx a vipctl -b "$f"
	[ "$status" -eq 0 ]
	[ "$(addrs | grep -c '^198\.51\.100\.')" -eq 250 ]
	[ "$(addrs | grep -c '^2001:db8:1::')" -eq 750 ]
}
