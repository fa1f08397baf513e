# Shared helpers for the test stack. Sourced by scripts/stack.sh; not run directly.

# free_port prints a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_port HOST PORT SECONDS waits until a TCP connect succeeds.
wait_port() {
	local host=$1 port=$2 secs=${3:-15} i
	for ((i = 0; i < secs * 10; i++)); do
		if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then return 0; fi
		sleep 0.1
	done
	echo "stack: $host:$port did not open within ${secs}s" >&2
	return 1
}

# export_var NAME VALUE records an address for the tests in $STACK_DIR/env.
export_var() {
	printf 'export %s=%q\n' "$1" "$2" >>"$STACK_DIR/env"
	export "$1=$2"
}

# record_pid NAME PID lets `stack.sh down` stop the server by PID.
record_pid() {
	echo "$2" >"$STACK_DIR/pids/$1.pid"
}

# load_users prints the extra users scripts/load-morning.sh asks for with
# PFORTE_STACK_LOAD_USERS=N: load0001 … loadN, each with the password NAME-pw
# (the OIDC provider, Dovecot, Radicale and WebDAV all know them). None by default.
load_users() {
	local i
	for ((i = 1; i <= ${PFORTE_STACK_LOAD_USERS:-0}; i++)); do printf 'load%04d\n' "$i"; done
}
