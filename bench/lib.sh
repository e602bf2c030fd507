# Helpers for bench/*.sh.  Each benchmark script prints its results as
# JSON rows on stdout, one object a line, which bench/run collects into
# a Markdown table and a JSON file.  A row:
#   {"id", "what", "tool", "anchor", "unit", "runs",
#    "tool_median", "tool_min", "tool_max",
#    "anchor_median", "anchor_min", "anchor_max",
#    "ratio", "target", "met", "note"}
# ratio is anchor/tool for "lower is better" units, so > 1 means hakit
# is ahead.  A row that could not be measured says why in "note" and
# leaves the figures null; it is never left out.
# shellcheck shell=bash

BENCH_TOP=${BENCH_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BENCH_BIN=${BENCH_BIN:-$BENCH_TOP/build/bin}
BENCH_RUNS=${BENCH_RUNS:-10}
PATH=$BENCH_BIN:$BENCH_TOP/shell:$PATH

# stats N...: print "median min max" of the numbers given.
stats() {
	printf '%s\n' "$@" | sort -g | awk '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print "null null null"; exit }
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.6g %.6g %.6g\n", m, v[1], v[NR]
		}'
}

# row ID WHAT TOOL ANCHOR UNIT RUNS "TOOL_STATS" "ANCHOR_STATS" TARGET MET [NOTE]
# The *_STATS are "median min max" as stats prints them.  Ratio:
# anchor median / tool median.
row() {
	local id=$1 what=$2 tool=$3 anchor=$4 unit=$5 runs=$6 ts=$7 as=$8 target=$9 met=${10} note=${11:-}
	local tm tmin tmax am amin amax
	read -r tm tmin tmax <<<"$ts"
	read -r am amin amax <<<"$as"
	jq -cn --arg id "$id" --arg what "$what" --arg tool "$tool" --arg anchor "$anchor" \
		--arg unit "$unit" --argjson runs "$runs" \
		--argjson tm "$tm" --argjson tmin "$tmin" --argjson tmax "$tmax" \
		--argjson am "$am" --argjson amin "$amin" --argjson amax "$amax" \
		--arg target "$target" --argjson met "$met" --arg note "$note" '
		{id: $id, what: $what, tool: $tool, anchor: $anchor, unit: $unit, runs: $runs,
		 tool_median: $tm, tool_min: $tmin, tool_max: $tmax,
		 anchor_median: $am, anchor_min: $amin, anchor_max: $amax,
		 ratio: (if $tm != null and $am != null and $tm > 0 then ($am / $tm * 100 | round) / 100 else null end),
		 target: $target, met: $met, note: $note}'
}

# unmeasured ID WHAT TOOL ANCHOR WHY: a row that says why it is empty.
unmeasured() {
	row "$1" "$2" "$3" "$4" "" 0 "null null null" "null null null" "" null "$5"
}

# hyperfine_ms JSONFILE INDEX: "median min max" in milliseconds of
# command INDEX of a hyperfine --export-json file.
hyperfine_ms() {
	jq -r --argjson i "$2" '.results[$i] | [.median, .min, .max] | map(. * 1000) | @tsv' "$1" |
		tr '\t' ' '
}

# ratio_at_least A B R: does A/B reach R?  (A and B medians.)
ratio_at_least() {
	awk -v a="$1" -v b="$2" -v r="$3" 'BEGIN { exit !(b > 0 && a / b >= r) }' && echo true || echo false
}

# A namespace for the benchmark, removed on exit.
bench_ns() {
	BENCH_NS=hkbench$$
	ip netns add "$BENCH_NS"
	trap 'ip netns pids "$BENCH_NS" 2>/dev/null | xargs -r kill -KILL; ip netns del "$BENCH_NS" 2>/dev/null' EXIT
	ip -n "$BENCH_NS" link set lo up
}
