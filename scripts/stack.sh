#!/usr/bin/env bash
# The test stack: real servers on 127.0.0.1 and free ports.
#
#   scripts/stack.sh install      install what the servers need (Debian packages, npm tools)
#   scripts/stack.sh up DIR [NAME...]  start every server (or only those named); addresses go
#                                 to DIR/env (source it)
#   scripts/stack.sh down DIR     stop what `up` started, by PID
#
# Each server has a file scripts/stack/NN-name.sh defining name_packages and name_start;
# they start in file-name order, so a later server may use an earlier one's address.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/stack/lib.sh"
services=()
for f in "$ROOT"/scripts/stack/[0-9][0-9]-*.sh; do
	source "$f"
	name=$(basename "$f" .sh)
	services+=("${name#*-}")
done

cmd=${1:-}
case "$cmd" in
install)
	pkgs=()
	for s in "${services[@]}"; do
		if declare -F "${s}_packages" >/dev/null; then read -ra p <<<"$("${s}_packages")"; pkgs+=("${p[@]}"); fi
	done
	missing=()
	for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
	if ((${#missing[@]})); then
		echo "stack: installing ${missing[*]}"
		SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
		$SUDO apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	fi
	for s in "${services[@]}"; do
		if declare -F "${s}_install" >/dev/null; then "${s}_install"; fi
	done
	;;
up)
	export STACK_DIR=${2:?usage: stack.sh up DIR}
	shift 2
	only=" $* "
	mkdir -p "$STACK_DIR/pids"
	# Servers that drop privileges (Dovecot's auth runs as user dovecot) must
	# reach their files: a mktemp dir is 0700.
	chmod 755 "$STACK_DIR"
	: >"$STACK_DIR/env"
	for s in "${services[@]}"; do
		if [ "$only" != "  " ] && [[ "$only" != *" $s "* ]]; then continue; fi
		"${s}_start"
		echo "stack: $s up"
	done
	;;
down)
	export STACK_DIR=${2:?usage: stack.sh down DIR}
	for f in "$STACK_DIR"/pids/*.pid; do
		[ -e "$f" ] || continue
		pid=$(cat "$f")
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
		rm -f "$f"
	done
	;;
*)
	echo "usage: $0 install | up DIR | down DIR" >&2
	exit 2
	;;
esac
