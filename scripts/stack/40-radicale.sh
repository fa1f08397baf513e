# Radicale 3.1 (Debian package radicale): the CalDAV server for calendar tests.

radicale_packages() { echo radicale; }

radicale_start() {
	local dir="$STACK_DIR/radicale" port pid
	mkdir -p "$dir/collections"
	port=$(free_port)
	printf '%s\n' alice:alice-pw bob:bob-pw carol:carol-pw >"$dir/users"
	load_users | sed 's/.*/&:&-pw/' >>"$dir/users"
	cat >"$dir/config" <<CONF
[server]
hosts = 127.0.0.1:$port

[auth]
type = htpasswd
htpasswd_filename = $dir/users
htpasswd_encryption = plain
delay = 0

[rights]
type = owner_only

[storage]
filesystem_folder = $dir/collections

[logging]
level = warning
CONF
	# Absolute path: the python3 first on PATH may not import radicale.
	/usr/bin/radicale --config "$dir/config" >"$dir/radicale.log" 2>&1 &
	pid=$!
	record_pid radicale "$pid"
	wait_port 127.0.0.1 "$port" 20
	export_var PFORTE_TEST_CALDAV_URL "http://127.0.0.1:$port/"
	export_var PFORTE_TEST_CALDAV_USERS "alice:alice-pw,bob:bob-pw,carol:carol-pw"
}
