#!/usr/bin/env bash
# Scripted, repeatable fault runs (issue 10): Pforte against real servers, each fault
# injected on purpose, every check printed as PASS or FAIL; exits non-zero on any FAIL.
#
#   1. Redis stopped (SIGSTOP: connections hang, the worst case) for 10 s under load:
#      requests answer fast (503 or from Pforte's short in-memory caches), none hangs, and
#      everything recovers by itself after SIGCONT, without restarting Pforte.
#   2. Redis with appendonly yes restarted (SIGTERM, started again on the same dir and
#      port): an announcement (API token) and a push subscription are still there.
#   3. Each upstream (IMAP, CalDAV, WebDAV) stalled (SIGSTOP: accepts, never answers) and
#      IMAP down: the dashboard answers within source_timeout (2 s) with that source
#      "error" and the others "ok".
#   5. SIGTERM to Pforte under load: no response cut off mid-way, exit status 0.
#   4. The OIDC provider down: /login answers the friendly 502 page, not a 500.
#      (run last: the IMAP bearer login needs the provider)
#
# Starts its own redis-server (appendonly yes) and scripts/stack.sh (OIDC provider, Dovecot,
# Radicale, rclone) on 127.0.0.1 and free ports; stops everything it started by PID on exit.
# Takes about 2 minutes. Needs wrk and the stack's packages (scripts/stack.sh install).
#   KEEP=1 scripts/faults.sh     keep the temp dir (logs, config)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

for b in wrk redis-server redis-cli dovecot doveadm /usr/bin/radicale rclone openssl curl python3; do
	command -v "$b" >/dev/null || { echo "faults: $b not found; run scripts/stack.sh install (and apt-get install wrk)" >&2; exit 1; }
done

DIR=$(mktemp -d -t pforte-faults.XXXXXX)
chmod 755 "$DIR"
PIDS=()
STOPPED=() # processes we SIGSTOPped: continue them before killing
STACK_UP=""
REDIS_PID=""
PFORTE_PID=""
FAILS=0
cleanup() {
	local pid
	for pid in "${STOPPED[@]}"; do kill -CONT "$pid" 2>/dev/null || true; done
	for pid in "${PIDS[@]}" $PFORTE_PID $REDIS_PID; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [ -n "$STACK_UP" ]; then scripts/stack.sh down "$DIR/stack" >/dev/null 2>&1 || true; fi
	if [ -n "${KEEP:-}" ]; then echo "faults: kept $DIR"; else rm -rf "$DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# The whole run is bounded: give up after 6 minutes.
(
	trap 'kill "$s" 2>/dev/null; exit 0' TERM
	sleep 360 &
	s=$!
	wait "$s" && { echo "faults: TIMEOUT after 6 minutes" >&2; kill -TERM $$; }
) 2>/dev/null &
WATCHDOG=$!
PIDS+=("$WATCHDOG")

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; FAILS=$((FAILS + 1)); }
check() { # DESCRIPTION CONDITION...
	local d=$1
	shift
	if "$@"; then pass "$d"; else fail "$d"; fi
}
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
wait_http() { # URL SECONDS [EXPECTED_CODE]
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" 2>/dev/null)" = "${3:-200}" ] && return 0
		sleep 0.1
	done
	return 1
}
ms() { date +%s%3N; }

# Pass thresholds, kept next to the figures documented in docs/security.md (Faults) with a margin
# for a shared machine, not loose enough to hide a regression of the mechanism behind each figure.
OUTAGE_MAX_S=1.5     # part 1: 503 after go-redis's 500 ms I/O timeout and one retry (documented: <= 1.05 s)
RECOVER_MAX_S=3      # part 1: /readyz 200 again after Redis returns (documented: 0.3-1.2 s)
DASH_MAX_MS=2500     # part 3: source_timeout 2 s plus rendering (documented: 2.08-2.19 s)
EXIT_MAX_MS=2000     # part 5: exit after SIGTERM under load (documented: 200-250 ms)
LOGIN_502_MAX_S=1    # part 4: friendly 502 when the provider is down (documented: 5-10 ms)

