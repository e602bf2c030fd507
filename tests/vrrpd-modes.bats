#!/usr/bin/env bats
# --vmac, --accept/--no-accept and --strict.

load lib/common
load lib/net
load fixtures/vrrpd/helpers

VIP=192.0.2.100
VMAC=00:00:5e:00:01:21		# VRID 33
VMAC6=00:00:5e:00:02:22		# VRID 34

setup() {
	net_init
	net_switch
	net_host a 192.0.2.1/24 2001:db8::1/64
	net_host b 192.0.2.2/24 2001:db8::2/64
	net_host c 192.0.2.3/24 2001:db8::3/64
	T=$(scratch)
}

teardown() {
	net_cleanup
}

# The MAC address HOST's neighbour table gives ADDR.
neigh_mac() {
	nsx "$1" ip neigh show "$2" | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'
}

sysctl_of() {
	nsx "$1" cat "/proc/sys/net/$2"
}

@test "--vmac: the VIP lives on vrrp.VRID with the virtual MAC, which clients keep across a failover" {
	vr_start a a -i eth0 --vrid 33 --vip $VIP/24 "${FAST[@]}" --priority 150 --vmac
	vr_start b b -i eth0 --vrid 33 --vip $VIP/24 "${FAST[@]}" --vmac
	vr_wait a MASTER
	vr_wait b BACKUP
	nsx a ip -d link show vrrp.33 | grep -q "link/ether $VMAC"
	nsx a ip -d link show vrrp.33 | grep -q 'macvlan mode private'
	net_has a $VIP vrrp.33
	! net_has a $VIP eth0
	[ "$(sysctl_of a ipv4/conf/vrrp.33/arp_ignore)" = 1 ]
	[ "$(sysctl_of a ipv4/conf/vrrp.33/accept_local)" = 1 ]
	[ "$(sysctl_of a ipv4/conf/vrrp.33/rp_filter)" = 0 ]
	[ "$(sysctl_of a ipv6/conf/vrrp.33/disable_ipv6)" = 1 ]
	[ "$(sysctl_of a ipv4/conf/eth0/arp_ignore)" = 1 ]
	[ "$(sysctl_of a ipv4/conf/eth0/arp_filter)" = 1 ]
	# Adverts leave from the VMAC, from eth0's address, and the VIP's
	# ARP replies give the VMAC.
	cap_start "$T/cap" 'ip proto 112 or arp'
	nsx c ping -c 1 -W 2 $VIP >/dev/null
	cap_stop
	tsk -r "$T/cap" -Y vrrp -T fields -e eth.src -e ip.src | sort -u | grep -qx "$VMAC"$'\t'192.0.2.1
	tsk -r "$T/cap" -Y 'arp.opcode == 2 && arp.src.proto_ipv4 == 192.0.2.100' -T fields \
		-e arp.src.hw_mac | sort -u | grep -qx "$VMAC"
	# The new master announces the VIP from the same VMAC.
	cap_start "$T/cap2" arp
	vr_stop a
	vr_wait b MASTER
	net_has b $VIP vrrp.33
	cap_stop
	tsk -r "$T/cap2" -Y 'arp.src.proto_ipv4 == 192.0.2.100 && arp.dst.proto_ipv4 == 192.0.2.100' \
		-T fields -e eth.src -e arp.src.hw_mac | sort -u | grep -qx "$VMAC"$'\t'"$VMAC"
	nsx c ping -c 1 -W 2 $VIP >/dev/null
	# Gone with vrrpd, and eth0 given back its ARP settings.
	! nsx a ip link show vrrp.33 2>/dev/null
	[ "$(sysctl_of a ipv4/conf/eth0/arp_ignore)" = 0 ]
	[ "$(sysctl_of a ipv4/conf/eth0/arp_filter)" = 0 ]
	vr_logs_clean a b
}

@test "--vmac with IPv6: vrrp6.VRID carries eth0's link-local address and no address of its own making" {
	vr_start a a -i eth0 --vrid 34 --vip 2001:db8::100/64 --advert-int 0.1 --vmac
	vr_wait a MASTER
	nsx a ip -d link show vrrp6.34 | grep -q "link/ether $VMAC6"
	local ll
	ll=$(nsx a ip -6 -o addr show dev eth0 scope link | awk '{print $4}')
	[ "$(nsx a ip -6 -o addr show dev vrrp6.34 scope link | awk '{print $4}')" = "$ll" ]
	net_has a 2001:db8::100 vrrp6.34
	cap_start "$T/cap" 'ip6 proto 112 or icmp6'
	nsx c ping -c 1 -W 2 2001:db8::100 >/dev/null
	cap_stop
	tsk -r "$T/cap" -Y vrrp -T fields -e eth.src -e ipv6.src | sort -u | grep -qx "$VMAC6"$'\t'"${ll%/64}"
	tsk -r "$T/cap" -Y 'icmpv6.type == 136 && icmpv6.nd.na.target_address == 2001:db8::100' \
		-T fields -e icmpv6.opt.linkaddr | sort -u | grep -qx "$VMAC6"
	vr_stop a
	! nsx a ip link show vrrp6.34 2>/dev/null
	vr_logs_clean a
}

