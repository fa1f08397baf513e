# Redis 7 (Debian package redis-server): sessions, cache, announcements, pub/sub.
# AOF on, as production needs (docs/store.md): Pforte is not ready on a Redis without persistence.

redis_packages() { echo redis-server; }

redis_start() {
	local dir="$STACK_DIR/redis" port
	mkdir -p "$dir"
	port=$(free_port)
	redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly yes --appendfsync everysec \
		--dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
	wait_port 127.0.0.1 "$port" 10
	# redis daemonizes: its own pidfile holds the server's PID.
	for _ in $(seq 50); do [ -s "$dir/redis.pid" ] && break; sleep 0.1; done
	record_pid redis "$(cat "$dir/redis.pid")"
	export_var PFORTE_TEST_REDIS_URL "redis://127.0.0.1:$port/0"
}