echo "== $(date -u +%FT%TZ), $(nproc) CPUs, $(uptime | sed 's/.*load average/load average/')"
echo "== building"
go build -o "$DIR/pforte" ./app
go build -o "$DIR/loadlogin" ./scripts/loadlogin
go build -o "$DIR/faultkit" ./scripts/faultkit

echo "== starting Redis (appendonly yes) and the stack"
RPORT=$(free_port)
mkdir -p "$DIR/redis"
REDIS_URL="redis://127.0.0.1:$RPORT/0"
RCLI=(redis-cli -h 127.0.0.1 -p "$RPORT")
start_redis() {
	redis-server --bind 127.0.0.1 --port "$RPORT" --save '' --appendonly yes --appendfsync everysec \
		--dir "$DIR/redis" --logfile "$DIR/redis/redis.log" &
	REDIS_PID=$!
	local i
	for ((i = 0; i < 100; i++)); do "${RCLI[@]}" PING 2>/dev/null | grep -q PONG && return 0; sleep 0.1; done
	echo "faults: redis did not start" >&2
	exit 1
}
start_redis
STACK_UP=1
scripts/stack.sh up "$DIR/stack" oidc dovecot radicale webdav >"$DIR/stack.log" 2>&1 || { cat "$DIR/stack.log" >&2; exit 1; }
# shellcheck disable=SC1091
source "$DIR/stack/env"

echo "== seeding alice: one mail, one calendar, one file"
python3 - "$PFORTE_TEST_IMAP_ADDR" "${PFORTE_TEST_CALDAV_URL%/}/alice/faults/" "$PFORTE_TEST_WEBDAV_DIR/alice" <<'PY'
import base64, imaplib, os, sys, urllib.request
imap, cal, files = sys.argv[1:4]
host, port = imap.rsplit(":", 1)
m = imaplib.IMAP4(host, int(port)); m.login("alice", "alice-pw")
m.append("INBOX", "", None, b"From: a@b.example\r\nTo: alice@b.example\r\nSubject: Fault run\r\n\r\nHallo\r\n")
m.logout()
req = urllib.request.Request(cal, method="MKCALENDAR", headers={"Authorization": "Basic " + base64.b64encode(b"alice:alice-pw").decode()})
urllib.request.urlopen(req).close()
os.makedirs(files, exist_ok=True)
open(os.path.join(files, "Bericht.txt"), "w").write("x")
PY

echo "== starting Pforte"
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
TOKEN=$(openssl rand -hex 24)
TOKEN_SHA=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
cat >"$DIR/pforte.yaml" <<YAML
listen: "127.0.0.1:$PORT"
secret_key: faults-test-secret-key-0123456789-abcdefghijkl
store: {redis_url: "$REDIS_URL"}
push: {allow_hosts: [push.example.test]}
dashboard: {source_timeout: 2s, cache_ttl: 1s}
tenants:
  - id: faults
    hosts: [127.0.0.1]
    name: Portal Fehlerprobe
    timezone: Europe/Berlin
    oidc: {issuer: "$PFORTE_TEST_OIDC_ISSUER", client_id: $PFORTE_TEST_OIDC_CLIENT_ID, client_secret: "$PFORTE_TEST_OIDC_CLIENT_SECRET", scopes: [groups, offline_access]}
    api_tokens: [{name: faults, sha256: $TOKEN_SHA}]
    mail: {imap: "$PFORTE_TEST_IMAP_ADDR", tls: none, auth: bearer, web_url: "https://mail.example/#uid={uid}"}
    calendar: {url: "${PFORTE_TEST_CALDAV_URL%/}/{user}/faults/", auth: password, web_url: "https://mail.example/calendar"}
    files: {url: "$PFORTE_TEST_WEBDAV_URL", auth: password, web_url: "https://cloud.example/apps/files/?dir={dir}"}
  # Same provider, never signed in to: its discovery happens at the first /login (part 4).
  - id: second
    hosts: [localhost]
    name: Zweites Portal
    timezone: Europe/Berlin
    default_locale: de
    oidc: {issuer: "$PFORTE_TEST_OIDC_ISSUER", client_id: $PFORTE_TEST_OIDC_CLIENT_ID, client_secret: "$PFORTE_TEST_OIDC_CLIENT_SECRET"}
