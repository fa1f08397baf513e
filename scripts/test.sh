#!/usr/bin/env bash
# The test command (README): installs and starts every real server the tests need,
# runs the static checks and the whole test suite with -race, then stops the servers.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

"$ROOT/scripts/stack.sh" install
STACK_DIR=$(mktemp -d -t pforte-stack.XXXXXX)
cleanup() {
	local rc=$?
	if [ "$rc" != 0 ]; then
		# Server logs tell why a test against them failed; show their tails.
		for f in "$STACK_DIR"/*/*.log; do
			[ -s "$f" ] || continue
			echo "== tail $f"
			tail -n 15 "$f"
		done
	fi
	"$ROOT/scripts/stack.sh" down "$STACK_DIR" || true
	rm -rf "$STACK_DIR"
	exit "$rc"
}
trap cleanup EXIT
"$ROOT/scripts/stack.sh" up "$STACK_DIR"
# shellcheck disable=SC1091
source "$STACK_DIR/env"
# A test that needs a server fails (never skips) when the stack did not provide it.
export PFORTE_TEST_REQUIRE=1

echo "== gofmt"
unformatted=$(gofmt -l app internal ./*.go 2>/dev/null || true)
if [ -n "$unformatted" ]; then echo "gofmt: not formatted:"; echo "$unformatted"; exit 1; fi
echo "== go vet"
go vet ./...
# Tools from scripts/stack/80-gotools.sh (pinned, built once; docs/security.md).
# gosec skips scripts/ and internal/testenv: test servers and helpers only.
echo "== gosec"
"$PFORTE_GOSEC" -quiet -exclude-dir=scripts -exclude-dir=internal/testenv ./...
echo "== govulncheck"
if ! out=$("$PFORTE_GOVULNCHECK" ./... 2>&1); then
	echo "$out"
	# The vulnerability database may be out of reach (no network to it):
	# say so loudly but do not fail the tests on it; a found vulnerability fails.
	if ! grep -q 'fetching vulnerabilities' <<<"$out"; then exit 1; fi
	echo "govulncheck: WARNING vulnerability database unreachable: not checked"
fi
echo "== go test -race"
# -v only to count every test; the passing ones' lines are not shown.
log="$STACK_DIR/go-test.log"
set +e
go test -race -count=1 -v "${@:-./...}" 2>&1 | tee "$log" | grep -v -E '^\s*(=== (RUN|PAUSE|CONT|NAME)|--- PASS:)'
status=${PIPESTATUS[0]}
set -e
count() { grep -c -E "^\s*--- $1:" "$log" || true; }
echo "$(count PASS) passed, $(count FAIL) failed, $(count SKIP) skipped"
exit "$status"
