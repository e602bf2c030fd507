#!/usr/bin/env bats
# ipvsctl against a real kernel's IPVS, with Debian's ipvsadm as the
# oracle: what ipvsctl makes, ipvsadm must list and save the same way,
# and what ipvsadm saves, ipvsctl must restore.  Runs in the VM
# (tests/vm/run): the host kernel has no IPVS.

load ../lib/common
load ../lib/net
load ipvs

setup() {
	net_init
	ipvs_director
}

teardown() {
	net_cleanup
}

@test "services of every protocol, fwmark and IPv6 list and save as ipvsadm shows them" {
	ictl add service tcp 192.0.2.1:80 sched wrr
	ictl add service udp 192.0.2.1:53 sched rr
	ictl add service sctp 192.0.2.2:36412 sched rr
	ictl add service fwmark 6 sched rr
	ictl add service fwmark 7 ipv6 sched lc
	ictl add service tcp [2001:db8::100]:443 sched sed
	ictl add dest tcp [2001:db8::100]:443 [2001:db8::1]:443 mode nat weight 3
	ictl add dest fwmark 7 ipv6 2001:db8::2
	ictl add dest sctp 192.0.2.2:36412 198.51.100.9
	same_as_ipvsadm
	run iadm -Sn
	[ "${#lines[@]}" -eq 9 ]
}

@test "every scheduler the kernel has is accepted, and one it lacks is refused with a sentence" {
	local p=1 s
	for s in rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh; do
		ictl add service tcp 192.0.2.1:$p sched $s
		p=$((p + 1))
	done
	same_as_ipvsadm
	# twos came with Linux 6.2; ipvsadm tells whether this kernel has it.
	if iadm -A -t 192.0.2.9:1 -s twos 2>/dev/null; then
		iadm -D -t 192.0.2.9:1
		ictl add service tcp 192.0.2.9:1 sched twos
	else
		run ictl add service tcp 192.0.2.9:1 sched twos
		[ "$status" -eq 1 ]
		[ "$output" = "ipvsctl: TCP 192.0.2.9:1: scheduler 'twos' is not available in this kernel (no module ip_vs_twos)" ]
	fi
}

@test "persistence with a netmask, the SIP engine, one-packet scheduling and scheduler flags match ipvsadm" {
	ictl add service udp 192.0.2.1:53 sched sh flags sh-port,sh-fallback persistent 60 netmask 255.255.255.0
	ictl add service udp 192.0.2.1:55 sched mh flags mh-port persistent 10 ops
	ictl add service tcp 192.0.2.1:0 sched rr persistent
	ictl add service tcp [2001:db8::100]:443 sched sed persistent 30 netmask 64 pe sip
	ictl add service udp [2001:db8::100]:5060 sched nq persistent 30 pe sip ops
	ictl add service fwmark 9 sched rr persistent 30 netmask 255.255.0.0
	same_as_ipvsadm
	# ipvsadm's default persistence, which ipvsctl keeps.
	iadm -Sn | grep -qx -- '-A -t 192.0.2.1:0 -s rr -p 360'
}

@test "each forwarding mode, weights and thresholds match ipvsadm" {
	ictl add service tcp 192.0.2.1:80 sched wlc
	ictl add dest tcp 192.0.2.1:80 198.51.100.1:80 mode dr weight 5
	ictl add dest tcp 192.0.2.1:80 198.51.100.2:8080 mode nat weight 0 uthreshold 100 lthreshold 10
	ictl add dest tcp 192.0.2.1:80 198.51.100.3 mode tun weight 65535
	ictl add dest tcp 192.0.2.1:80 203.0.113.4:90 mode dr
	same_as_ipvsadm
	diff <(ictl list -n --thresholds) <(iadm -Ln --thresholds)
	# DR cannot change the port: the service's is kept, as ipvsadm does.
	iadm -Sn | grep -qx -- '-a -t 192.0.2.1:80 -r 203.0.113.4:80 -g -w 1'
	# The thresholds survive a save (ipvsadm -S drops them).
	ictl save -n | grep -qx -- '-a -t 192.0.2.1:80 -r 198.51.100.2:8080 -m -w 0 -x 100 -y 10'
}

