#!/usr/bin/env bats
# kaconf: whom scripts run as when the file names nobody (keepalived's
# keepalived_script, else root with a warning), a sync group's notify,
# the generic notify's own arguments, accept mode spelled out and where a
# sync group's members meet.  The users that exist are the test's: kaconf
# runs in a mount namespace of its own over a passwd file it is given.

load lib/common
bats_require_minimum_version 1.5.0

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root for a mount namespace over /etc/passwd"
	T=$(scratch)
	cd "$T" || return 1
	mkdir -m 0755 "$T/bin"
	printf '#!/bin/sh\necho "$*" >>"%s/hook.log"\n' "$T" >"$T/bin/hook"
	chmod 0755 "$T/bin/hook"
}

# on_host USERS CMD...: run CMD where the users in USERS (blank-separated)
# exist besides the system's; keepalived_script and hakit_script exist
# only if named.
on_host() {
	local u users=$1
	shift
	{
		grep -vE '^(keepalived_script|hakit_script):' /etc/passwd
		for u in $users; do
			echo "$u:x:64990:64990::/nonexistent:/usr/sbin/nologin"
		done
	} >"$T/passwd"
	unshare -m --propagation private sh -c 'mount --bind "$1" /etc/passwd && shift && exec "$@"' \
		sh "$T/passwd" "$@"
}

# conf FILE [GLOBAL_DEFS_LINE]: seed 002's lb-5 with its check script
# (here, $T/bin/hook) and a notify_master.
conf() {
	cat >"$1" <<-EOF
		global_defs {
		    router_id lb-5
		    ${2-}
		}

		vrrp_script check_web {
		    script "$T/bin/hook check"
		    interval 5
		}

		vrrp_instance VIP_1 {
		    state MASTER
		    interface eth0
		    virtual_router_id 50
		    priority 150
		    virtual_ipaddress {
		        192.0.2.3
		    }
		    track_script {
		        check_web
		    }
		    notify_master "$T/bin/hook master"
		}
	EOF
}

@test "scripts and no script_user or keepalived_script: root with a warning at the first script, allow-root-scripts for vrrpd" {
	conf "$T/k.conf"
	run --separate-stderr on_host "" kaconf -o "$T/p" "$T/k.conf"
	[ "$status" -eq 0 ]
	[ "$stderr" = "kaconf: $T/k.conf:7:12: warning: no script_user and no user keepalived_script here: '$T/bin/hook' and the other scripts run as root, as keepalived runs them (vrrpd is told allow-root-scripts); set script_user, or create the user keepalived_script" ]
	grep -qx 'allow-root-scripts' "$T/p/VIP_1.conf"
	! grep -q '^script-user' "$T/p/VIP_1.conf" || false
	# hakit's own hooks run as its user (root): no script_user plan line
	! grep -q '^script_user' <<<"$output" || false
	run on_host "" kaconf -c "$T/k.conf"
	[ "${lines[1]}" = "kaconf: $T/k.conf: configuration OK (1 warning)" ]
}

@test "scripts and no script_user: keepalived_script when it exists, for vrrpd and for hakit's hooks" {
	conf "$T/k.conf"
	run --separate-stderr on_host "keepalived_script hakit_script" kaconf -o "$T/p" "$T/k.conf"
	[ "$status" -eq 0 ]
	[ "$stderr" = "kaconf: $T/k.conf:7:12: note: no script_user: '$T/bin/hook' and the other scripts run as keepalived_script, as keepalived runs them" ]
	grep -qx 'script-user keepalived_script' "$T/p/VIP_1.conf"
	! grep -q 'allow-root-scripts' "$T/p/VIP_1.conf" || false
	grep -qx "script_user${TAB:=$'\t'}keepalived_script$TAB-" <<<"$output"
}

@test "scripts and no script_user: hakit_script when keepalived_script does not exist, with a warning" {
	conf "$T/k.conf"
	run --separate-stderr on_host "hakit_script" kaconf -o "$T/p" "$T/k.conf"
	[ "$status" -eq 0 ]
	[[ "$stderr" == "kaconf: $T/k.conf:7:12: warning: no script_user and no user keepalived_script here: keepalived would run '$T/bin/hook' and the other scripts as root; they run as hakit_script"* ]]
	grep -qx 'script-user hakit_script' "$T/p/VIP_1.conf"
}

@test "enable_script_security and no user to run scripts as is an error, as keepalived would run none" {
	conf "$T/k.conf" enable_script_security
	run on_host "" kaconf -c "$T/k.conf"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "kaconf: $T/k.conf:7:12: error: enable_script_security without script_user: keepalived runs scripts as keepalived_script, which does not exist here, so it disables every script ('$T/bin/hook' and the others); set script_user or create the user" ]
	[ "${lines[1]}" = "kaconf: $T/k.conf: 1 error, 0 warnings; nothing to run" ]
	run on_host "keepalived_script" kaconf -c "$T/k.conf"
	[ "$status" -eq 0 ]
}

@test "a script_user or group that does not exist here is an error when scripts run" {
	conf "$T/k.conf" 'script_user nosuchuser'
	run on_host "" kaconf -c "$T/k.conf"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "kaconf: $T/k.conf:3:17: error: script_user: there is no user 'nosuchuser' here; keepalived would run no script ('$T/bin/hook' and the others), and vrrpd would not start" ]
	conf "$T/k.conf" 'script_user root nosuchgroup'
	run on_host "" kaconf -c "$T/k.conf"
	[ "$status" -eq 2 ]
	[[ "${lines[0]}" == "kaconf: $T/k.conf:3:17: error: script_user: there is no group 'nosuchgroup' here;"* ]]
	conf "$T/k.conf" 'script_user root'
	run on_host "" kaconf -o "$T/p" "$T/k.conf"
	[ "$status" -eq 0 ]
	grep -qx 'script-user root' "$T/p/VIP_1.conf"
}

