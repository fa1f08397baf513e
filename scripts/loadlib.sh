# shellcheck shell=bash
# What the load scripts share (sourced by load-dashboard.sh, load-morning.sh and
# load-sse.sh after `cd "$ROOT"`): a work dir, the processes to stop on exit, the
# stack they started, and small waits.
#
#   load_setup NAME   sets DIR (a new temp dir), PIDS=() and STACK_UP="", and traps
#                     EXIT to stop PIDS, take the stack in $DIR/stack down and remove
#                     DIR (KEEP=1 keeps it). NAME prefixes messages.
#   free_port         prints a free TCP port on 127.0.0.1
#   wait_http URL S   waits up to S seconds for URL to answer 2xx
#   load_banner       prints the time, CPUs and load average

load_setup() {
	LOAD_NAME=$1
	DIR=$(mktemp -d -t "pforte-$LOAD_NAME.XXXXXX")
	chmod 755 "$DIR" # Dovecot's auth process (user dovecot) reads its files under it
	PIDS=()
	STACK_UP=""
	trap load_cleanup EXIT
	trap 'exit 130' INT TERM
}

load_cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [ -n "$STACK_UP" ]; then scripts/stack.sh down "$DIR/stack" >/dev/null 2>&1 || true; fi
	if [ -n "${KEEP:-}" ]; then echo "$LOAD_NAME: kept $DIR"; else rm -rf "$DIR"; fi
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_http() { # URL SECONDS
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "$LOAD_NAME: $1 did not answer within $2 s" >&2
	return 1
}

load_banner() {
	echo "== $(date -u +%FT%TZ), $(nproc) CPUs, $(uptime | sed 's/.*load average/load average/')"
}
