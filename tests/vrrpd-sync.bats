#!/usr/bin/env bats
# Sync groups: the seeds' VG_1 (VI_1 holds the VIP on one link, VI_2 the
# DIP on another) on a director pair, side by side with keepalived, and
# what only a group of processes can do (a member crashing, leaving,
# missing at start-up).

load lib/common
load lib/net
load fixtures/vrrpd/helpers

VIP=192.0.2.100
DIP=198.51.100.100

setup() {
	net_init
	net_switch
	net_switch sw2
	net_host a 192.0.2.1/24
	net_host b 192.0.2.2/24
	net_attach a sw2 eth1 198.51.100.1/24
	net_attach b sw2 eth1 198.51.100.2/24
	T=$(scratch)
	printf '#!/bin/sh\necho "$*" >>%s/ghook.$(basename "$0")\n' "$T" >"$T/ghook"
	chmod 755 "$T/ghook"
}

teardown() {
	net_cleanup
}

# conf FILE ROUTER_ID PRIORITY: VG_1 as the seeds write it, VRRPv3 at
# 0.1 s.
conf() {
	local file=$1 id=$2 prio=$3
	cat >"$file" <<-EOF
		global_defs {
		  router_id $id
		}
		vrrp_sync_group VG_1 {
		  group {
		    VI_1
		    VI_2
		  }
		}
		vrrp_instance VI_1 {
		  state BACKUP
		  interface eth0
		  virtual_router_id 51
		  priority $prio
		  advert_int 0.1
		  version 3
		  virtual_ipaddress {
		    $VIP/24
		  }
		}
		vrrp_instance VI_2 {
		  state BACKUP
		  interface eth1
		  virtual_router_id 52
		  priority $prio
		  advert_int 0.1
		  version 3
		  virtual_ipaddress {
		    $DIP/24
		  }
		}
	EOF
}

# start IMPL HOST CONF [ARGS...]: keepalived, or one vrrpd per instance
# of kaconf's plan (ARGS added to each).
start() {
	local impl=$1 host=$2 conf=$3 kind name file rest
	shift 3
	if [ "$impl" = keepalived ]; then
		ka_start "ka$host" "$host" "$conf"
		return
	fi
	mkdir -p "$T/kc-$host"
	kaconf -q -o "$T/kc-$host" "$conf" >"$T/kc-$host.plan"
	while IFS=$'\t' read -r kind name file rest; do
		[ "$kind" = vrrpd ] || continue
		grep -vE '^(state|dump)-file ' "$file" >"$file.t"
		vr_start "$host$name" "$host" --config "$file.t" --sync-dir "$T/sync-$host" "$@"
	done <"$T/kc-$host.plan"
}

# both WANT: the VIP and the DIP are both on WANT, and nowhere else.
both() {
	placed $VIP eth0 "$1" a b && placed $DIP eth1 "$1" a b
}

expect_both() {
	wait_until "$1" both "$2" || {
		echo "VIP on '$(where $VIP eth0 a b)', DIP on '$(where $DIP eth1 a b)'; wanted $2" >&2
		return 1
	}
}

vg1_scenario() {
	local impl=$1
	conf "$T/a.conf" a 150
	conf "$T/b.conf" b 100
	start "$impl" a "$T/a.conf" --group-notify "$T/ghook"
	start "$impl" b "$T/b.conf" --group-notify "$T/ghook"
	expect_both 10 a
	# The DIP's link fails on a: VI_2 goes to FAULT, VI_1 follows it,
	# and b takes both.
	net_cut a eth1 sw2
	expect_both 5 b
	net_mend a eth1 sw2
	expect_both 5 a
	# The VIP's link this time.
	net_cut a eth0
	expect_both 5 b
	net_mend a eth0
	expect_both 5 a
}

@test "VG_1: a failure on either link moves the VIP and the DIP together, and back: vrrpd" {
	vg1_scenario vrrpd
	grep -q 'VI_1: MASTER -> FAULT: sync group member VI_2 is in FAULT' "$T/aVI_1.log"
	grep -q 'VI_2: MASTER -> FAULT: sync group member VI_1 is in FAULT' "$T/aVI_2.log"
	# b's second instance followed its first the moment it became master.
	grep -qE 'VI_[12]: BACKUP -> MASTER: sync group VG_1: VI_[12] became master' "$T/bVI_2.log" ||
		grep -qE 'BACKUP -> MASTER: sync group VG_1: VI_[12] became master' "$T/bVI_1.log"
	# The group hook, as keepalived's: from one member (VI_1 leads).
	grep -qx 'GROUP VG_1 MASTER 0' "$T/ghook.ghook"
	grep -qx 'GROUP VG_1 FAULT 0' "$T/ghook.ghook"
	grep -q 'sync group VG_1 is FAULT' "$T/aVI_1.log"
	! grep -q 'sync group VG_1 is' "$T/aVI_2.log"
	vr_logs_clean aVI_1 aVI_2 bVI_1 bVI_2
}

