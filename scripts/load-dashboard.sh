#!/usr/bin/env bash
# Load test of GET /api/dashboard against a bare-Redis ceiling, in one run.
#
# Starts the real servers (scripts/stack.sh up: Redis, OIDC provider, Dovecot, Radicale,
# rclone WebDAV), seeds one user (alice: 8 unread mails, 6 meetings, 12 files), starts
# Pforte twice and scripts/loadbaseline (a bare Fiber app doing one go-redis GET of 2 KB) on
# 127.0.0.1, signs alice in through the provider's login form (scripts/loadlogin), which
# also connects calendar and files and warms her dashboard cache, then runs wrk against
# the endpoints in turn and prints requests/s, p50/p90/p99, errors and two ratios:
#   ratio hot path    one signed-in user: after warm-up Pforte serves every request from its
#                     per-instance memory caches (session, snapshot) and makes no Redis call,
#                     while the ceiling makes one. A best case.
#   ratio store path  the second Pforte runs with PFORTE_MEASURE_BYPASS_LOCAL_CACHES=1 (a
#                     switch for measuring only): every request reads its session and snapshot
#                     from Redis, as when far more users are active than the caches hold.
# Everything it started is stopped by PID on exit.
#
#   scripts/load-dashboard.sh                       30 s per endpoint, 64 connections, 2 threads
#   DURATION=10s ROUNDS=3 scripts/load-dashboard.sh alternate ceiling/dashboard 3 times (medians)
#   CONNECTIONS=64 THREADS=2 KEEP=1                 KEEP=1 keeps the temp dir (logs, config)
#   SOAK=10m scripts/load-dashboard.sh             10 minutes on dashboard + announcements API at
#                                                   once; resident memory every minute (issue 10);
#                                                   SESSIONS=200 (default) distinct sessions, each
#                                                   request takes the next one
#   PIN=0 scripts/load-dashboard.sh                 do not pin (see below)
#   PROFILE=1 scripts/load-dashboard.sh             perf-records Pforte during the first dashboard
#                                                   run and prints its top functions (needs perf:
#                                                   Debian package linux-perf); PROFILE=store: the
#                                                   store-path run instead
#
# Pinning (default with 2 or more CPUs): wrk runs on CPU 0, the ceiling and both Pforte
# instances on the others (Redis where the kernel puts it). Unpinned on a 2-core machine, the
# load generator and the server take turns on the same cores, and the p99 mostly measures those
# turns: the faster server then shows the longer tail (docs/benchmarks.md, "The warm tail").
#
# Needs wrk (Debian: apt-get install wrk) and the stack's packages (scripts/stack.sh install).
# Goals: hot path >= 0.8 and store path >= 0.6 of the ceiling's requests/s, p99 <= 15 ms for
# both, at 64 connections on 2 cores; and p99 <= 1.5x the ceiling's p99 in the same run
# (issue 20's warm tail: the "tail" lines).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DURATION=${DURATION:-30s}
ROUNDS=${ROUNDS:-1}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}

if ! command -v wrk >/dev/null; then
	echo "load-dashboard: wrk not found; install it with: sudo apt-get install -y wrk" >&2
	exit 1
fi
for b in redis-server dovecot /usr/bin/radicale rclone; do
	command -v "$b" >/dev/null || { echo "load-dashboard: $b not found; run scripts/stack.sh install" >&2; exit 1; }
done

# shellcheck source=scripts/loadlib.sh
source scripts/loadlib.sh
load_setup load-dashboard

load_banner
# LOADGEN / SERVE: command prefixes that pin wrk and the servers to separate CPUs.
LOADGEN=() SERVE=()
if [ "${PIN:-1}" != 0 ] && (($(nproc) >= 2)) && command -v taskset >/dev/null; then
	LOADGEN=(taskset -c 0) SERVE=(taskset -c "1-$(($(nproc) - 1))")
	echo "== pinned: wrk on CPU 0, the servers on CPU ${SERVE[2]} (PIN=0: unpinned)"
else
	echo "== not pinned: wrk and the servers share the CPUs"
fi
echo "== building"
go build -o "$DIR/pforte" ./app
go build -o "$DIR/loadbaseline" ./scripts/loadbaseline
go build -o "$DIR/loadlogin" ./scripts/loadlogin

