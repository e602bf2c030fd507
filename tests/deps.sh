#!/bin/sh
# Install the Debian packages hakit builds and tests with, only those
# missing.  Idempotent: a machine that has them all pays one dpkg-query.
# Used by `make check`, `make demo` and `make bench`.
set -eu

# What the build needs.
BUILD="gcc make pkg-config libc6-dev libnl-3-dev libnl-route-3-dev libnl-genl-3-dev libssl-dev"
# What the tests, the demo and the benchmarks run against or with.
TEST="bats iproute2 iputils-ping procps psmisc kmod nftables tcpdump tshark jq curl openssl
      nginx-light keepalived ipvsadm monitoring-plugins-basic valgrind hyperfine
      clang libclang-rt-14-dev qemu-system-x86 busybox-static cpio time strace"

want="$BUILD"
case "${1:-all}" in
build) ;;
all) want="$BUILD $TEST" ;;
*) echo "deps.sh: unknown set '$1' (build or all)" >&2; exit 2 ;;
esac

missing=
for p in $want; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; the answer does not
# matter here, only that it does not stop an unattended install.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
# Debian starts daemons on install; tests start their own copies in
# namespaces and must not meet one we just started system-wide.  Only
# packages this run installed are touched: an operator's running
# keepalived is none of our business.
for pkg in keepalived nginx-light; do
	case " $missing " in *" $pkg "*) ;; *) continue ;; esac
	svc=${pkg%-light}
	if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
		systemctl disable --now "$svc" >/dev/null 2>&1 || true
	else
		pkill -x "$svc" 2>/dev/null || true
	fi
done
echo "deps.sh: done" >&2
