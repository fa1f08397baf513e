#!/usr/bin/env bash
# Push delivery benchmark: N subscriptions (default 10,000) on a local push
# receiver in its own process (internal/push/pushtest/pushreceiver, Fast mode:
# it checks headers and the VAPID key but neither decrypts nor verifies the
# signature, so it stays cheap), sent once by Pforte's Go sender and once by
# Node's web-push library with the same concurrency over keep-alive HTTPS.
# Prints pushes/s and process CPU µs per push for both, and the ratios. The
# receiver offers HTTP/2 but both senders use HTTP/1.1 (web-push cannot do
# HTTP/2) except the Go variant pforte-http2.
#
#   scripts/bench-push.sh                 N=10000 WORKERS=32 ROUNDS=3
#   VARIANTS='.' scripts/bench-push.sh    also every Go variant (padding, signing, HTTP/2, webpush-go)
#   OUTBOX=1 N=100000 scripts/bench-push.sh   also the whole outbox path (internal/notify BenchmarkOutbox:
#                                         Redis, chunks, leases, per-target records) on PFORTE_BENCH_REDIS_URL
#                                         (default: a redis-server this script starts)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
N=${N:-10000}
WORKERS=${WORKERS:-32}
ROUNDS=${ROUNDS:-3}
VARIANTS=${VARIANTS:-'pforte$'}

DIR=$(mktemp -d -t pforte-bench-push.XXXXXX)
RPID=""
OUTBOX=${OUTBOX:-}
cleanup() {
	if [ -n "$RPID" ]; then kill "$RPID" 2>/dev/null || true; wait "$RPID" 2>/dev/null || true; fi
	if [ -e "$DIR/redis.pid" ]; then kill "$(cat "$DIR/redis.pid")" 2>/dev/null || true; fi
	rm -rf "$DIR"
}
trap cleanup EXIT

[ -d scripts/node/node_modules/web-push ] || npm ci --prefix scripts/node --no-audit --no-fund >/dev/null
go build -o "$DIR/pushreceiver" ./internal/push/pushtest/pushreceiver
go test -c -o "$DIR/push.test" ./internal/push

"$DIR/pushreceiver" -n "$N" -dir "$DIR" -http2 2>"$DIR/receiver.log" &
RPID=$!
for _ in $(seq 300); do [ -e "$DIR/ready" ] && break; sleep 0.1; done
[ -e "$DIR/ready" ] || { echo "bench-push: receiver did not start" >&2; cat "$DIR/receiver.log" >&2; exit 1; }
echo "receiver $(cat "$DIR/ready"), $N subscriptions, $WORKERS in flight, $ROUNDS rounds, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== Go (internal/push)"
PFORTE_BENCH_PUSH_DIR=$DIR PFORTE_BENCH_WORKERS=$WORKERS "$DIR/push.test" -test.run '^$' \
	-test.bench "BenchmarkDeliver10k/($VARIANTS)" -test.benchtime 1x -test.count "$ROUNDS" | tee "$DIR/go.txt"

if [ -n "$OUTBOX" ]; then
	echo "== Go outbox (internal/notify: Redis, chunks, leases, records)"
	if [ -z "${PFORTE_BENCH_REDIS_URL:-}" ]; then
		port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
		redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$DIR" --daemonize yes --pidfile "$DIR/redis.pid" >/dev/null
		for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
		PFORTE_BENCH_REDIS_URL=redis://127.0.0.1:$port/0
	fi
	go test -c -o "$DIR/notify.test" ./internal/notify
	PFORTE_BENCH_REDIS_URL=$PFORTE_BENCH_REDIS_URL PFORTE_BENCH_PUSH_DIR=$DIR PFORTE_BENCH_WORKERS=$WORKERS "$DIR/notify.test" -test.run '^$' \
		-test.bench 'BenchmarkOutbox$' -test.benchtime 1x -test.count "$ROUNDS" | sed 's/^BenchmarkOutbox/BenchmarkDeliver10k\/outbox/' | tee -a "$DIR/go.txt"
fi

echo "== Node web-push"
vapid_pub=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["publicKey"])' "$DIR/vapid.json")
vapid_priv=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["privateKey"])' "$DIR/vapid.json")
for _ in $(seq "$ROUNDS"); do
	node scripts/node/bench-web-push.js "$DIR/subs.json" "$DIR/ca.pem" "$vapid_pub" "$vapid_priv" "$WORKERS"
done | tee "$DIR/node.txt"

python3 - "$DIR/go.txt" "$DIR/node.txt" "$N" <<'PY'
import json, re, statistics, sys
go_txt, node_txt, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = {}
for line in open(go_txt):
    m = re.match(r"BenchmarkDeliver10k/(\S+?)(-\d+)?\s", line)
    if not m:
        continue
    cpu = float(re.search(r"([\d.]+) cpu-µs/push", line).group(1))
    rate = float(re.search(r"([\d.]+) pushes/s", line).group(1))
    rows.setdefault(m.group(1), []).append((rate, cpu))
node = [json.loads(l) for l in open(node_txt) if l.startswith("{")]
if any(r["ok"] != r["pushes"] for r in node):
    sys.exit("bench-push: web-push had failed pushes: %s" % node)
rows["node-web-push"] = [(r["pushes"] / r["seconds"], r["cpuMicros"] / r["pushes"]) for r in node]
print("\n%-24s %12s %14s %14s" % ("sender (median)", "pushes/s", "cpu-µs/push", "%d pushes in" % n))
med = {}
for name, vals in rows.items():
    rate = statistics.median(v[0] for v in vals)
    cpu = statistics.median(v[1] for v in vals)
    med[name] = (rate, cpu)
    print("%-24s %12.0f %14.1f %13.2fs" % (name, rate, cpu, n / rate))
if "pforte" in med:
    g, w = med["pforte"], med["node-web-push"]
    print("\npforte vs web-push: %.1fx pushes/s, %.1fx less CPU per push" % (g[0] / w[0], w[1] / g[1]))
if "outbox" in med and "pforte" in med:
    o, g, w = med["outbox"], med["pforte"], med["node-web-push"]
    print("outbox vs bare sender: %.2fx CPU per push, %.2fx pushes/s; outbox vs web-push: %.1fx pushes/s" % (o[1] / g[1], o[0] / g[0], o[0] / w[0]))
PY