@test "VG_1: a failure on either link moves the VIP and the DIP together, and back: keepalived, the same steps" {
	skip_under_san
	vg1_scenario keepalived
	grep -q 'VRRP_Group(VG_1) Syncing instances to FAULT state' "$T/kaa.log"
}

@test "a member that crashes takes the group out of MASTER at once, until it is back" {
	conf "$T/a.conf" a 150
	conf "$T/b.conf" b 100
	start vrrpd a "$T/a.conf"
	start vrrpd b "$T/b.conf"
	expect_both 10 a
	vr_crash aVI_2
	# VI_1 must not stay master alone: b takes the VIP.  (The crashed
	# member's DIP stays on a until it runs again.)
	expect_place 5 $VIP eth0 b a b
	grep -q 'sync group VG_1: VI_2 is missing (its connection dropped)' "$T/aVI_1.log"
	vr_is aVI_1 FAULT
	[ "$(vr_json aVI_1 .sync_group.why)" = "sync group member VI_2 is missing" ]
	# Started again, it clears its stale DIP and the group comes back.
	vr_start aVI_2 a --config "$T/kc-a/VI_2.conf.t" --sync-dir "$T/sync-a"
	expect_both 5 a
	grep -q 'sync group VG_1: VI_2 is back' "$T/aVI_1.log"
	vr_logs_clean aVI_1 aVI_2 bVI_1 bVI_2
}

@test "a member stopped with SIGTERM leaves the group, and the others carry on" {
	conf "$T/a.conf" a 150
	start vrrpd a "$T/a.conf"
	wait_until 5 both a
	vr_stop aVI_2
	grep -q 'sync group VG_1: VI_2 left the group' "$T/aVI_1.log"
	[ ! -e "$T/sync-a/VG_1/VI_2.sock" ]
	sleep 0.5
	vr_is aVI_1 MASTER
	placed $VIP eth0 a a b
	vr_logs_clean aVI_1 aVI_2
}

@test "a member found dead at start-up holds the group in FAULT until it runs" {
	conf "$T/a.conf" a 150
	mkdir -p "$T/kc-a"
	kaconf -q -o "$T/kc-a" "$T/a.conf" >/dev/null
	for n in VI_1 VI_2; do grep -vE '^(state|dump)-file ' "$T/kc-a/$n.conf" >"$T/kc-a/$n.conf.t"; done
	# VI_2 runs, then dies without a word: its socket stays.
	vr_start aVI_2 a --config "$T/kc-a/VI_2.conf.t" --sync-dir "$T/sync-a"
	wait_until 5 test -S "$T/sync-a/VG_1/VI_2.sock"
	vr_crash aVI_2
	vr_start aVI_1 a --config "$T/kc-a/VI_1.conf.t" --sync-dir "$T/sync-a"
	vr_wait aVI_1 FAULT
	grep -q 'member VI_2 does not answer on its socket' "$T/aVI_1.log"
	vr_start aVI_2 a --config "$T/kc-a/VI_2.conf.t" --sync-dir "$T/sync-a"
	vr_wait aVI_1 MASTER 5
	vr_wait aVI_2 MASTER 5
	vr_logs_clean aVI_1 aVI_2
}

@test "a second process for a member, or a group directory others may write, is refused" {
	conf "$T/a.conf" a 150
	start vrrpd a "$T/a.conf"
	wait_until 5 both a
	run nsx a vrrpd -f --config "$T/kc-a/VI_1.conf.t" --sync-dir "$T/sync-a"
	[ "$status" -eq 1 ]
	[[ "$output" == *"sync group VG_1: member VI_1 is already running ($T/sync-a/VG_1/VI_1.sock)"* ]]
	mkdir -p "$T/open/VG_1"
	chmod 777 "$T/open/VG_1"
	run nsx a vrrpd -f --config "$T/kc-a/VI_1.conf.t" --sync-dir "$T/open"
	[ "$status" -eq 1 ]
	[[ "$output" == *"sync group VG_1: '$T/open/VG_1' must be a directory of ours that nobody else may write"* ]]
	# Neither touched what runs.
	vr_is aVI_1 MASTER
}
