#!/usr/bin/env bats
# Every binary has a man page whose SYNOPSIS is its usage text.

load lib/common

# The SYNOPSIS lines of a man page, rendered wide, indentation dropped.
synopsis() {
	MANWIDTH=300 man -l "$1" 2>/dev/null | col -b |
		sed -n '/^SYNOPSIS/,/^[A-Z]/{/^[A-Z]/d;s/^[[:space:]]*//;/^$/d;p}'
}

# The usage lines of TOOL -h, "usage:" and indentation dropped.
usage_lines() {
	"$1" -h | sed 's/^usage: //;s/^[[:space:]]*//;/^$/d'
}

@test "every built tool has a man page" {
	local t found=0
	for t in "$HK_BIN"/*; do
		found=1
		ls "$HK_TOP/$(basename "$t")"/*.[18] >/dev/null
	done
	[ "$found" -eq 1 ]
}

@test "each man page's SYNOPSIS is the tool's usage text" {
	local t name page
	for t in "$HK_BIN"/*; do
		name=$(basename "$t")
		page=$(ls "$HK_TOP/$name/$name".[18])
		diff <(synopsis "$page") <(usage_lines "$t")
	done
}

@test "each shell tool's man page SYNOPSIS is its usage text" {
	local page
	for page in "$HK_TOP"/shell/*.[18]; do
		diff <(synopsis "$page") <(usage_lines "${page%.[18]}")
	done
}
