#!/usr/bin/env bash
# Prints the first visit's weight: every request headless Chromium makes for
# the signed-in demo dashboard on an empty cache (page and service worker),
# with gzip and as-sent sizes, the JavaScript share and any other host.
# Budgets (issue 6): <= 60 KB gzip in total, <= 15 KB gzip of JavaScript,
# zero requests to other hosts. Exits 1 when one is exceeded.
#
# It runs the Go test that asserts the budgets (app/a11y_budget_test.go),
# which drives Chromium (PFORTE_TEST_CHROMIUM, default /usr/bin/chromium)
# through a recording proxy.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export PFORTE_TEST_CHROMIUM=${PFORTE_TEST_CHROMIUM:-/usr/bin/chromium}
export PFORTE_TEST_REQUIRE=1
out=$(mktemp -t pforte-budgets.XXXXXX)
trap 'rm -f "$out"' EXIT
rc=0
go test -count=1 -v -run '^TestFirstVisitBudgets$' ./app >"$out" 2>&1 || rc=$?
# The test logs the table after a "a11y_budget_test.go:NN:" line, indented.
sed -n '/first visit of the signed-in dashboard:/,/^--- /p' "$out" | sed -e 's/^        //' -e '/^--- /d' -e '/^$/d'
grep -E '^\s+a11y_budget_test.go:[0-9]+: (first visit|the browser|the page|the proxy)' "$out" || true
if [ "$rc" != 0 ]; then
	grep -E -- '--- FAIL|FAIL|panic' "$out" >&2 || cat "$out" >&2
fi
exit "$rc"