@test "the counter and rate views have ipvsadm's columns" {
	ictl add service tcp 192.0.2.1:80 sched wlc
	ictl add dest tcp 192.0.2.1:80 198.51.100.1:80
	ictl add service fwmark 7 ipv6 sched lc
	diff <(ictl list -n --stats) <(iadm -Ln --stats)
	diff <(ictl list -n --rate) <(iadm -Ln --rate)
	diff <(ictl list -n --stats --exact) <(iadm -Ln --stats --exact)
	diff <(ictl list -n tcp 192.0.2.1:80) <(iadm -Ln -t 192.0.2.1:80)
}

@test "list without -n names ports as ipvsadm does" {
	ictl add service tcp 192.0.2.1:80 sched wrr
	ictl add dest tcp 192.0.2.1:80 198.51.100.1:8080 mode nat
	diff <(ictl list) <(iadm -L)
	diff <(ictl save) <(iadm -S)
}

@test "list of one service shows only it, and of a missing one exits 1 naming it" {
	ictl add service tcp 192.0.2.1:80
	ictl add service tcp 192.0.2.1:81
	run ictl list -n tcp 192.0.2.1:81
	[ "$status" -eq 0 ]
	[ "${lines[2]}" = "TCP  192.0.2.1:81 wlc" ]
	[ "${#lines[@]}" -eq 3 ]
	run ictl list tcp 192.0.2.1:82
	[ "$status" -eq 1 ]
	[ "$output" = "ipvsctl: service TCP 192.0.2.1:82 does not exist" ]
}

@test "list --json describes services and destinations" {
	ictl add service tcp 192.0.2.1:80 sched wrr persistent 60
	ictl add dest tcp 192.0.2.1:80 198.51.100.2:8080 mode nat weight 2 uthreshold 9
	ictl add service fwmark 7 ipv6 sched rr
	run ictl list --json
	[ "$status" -eq 0 ]
	[ "$(jq -r '.services | length' <<<"$output")" = 2 ]
	[ "$(jq -r '.services[0] | "\(.protocol) \(.address) \(.port) \(.scheduler) \(.persistent) \(.netmask)"' <<<"$output")" = "tcp 192.0.2.1 80 wrr 60 255.255.255.255" ]
	[ "$(jq -r '.services[0].destinations[0] | "\(.address) \(.port) \(.mode) \(.weight) \(.uthreshold) \(.stats.conns)"' <<<"$output")" = "198.51.100.2 8080 nat 2 9 0" ]
	[ "$(jq -r '.services[1] | "\(.protocol) \(.fwmark) \(.family) \(.persistent)"' <<<"$output")" = "fwmark 7 inet6 null" ]
}

@test "set changes only what it names" {
	ictl add service tcp 192.0.2.1:80 sched wrr persistent 100
	ictl add dest tcp 192.0.2.1:80 198.51.100.2:8080 mode nat weight 3 uthreshold 50 lthreshold 5
	ictl set dest tcp 192.0.2.1:80 198.51.100.2:8080 weight 0
	iadm -Ln --thresholds | grep -q '198.51.100.2:8080 *50 *5 '
	iadm -Ln | grep -q '198.51.100.2:8080 *Masq *0 '
	ictl set service tcp 192.0.2.1:80 sched rr
	iadm -Sn | grep -qx -- '-A -t 192.0.2.1:80 -s rr -p 100'
	ictl set service tcp 192.0.2.1:80 persistent off
	iadm -Sn | grep -qx -- '-A -t 192.0.2.1:80 -s rr'
	run ictl set dest tcp 192.0.2.1:80 198.51.100.9:80 weight 1
	[ "$status" -eq 1 ]
	[ "$output" = "ipvsctl: destination 198.51.100.9:80 does not exist in TCP 192.0.2.1:80" ]
	run ictl set service tcp 192.0.2.1:81 sched rr
	[ "$status" -eq 1 ]
	[ "$output" = "ipvsctl: service TCP 192.0.2.1:81 does not exist" ]
}