YAML
start_pforte() {
	env -u PORT PFORTE_CONFIG="$DIR/pforte.yaml" "$DIR/pforte" >>"$DIR/pforte.log" 2>&1 &
	PFORTE_PID=$!
	wait_http "$BASE/healthz" 20 || { tail -20 "$DIR/pforte.log" >&2; exit 1; }
}
start_pforte
COOKIE=$("$DIR/loadlogin" -base "$BASE" -user alice -password alice-pw -connect calendar,files)
CSRF=$(curl -fsS -H "Cookie: $COOKIE" "$BASE/" | sed -n 's/.*<meta name="csrf-token" content="\([^"]*\)".*/\1/p' | head -1)
[ -n "$CSRF" ] || { echo "faults: no csrf token on the start page" >&2; exit 1; }
DASH="$BASE/api/dashboard"
ANN="$BASE/api/announcements"
# probe URL [curl args]: prints "CODE SECONDS" (code 000 = no answer within 3 s).
probe() {
	local url=$1
	shift
	curl -s -o /dev/null --max-time 3 -w '%{http_code} %{time_total}' "$@" "$url" 2>/dev/null || true
}
# dash_states: "mail=ok calendar=ok files=ok" of the signed-in dashboard, then the seconds it took.
dash_states() {
	local t0 t1 body
	t0=$(ms)
	body=$(curl -s --max-time 10 -H "Cookie: $COOKIE" "$DASH" || true)
	t1=$(ms)
	python3 -c 'import json,sys
try:
    d = json.loads(sys.argv[1]); print(" ".join("%s=%s" % (k, d[k]["status"]) for k in ("mail", "calendar", "files")), end="")
except Exception: print("no-json", end="")' "$body"
	echo " $(((t1 - t0)))ms"
}
check "setup: dashboard all sources ok ($(dash_states))" bash -c '[[ "$0" == "mail=ok calendar=ok files=ok "* ]]' "$(dash_states)"

#############################################################################
echo
echo "== 1. Redis stopped (SIGSTOP) for 10 s under load"
"$DIR/faultkit" load -c 16 -d 24s -timeout 3s -cookie "$COOKIE" "$BASE/readyz" "$DASH" "$ANN" >"$DIR/load1.txt" &
LOAD_PID=$!
PIDS+=("$LOAD_PID")
sleep 4
kill -STOP "$REDIS_PID"
STOPPED+=("$REDIS_PID")
T_STOP=$(ms)
sleep 2
worst=0
F0=$FAILS
for i in 1 2; do
	for u in "$BASE/readyz" "$DASH" "$ANN"; do
		r=$(probe "$u" -H "Cookie: $COOKIE")
		echo "   redis stopped: GET ${u#"$BASE"} -> $r s"
		code=${r%% *}
		t=${r#* }
		case $code in 200 | 503) ;; *) fail "1: ${u#"$BASE"} answered $code while Redis was stopped (want 503 or 200)" ;; esac
		awk -v t="$t" -v m="$OUTAGE_MAX_S" 'BEGIN{exit !(t > m)}' && fail "1: ${u#"$BASE"} took ${t}s while Redis was stopped (want <= $OUTAGE_MAX_S s)"
		worst=$(awk -v a="$worst" -v b="$t" 'BEGIN{print (b > a ? b : a)}')
	done
	sleep 0.5