@test "without scripts no script user is chosen and nothing is said" {
	cat >"$T/k.conf" <<-EOF
		vrrp_instance VIP_1 {
		    interface eth0
		    virtual_router_id 50
		    virtual_ipaddress {
		        192.0.2.3
		    }
		}
	EOF
	run --separate-stderr on_host "" kaconf -o "$T/p" "$T/k.conf"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	! grep -q 'script-user\|allow-root-scripts' "$T/p/VIP_1.conf" || false
}

# group FILE [HOOK LINES]: the seeds' VG_1 with HOOK LINES in the group
group() {
	cat >"$1" <<-EOF
		global_defs {
		    script_user root
		}
		vrrp_sync_group VG_1 {
		    group {
		        VI_1
		        VI_2
		    }
		    ${2-}
		}
		vrrp_instance VI_1 {
		    interface eth0
		    virtual_router_id 51
		    virtual_ipaddress {
		        192.0.2.100/24
		    }
		}
		vrrp_instance VI_2 {
		    interface eth1
		    virtual_router_id 52
		    virtual_ipaddress {
		        198.51.100.100/24
		    }
		}
	EOF
}

@test "a sync group's notify is every member's group-notify, and the group meets under the run directory" {
	group "$T/k.conf" "notify \"$T/bin/hook vg 'a b'\""
	run --separate-stderr on_host "" kaconf -o "$T/p" --run-dir "$T/run" "$T/k.conf"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	local i
	for i in VI_1 VI_2; do
		grep -qx 'sync-group VG_1' "$T/p/$i.conf"
		grep -qx "sync-dir $T/run/sync" "$T/p/$i.conf"
		grep -qx "group-notify $T/bin/hook vg \"a b\"" "$T/p/$i.conf"
	done
	grep -qx "group${TAB:=$'\t'}VG_1${TAB}VI_1${TAB}VI_2" <<<"$output"
	# without --run-dir: /run/hakit/sync, vrrpd's own default
	on_host "" kaconf -q -o "$T/q" "$T/k.conf" >/dev/null
	grep -qx 'sync-dir /run/hakit/sync' "$T/q/VI_1.conf"
}

@test "a sync group's per-state hooks have no vrrpd equivalent: each is a warning, and ignored" {
	group "$T/k.conf" "notify_master \"$T/bin/hook m\"
    notify_backup $T/bin/hook
    notify_fault $T/bin/hook
    notify_stop $T/bin/hook"
	run on_host "" kaconf -o "$T/p" "$T/k.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"kaconf: $T/k.conf:9:5: warning: 'notify_master' of a sync group: vrrpd has only the generic group hook ('notify', run as HOOK GROUP NAME STATE 0); use it and switch on STATE; ignored"* ]]
	[[ "$output" == *"$T/k.conf:10:5: warning: 'notify_backup' of a sync group"* ]]
	[[ "$output" == *"$T/k.conf:11:5: warning: 'notify_fault' of a sync group"* ]]
	[[ "$output" == *"$T/k.conf:12:5: warning: 'notify_stop' of a sync group"* ]]
	! grep -q 'group-notify' "$T/p/VI_1.conf" || false
}

@test "a sync group's notify that cannot run here is left out; one others may write is refused under enable_script_security" {
	group "$T/k.conf" "notify /nonexistent/vg.sh"
	run on_host "" kaconf -o "$T/p" "$T/k.conf"
	[ "$status" -eq 0 ]
	[[ "$output" == *"kaconf: $T/k.conf:9:12: warning: notify: '/nonexistent/vg.sh' cannot be run here (No such file or directory): left out, as keepalived disables it"* ]]
	! grep -q 'group-notify' "$T/p/VI_1.conf" || false
	chmod 0777 "$T/bin"
	group "$T/k.conf" "notify $T/bin/hook"
	sed -i 's/script_user root/&\n    enable_script_security/' "$T/k.conf"
	run on_host "" kaconf -c "$T/k.conf"
	[ "$status" -eq 2 ]
	[[ "$output" == *"kaconf: $T/k.conf:10:12: error: enable_script_security: '$T/bin/hook' may not run: '$T/bin' is writable by everyone"* ]]
}

@test "an instance's notify keeps its own arguments, before the four vrrpd adds" {
	conf "$T/k.conf" 'script_user root'
	sed -i "s|notify_master \"$T/bin/hook master\"|notify \"$T/bin/hook generic 'x y'\"|" "$T/k.conf"
	run on_host "" kaconf -o "$T/p" "$T/k.conf"
	[ "$status" -eq 0 ]
	grep -qx "notify $T/bin/hook generic \"x y\"" "$T/p/VIP_1.conf"
}

@test "accept mode is written out either way: vrrpd's default differs with strict" {
	local c
	for c in "accept|" "no-accept|no_accept" "no-accept|strict_mode" "accept|strict_mode
        accept"; do
		cat >"$T/k.conf" <<-EOF
			vrrp_instance VIP_1 {
			    interface eth0
			    virtual_router_id 50
			    priority 255
			    virtual_ipaddress {
			        192.0.2.3
			    }
			    ${c#*|}
			}
		EOF
		on_host "" kaconf -q -o "$T/p" "$T/k.conf" >/dev/null
		run grep -xE 'accept|no-accept' "$T/p/VIP_1.conf"
		[ "$output" = "${c%%|*}" ]
		rm -rf "$T/p"
	done
}
