#!/usr/bin/env bash
# Push delivery benchmark: N subscriptions (default 10,000) on a local push
# receiver in its own process (internal/push/pushtest/pushreceiver, Fast mode:
# it checks headers and the VAPID key but neither decrypts nor verifies the
# signature, so it stays cheap), sent once by Pforte's Go sender and once by
# Node's web-push library with the same concurrency over keep-alive HTTPS.
# Prints pushes/s and process CPU µs per push for both, and the ratios. The
# receiver offers HTTP/2 but both senders use HTTP/1.1 (web-push cannot do
# HTTP/2) except the Go variant pforte-http2. Next to each sender's own count
# of accepted pushes it prints the receiver's count for the same runs. One
# extra round sends with Pforte to a strict receiver that decrypts every
# message and verifies its VAPID signature (the receiver's CPU then shares the
# machine with the sender's, so that rate is lower).
#
#   scripts/bench-push.sh                 N=10000 WORKERS=32 ROUNDS=3
#   VARIANTS='.' scripts/bench-push.sh    every Go variant (padding, signing, HTTP/2, webpush-go);
#                                         default: pforte and pforte-sign-every-push (signs a VAPID
#                                         JWT per push, as web-push does; Pforte reuses the header)
#   OUTBOX=1 N=100000 scripts/bench-push.sh   also the whole outbox path (internal/notify BenchmarkOutbox:
#                                         Redis, chunks, leases, per-target records) on PFORTE_BENCH_REDIS_URL
#                                         (default: a redis-server this script starts)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
N=${N:-10000}
WORKERS=${WORKERS:-32}
ROUNDS=${ROUNDS:-3}
VARIANTS=${VARIANTS:-'^pforte$|^pforte-sign-every-push$'}
ALL_VARIANTS="pforte pforte-sign-every-push pforte-pad-none pforte-pad-4096 pforte-http2 webpush-go"

DIR=$(mktemp -d -t pforte-bench-push.XXXXXX)
RPID=""
SPID=""
OUTBOX=${OUTBOX:-}
cleanup() {
	local pid
	for pid in $RPID $SPID; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
	if [ -e "$DIR/redis.pid" ]; then kill "$(cat "$DIR/redis.pid")" 2>/dev/null || true; fi
	rm -rf "$DIR"
}
trap cleanup EXIT

[ -d scripts/node/node_modules/web-push ] || npm ci --prefix scripts/node --no-audit --no-fund >/dev/null
go build -o "$DIR/pushreceiver" ./internal/push/pushtest/pushreceiver
go test -c -o "$DIR/push.test" ./internal/push

# start_receiver DIR [flags]: a receiver in its own process; its PID goes to LAST_PID.
start_receiver() {
	local d=$1
	shift
	mkdir -p "$d"
	"$DIR/pushreceiver" -n "$N" -dir "$d" "$@" >/dev/null 2>"$d/receiver.log" &
	LAST_PID=$!
	for _ in $(seq 300); do [ -e "$d/ready" ] && break; sleep 0.1; done
	[ -e "$d/ready" ] || { echo "bench-push: receiver did not start" >&2; cat "$d/receiver.log" >&2; exit 1; }
}
# received DIR: how many messages that receiver accepted so far (its own count).
received() {
	curl -fsS "$(cat "$1/count-url")" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accepted"])'
}
# go_round DIR VARIANT NAME: one Go run against the receiver in DIR; appends the benchmark line
# and "RECEIVED NAME count" (the receiver's count for that run) to $DIR/go.txt, under NAME.
go_round() {
	local a0 a1
	a0=$(received "$1")
	PFORTE_BENCH_PUSH_DIR=$1 PFORTE_BENCH_WORKERS=$WORKERS "$DIR/push.test" -test.run '^$' \
		-test.bench "BenchmarkDeliver10k/^$2\$" -test.benchtime 1x -test.count 1 |
		grep '^Benchmark' | sed "s|^BenchmarkDeliver10k/$2|BenchmarkDeliver10k/$3|" | tee -a "$DIR/go.txt"
	a1=$(received "$1")
	echo "RECEIVED $3 $((a1 - a0))" >>"$DIR/go.txt"
}

start_receiver "$DIR/fast" -http2
RPID=$LAST_PID
echo "receiver $(cat "$DIR/fast/ready"), $N subscriptions, $WORKERS in flight, $ROUNDS rounds, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$DIR/go.txt"
: >"$DIR/node.txt"
vapid_pub=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["publicKey"])' "$DIR/fast/vapid.json")
vapid_priv=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["privateKey"])' "$DIR/fast/vapid.json")
for ((r = 1; r <= ROUNDS; r++)); do
	echo "== round $r: Go (internal/push)"
	for v in $ALL_VARIANTS; do
		if grep -qE "$VARIANTS" <<<"$v"; then go_round "$DIR/fast" "$v" "$v"; fi
	done
	echo "== round $r: Node web-push"
	a0=$(received "$DIR/fast")
	node scripts/node/bench-web-push.js "$DIR/fast/subs.json" "$DIR/fast/ca.pem" "$vapid_pub" "$vapid_priv" "$WORKERS" | tee -a "$DIR/node.txt"
	echo "RECEIVED node-web-push $(($(received "$DIR/fast") - a0))" >>"$DIR/node.txt"