done
((FAILS == F0)) && pass "1: every probe during the outage answered 200 or 503 within $OUTAGE_MAX_S s (slowest ${worst}s)"
left=$((10000 - ($(ms) - T_STOP)))
((left > 0)) && sleep "$((left / 1000)).$(printf %03d $((left % 1000)))"
kill -CONT "$REDIS_PID"
STOPPED=()
T_CONT=$(ms)
echo "   Redis continued after $(((T_CONT - T_STOP) / 1000)).$(((T_CONT - T_STOP) % 1000 / 100)) s"
if wait_http "$BASE/readyz" "$RECOVER_MAX_S"; then
	pass "1: /readyz 200 again $(($(ms) - T_CONT)) ms after Redis returned (no Pforte restart)"
else
	fail "1: /readyz not 200 within $RECOVER_MAX_S s after Redis returned"
fi
check "1: /api/dashboard 200 after recovery" bash -c '[ "$(curl -s -o /dev/null -w "%{http_code}" --max-time 3 -H "Cookie: $0" "$1")" = 200 ]' "$COOKIE" "$DASH"
check "1: /api/announcements 200 after recovery" bash -c '[ "$(curl -s -o /dev/null -w "%{http_code}" --max-time 3 -H "Cookie: $0" "$1")" = 200 ]' "$COOKIE" "$ANN"
wait "$LOAD_PID" || true
sed 's/^/   /' "$DIR/load1.txt"
TOT=$(grep '^TOTAL' "$DIR/load1.txt")
val() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<" $2"; }
check "1: under load (16 connections, 24 s) no request hung (timeout=0, cut=0): $TOT" \
	bash -c '[ "$0" = 0 ] && [ "$1" = 0 ]' "$(val timeout "$TOT")" "$(val cut "$TOT")"
LAST=$(grep '^t=' "$DIR/load1.txt" | tail -3 | head -2)
check "1: the last seconds of the load run are all ok (recovered by itself)" \
	bash -c '! grep -qE "s503=[1-9]|other=[1-9]|timeout=[1-9]|early=[1-9]|refused=[1-9]" <<<"$0" && grep -q "ok=[1-9]" <<<"$0"' "$LAST"

