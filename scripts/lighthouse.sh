#!/usr/bin/env bash
# Lighthouse (npm, mobile preset) on the signed-in demo dashboard: prints the
# performance, accessibility and best-practices scores and the page weight,
# and exits 1 when a goal is missed (performance >= 95, accessibility 100,
# best practices 100). Runs offline in about 20 s.
#
#   scripts/lighthouse.sh            # builds and starts the demo on a free port
#   scripts/lighthouse.sh URL        # a demo that already runs (e.g. http://127.0.0.1:3000)
#
# Needs the npm tools (scripts/stack.sh install, or npm ci --prefix scripts/node)
# and Chromium (CHROME_PATH, default /usr/bin/chromium). LIGHTHOUSE_JSON=FILE keeps the report.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NODE_MODULES=${PFORTE_TEST_NODE_MODULES:-$ROOT/scripts/node/node_modules}
export CHROME_PATH=${CHROME_PATH:-${PFORTE_TEST_CHROMIUM:-/usr/bin/chromium}}
LH="$NODE_MODULES/lighthouse/cli/index.js"
if [ ! -f "$LH" ]; then
	echo "lighthouse.sh: $LH is missing; run scripts/stack.sh install (or npm ci --prefix scripts/node)" >&2
	exit 1
fi

WORK=$(mktemp -d -t pforte-lh.XXXXXX)
APP_PID=
cleanup() {
	if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
	rm -rf "$WORK"
}
trap cleanup EXIT

BASE=${1:-}
if [ -z "$BASE" ]; then
	(cd "$ROOT" && go build -o "$WORK/pforte" ./app)
	PORT=0 PFORTE_DEMO_DIR="$WORK/demo" "$WORK/pforte" >"$WORK/app.log" 2>&1 &
	APP_PID=$!
	for _ in $(seq 1 200); do
		addr=$(grep -o '"msg":"listening","addr":"[^"]*"' "$WORK/app.log" | sed 's/.*"addr":"\([^"]*\)"/\1/' || true)
		[ -n "$addr" ] && break
		sleep 0.1
	done
	if [ -z "${addr:-}" ]; then echo "lighthouse.sh: the demo did not start:" >&2; cat "$WORK/app.log" >&2; exit 1; fi
	BASE="http://$addr"
fi

# Sign in to the demo as the employee (the sign-in form's CSRF token and
# anonymous session first), and hand the session cookie to Lighthouse.
JAR="$WORK/cookies"
curl -fsS -c "$JAR" -b "$JAR" "$BASE/login" -o "$WORK/login.html"
CSRF=$(grep -o 'name="_csrf" value="[^"]*"' "$WORK/login.html" | head -n1 | sed 's/.*value="\([^"]*\)"/\1/')
curl -fsS -c "$JAR" -b "$JAR" -H "Origin: $BASE" --data-urlencode "_csrf=$CSRF" -d "user=employee" -d "next=/" \
	"$BASE/login/demo" -o /dev/null
SESSION=$(awk '$6 == "pforte" || $6 == "__Host-pforte" { print $6 "=" $7 }' "$JAR" | tail -n1)
if [ -z "$SESSION" ]; then echo "lighthouse.sh: demo sign-in gave no session cookie" >&2; exit 1; fi
# Sign-in itself ends on the dashboard, which fetches the sources once and
# caches them; do the same, so Lighthouse measures the page, not the sources.
curl -fsS -b "$JAR" "$BASE/" -o /dev/null

# Flags of ../shared/STACK.md; the mobile preset is Lighthouse's default.
node "$LH" "$BASE/" --quiet \
	--only-categories=performance,accessibility,best-practices \
	--output=json --output-path="$WORK/report.json" \
	--extra-headers="{\"Cookie\":\"$SESSION\"}" \
	--chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=$WORK/profile"
if [ -n "${LIGHTHOUSE_JSON:-}" ]; then cp "$WORK/report.json" "$LIGHTHOUSE_JSON"; fi

node - "$WORK/report.json" <<'JS'
const r = require(require("path").resolve(process.argv[2]));
const score = id => Math.round(r.categories[id].score * 100);
const perf = score("performance"), a11y = score("accessibility"), bp = score("best-practices");
const kb = n => (n / 1024).toFixed(1) + " KB";
const reqs = r.audits["network-requests"].details.items;
console.log(`Lighthouse ${r.lighthouseVersion} (${r.configSettings.formFactor}) on ${r.finalDisplayedUrl}`);
console.log(`performance     ${perf}   (goal >= 95)`);
console.log(`accessibility   ${a11y}  (goal 100)`);
console.log(`best practices  ${bp}  (goal 100)`);
for (const id of ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"]) {
	console.log(`  ${r.audits[id].title.padEnd(26)} ${r.audits[id].displayValue}`);
}
console.log(`page weight     ${kb(r.audits["total-byte-weight"].numericValue)} transferred in ${reqs.length} requests`);
for (const q of reqs) console.log(`  ${kb(q.transferSize).padStart(9)}  ${q.resourceType || ""} ${q.url}`);
const failed = Object.values(r.categories).flatMap(c => c.auditRefs)
	.map(a => r.audits[a.id]).filter(a => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary");
for (const a of failed) console.log(`  failed: ${a.id}: ${a.title}`);
process.exit(perf >= 95 && a11y === 100 && bp === 100 ? 0 : 1);
JS