done

if [ -n "$OUTBOX" ]; then
	echo "== Go outbox (internal/notify: Redis, chunks, leases, records)"
	if [ -z "${PFORTE_BENCH_REDIS_URL:-}" ]; then
		port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
		redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$DIR" --daemonize yes --pidfile "$DIR/redis.pid" >/dev/null
		for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
		PFORTE_BENCH_REDIS_URL=redis://127.0.0.1:$port/0
	fi
	go test -c -o "$DIR/notify.test" ./internal/notify
	for ((r = 1; r <= ROUNDS; r++)); do
		a0=$(received "$DIR/fast")
		# the whole output goes to outbox.log, shown when the run fails (a failure's reason is not a Benchmark line)
		PFORTE_BENCH_REDIS_URL=$PFORTE_BENCH_REDIS_URL PFORTE_BENCH_PUSH_DIR=$DIR/fast PFORTE_BENCH_WORKERS=$WORKERS "$DIR/notify.test" -test.run '^$' \
			-test.bench 'BenchmarkOutbox$' -test.benchtime 1x -test.count 1 >"$DIR/outbox.log" 2>&1 || { cat "$DIR/outbox.log" >&2; exit 1; }
		grep '^Benchmark' "$DIR/outbox.log" | sed 's/^BenchmarkOutbox/BenchmarkDeliver10k\/outbox/' | tee -a "$DIR/go.txt"
		echo "RECEIVED outbox $(($(received "$DIR/fast") - a0))" >>"$DIR/go.txt"
	done
fi

echo "== strict round: Pforte to a receiver that decrypts and verifies every message"
start_receiver "$DIR/strict"
SPID=$LAST_PID
go_round "$DIR/strict" pforte pforte-strict

python3 - "$DIR/go.txt" "$DIR/node.txt" "$N" <<'PY'
import json, re, statistics, sys
go_txt, node_txt, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows, sent, recv = {}, {}, {}
for line in open(go_txt):
    if line.startswith("RECEIVED "):
        _, name, count = line.split()
        recv[name] = recv.get(name, 0) + int(count)
        continue
    m = re.match(r"Benchmark\w+/(\S+?)(-\d+)?\s", line)
    if not m:
        continue
    cpu = float(re.search(r"([\d.]+) cpu-µs/push", line).group(1))
    rate = float(re.search(r"([\d.]+) pushes/s", line).group(1))
    rows.setdefault(m.group(1), []).append((rate, cpu))
    sent[m.group(1)] = sent.get(m.group(1), 0) + int(float(re.search(r"([\d.]+) sender-counted", line).group(1)))
node = []
for l in open(node_txt):
    if l.startswith("{"):
        node.append(json.loads(l))
    elif l.startswith("RECEIVED "):
        recv["node-web-push"] = recv.get("node-web-push", 0) + int(l.split()[2])
rows["node-web-push"] = [(r["pushes"] / r["seconds"], r["cpuMicros"] / r["pushes"]) for r in node]
sent["node-web-push"] = sum(r["ok"] for r in node)
print("\n%-24s %10s %12s %12s %15s %17s" % ("sender (median)", "pushes/s", "cpu-µs/push", "%d in" % n, "sender counted", "receiver counted"))
med, bad = {}, []
for name, vals in rows.items():
    rate = statistics.median(v[0] for v in vals)
    cpu = statistics.median(v[1] for v in vals)
    med[name] = (rate, cpu)
    same = sent.get(name) == recv.get(name)
    if not same:
        bad.append(name)
    print("%-24s %10.0f %12.1f %11.2fs %15d %17d%s" % (name, rate, cpu, n / rate, sent.get(name, 0), recv.get(name, 0), "" if same else "  MISMATCH"))
print("\n(counts are totals over all rounds, warm-up included; the strict row is one round)")
if "pforte" in med:
    g, w = med["pforte"], med["node-web-push"]
    print("pforte vs web-push: %.1fx pushes/s, %.1fx less CPU per push" % (g[0] / w[0], w[1] / g[1]))
if "outbox" in med and "pforte" in med:
    o, g, w = med["outbox"], med["pforte"], med["node-web-push"]
    print("outbox vs bare sender: %.2fx CPU per push, %.2fx pushes/s; outbox vs web-push: %.1fx pushes/s" % (o[1] / g[1], o[0] / g[0], o[0] / w[0]))
if "pforte-sign-every-push" in med:
    s, w = med["pforte-sign-every-push"], med["node-web-push"]
    print("pforte-sign-every-push vs web-push: %.1fx pushes/s, %.1fx less CPU per push" % (s[0] / w[0], w[1] / s[1]))
if "pforte-strict" in med:
    print("strict receiver (decrypts + verifies every message): pforte %.0f pushes/s, %.2f of the fast-receiver rate" % (med["pforte-strict"][0], med["pforte-strict"][0] / med["pforte"][0]))
if any(r["ok"] != r["pushes"] for r in node):
    sys.exit("bench-push: web-push had failed pushes: %s" % node)
if bad:
    sys.exit("bench-push: sender and receiver counts differ for %s" % ", ".join(bad))
PY
