#!/usr/bin/env bash
# Announcement streams at scale (issue 20): STREAMS open event streams on one Pforte,
# signed-in sessions of USERS users spread over two tenants, then one announcement
# published per tenant through the API.
#
# Starts Redis and the OIDC provider (scripts/stack.sh up, PFORTE_STACK_LOAD_USERS=USERS),
# Pforte with tenants "a" (host 127.0.0.1) and "b" (host localhost), signs every user in
# through the provider's login form (scripts/loadlogin -warm=false), then scripts/loadsse
# holds the streams (reconnecting like EventSource when the server ends one), reads
# Pforte's resident memory before and with the streams open, publishes, and measures when
# each stream open at that moment received the event, while /healthz and /api/announcements
# are requested all along. Ends with one RESULT line.
#
#   scripts/load-sse.sh                            10,000 streams, 500 users (20 each: the per-user limit)
#   STREAMS=2000 USERS=100 scripts/load-sse.sh     a short run
#
# Goals: <= 10 KB per stream, 99 % delivered within 1 s, no errors on other routes.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
STREAMS=${STREAMS:-10000}
USERS=${USERS:-500}
PARALLEL_LOGIN=${PARALLEL_LOGIN:-8}
# One socket per stream in Pforte and one in loadsse (each process has its own limit).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if (($(ulimit -n) < STREAMS + 1000)); then
	echo "load-sse: the open-file limit $(ulimit -n) is too low for $STREAMS streams (raise ulimit -n)" >&2
	exit 1
fi

# shellcheck source=scripts/loadlib.sh
source scripts/loadlib.sh
load_setup load-sse

load_banner
go build -o "$DIR/pforte" ./app
go build -o "$DIR/loadlogin" ./scripts/loadlogin
go build -o "$DIR/loadsse" ./scripts/loadsse

STACK_UP=1
PFORTE_STACK_LOAD_USERS=$USERS scripts/stack.sh up "$DIR/stack" redis oidc >"$DIR/stack.log" 2>&1 ||
	{ cat "$DIR/stack.log" >&2; exit 1; }
# shellcheck disable=SC1091
source "$DIR/stack/env"

PORT=$(free_port)
TOKEN=load-sse-token-$RANDOM$RANDOM
SHA=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
tenant() { # ID HOST
	cat <<YAML
  - id: $1
    hosts: [$2]
    name: Portal $1
    timezone: Europe/Berlin
    oidc: {issuer: "$PFORTE_TEST_OIDC_ISSUER", client_id: $PFORTE_TEST_OIDC_CLIENT_ID, client_secret: "$PFORTE_TEST_OIDC_CLIENT_SECRET", scopes: [groups, offline_access]}
    api_tokens: [{name: load, sha256: $SHA}]
YAML
}
{
	echo "listen: \"127.0.0.1:$PORT\""
	echo "secret_key: load-test-secret-key-0123456789-abcdefghijkl"
	echo "store: {redis_url: \"$PFORTE_TEST_REDIS_URL\"}"
	echo "tenants:"
	tenant a 127.0.0.1
	tenant b localhost
} >"$DIR/pforte.yaml"
env -u PORT PFORTE_CONFIG="$DIR/pforte.yaml" PFORTE_DEMO_DIR="$DIR/demo" "$DIR/pforte" >"$DIR/pforte.log" 2>&1 &
PFORTE_PID=$!
PIDS+=("$PFORTE_PID")
wait_http "http://127.0.0.1:$PORT/healthz" 20 || { tail -20 "$DIR/pforte.log" >&2; exit 1; }

echo "== signing $USERS users in, alternating between the tenants"
export DIR PORT
seq 1 "$USERS" | xargs -P "$PARALLEL_LOGIN" -I{} sh -c '
	u=$(printf "load%04d" {}); if [ $(({} % 2)) = 0 ]; then h=127.0.0.1; else h=localhost; fi
	c=$("$DIR/loadlogin" -base "http://$h:$PORT" -user "$u" -password "$u-pw" -warm=false) && printf "%s\t%s\n" "$h:$PORT" "$c"' \
	>"$DIR/cookies.txt" 2>"$DIR/login.log" || { tail -5 "$DIR/login.log" >&2; exit 1; }
echo "   $(wc -l <"$DIR/cookies.txt") signed in"

echo "== $STREAMS streams, then one announcement per tenant"
"$DIR/loadsse" -addr "127.0.0.1:$PORT" -cookies "$DIR/cookies.txt" -streams "$STREAMS" -pid "$PFORTE_PID" -token "$TOKEN"
echo "   Pforte threads: $(awk '/^Threads/ {print $2}' "/proc/$PFORTE_PID/status"), errors in its log: $(grep -c '"level":"ERROR"' "$DIR/pforte.log" || true)"
echo "== after: $(uptime | sed 's/.*load average/load average/')"
