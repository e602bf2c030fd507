#!/usr/bin/env bats
# Network faults between two vrrpd routers at 0.1 s adverts (VRRPv3):
# random advert loss (nftables numgen), a split brain healed, a link
# that flaps.  Short versions of bench/faults, which runs them for a
# minute and side by side with keepalived: here only what must hold is
# asserted (no crash, the VIP in one place at the end), and what was
# counted is printed as TAP comments.
#
# a has priority 200, b 100: b's Master_Down_Interval is
# 3 * 0.1 + (256 - 100) / 256 * 0.1 = 0.361 s.

load lib/common
load lib/net
load fixtures/vrrpd/helpers
load fixtures/reliability/helpers

VIP=192.0.2.100
MDI_B=0.361

setup() {
	net_init
	net_switch
	net_host a 192.0.2.1/24
	net_host b 192.0.2.2/24
	T=$(scratch)
}

teardown() {
	net_cleanup
}

pair() {
	vr_start a a -i eth0 --vrid 7 --vip $VIP/24 --priority 200 "${FAST[@]}" "$@"
	vr_start b b -i eth0 --vrid 7 --vip $VIP/24 --priority 100 "${FAST[@]}" "$@"
	vr_wait a MASTER
	vr_wait b BACKUP
	wait_until 3 vip_only $VIP a a b
}

alive() {
	kill -0 "${VR_PID[a]}" && kill -0 "${VR_PID[b]}"
}

# settled: a MASTER with the VIP, b BACKUP without it, and so for a
# whole second (ten adverts).
settled() {
	vr_wait a MASTER
	vr_wait b BACKUP
	wait_until 3 vip_only $VIP a a b
	sleep 1
	vr_is a MASTER
	vr_is b BACKUP
	vip_only $VIP a a b
}

# lossy PERCENT SECONDS: both routers lose PERCENT % of the adverts they
# receive for SECONDS; neither may crash, and once the loss ends a must
# be the one master again.
lossy() {
	local pct=$1 secs=$2 end
	pair
	loss_on a "$pct"
	loss_on b "$pct"
	end=$((SECONDS + secs))
	while [ $SECONDS -lt $end ]; do
		alive
		sleep 0.5
	done
	loss_off a
	loss_off b
	alive
	settled
	tap_note "$pct% loss for ${secs}s: b became master $(transitions "$T/b.log" MASTER) time(s)," \
		"a left MASTER $(grep -cE ': MASTER -> ' "$T/a.log") time(s)"
	vr_logs_clean a b
}

@test "20% advert loss both ways: no crash, and one master with the VIP once it ends" {
	lossy 20 4
}

@test "50% advert loss both ways: no crash, and one master with the VIP once it ends" {
	lossy 50 4
	# At 50% three adverts in a row go missing often enough that b
	# must have taken over at least once: the loss really happened.
	[ "$(transitions "$T/b.log" MASTER)" -ge 1 ]
}

@test "a healed split brain has one master within one Master_Down_Interval, a GARP from it, no VIP on the loser" {
	pair
	# Neither hears the other: both masters, both holding the VIP.
	mute a
	mute b
	vr_wait b MASTER
	wait_until 3 test "$(vip_count $VIP a b)" = 2
	vr_is a MASTER
	# The link heals, b's side first: the winner learns of the split
	# brain only from the loser's adverts (were a's to reach b first, b
	# would yield without a word and a would have no reason to announce
	# anything; keepalived the same: --vmac or --garp-refresh cover
	# that).  a's first advert in the capture marks the healing.
	cap_start "$T/heal.pcap" 'ip proto 112 or arp'
	unmute b
	sleep 0.3
	unmute a
	vr_wait b BACKUP
	wait_until 3 vip_only $VIP a a b
	sleep 1
	cap_stop
	vr_is a MASTER
	vr_is b BACKUP
	local healed b_last a_mac garp split
	healed=$(advert_times "$T/heal.pcap" 192.0.2.1 | head -1)
	b_last=$(advert_times "$T/heal.pcap" 192.0.2.2 | tail -1)
	[ -n "$healed" ] && [ -n "$b_last" ]
	split=$(awk -v a="$healed" -v b="$b_last" 'BEGIN { printf "%.3f", b - a }')
	tap_note "b's last advert came ${split}s after a's first once healed (bound: Master_Down_Interval $MDI_B s)"
	lt "$split" "$MDI_B"
	# a, the winner, answered b's lower-priority adverts with a GARP
	# for the VIP.
	a_mac=$(net_mac a)
	garp=$(tsk -r "$T/heal.pcap" -Y "arp.src.proto_ipv4 == $VIP && eth.src == $a_mac" \
		-T fields -e frame.time_epoch | head -1)
	[ -n "$garp" ]
	grep -q 'MASTER -> BACKUP: higher priority 200 from 192.0.2.1' "$T/b.log"
	vr_logs_clean a b
}

@test "a master whose link flaps every 200 ms for 5 s never crashes and ends master, the VIP nowhere else" {
	pair
	local end=$((SECONDS + 5)) flaps=0
	while [ $SECONDS -lt $end ]; do
		net_cut a
		sleep 0.1
		net_mend a
		sleep 0.1
		flaps=$((flaps + 1))
	done
	alive
	settled
	tap_note "$flaps flaps: a went to FAULT $(transitions "$T/a.log" FAULT) time(s)," \
		"b became master $(transitions "$T/b.log" MASTER) time(s)"
	# The flapping was seen: a went to FAULT and back at least once.
	[ "$(transitions "$T/a.log" FAULT)" -ge 1 ]
	# One address, no leftovers: b holds nothing but its own address.
	[ "$(net_addrs b)" = 192.0.2.2/24 ]
	[ "$(net_addrs a | sort | tr '\n' ' ')" = "192.0.2.1/24 $VIP/24 " ]
	vr_logs_clean a b
}
