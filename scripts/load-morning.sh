#!/usr/bin/env bash
# The morning peak (issue 20): many users open Pforte once, each dashboard cold.
#
# Starts the real servers (scripts/stack.sh up with PFORTE_STACK_LOAD_USERS=N, so the OIDC
# provider, Dovecot, Radicale and rclone WebDAV know load0001 … loadN), puts counting proxies
# (scripts/loadmorning proxy) between Pforte and Dovecot, Radicale and WebDAV, seeds each user
# a realistic mailbox (IMAP APPEND), calendar and file tree, signs them all in through the
# provider's login form (scripts/loadlogin -warm=false, calendar and files connected), empties
# every dashboard cache (Redis keys and a Pforte restart), then opens each user's dashboard
# once, the arrivals ramping up linearly over RAMP. Afterwards it measures each user's
# upstreams on their own (same ramp, same proxies) and prints cold p50/p95/p99 beside the
# slowest upstream's, what the upstreams saw per cold build, CPU, errors, timeouts, and one
# RESULT line.
#
#   scripts/load-morning.sh                     500 users over 60 s
#   USERS=100 RAMP=20s scripts/load-morning.sh  a short run
#   KEEP=1                                      keep the temp dir (logs, config)
#
# Goal (issue 20): cold p95 <= the slowest upstream's p95 + 15 ms, no source timeouts.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
USERS=${USERS:-500}
RAMP=${RAMP:-60s}
PARALLEL_LOGIN=${PARALLEL_LOGIN:-8}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

for b in redis-server dovecot /usr/bin/radicale rclone openssl; do
	command -v "$b" >/dev/null || { echo "load-morning: $b not found; run scripts/stack.sh install" >&2; exit 1; }
done

# shellcheck source=scripts/loadlib.sh
source scripts/loadlib.sh
load_setup load-morning

load_banner
echo "== building"
go build -o "$DIR/pforte" ./app
go build -o "$DIR/loadlogin" ./scripts/loadlogin
go build -o "$DIR/loadmorning" ./scripts/loadmorning

echo "== starting the stack with $USERS load users"
STACK_UP=1
PFORTE_STACK_LOAD_USERS=$USERS scripts/stack.sh up "$DIR/stack" redis oidc dovecot radicale webdav >"$DIR/stack.log" 2>&1 ||
	{ cat "$DIR/stack.log" >&2; exit 1; }
# shellcheck disable=SC1091
source "$DIR/stack/env"

"$DIR/loadmorning" proxy -imap "$PFORTE_TEST_IMAP_ADDR" -caldav "$PFORTE_TEST_CALDAV_URL" \
	-webdav "${PFORTE_TEST_WEBDAV_URL%%/remote.php*}" -env "$DIR/proxy.env" >"$DIR/proxy.log" 2>&1 &
PIDS+=($!)
for ((i = 0; i < 100; i++)); do [ -s "$DIR/proxy.env" ] && break; sleep 0.1; done
# shellcheck disable=SC1091
source "$DIR/proxy.env"

echo "== seeding $USERS users"
"$DIR/loadmorning" seed -users "$USERS" -imap "$PFORTE_TEST_IMAP_ADDR" \
	-caldav-dir "$DIR/stack/radicale/collections" -webdav-dir "$PFORTE_TEST_WEBDAV_DIR"

PFORTE_PORT=$(free_port)
cat >"$DIR/pforte.yaml" <<YAML
listen: "127.0.0.1:$PFORTE_PORT"
secret_key: load-test-secret-key-0123456789-abcdefghijkl
store: {redis_url: "$PFORTE_TEST_REDIS_URL"}
dashboard: {cache_ttl: 1h}
tenants:
  - id: morning
    hosts: [127.0.0.1]
    name: Portal Morgen
    timezone: Europe/Berlin
    oidc: {issuer: "$PFORTE_TEST_OIDC_ISSUER", client_id: $PFORTE_TEST_OIDC_CLIENT_ID, client_secret: "$PFORTE_TEST_OIDC_CLIENT_SECRET", scopes: [groups, offline_access]}
    mail: {imap: "$MORNING_IMAP_ADDR", tls: none, auth: bearer, web_url: "https://mail.musterstadt.example/#uid={uid}"}
    calendar: {url: "$MORNING_CALDAV_BASE/{user}/load/", auth: password, web_url: "https://mail.musterstadt.example/calendar"}
    files: {url: "$MORNING_WEBDAV_BASE/remote.php/dav/files/{user}/", auth: password, web_url: "https://cloud.musterstadt.example/apps/files/?dir={dir}"}
YAML
start_pforte() {
	env -u PORT PFORTE_CONFIG="$DIR/pforte.yaml" PFORTE_DEMO_DIR="$DIR/demo" "$DIR/pforte" >>"$DIR/pforte.log" 2>&1 &
	PFORTE_PID=$!
	PIDS+=("$PFORTE_PID")
	wait_http "http://127.0.0.1:$PFORTE_PORT/healthz" 20 || { tail -20 "$DIR/pforte.log" >&2; exit 1; }
}
start_pforte

echo "== signing $USERS users in ($PARALLEL_LOGIN at a time), connecting calendar and files"
export DIR PFORTE_PORT
: >"$DIR/cookies.txt"
# Pforte allows 600 sign-in requests per client IP and minute (two per sign-in): all users
# come from 127.0.0.1 here, so they sign in 250 per minute.
for ((first = 1; first <= USERS; first += 250)); do
	if ((first > 1)); then sleep 61; fi
	seq -f 'load%04g' "$first" "$((first + 249 < USERS ? first + 249 : USERS))" | xargs -P "$PARALLEL_LOGIN" -I{} sh -c \
		'c=$("$DIR/loadlogin" -base "http://127.0.0.1:$PFORTE_PORT" -user {} -password {}-pw -connect calendar,files -warm=false) && printf "%s\t%s\n" {} "$c"' \
		>>"$DIR/cookies.txt" 2>>"$DIR/login.log" || { tail -5 "$DIR/login.log" >&2; exit 1; }
done
echo "   $(wc -l <"$DIR/cookies.txt") signed in"

echo "== emptying the dashboard caches (Redis keys, Pforte restart)"
redis-cli -u "$PFORTE_TEST_REDIS_URL" --scan --pattern '*dash:*' | xargs -r redis-cli -u "$PFORTE_TEST_REDIS_URL" DEL >/dev/null
kill "$PFORTE_PID"; wait "$PFORTE_PID" 2>/dev/null || true
start_pforte

echo "== morning: $USERS cold dashboards over $RAMP, then each user's upstreams on their own"
"$DIR/loadmorning" drive -base "http://127.0.0.1:$PFORTE_PORT" -cookies "$DIR/cookies.txt" -ramp "$RAMP" \
	-counts "$MORNING_COUNTS_URL" -imap "$MORNING_IMAP_ADDR" \
	-caldav "$MORNING_CALDAV_BASE/{user}/load/" -webdav "$MORNING_WEBDAV_BASE/remote.php/dav/files/{user}/" \
	-pids "pforte=$PFORTE_PID,dovecot=$(cat "$DIR/stack/pids/dovecot.pid"),radicale=$(cat "$DIR/stack/pids/radicale.pid"),webdav=$(cat "$DIR/stack/pids/webdav.pid"),oidc=$(cat "$DIR/stack/pids/oidc.pid"),redis=$(cat "$DIR/stack/pids/redis.pid")"
echo "== after: $(uptime | sed 's/.*load average/load average/')"
