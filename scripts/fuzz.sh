#!/usr/bin/env bash
# Runs every go test -fuzz target for FUZZTIME each (default 60s), one after
# another, and prints a summary: target, execs, result. CI runs only the seed
# corpora (testdata/fuzz/...), which plain `go test` already does.
#
#   scripts/fuzz.sh                      every target
#   scripts/fuzz.sh FuzzSafeNext ...     only the targets named
#   FUZZTIME=5m scripts/fuzz.sh
#
# A failing input is written by go test to the package's testdata/fuzz/<Target>/;
# keep it there as a seed once the bug is fixed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
FUZZTIME=${FUZZTIME:-60s}
only=" $* "

# Every "func FuzzX(" in a _test.go file, as "package-dir target".
mapfile -t targets < <(grep -rl --include='*_test.go' '^func Fuzz' internal app 2>/dev/null |
	xargs grep -H '^func Fuzz' | sed -E 's|^(.*)/[^/]+:func (Fuzz[A-Za-z0-9_]*)\(.*|\1 \2|' | sort -u)

summary=()
failed=0
for t in "${targets[@]}"; do
	read -r dir name <<<"$t"
	if [ "$only" != "  " ] && [[ "$only" != *" $name "* ]]; then continue; fi
	echo "== $dir $name ($FUZZTIME)"
	log=$(mktemp)
	start=$SECONDS
	go test "./$dir" -run "^${name}\$" -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -count=1 >"$log" 2>&1
	rc=$?
	grep -vE '^fuzz: elapsed' "$log"
	# The last progress line holds the total: "fuzz: elapsed: 1m0s, execs: 123 (2/sec), ..."
	execs=$(grep -oE 'execs: [0-9]+' "$log" | tail -1 | awk '{print $2}')
	result=ok
	if [ "$rc" != 0 ]; then result=FAIL; failed=1; fi
	summary+=("$(printf '%-28s %-22s %12s %6ss  %s' "$name" "$dir" "${execs:-?}" "$((SECONDS - start))" "$result")")
	rm -f "$log"
done

echo
printf '%-28s %-22s %12s %7s  %s\n' target package execs wall result
printf '%s\n' "${summary[@]}"
exit "$failed"