@test "--vmac takes over the VMAC a killed run left, and refuses an interface that is not one" {
	vr_start a a -i eth0 --vrid 33 --vip $VIP/24 "${FAST[@]}" --vmac
	vr_wait a MASTER
	vr_crash a
	nsx a ip link show vrrp.33 >/dev/null
	vr_start a a -i eth0 --vrid 33 --vip $VIP/24 "${FAST[@]}" --vmac
	vr_wait a MASTER
	grep -q -- '--vmac: taking over vrrp.33, left by an earlier run' "$T/a.log"
	vr_stop a
	nsx a ip link add vrrp.33 type veth peer name vrrp33peer
	run nsx a vrrpd -f -i eth0 --vrid 33 --vip $VIP/24 --vmac
	[ "$status" -eq 1 ]
	[[ "$output" == *"--vmac: interface vrrp.33 exists and is not the VMAC of VRID 33 on eth0 (a macvlan with 00:00:5e:00:01:21)"* ]]
	nsx a ip link show vrrp.33 | grep -q vrrp33peer
}

@test "--no-accept drops traffic for the VIPs on a non-owner master, in a table of its own removed on exit" {
	vr_start a a -i eth0 --vrid 33 --vip $VIP/24 --vip 2001:db8::100/64 "${FAST[@]}" --no-accept
	vr_wait a MASTER
	local t=hakit_vrrp4_$(nsx a cat /sys/class/net/eth0/ifindex)_33
	nsx a nft list table inet "$t" >"$T/table"
	grep -q "ip daddr 192.0.2.100 drop" "$T/table"
	grep -q "ip6 daddr 2001:db8::100 icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept" "$T/table"
	! nsx c ping -c 1 -W 1 $VIP >/dev/null
	# Neighbour discovery still works for the IPv6 VIP.
	! nsx c ping -c 1 -W 1 2001:db8::100 >/dev/null
	[ "$(neigh_mac c 2001:db8::100)" = "$(net_mac a)" ]
	# The primary address is not a VIP: untouched.
	nsx c ping -c 1 -W 2 192.0.2.1 >/dev/null
	vr_stop a
	! nsx a nft list table inet "$t" 2>/dev/null
	vr_logs_clean a
}

@test "--accept (the default without --strict) lets traffic for the VIPs in, and the owner always accepts" {
	vr_start a a -i eth0 --vrid 33 --vip $VIP/24 "${FAST[@]}"
	vr_wait a MASTER
	nsx c ping -c 1 -W 2 $VIP >/dev/null
	[ -z "$(nsx a nft list tables)" ]
	vr_stop a
	vr_start a a -i eth0 --vrid 33 --vip $VIP/24 "${FAST[@]}" --priority 255 --no-accept
	vr_wait a MASTER
	nsx c ping -c 1 -W 2 $VIP >/dev/null
	[ -z "$(nsx a nft list tables)" ]
	vr_logs_clean a
}

# strict_bad WANT ARGS...
strict_bad() {
	local want=$1
	shift
	run nsx a vrrpd --vrid 5 --vip 192.0.2.100 --strict "$@" -n
	catalogue vrrpd --vrid 5 --vip 192.0.2.100 --strict "$@" -n
	[ "$status" -eq 2 ] && [ "$output" = "vrrpd: $want" ] || {
		echo "exit $status: $output" >&2
		return 1
	}
}

@test "--strict refuses what the RFCs do not allow, and says why" {
	strict_bad "--strict: --unicast-peer is not allowed: the RFCs send adverts to the multicast group only" \
		--unicast-peer 192.0.2.2
	printf 'pw\n' >"$T/pass"
	chmod 600 "$T/pass"
	strict_bad "--strict: --auth-pass-file is not allowed: RFC 5798 removed authentication, and RFC 3768's plain password protects nothing" \
		--auth-pass-file "$T/pass"
	local args=() i
	for i in $(seq 101 121); do args+=(--vip 192.0.2.$i); done
	strict_bad "--strict: 22 addresses in a VRRPv2 advert; RFC 3768 routers expect at most 20" "${args[@]}"
	# VRRPv3 carries them, and accept mode is off unless asked for.
	run nsx a vrrpd --vrid 5 --vip 192.0.2.100 --strict --version 3 "${args[@]}" -n
	[ "$status" -eq 0 ]
	grep -qx no-accept <<<"$output"
	grep -qx strict <<<"$output"
	run nsx a vrrpd --vrid 5 --vip 192.0.2.100 --strict --accept -n
	grep -qx accept <<<"$output"
}
