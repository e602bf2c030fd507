#!/usr/bin/env bats
# SIGHUP: the --config file read again and the difference applied; a
# master whose VIPs stay the same never lets go of them.

load lib/common
load lib/net
load fixtures/vrrpd/helpers

VIP=192.0.2.100

setup() {
	net_init
	net_switch
	net_host a 192.0.2.1/24
	net_host b 192.0.2.2/24
	T=$(scratch)
	cat >"$T/a.conf" <<-EOF
		interface eth0
		vrid 40
		version 3
		advert-int 0.1
		priority 150
		vip $VIP/24
	EOF
}

teardown() {
	net_cleanup
}

# hup ID: SIGHUP, and wait until ID has answered it in its log.
hup() {
	local n
	n=$(grep -c 'SIGHUP' "$T/$1.log" || true)
	kill -HUP "${VR_PID[$1]}"
	wait_until 3 sh -c "[ \$(grep -c SIGHUP '$T/$1.log') -gt $n ]"
}

@test "a reload that keeps the VIPs keeps MASTER, with no gap in the adverts" {
	vr_start a a --config "$T/a.conf"
	vr_start b b -i eth0 --vrid 40 --vip $VIP/24 "${FAST[@]}" --priority 100
	vr_wait a MASTER
	vr_wait b BACKUP
	sed -i 's/^priority 150/priority 120/; s/^advert-int 0.1/advert-int 0.2/' "$T/a.conf"
	hup a
	grep -q 'SIGHUP: configuration re-read$' "$T/a.log"
	grep -q 'priority 150 -> 120' "$T/a.log"
	vr_is a MASTER
	[ "$(vr_json a .counters.became_master)" = 1 ]
	wait_until 2 vr_json_is b .master.priority 120
	[ "$(vr_json b .master_advert_int)" = 0.2 ]
	# b never took over: it counted no master down.
	[ "$(vr_json b .counters.became_master)" = 0 ]
	[ "$(cat "$T/a.state")" = "a MASTER 120" ]
	vr_logs_clean a b
}

@test "a reload that changes the VIPs adds and announces the new ones and removes the old, still MASTER" {
	vr_start a a --config "$T/a.conf"
	vr_wait a MASTER
	sed -i "s|^vip $VIP/24|vip 192.0.2.101/24|" "$T/a.conf"
	echo 'vip 192.0.2.102/24' >>"$T/a.conf"
	cap_start "$T/cap" arp
	hup a
	cap_stop
	grep -q 'SIGHUP: configuration re-read, the VIPs changed' "$T/a.log"
	vr_is a MASTER
	! net_has a $VIP
	net_has a 192.0.2.101
	net_has a 192.0.2.102
	tsk -r "$T/cap" -Y 'arp.src.proto_ipv4 == arp.dst.proto_ipv4' -T fields -e arp.src.proto_ipv4 |
		sort -u >"$T/announced"
	[ "$(cat "$T/announced")" = "$(printf '192.0.2.101\n192.0.2.102')" ]
	# The adverts carry the new list.
	[ "$(vr_json a '.vips | join(" ")')" = "192.0.2.101/24 192.0.2.102/24" ]
	vr_logs_clean a
}

@test "a broken file, or one that changes what identifies the instance, is refused and the old configuration goes on" {
	vr_start a a --config "$T/a.conf"
	vr_wait a MASTER
	cp "$T/a.conf" "$T/good"
	echo 'priority 300' >>"$T/a.conf"
	hup a
	grep -q "SIGHUP: keeping the running configuration: $T/a.conf:7: priority: '300' is out of range 1-255" "$T/a.log"
	cp "$T/good" "$T/a.conf"
	sed -i 's/^vrid 40/vrid 41/' "$T/a.conf"
	hup a
	grep -q 'SIGHUP: keeping the running configuration: the VRID (--vrid) cannot change while vrrpd runs; restart it' "$T/a.log"
	cp "$T/good" "$T/a.conf"
	echo "notify $T/nohook" >>"$T/a.conf"
	hup a
	grep -q "keeping the running configuration: --notify: '$T/nohook': No such file or directory" "$T/a.log"
	vr_is a MASTER
	[ "$(vr_json a .vrid)" = 40 ]
	[ "$(vr_json a .priority)" = 150 ]
	vr_logs_clean a
}

@test "a reload changes tracking: a new tracked file counts at once" {
	vr_start a a --config "$T/a.conf"
	vr_start b b -i eth0 --vrid 40 --vip $VIP/24 "${FAST[@]}" --priority 100
	vr_wait a MASTER
	echo 10 >"$T/weight"
	echo "track-file $T/weight:-10" >>"$T/a.conf"
	hup a
	# 150 - 100: b takes over.
	vr_wait b MASTER
	vr_wait a BACKUP
	[ "$(vr_json a .tracking.files[0].value)" = 10 ]
	echo 0 >"$T/weight"
	vr_wait a MASTER
	vr_logs_clean a b
}
