# Shared by bench/hcheck-*.sh and bench/genhash-*.sh: a network
# namespace of its own holding nginx on port 80 (any 127.x.y.z address
# reaches it), so that the benchmarks neither collide with anything on
# the machine nor depend on it.  Source it, then call bench_web_start.
# shellcheck shell=bash

set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${HK_BIN:-$TOP/build/bin}
RUNS=${RUNS:-20}
NS=hkbench$$
DIR=$(mktemp -d /tmp/hkbench.XXXXXX)

bench_cleanup() {
	local p
	for p in $(ip netns pids "$NS" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "$DIR"
}
trap bench_cleanup EXIT

need() {
	command -v "$1" >/dev/null 2>&1 || { echo "$0: needs $1 (tests/deps.sh all installs it)" >&2; exit 2; }
}

# nsx CMD...: run in the benchmark's namespace.
nsx() { ip netns exec "$NS" "$@"; }

bench_web_start() {
	need nginx
	need hyperfine
	[ -x "$BIN/hcheck" ] && [ -x "$BIN/genhash" ] || { echo "$0: build first (make all)" >&2; exit 2; }
	mkdir -p "$DIR/html" "$DIR/logs" "$DIR/tmp"
	printf '<html><body>hakit benchmark page</body></html>\n' > "$DIR/html/index.html"
	cat > "$DIR/nginx.conf" <<-CONF
	user root;
	daemon off;
	worker_processes 1;
	pid $DIR/nginx.pid;
	error_log $DIR/logs/error.log;
	events { worker_connections 4096; }
	http {
	    access_log off;
	    client_body_temp_path $DIR/tmp; proxy_temp_path $DIR/tmp; fastcgi_temp_path $DIR/tmp;
	    uwsgi_temp_path $DIR/tmp; scgi_temp_path $DIR/tmp;
	    sendfile on;
	    server { listen 80 backlog=4096; root $DIR/html; }
	}
	CONF
	ip netns add "$NS"
	nsx ip link set lo up
	nsx sh -c 'ulimit -n $(ulimit -Hn); exec nginx -p "$1" -c "$1/nginx.conf" -e "$1/logs/error.log"' sh "$DIR" >/dev/null 2>&1 &
	local i
	for i in $(seq 1 100); do
		nsx bash -c 'exec 3<>/dev/tcp/127.0.0.1/80' 2>/dev/null && return 0
		sleep 0.05
	done
	echo "$0: nginx did not start" >&2
	cat "$DIR/logs/error.log" >&2
	exit 1
}

# bench_report JSON: median and spread of each command hyperfine ran.
bench_report() {
	jq -r '.results[] | [.command, (.median * 1000), (.min * 1000), (.max * 1000), (.stddev * 1000), (.times | length)]
		| "\(.[0])\n    median \(.[1] * 1000 | round / 1000) ms   min \(.[2] * 1000 | round / 1000) ms   max \(.[3] * 1000 | round / 1000) ms   stddev \(.[4] * 1000 | round / 1000) ms   runs \(.[5])"' "$1"
	jq -r '(.results | min_by(.median)) as $best | .results[] |
		"\(.command | .[0:60]): \(.median / $best.median * 100 | round / 100)x the fastest median"' "$1"
}
