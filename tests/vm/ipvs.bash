# Helpers for the IPVS suites run in the VM (tests/vm/run).  IPVS tables
# belong to a network namespace, so each test works in namespaces it
# makes and needs no other clean-up.
#   load ../lib/common; load ../lib/net; load ipvs
# shellcheck shell=bash

# A director namespace "d" with a dummy link holding addresses in the
# documentation ranges, so that destinations there have a route.
# (Emulation makes every exec cost tens of milliseconds: one ip -batch.)
ipvs_director() {
	net_new_ns d
	ip -n "$(ns d)" -batch - <<'EOF'
link add d0 type dummy
link set d0 up
addr add 198.51.100.254/24 dev d0
addr add 203.0.113.254/24 dev d0
addr add 2001:db8::fe/64 dev d0 nodad
EOF
}

# ipvsctl and ipvsadm in the director's namespace.
ictl() {
	"$HK_BIN/ipvsctl" --netns "$(ns d)" "$@"
}
iadm() {
	nsx d ipvsadm "$@"
}

# same_as_ipvsadm: ipvsctl's list and save equal ipvsadm's, byte for
# byte (shows the difference when not) -- but for the thresholds, which
# ipvsctl saves (-x, -y) and ipvsadm -S loses.
same_as_ipvsadm() {
	diff <(ictl list -n) <(iadm -Ln) >&2 || return 1
	diff <(ictl save -n | sed -E 's/ -[xy] [0-9]+//g') <(iadm -Sn) >&2 || return 1
}

# The real-server side of LVS-DR: the VIP on lo and no ARP for it.
# shell/rs-lo0 does this once it exists; until then the same by hand.
rs_lo0() {
	local host=$1 vip=$2
	if command -v rs-lo0 >/dev/null 2>&1; then
		nsx "$host" rs-lo0 start "$vip"
	else
		nsx "$host" ip addr add "$vip/32" dev lo
		nsx "$host" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
			net.ipv4.conf.lo.arp_ignore=1 net.ipv4.conf.lo.arp_announce=2
	fi
}

# A tiny HTTP server in HOST on PORT whose page is NAME: busybox httpd,
# left to daemonize so that it outlives the shell that started it
# (setup_file); net_cleanup kills what runs in the namespaces.
http_server() {
	local host=$1 port=$2 name=$3 dir
	dir=${BATS_FILE_TMPDIR:-$(scratch)}/www-$host-$port
	mkdir -p "$dir"
	echo "$name" >"$dir/index.html"
	nsx "$host" busybox httpd -p "$port" -h "$dir" 3>&-
	wait_until 5 nsx "$host" sh -c "ss -ltn | grep -q ':$port '"
}

# hits HOST ADDR PORT N: N fresh connections from HOST to ADDR:PORT, each
# a GET; prints "NAME COUNT" per page seen (and "none COUNT" for
# connections that got no page).  One bash process, no fork per
# connection, every read bounded.
hits() {
	local host=$1 addr=$2 port=$3 n=$4
	# shellcheck disable=SC2016
	# The whole run is bounded too: a lost SYN waits minutes.
	nsx "$host" timeout 60 bash -c '
		declare -A seen=()
		for ((i = 0; i < $3; i++)); do
			body=none
			if exec 3<>"/dev/tcp/$1/$2"; then
				printf "GET / HTTP/1.0\r\n\r\n" >&3
				while IFS= read -r -t 5 line <&3; do body=${line%$'"'"'\r'"'"'}; done
				exec 3<&-
			fi
			seen[$body]=$((${seen[$body]:-0} + 1))
		done
		for k in "${!seen[@]}"; do echo "$k ${seen[$k]}"; done | sort
	' hits "$addr" "$port" "$n"
}

# count NAME: the count for NAME in hits' output (in $output), 0 if absent.
count() {
	awk -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }' <<<"$output"
}