echo "== starting the stack"
STACK_UP=1
scripts/stack.sh up "$DIR/stack" redis oidc dovecot radicale webdav >"$DIR/stack.log" 2>&1 ||
	{ cat "$DIR/stack.log" >&2; exit 1; }
# shellcheck disable=SC1091
source "$DIR/stack/env"

echo "== seeding alice: mail, calendar, files"
python3 - "$PFORTE_TEST_IMAP_ADDR" "${PFORTE_TEST_CALDAV_URL%/}/alice/load/" "$PFORTE_TEST_WEBDAV_DIR/alice/Haushalt" <<'PY'
import base64, datetime as dt, imaplib, os, sys, time, urllib.request
imap, cal, files = sys.argv[1:4]
now = dt.datetime.now(dt.timezone.utc)
host, port = imap.rsplit(":", 1)
m = imaplib.IMAP4(host, int(port)); m.login("alice", "alice-pw")
for i in range(12):
    date = now - dt.timedelta(hours=12 - i)
    raw = ("From: =?utf-8?q?Sachgebiet_=C3=96ffentlichkeitsarbeit?= <presse@musterstadt.example>\r\n"
           "To: Anna Schmidt <anna.schmidt@musterstadt.example>\r\n"
           f"Subject: AW: Entwurf Pressemitteilung Neueroeffnung Buergerbuero ({i})\r\n"
           f"Date: {date.strftime('%a, %d %b %Y %H:%M:%S +0000')}\r\n"
           f"Message-ID: <load-{i}-{time.time_ns()}@musterstadt.example>\r\n"
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGuten Tag,\r\nbitte um Rueckmeldung.\r\n")
    m.append("INBOX", "\\Seen" if i < 4 else "", imaplib.Time2Internaldate(date.timestamp()), raw.encode())
m.logout()
auth = "Basic " + base64.b64encode(b"alice:alice-pw").decode()
def dav(method, url, body=b""):
    req = urllib.request.Request(url, data=body, method=method, headers={"Authorization": auth, "Content-Type": "text/calendar; charset=utf-8"})
    urllib.request.urlopen(req).close()
dav("MKCALENDAR", cal)
fmt = "%Y%m%dT%H%M%SZ"
for i in range(6):
    start = now + dt.timedelta(hours=i * 13 + 1)
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pforte//load//DE\r\nBEGIN:VEVENT\r\n"
           f"UID:load-{i}\r\nDTSTAMP:{now.strftime(fmt)}\r\nDTSTART:{start.strftime(fmt)}\r\n"
           f"DTEND:{(start + dt.timedelta(hours=1)).strftime(fmt)}\r\nSUMMARY:Jour fixe Digitalisierung {i}\r\n"
           "LOCATION:Rathaus\\, Raum 2.14\r\nDESCRIPTION:Einwahl: https://meet.jit.si/pforte-load\r\n"
           "END:VEVENT\r\nEND:VCALENDAR\r\n")
    dav("PUT", f"{cal}load-{i}.ics", ics.encode())
os.makedirs(files, exist_ok=True)
for i in range(12):
    p = os.path.join(files, f"Haushaltsplanung 2027 Entwurf v{i}.xlsx")
    with open(p, "wb") as f:
        f.write(b"x" * (1000 * i))
    t = time.time() - 3600 * i
    os.utime(p, (t, t))
PY

echo "== starting Pforte and the ceiling"
PFORTE_PORT=$(free_port)
STORE_PORT=$(free_port)
BASE_PORT=$(free_port)
cat >"$DIR/pforte.yaml" <<YAML
listen: "127.0.0.1:$PFORTE_PORT"
secret_key: load-test-secret-key-0123456789-abcdefghijkl
store: {redis_url: "$PFORTE_TEST_REDIS_URL"}
dashboard: {cache_ttl: 1h}
tenants:
  - id: load
    hosts: [127.0.0.1]
    name: Portal Last
    timezone: Europe/Berlin
    oidc: {issuer: "$PFORTE_TEST_OIDC_ISSUER", client_id: $PFORTE_TEST_OIDC_CLIENT_ID, client_secret: "$PFORTE_TEST_OIDC_CLIENT_SECRET", scopes: [groups, offline_access]}
    mail: {imap: "$PFORTE_TEST_IMAP_ADDR", tls: none, auth: bearer, web_url: "https://mail.musterstadt.example/#uid={uid}"}
    calendar: {url: "${PFORTE_TEST_CALDAV_URL%/}/{user}/load/", auth: password, web_url: "https://mail.musterstadt.example/calendar"}
    files: {url: "$PFORTE_TEST_WEBDAV_URL", auth: password, web_url: "https://cloud.musterstadt.example/apps/files/?dir={dir}"}
    apps:
      - {name: Chat, url: "https://chat.musterstadt.example", icon: chat}
      - {name: Videokonferenz, url: "https://meet.musterstadt.example", icon: video}
