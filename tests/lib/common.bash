# Shared set-up for every bats suite: where the binaries are, and the
# small waiting and background-process helpers.  Load with
#   load lib/common
# shellcheck shell=bash

HK_TOP=${HK_TOP:-$(cd "$BATS_TEST_DIRNAME/.." && pwd)}
HK_BUILD=${HK_BUILD:-build}
case $HK_BUILD in /*) ;; *) HK_BUILD=$HK_TOP/$HK_BUILD ;; esac
HK_BIN=${HK_BIN:-$HK_BUILD/bin}
case $HK_BIN in /*) ;; *) HK_BIN=$HK_TOP/$HK_BIN ;; esac
HK_TOOLS=${HK_TOOLS:-$HK_BUILD/tests/tools}
case $HK_TOOLS in /*) ;; *) HK_TOOLS=$HK_TOP/$HK_TOOLS ;; esac
export HK_TOP HK_BIN HK_TOOLS
PATH=$HK_BIN:$HK_TOP/shell:$HK_TOOLS:$PATH

# Background processes started with bg; killed by bg_cleanup.
HK_BG_PIDS=()

# bg CMD...: start CMD in the background, its pid in $BG_PID.
bg() {
	"$@" &
	BG_PID=$!
	HK_BG_PIDS+=("$BG_PID")
}

bg_cleanup() {
	local p
	for p in "${HK_BG_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${HK_BG_PIDS[@]}"; do
		# Give each a moment to exit cleanly, then insist.
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	HK_BG_PIDS=()
}

# wait_until SECONDS CMD...: run CMD every 50 ms until it succeeds;
# fail (status 1) if SECONDS pass first.  Bounded in time (the clock,
# not a count of tries: on a slow machine each try takes long) and so
# in count.
wait_until() {
	local limit=$1 deadline us
	shift
	# Microseconds from bash's own clock: no process per try.
	us=$(awk -v s="$limit" 'BEGIN { printf "%d", s * 1000000 }')
	deadline=$((${EPOCHREALTIME/./} + us))
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "${EPOCHREALTIME/./}" -ge "$deadline" ] && break
		sleep 0.05
	done
	echo "wait_until: gave up after ${limit}s: $*" >&2
	return 1
}

# A scratch directory for this test, removed by bats.
scratch() {
	echo "${BATS_TEST_TMPDIR:-${BATS_TMPDIR:-/tmp}}"
}

# san_clean FILE...: fail if a log holds a sanitizer report.  Daemons
# started by a test log to a file; under the sanitizer pass (HK_SAN=1)
# a report there must fail the test even if the daemon kept running.
san_clean() {
	local f
	for f in "$@"; do
		[ -e "$f" ] || continue
		if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$f"; then
			echo "sanitizer report in $f:" >&2
			grep -A20 -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$f" | head -40 >&2
			return 1
		fi
	done
}

# tsk ARGS...: tshark without its "running as root" chatter on stderr.
tsk() {
	tshark -n "$@" 2>/dev/null
}

# catalogue TOOL ARGS...: after `run`, record a bad input, what the tool
# answered ($output's first line) and its exit status ($status) for the
# README's bad-input catalogue (tests/catalogue renders it).  Recorded
# on the normal pass only.
catalogue() {
	[ -n "${HK_SAN:-}" ] && return 0
	local tool=$1 dir=$HK_BUILD/catalogue args
	shift
	mkdir -p "$dir"
	args=$(printf '%q ' "$@")
	printf '%s\t%s\t%s\n' "${args% }" "$status" "${lines[0]:-}" >>"$dir/$tool.tsv"
}