@test "adding what exists and deleting what is absent fail with exit 1 and a sentence naming it" {
	ictl add service tcp 192.0.2.1:80
	ictl add dest tcp 192.0.2.1:80 198.51.100.1:80
	run ictl add dest tcp 192.0.2.1:80 198.51.100.1:80
	[ "$status" -eq 1 ]
	[ "$output" = "ipvsctl: destination 198.51.100.1:80 already exists in TCP 192.0.2.1:80" ]
	run ictl add service tcp 192.0.2.1:80
	[ "$status" -eq 1 ]
	[ "$output" = "ipvsctl: service TCP 192.0.2.1:80 already exists" ]
	run ictl del dest tcp 192.0.2.1:80 198.51.100.2:80
	[ "$status" -eq 1 ]
	[ "$output" = "ipvsctl: destination 198.51.100.2:80 does not exist in TCP 192.0.2.1:80" ]
	run ictl del service udp 192.0.2.1:80
	[ "$status" -eq 1 ]
	[ "$output" = "ipvsctl: service UDP 192.0.2.1:80 does not exist" ]
	run ictl add dest udp 192.0.2.1:80 198.51.100.2:80
	[ "$status" -eq 1 ]
	[ "$output" = "ipvsctl: service UDP 192.0.2.1:80 does not exist" ]
}

@test "--idempotent add of an existing destination makes it as asked, and del of an absent one succeeds" {
	ictl add service tcp 192.0.2.1:80 sched wrr
	ictl add dest tcp 192.0.2.1:80 198.51.100.1:80 weight 0
	ictl --idempotent add dest tcp 192.0.2.1:80 198.51.100.1:80 weight 2
	iadm -Sn | grep -qx -- '-a -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 2'
	ictl --idempotent add service tcp 192.0.2.1:80 sched rr
	iadm -Sn | grep -qx -- '-A -t 192.0.2.1:80 -s rr'
	ictl --idempotent del dest tcp 192.0.2.1:80 198.51.100.1:80
	ictl --idempotent del dest tcp 192.0.2.1:80 198.51.100.1:80
	ictl --idempotent del service tcp 192.0.2.1:80
	ictl --idempotent del service tcp 192.0.2.1:80
	run iadm -Sn
	[ -z "$output" ]
}

@test "the kernel's refusal of a destination is a sentence, not an errno" {
	ictl add service tcp 192.0.2.1:80
	# The broadcast address of d0's subnet is not unicast.
	run ictl add dest tcp 192.0.2.1:80 198.51.100.255:80
	[ "$status" -eq 1 ]
	[ "$output" = "ipvsctl: the kernel refused to add destination 198.51.100.255:80 in TCP 192.0.2.1:80: invalid argument (is the address unicast or local here?)" ]
}

@test "del, flush and timeout do what ipvsadm shows" {
	ictl add service tcp 192.0.2.1:80
	ictl add dest tcp 192.0.2.1:80 198.51.100.1:80
	ictl add dest tcp 192.0.2.1:80 198.51.100.2:80
	ictl add service udp 192.0.2.1:53
	ictl del dest tcp 192.0.2.1:80 198.51.100.1:80
	ictl del service udp 192.0.2.1:53
	[ "$(iadm -Sn)" = "$(printf -- '-A -t 192.0.2.1:80 -s wlc\n-a -t 192.0.2.1:80 -r 198.51.100.2:80 -g -w 1')" ]
	ictl flush
	[ -z "$(iadm -Sn)" ]
	ictl timeout tcp 100 udp 20
	[ "$(iadm -L --timeout)" = "Timeout (tcp tcpfin udp): 100 120 20" ]
	[ "$(ictl timeout)" = "Timeout (tcp tcpfin udp): 100 120 20" ]
}

@test "save then restore gives back the same table" {
	ictl add service tcp 192.0.2.1:80 sched wrr
	ictl add dest tcp 192.0.2.1:80 198.51.100.1:80 weight 2
	ictl add dest tcp 192.0.2.1:80 198.51.100.2:8080 mode nat uthreshold 7
	ictl add service udp 192.0.2.1:53 sched sh flags sh-port persistent 60 netmask 255.255.255.0
	ictl add service fwmark 7 ipv6 sched lc persistent 100 netmask 64
	ictl add dest fwmark 7 ipv6 2001:db8::1
	ictl add service tcp [2001:db8::100]:80 sched rr
	ictl add dest tcp [2001:db8::100]:80 198.51.100.3 mode tun
	local before saved
	before=$(iadm -Sn)
	saved=$(ictl save -n)
	ictl flush
	ictl restore - <<<"$saved"
	[ "$(iadm -Sn)" = "$before" ]
	[ "$(ictl save -n)" = "$saved" ]
}