YAML
"${SERVE[@]}" env -u PORT PFORTE_CONFIG="$DIR/pforte.yaml" PFORTE_DEMO_DIR="$DIR/demo" "$DIR/pforte" >"$DIR/pforte.log" 2>&1 &
PFORTE_PID=$!
PIDS+=("$PFORTE_PID")
sed "s/^listen: .*/listen: \"127.0.0.1:$STORE_PORT\"/" "$DIR/pforte.yaml" >"$DIR/pforte-store.yaml"
"${SERVE[@]}" env -u PORT PFORTE_CONFIG="$DIR/pforte-store.yaml" PFORTE_DEMO_DIR="$DIR/demo" PFORTE_MEASURE_BYPASS_LOCAL_CACHES=1 \
	"$DIR/pforte" >"$DIR/pforte-store.log" 2>&1 &
STORE_PID=$!
PIDS+=("$STORE_PID")
"${SERVE[@]}" "$DIR/loadbaseline" -addr "127.0.0.1:$BASE_PORT" -redis "$PFORTE_TEST_REDIS_URL" >"$DIR/loadbaseline.log" 2>&1 &
BASE_PID=$!
PIDS+=("$BASE_PID")
wait_http "http://127.0.0.1:$PFORTE_PORT/healthz" 20 || { tail -20 "$DIR/pforte.log" >&2; exit 1; }
wait_http "http://127.0.0.1:$STORE_PORT/healthz" 20 || { tail -20 "$DIR/pforte-store.log" >&2; exit 1; }
wait_http "http://127.0.0.1:$BASE_PORT/value" 20 || { cat "$DIR/loadbaseline.log" >&2; exit 1; }

echo "== signing alice in, connecting calendar and files, warming the cache"
COOKIE=$("$DIR/loadlogin" -base "http://127.0.0.1:$PFORTE_PORT" -user alice -password alice-pw -connect calendar,files)

# report.lua: one RESULT line per run, latencies in µs. wrk counts responses with a status
# >= 400 as errors.status (no 3xx can occur here: no If-None-Match is sent and the API
# answers 401, not a redirect, when signed out).
cat >"$DIR/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local s = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d rps=%.1f bytes_per_req=%.0f p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d connect_err=%d read_err=%d write_err=%d timeouts=%d\n",
    summary.requests, summary.requests / s, summary.bytes / math.max(summary.requests, 1),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout))
end
LUA
DASH_URL="http://127.0.0.1:$PFORTE_PORT/api/dashboard"
STORE_URL="http://127.0.0.1:$STORE_PORT/api/dashboard"
BASE_URL="http://127.0.0.1:$BASE_PORT/value"
AS_OF=$(curl -fsS -H "Cookie: $COOKIE" "$DASH_URL" | python3 -c 'import json,sys; print(json.load(sys.stdin)["as_of"])') ||
	{ echo "load-dashboard: the cookie does not sign in" >&2; exit 1; }

# cpu_ticks PID: user+system CPU time of a process so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
REDIS_PID=$(cat "$DIR/stack/pids/redis.pid")
HZ=$(getconf CLK_TCK)

# runtime_counts PID: Pforte's heap allocations and GC cycles so far, from its /metrics (the
# Go runtime's own counters); "0 0" for the ceiling, which has no /metrics.
runtime_counts() {
	local port=""
	if [ "$1" = "$PFORTE_PID" ]; then port=$PFORTE_PORT; elif [ "$1" = "$STORE_PID" ]; then port=$STORE_PORT; fi
	if [ -z "$port" ]; then echo "0 0"; return; fi
	curl -fsS "http://127.0.0.1:$port/metrics" |
		awk '/^go_memstats_mallocs_total /{m=$2} /^go_gc_duration_seconds_count /{g=$2} END{printf "%.0f %.0f\n", m, g}'
}