#############################################################################
echo
echo "== 2. Redis restart with appendonly yes loses nothing"
TITLE="Fehlerprobe $(openssl rand -hex 4)"
ANN_ID=$(curl -s --max-time 5 -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	-d "{\"title\":\"$TITLE\",\"body\":\"Redis-Neustart\",\"severity\":\"info\"}" "$ANN" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' || true)
check "2: announcement created via the API token (id $ANN_ID)" test -n "$ANN_ID"
SUB=$("$DIR/faultkit" sub push.example.test)
DEV_ID=$(curl -s --max-time 5 -X POST -H "Cookie: $COOKIE" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
	-d "$SUB" "$BASE/api/push/subscriptions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' || true)
check "2: push subscription stored (device $DEV_ID)" test -n "$DEV_ID"
DEV_KEY=$("${RCLI[@]}" --scan --pattern '*push:dev:*' | head -1)
KEYS_BEFORE=$("${RCLI[@]}" DBSIZE)
echo "   subscription key: $DEV_KEY; keys in Redis before restart: $KEYS_BEFORE"
# Immediately (well within appendfsync everysec's second, after a 1.5 s grace) stop Redis the way
# an orchestrator does: SIGTERM. Redis fsyncs the AOF on shutdown.
sleep 1.5
kill -TERM "$REDIS_PID"
wait "$REDIS_PID" 2>/dev/null || true
start_redis
KEYS_AFTER=$("${RCLI[@]}" DBSIZE)
check "2: same number of keys before and after the restart ($KEYS_BEFORE, $KEYS_AFTER)" test "$KEYS_BEFORE" = "$KEYS_AFTER"
check "2: the subscription key still holds device $DEV_ID (redis-cli HEXISTS)" \
	bash -c '[ "$("${@:2}" HEXISTS "$0" "$1")" = 1 ]' "$DEV_KEY" "$DEV_ID" "${RCLI[@]}"
wait_http "$BASE/readyz" 10 || true
check "2: GET /api/announcements/$ANN_ID (token) answers 200 after the restart" \
	bash -c '[ "$(curl -s -o /dev/null -w "%{http_code}" --max-time 3 -H "Authorization: Bearer $0" "$1")" = 200 ]' "$TOKEN" "$ANN/$ANN_ID"
check "2: the API list (token) still holds \"$TITLE\"" \
	bash -c 'curl -s --max-time 3 -H "Authorization: Bearer $0" "$1" | grep -q "$2"' "$TOKEN" "$ANN" "$ANN_ID"
check "2: Redis itself holds the announcement (a key or member names $ANN_ID)" \
	bash -c 'for k in $("${@:1}" --scan); do t=$("${@:1}" TYPE "$k"); case $t in string) v=$("${@:1}" GET "$k");; hash) v=$("${@:1}" HGETALL "$k");; zset) v=$("${@:1}" ZRANGE "$k" 0 -1);; set) v=$("${@:1}" SMEMBERS "$k");; list) v=$("${@:1}" LRANGE "$k" 0 -1);; *) v="";; esac; [[ "$k $v" == *"$ANN_ID"* ]] && exit 0; done; exit 1' _ "${RCLI[@]}" 2>/dev/null

#############################################################################
echo
echo "== 3. Each upstream stalled or down: the dashboard answers within source_timeout (2 s)"
desc() { # PID: the process and all its descendants
	local p=$1 c
	echo "$p"
	for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do desc "$c"; done
}
DOVECOT_PIDS=$(desc "$(cat "$DIR/stack/pids/dovecot.pid")")
RADICALE_PIDS=$(cat "$DIR/stack/pids/radicale.pid")
RCLONE_PIDS=$(cat "$DIR/stack/pids/webdav.pid")
fresh_dash() { # drop the cached snapshot (Redis and, after cache_ttl 1 s, the local copy)
	"${RCLI[@]}" --scan --pattern '*dash:*' | while read -r k; do "${RCLI[@]}" DEL "$k" >/dev/null; done
	sleep 1.2
}
expect_dash() { # LABEL SOURCE
	local got want t
	got=$(dash_states)
	t=${got##* }
	t=${t%ms}
	want=""
	for s in mail calendar files; do
		if [ "$s" = "$2" ]; then want+="$s=error "; else want+="$s=ok "; fi
	done
	if [[ "$got " == "$want"* ]] && ((t <= DASH_MAX_MS)); then
		pass "3: $1: 200 in ${t} ms with $got"
	else
		fail "3: $1: want ${want}within $DASH_MAX_MS ms, got $got"
	fi
}
for pair in "mail:$DOVECOT_PIDS" "calendar:$RADICALE_PIDS" "files:$RCLONE_PIDS"; do
	src=${pair%%:*}
	pids=${pair#*:}
	# shellcheck disable=SC2086
	kill -STOP $pids
	read -ra STOPPED <<<"$(echo $pids)"
	fresh_dash
	expect_dash "$src stalled (SIGSTOP: connects, never answers)" "$src"
	# shellcheck disable=SC2086
	kill -CONT $pids
	STOPPED=()
	fresh_dash
	dash_states >/dev/null # IMAP connections opened during the stall are discarded here
	fresh_dash
	got=$(dash_states)
	check "3: $src back: all ok again ($got)" bash -c '[[ "$0" == "mail=ok calendar=ok files=ok "* ]]' "$got"
done
doveadm -c "$DIR/stack/dovecot/dovecot.conf" stop 2>/dev/null || kill "$(cat "$DIR/stack/pids/dovecot.pid")"
for _ in $(seq 30); do kill -0 "$(cat "$DIR/stack/pids/dovecot.pid")" 2>/dev/null || break; sleep 0.1; done
fresh_dash
expect_dash "mail down (Dovecot stopped: connection refused)" mail

#############################################################################
echo
echo "== 5. SIGTERM under load: no response cut off"
cat >"$DIR/report.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d connect_err=%d read_err=%d write_err=%d timeouts=%d non2xx=%d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status))
end
LUA
wrk -t 2 -c 32 -d 10s -s "$DIR/report.lua" -H "Cookie: $COOKIE" "$ANN" >"$DIR/wrk5.txt" 2>&1 &
WRK_PID=$!
PIDS+=("$WRK_PID")
"$DIR/faultkit" load -c 16 -d 10s -timeout 3s -cookie "$COOKIE" "$BASE/readyz" "$DASH" "$ANN" >"$DIR/load5.txt" &
LOAD_PID=$!
PIDS+=("$LOAD_PID")
sleep 5
T_TERM=$(ms)
kill -TERM "$PFORTE_PID"
rc=0
wait "$PFORTE_PID" || rc=$?
T_EXIT=$(($(ms) - T_TERM))
echo "   Pforte exited with $rc after $T_EXIT ms"
PFORTE_PID=""
wait "$WRK_PID" || true
wait "$LOAD_PID" || true
grep -E 'RESULT|Requests/sec|Socket errors' "$DIR/wrk5.txt" | sed 's/^/   wrk: /'
grep '^TOTAL' "$DIR/load5.txt" | sed 's/^/   faultkit: /'
check "5: Pforte exited 0 on SIGTERM" test "$rc" = 0
check "5: Pforte exited within $EXIT_MAX_MS ms of SIGTERM ($T_EXIT ms)" test "$T_EXIT" -le "$EXIT_MAX_MS"
TOT=$(grep '^TOTAL' "$DIR/load5.txt")
check "5: faultkit: no response cut off mid-way (cut=$(val cut "$TOT")), none hung (timeout=$(val timeout "$TOT")), all answers ok before shutdown" \
	bash -c '[ "$0" = 0 ] && [ "$1" = 0 ] && [ "$2" = 0 ] && [ "$3" = 0 ]' "$(val cut "$TOT")" "$(val timeout "$TOT")" "$(val s503 "$TOT")" "$(val other "$TOT")"
R=$(grep '^RESULT' "$DIR/wrk5.txt" || true)
# wrk cannot tell a cut-off response from a keep-alive connection that the server closed
# (after finishing its last response) while wrk was already sending the next request: both
# count as one read error. The latter happens at most once per connection (32), and connect
# refusals after the listener closed count as write errors (wrk connects non-blocking).
# faultkit's "cut" counter above is the exact check: error after the status line, or a body
# shorter than its Content-Length.
check "5: wrk: no timeouts, no error statuses, read errors <= 1 per connection (the close after the last response): $R" \
	bash -c '[ "$0" = 0 ] && [ "$1" = 0 ] && [ "$2" -le 32 ]' "$(val timeouts "$R")" "$(val non2xx "$R")" "$(val read_err "$R")"

#############################################################################
echo
echo "== 4. OIDC provider down: a friendly error"
start_pforte
kill "$(cat "$DIR/stack/pids/oidc.pid")"
for _ in $(seq 30); do kill -0 "$(cat "$DIR/stack/pids/oidc.pid")" 2>/dev/null || break; sleep 0.1; done
r=$(curl -s -o "$DIR/login.html" --max-time 15 -w '%{http_code} %{time_total}' -H 'Accept-Language: de' "$BASE/login" || true)
echo "   GET /login (signed out, provider down) -> $r s"
check "4: /login answers 502 (not 500)" test "${r%% *}" = 502
check "4: /login answered within $LOGIN_502_MAX_S s (${r#* } s)" awk -v t="${r#* }" -v m="$LOGIN_502_MAX_S" 'BEGIN{exit !(t <= m)}'
check "4: the page says \"Anmeldedienst nicht erreichbar\"" grep -q "Anmeldedienst nicht erreichbar" "$DIR/login.html"
r=$(curl -s -o /dev/null --max-time 15 -w '%{http_code} %{time_total}' "$BASE/readyz" || true)
check "4: /readyz stays 200 while the provider is down ($r s)" test "${r%% *}" = 200

echo
if ((FAILS)); then
	echo "faults: $FAILS check(s) FAILED"
	exit 1
fi
echo "faults: all checks passed"
