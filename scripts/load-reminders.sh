#!/usr/bin/env bash
# Meeting reminders at scale (issue 16): N opted-in users, each with two video meetings in
# Radicale and one device at the strict push service (internal/push/pushtest).
#
# Starts Redis and Radicale (scripts/stack.sh up with PFORTE_STACK_LOAD_USERS=N, so Radicale
# knows load0001 … loadN) and runs internal/reminders' TestMeasureReminders, which prints
#   - the send delay at the peak: every user's reminder due in the same second, two scheduler
#     instances over one Redis on the real clock, from the scheduled time to the push
#     service's 201 (min, p50, p95, max);
#   - the CalDAV requests per user per hour: one hour on a fake clock, a pass every 30 s,
#     counted at the calendar connector's HTTP transport (every request it sends).
#
#   scripts/load-reminders.sh              1,000 users
#   USERS=100 scripts/load-reminders.sh    a short run
#
# Goal (issue 16): at most 12 CalDAV requests per opted-in user per hour on average.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
USERS=${USERS:-1000}
for b in redis-server /usr/bin/radicale; do
	command -v "$b" >/dev/null || { echo "load-reminders: $b not found; run scripts/stack.sh install" >&2; exit 1; }
done
# shellcheck source=scripts/loadlib.sh
source scripts/loadlib.sh
load_setup load-reminders
load_banner
echo "== starting Redis and Radicale with $USERS load users"
STACK_UP=1
PFORTE_STACK_LOAD_USERS=$USERS scripts/stack.sh up "$DIR/stack" redis radicale >"$DIR/stack.log" 2>&1 ||
	{ cat "$DIR/stack.log" >&2; exit 1; }
# shellcheck disable=SC1091
source "$DIR/stack/env"
echo "== measuring"
PFORTE_TEST_REQUIRE=1 PFORTE_MEASURE_REMINDERS=$USERS go test -count=1 -v -timeout 60m \
	-run '^TestMeasureReminders$' ./internal/reminders/ 2>&1 | grep -E 'measure_test.go|^(--- |ok|FAIL)'