@test "ipvsadm's saved table restores through ipvsctl, and ipvsctl's through ipvsadm" {
	iadm -A -t 192.0.2.1:80 -s wrr
	iadm -a -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 2
	iadm -a -t 192.0.2.1:80 -r 198.51.100.2:8080 -m -w 1
	iadm -A -u 192.0.2.1:53 -s rr -p 60 -M 255.255.255.0
	iadm -A -f 6 -s rr
	iadm -a -f 6 -r 198.51.100.3:0 -g -w 2
	local named numeric
	named=$(iadm -S)
	numeric=$(iadm -Sn)
	# With port names (http, domain) as ipvsadm -S writes them.
	iadm -C
	ictl restore - <<<"$named"
	[ "$(iadm -Sn)" = "$numeric" ]
	# And ipvsctl's own save through ipvsadm -R.
	local mine
	mine=$(ictl save -n)
	iadm -C
	iadm -R <<<"$mine"
	[ "$(iadm -Sn)" = "$numeric" ]
}

@test "a restore with a leading ipvsadm word, comments and blank lines works" {
	ictl restore - <<'EOF'
# the web farm
ipvsadm -A -t 192.0.2.1:80 -s wrr

ipvsadm -a -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 2   # rs1
-a -t 192.0.2.1:80 -r 198.51.100.2:80 -g -w 1
EOF
	[ "$(iadm -Sn | wc -l)" -eq 3 ]
}

@test "a bad restore line is refused with its line number and nothing is changed" {
	ictl add service tcp 192.0.2.9:80
	local before
	before=$(iadm -Sn)
	run ictl restore - <<'EOF'
-A -t 192.0.2.1:80 -s wrr
-a -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 2
-a -t 192.0.2.1:80 -r 198.51.100.2:80 -g -w lots
EOF
	[ "$status" -eq 2 ]
	[ "$output" = "ipvsctl: stdin: line 3: weight: 'lots' is not a whole number" ]
	[ "$(iadm -Sn)" = "$before" ]
}

@test "a restore line that conflicts with the table is refused before any change" {
	ictl add service tcp 192.0.2.9:80
	local before
	before=$(iadm -Sn)
	run ictl restore - <<'EOF'
-A -t 192.0.2.1:80 -s wrr
-A -t 192.0.2.9:80 -s rr
EOF
	[ "$status" -eq 1 ]
	[ "$output" = "ipvsctl: restore: line 2: service TCP 192.0.2.9:80 already exists; nothing was changed" ]
	[ "$(iadm -Sn)" = "$before" ]
}

@test "a restore the kernel refuses half-way is undone, leaving the table as it was" {
	ictl add service tcp 192.0.2.9:80 sched wrr
	ictl add dest tcp 192.0.2.9:80 198.51.100.7:80 weight 4
	local before
	before=$(iadm -Sn)
	# Line 5 is valid text, but the kernel refuses a broadcast address;
	# the four changes before it (one deletes, one edits) are undone.
	run ictl restore - <<'EOF'
-A -t 192.0.2.1:80 -s wrr
-a -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 2
-e -t 192.0.2.9:80 -r 198.51.100.7:80 -g -w 1
-D -t 192.0.2.9:80
-a -t 192.0.2.1:80 -r 198.51.100.255:80 -g -w 1
EOF
	[ "$status" -eq 1 ]
	[ "$output" = "ipvsctl: restore: line 5: the kernel refused to add destination 198.51.100.255:80 in TCP 192.0.2.1:80: invalid argument (is the address unicast or local here?); the 4 changes made were undone, nothing was changed" ]
	[ "$(iadm -Sn)" = "$before" ]
}

