# WebDAV files: rclone `serve webdav` (Debian package rclone) in a Nextcloud-shaped layout.
#
# rclone serves one shared root for every user, so each user gets a folder under it and the
# base URL makes the paths look like Nextcloud's: /remote.php/dav/files/alice/ is DIR/alice/.
# rclone has no per-user permissions: any user can read the others' folders (tests only).
# The htpasswd file uses apr1 hashes (openssl passwd -apr1), which rclone accepts; it has
# no plaintext scheme.

webdav_packages() { echo rclone openssl; }

webdav_start() {
	local dir="$STACK_DIR/webdav" port users="" u
	mkdir -p "$dir/root"
	: >"$dir/htpasswd"
	for u in alice bob carol; do
		mkdir -p "$dir/root/$u"
		printf '%s:%s\n' "$u" "$(openssl passwd -apr1 "$u-pw")" >>"$dir/htpasswd"
		users+="${users:+,}$u:$u-pw"
	done
	# Load users (one openssl call for all: it hashes each argument in turn).
	local -a load=()
	mapfile -t load < <(load_users)
	if ((${#load[@]} > 0)); then
		for u in "${load[@]}"; do mkdir -p "$dir/root/$u"; done
		paste -d: <(printf '%s\n' "${load[@]}") \
			<(openssl passwd -apr1 $(printf '%s-pw ' "${load[@]}")) >>"$dir/htpasswd"
	fi
	port=$(free_port)
	# --dir-cache-time 0s: files the tests write to disk must be visible at once.
	/usr/bin/rclone serve webdav "$dir/root" --addr "127.0.0.1:$port" --htpasswd "$dir/htpasswd" \
		--baseurl /remote.php/dav/files --dir-cache-time 0s --config /dev/null \
		</dev/null >"$dir/rclone.log" 2>&1 &
	record_pid webdav $!
	wait_port 127.0.0.1 "$port" 15
	export_var PFORTE_TEST_WEBDAV_URL "http://127.0.0.1:$port/remote.php/dav/files/{user}/"
	export_var PFORTE_TEST_WEBDAV_DIR "$dir/root"
	export_var PFORTE_TEST_WEBDAV_USERS "$users"
}
