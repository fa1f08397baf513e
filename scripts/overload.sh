#!/usr/bin/env bash
# overload.sh: where does overload turn into failures? Pforte on Redis under
# N concurrent connections (faultkit load), with the old Redis pool
# settings (go-redis defaults: 10 connections per CPU, 1 s wait) and the
# current ones side by side, for each N in LEVELS. Prints one TOTAL line
# per run (ok, s503, timeout, slowest) and Redis commands per request.
#
#   scripts/overload.sh                      # LEVELS="250 1000 2000" DUR=6s
#   LEVELS="500 2000" DUR=10s KEEP=1 scripts/overload.sh
#
# Needs the stack's packages (scripts/stack.sh install). About 1-2 minutes.
# The machine is shared: compare the two settings within one run only.
set -euo pipefail
cd "$(dirname "$0")/.."
LEVELS=${LEVELS:-250 1000 2000}
DUR=${DUR:-6s}
DIR=$(mktemp -d)
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	scripts/stack.sh down "$DIR/stack" >/dev/null 2>&1 || true
	[ -n "${KEEP:-}" ] && echo "kept $DIR" || rm -rf "$DIR"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" 2>/dev/null)" = 200 ] && return 0
		sleep 0.1
	done
	return 1
}
ulimit -n 20000 2>/dev/null || true
echo "== $(date -u +%FT%TZ), $(nproc) CPUs, $(uptime | sed 's/.*load average/load average/')"
go build -o "$DIR/pforte" ./app
go build -o "$DIR/loadlogin" ./scripts/loadlogin
go build -o "$DIR/faultkit" ./scripts/faultkit
RPORT=$(free_port)
mkdir -p "$DIR/redis"
redis-server --bind 127.0.0.1 --port "$RPORT" --save '' --appendonly no --dir "$DIR/redis" --maxclients 20000 \
	--logfile "$DIR/redis/redis.log" &
PIDS+=($!)
RCLI=(redis-cli -h 127.0.0.1 -p "$RPORT")
for ((i = 0; i < 100; i++)); do "${RCLI[@]}" PING 2>/dev/null | grep -q PONG && break; sleep 0.1; done
scripts/stack.sh up "$DIR/stack" oidc >"$DIR/stack.log" 2>&1 || { cat "$DIR/stack.log" >&2; exit 1; }
# shellcheck disable=SC1091
source "$DIR/stack/env"

# run_level NAME QUERY: one Pforte with redis_url?QUERY, loaded at each level.
run_setting() {
	local name=$1 query=$2 port base cookie pid c before after reqs
	port=$(free_port)
	base="http://127.0.0.1:$port"
	cat >"$DIR/$name.yaml" <<YAML
listen: "127.0.0.1:$port"
secret_key: overload-test-secret-key-0123456789-abcdefghijkl
store: {redis_url: "redis://127.0.0.1:$RPORT/0$query"}
tenants:
  - id: load
    hosts: [127.0.0.1]
    name: Portal Last
    oidc: {issuer: "$PFORTE_TEST_OIDC_ISSUER", client_id: $PFORTE_TEST_OIDC_CLIENT_ID, client_secret: "$PFORTE_TEST_OIDC_CLIENT_SECRET", scopes: [groups, offline_access]}
YAML
	env -u PORT PFORTE_CONFIG="$DIR/$name.yaml" "$DIR/pforte" >"$DIR/$name.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	wait_http "$base/healthz" 20 || { tail -20 "$DIR/$name.log" >&2; exit 1; }
	cookie=$("$DIR/loadlogin" -base "$base" -user alice -password alice-pw)
	for c in $LEVELS; do
		before=$("${RCLI[@]}" INFO stats | sed -n 's/^total_commands_processed:\([0-9]*\).*/\1/p')
		"$DIR/faultkit" load -c "$c" -d "$DUR" -timeout 10s -cookie "$cookie" \
			"$base/readyz" "$base/settings" "$base/announcements" "$base/api/dashboard" "$base/" >"$DIR/$name-$c.txt" || true
		after=$("${RCLI[@]}" INFO stats | sed -n 's/^total_commands_processed:\([0-9]*\).*/\1/p')
		reqs=$(grep TOTAL "$DIR/$name-$c.txt" | python3 -c 'import re,sys; l=sys.stdin.read(); print(sum(int(x) for x in re.findall(r"(?:ok|s503|other|timeout|refused|early|cut)=(\d+)", l)) or 1)')
		printf '%-8s c=%-5s %s redis_cmds/req=%.1f\n' "$name" "$c" "$(grep TOTAL "$DIR/$name-$c.txt")" "$(python3 -c "print(($after-$before)/$reqs)")"
	done
	kill "$pid"
	wait "$pid" 2>/dev/null || true
}
run_setting old "?pool_size=20&pool_timeout=1s"
run_setting current ""