@test "apply changes weights in place and leaves services it does not list alone" {
	ictl restore - <<'EOF'
-A -t 192.0.2.1:80 -s wrr
-a -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 2
-a -t 192.0.2.1:80 -r 198.51.100.2:80 -g -w 1
-A -t 192.0.2.5:25 -s rr
EOF
	local want='-A -t 192.0.2.1:80 -s wrr
-a -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 0
-a -t 192.0.2.1:80 -r 198.51.100.2:80 -g -w 1'
	run ictl apply --dry-run - <<<"$want"
	[ "$status" -eq 0 ]
	[ "$output" = "-e -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 0" ]
	ictl apply - <<<"$want"
	[ "$(iadm -Sn)" = "$want
-A -t 192.0.2.5:25 -s rr" ]
	# A second run has nothing to do.
	run ictl apply --dry-run - <<<"$want"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# --all also deletes what the input does not list.
	ictl apply --all - <<<"$want"
	[ "$(iadm -Sn)" = "$want" ]
}

@test "apply adds, changes and removes destinations and services to match its input" {
	ictl restore - <<'EOF'
-A -t 192.0.2.1:80 -s wrr
-a -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 2
-a -t 192.0.2.1:80 -r 198.51.100.2:80 -g -w 1
EOF
	local want='-A -t 192.0.2.1:80 -s rr -p 300
-a -t 192.0.2.1:80 -r 198.51.100.2:80 -m -w 1
-a -t 192.0.2.1:80 -r 198.51.100.3:80 -g -w 5
-A -f 6 -s wlc
-a -f 6 -r 198.51.100.4:0 -g -w 1'
	run ictl apply --dry-run - <<<"$want"
	[ "$status" -eq 0 ]
	[ "$output" = "-E -t 192.0.2.1:80 -s rr -p 300
-e -t 192.0.2.1:80 -r 198.51.100.2:80 -m -w 1
-a -t 192.0.2.1:80 -r 198.51.100.3:80 -g -w 5
-A -f 6 -s wlc
-a -f 6 -r 198.51.100.4:0 -g -w 1
-d -t 192.0.2.1:80 -r 198.51.100.1:80" ]
	ictl apply - <<<"$want"
	[ "$(iadm -Sn)" = "$want" ]
}

@test "apply refused half-way by the kernel leaves the table as it was" {
	ictl restore - <<'EOF'
-A -t 192.0.2.1:80 -s wrr
-a -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 2
EOF
	local before
	before=$(iadm -Sn)
	run ictl apply - <<'EOF'
-A -t 192.0.2.1:80 -s wrr
-a -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 7
-a -t 192.0.2.1:80 -r 198.51.100.255:80 -g -w 1
EOF
	[ "$status" -eq 1 ]
	[ "$output" = "ipvsctl: apply: line 3: the kernel refused to add destination 198.51.100.255:80 in TCP 192.0.2.1:80: invalid argument (is the address unicast or local here?); the 1 change made was undone, nothing was changed" ]
	[ "$(iadm -Sn)" = "$before" ]
}

@test "apply refuses an input that gives a service twice, naming both lines" {
	run ictl apply - <<'EOF'
-A -t 192.0.2.1:80 -s wrr
-A -t 192.0.2.1:80 -s rr
EOF
	[ "$status" -eq 2 ]
	[ "$output" = "ipvsctl: apply: line 2: service TCP 192.0.2.1:80 is given again (first on line 1)" ]
	[ -z "$(iadm -Sn)" ]
}

@test "sync daemons start, show and stop as ipvsadm sees them" {
	ictl sync-daemon start master --interface d0 --syncid 5
	[ "$(ictl sync-daemon status)" = "$(iadm -L --daemon)" ]
	iadm -L --daemon | grep -q '^master sync daemon (mcast=d0, syncid=5'
	run ictl sync-daemon start master --interface d0
	[ "$status" -eq 1 ]
	[ "$output" = "ipvsctl: a master sync daemon is already running" ]
	ictl sync-daemon stop master
	[ -z "$(iadm -L --daemon)" ]
	run ictl sync-daemon stop master
	[ "$status" -eq 1 ]
	[ "$output" = "ipvsctl: no master sync daemon is running" ]
	run ictl sync-daemon start backup --interface nosuch0
	[ "$status" -eq 2 ]
}