# run_wrk NAME SERVER_PID URL DURATION [wrk args]: one RESULT line, with the CPU time the
# server and Redis spent per request (robust against other load on the machine, unlike req/s),
# and for Pforte its heap allocations per request and GC cycles per 1,000 requests.
run_wrk() {
	local name=$1 pid=$2 url=$3 dur=$4 s0 r0 s1 r1 n m0 g0 m1 g1
	shift 4
	read -r m0 g0 < <(runtime_counts "$pid")
	s0=$(cpu_ticks "$pid") r0=$(cpu_ticks "$REDIS_PID")
	"${LOADGEN[@]}" wrk -t "$THREADS" -c "$CONNECTIONS" -d "$dur" --latency -s "${SCRIPT:-$DIR/report.lua}" "$@" "$url" >"$DIR/wrk-$name.txt"
	s1=$(cpu_ticks "$pid") r1=$(cpu_ticks "$REDIS_PID")
	read -r m1 g1 < <(runtime_counts "$pid")
	n=$(sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' "$DIR/wrk-$name.txt")
	if [ -z "$n" ] || ((n == 0)); then cat "$DIR/wrk-$name.txt" >&2; echo "load-dashboard: no requests completed" >&2; exit 1; fi
	grep '^RESULT' "$DIR/wrk-$name.txt" | sed "s/^RESULT/RESULT $name/; s/\$/ server_cpu_us=$(((s1 - s0) * 1000000 / HZ / n)) redis_cpu_us=$(((r1 - r0) * 1000000 / HZ / n)) allocs_per_req=$(((m1 - m0) / n)) gc_cycles=$((g1 - g0))/"
}

echo "== warm-up (3 s each)"
run_wrk warm-ceiling "$BASE_PID" "$BASE_URL" 3s >/dev/null
run_wrk warm-dashboard "$PFORTE_PID" "$DASH_URL" 3s -H "Cookie: $COOKIE" >/dev/null
run_wrk warm-store "$STORE_PID" "$STORE_URL" 3s -H "Cookie: $COOKIE" >/dev/null

# SOAK=10m: sustained load instead of the comparison (issue 10): the dashboard and the
# announcements API at once (half the connections each) for the whole time, Pforte's resident
# memory sampled every minute; prints errors, p99 and the memory at start and end.
if [ -n "${SOAK:-}" ]; then
	rss() { awk '/^VmRSS/ {print $2}' "/proc/$PFORTE_PID/status"; }
	half=$((CONNECTIONS / 2))
	SESSIONS=${SESSIONS:-200}
	echo "== soak: signing in $SESSIONS sessions"
	echo "$COOKIE" >"$DIR/cookies.txt"
	for ((i = 1; i < SESSIONS; i++)); do
		"$DIR/loadlogin" -base "http://127.0.0.1:$PFORTE_PORT" -user alice -password alice-pw >>"$DIR/cookies.txt"
	done
	# sessions.lua: report.lua plus one session per request, round robin over cookies.txt.
	{ cat "$DIR/report.lua"; cat <<LUA; } >"$DIR/sessions.lua"
local cookies, n = {}, 0
for line in io.lines("$DIR/cookies.txt") do n = n + 1; cookies[n] = line end
local i = 0
request = function()
  i = i % n + 1
  return wrk.format(nil, nil, {Cookie = cookies[i]})
end
LUA
	echo "== soak: $SOAK, $half connections on /api/dashboard and $half on /api/announcements, $(wc -l <"$DIR/cookies.txt") sessions"
	echo "rss_kb start $(rss)"
	(while kill -0 "$PFORTE_PID" 2>/dev/null; do sleep 60; echo "rss_kb $(date -u +%T) $(rss)"; done) &
	SAMPLER=$!
	PIDS+=("$SAMPLER")
	CONNECTIONS=$half SCRIPT="$DIR/sessions.lua" run_wrk soak-dashboard "$PFORTE_PID" "$DASH_URL" "$SOAK" >"$DIR/soak-dash.txt" &
	W1=$!
	CONNECTIONS=$half SCRIPT="$DIR/sessions.lua" run_wrk soak-announcements "$PFORTE_PID" "http://127.0.0.1:$PFORTE_PORT/api/announcements" "$SOAK" >"$DIR/soak-ann.txt" &
	W2=$!
	wait "$W1" "$W2"
	kill "$SAMPLER" 2>/dev/null || true
	cat "$DIR/soak-dash.txt" "$DIR/soak-ann.txt"
	echo "rss_kb end $(rss)"
	exit 0
fi

echo "== measuring: $ROUNDS round(s) of $DURATION per endpoint, $CONNECTIONS connections, $THREADS threads"
: >"$DIR/results.txt"
# redis_calls NAME: Redis commands per request of the run just done (from INFO commandstats,
# reset before each run).
redis_calls() {
	local n
	n=$(grep "^RESULT $1 " "$DIR/results.txt" | tail -1 | sed 's/.*requests=\([0-9]*\).*/\1/')
	redis-cli -u "$PFORTE_TEST_REDIS_URL" INFO commandstats | python3 -c '
import re, sys
n = int(sys.argv[1]); out = []
for line in sys.stdin:
    m = re.match(r"cmdstat_(\w+):calls=(\d+),usec=(\d+)", line)
    if m and m.group(1) not in ("info", "config"):
        out.append("%s %.2f" % (m.group(1).upper(), int(m.group(2)) / n))
print("   redis commands per request:", ", ".join(out) or "none")' "$n"
}
for ((r = 1; r <= ROUNDS; r++)); do
	echo "-- round $r, $(uptime | sed 's/.*load average/load average/')"
	redis-cli -u "$PFORTE_TEST_REDIS_URL" CONFIG RESETSTAT >/dev/null
	run_wrk ceiling "$BASE_PID" "$BASE_URL" "$DURATION" | tee -a "$DIR/results.txt"
	redis_calls ceiling
	redis-cli -u "$PFORTE_TEST_REDIS_URL" CONFIG RESETSTAT >/dev/null
	PERF_PID=""
	if [ -n "${PROFILE:-}" ] && [ "$PROFILE" != store ] && ((r == 1)); then
		perf record -F 499 -g -p "$PFORTE_PID" -o "$DIR/perf.data" -- sleep "$DURATION" >/dev/null 2>&1 &
		PERF_PID=$!
	fi
	run_wrk dashboard "$PFORTE_PID" "$DASH_URL" "$DURATION" -H "Cookie: $COOKIE" | tee -a "$DIR/results.txt"
	redis_calls dashboard
	if [ -n "$PERF_PID" ]; then wait "$PERF_PID" || true; fi
	redis-cli -u "$PFORTE_TEST_REDIS_URL" CONFIG RESETSTAT >/dev/null
	if [ "${PROFILE:-}" = store ] && ((r == 1)); then
		perf record -F 499 -g -p "$STORE_PID" -o "$DIR/perf.data" -- sleep "$DURATION" >/dev/null 2>&1 &
		PERF_PID=$!
	fi
	run_wrk store "$STORE_PID" "$STORE_URL" "$DURATION" -H "Cookie: $COOKIE" | tee -a "$DIR/results.txt"
	redis_calls store
	if [ -n "$PERF_PID" ]; then wait "$PERF_PID" || true; fi
done
if [ -n "${PROFILE:-}" ]; then
	perf report -i "$DIR/perf.data" --stdio --no-children --sort symbol 2>/dev/null |
		grep -E '^ +[0-9.]+%' | head -30 >"$DIR/perf-top.txt" || true
	echo "-- perf: Pforte's top functions during the first ${PROFILE/1/dashboard} run (self time; all: $DIR/perf-top.txt)"
	head -30 "$DIR/perf-top.txt"
fi
echo "-- after: $(uptime | sed 's/.*load average/load average/')"
# The cache stayed warm: the dashboard served at the end is the one built before the run.
AS_OF_END=$(curl -fsS -H "Cookie: $COOKIE" "$DASH_URL" | python3 -c 'import json,sys; print(json.load(sys.stdin)["as_of"])')
if [ "$AS_OF_END" = "$AS_OF" ]; then echo "-- cache stayed warm (as_of $AS_OF)"; else echo "-- WARNING: dashboard rebuilt during the run ($AS_OF -> $AS_OF_END)"; fi

python3 - "$DIR/results.txt" "$( ((${#SERVE[@]} > 0)) && echo 1 || echo 0)" <<'PY'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    parts = line.split()
    name, kv = parts[1], dict(p.split("=") for p in parts[2:])
    runs.setdefault(name, []).append({k: float(v) for k, v in kv.items()})
def med(name, key):
    return statistics.median(r[key] for r in runs[name])
def errs(name):
    return int(sum(r[k] for r in runs[name] for k in ("non2xx", "connect_err", "read_err", "write_err", "timeouts")))
print()
print("%-10s %9s %7s %7s %7s %7s %6s %6s %11s %10s" % ("endpoint", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms",
      "bytes", "errors", "server µs/req", "redis µs/req"))
for n in ("ceiling", "dashboard", "store"):
    print("%-10s %9.0f %7.2f %7.2f %7.2f %7.1f %6.0f %6d %11.0f %10.0f" % (n, med(n, "rps"), med(n, "p50_us") / 1e3,
          med(n, "p90_us") / 1e3, med(n, "p99_us") / 1e3, med(n, "max_us") / 1e3, med(n, "bytes_per_req"), errs(n),
          med(n, "server_cpu_us"), med(n, "redis_cpu_us")))
cpu = lambda n: med(n, "server_cpu_us") + med(n, "redis_cpu_us")
gc = lambda n: 1000 * statistics.median(r["gc_cycles"] / r["requests"] for r in runs[n])
print("\nPforte's heap allocations per request (GC cycles per 1,000 requests): hot path %.0f (%.2f), store path %.0f (%.2f)"
      % (med("dashboard", "allocs_per_req"), gc("dashboard"), med("store", "allocs_per_req"), gc("store")))
print("(medians of %d round(s)) CPU per request, server + Redis: ceiling %.0f µs, hot path %.0f µs, store path %.0f µs"
      % (len(runs["ceiling"]), cpu("ceiling"), cpu("dashboard"), cpu("store")))
print()
for label, n, goal in (("hot path", "dashboard", 0.8), ("store path", "store", 0.6)):
    ratio = med(n, "rps") / med("ceiling", "rps")
    p99 = med(n, "p99_us") / 1e3
    ok = ratio >= goal and p99 <= 15 and errs(n) == 0
    print("ratio %s: %.2f of the ceiling's req/s (goal >= %.2f); p99 %.2f ms (goal <= 15 ms); CPU/request %.2f of the ceiling's: %s"
          % (label, ratio, goal, p99, cpu(n) / cpu("ceiling"), "goal met" if ok else "goal MISSED"))
# The warm tail (issue 20): p99 against the ceiling's p99 in the same run.
for label, n in (("hot path", "dashboard"), ("store path", "store")):
    tail = med(n, "p99_us") / med("ceiling", "p99_us")
    print("tail %s: p99 %.2fx the ceiling's p99 (goal <= 1.5x): %s" % (label, tail, "goal met" if tail <= 1.5 else "goal MISSED"))
# One machine-readable line last (issue 20): the medians above.
print("RESULT dashboard pinned=%s rounds=%d ratio_hot=%.2f ratio_store=%.2f p99_ceiling_ms=%.2f p99_hot_ms=%.2f p99_store_ms=%.2f tail_hot=%.2f tail_store=%.2f cpu_us_ceiling=%.0f cpu_us_hot=%.0f cpu_us_store=%.0f allocs_hot=%.0f allocs_store=%.0f errors=%d"
      % (sys.argv[2], len(runs["ceiling"]), med("dashboard", "rps") / med("ceiling", "rps"), med("store", "rps") / med("ceiling", "rps"),
         med("ceiling", "p99_us") / 1e3, med("dashboard", "p99_us") / 1e3, med("store", "p99_us") / 1e3,
         med("dashboard", "p99_us") / med("ceiling", "p99_us"), med("store", "p99_us") / med("ceiling", "p99_us"),
         cpu("ceiling"), cpu("dashboard"), cpu("store"), med("dashboard", "allocs_per_req"), med("store", "allocs_per_req"),
         errs("ceiling") + errs("dashboard") + errs("store")))
PY
