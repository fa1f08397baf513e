# Audience-checking bearer fronts for CalDAV (Radicale) and WebDAV (rclone):
# scripts/davbearer, a stand-in for Nextcloud user_oidc's bearer check. A
# token is accepted only when the test OIDC provider's introspection (as
# client res-caldav / res-webdav) says it is active for that audience, i.e.
# when Pforte exchanged the user's token for it (RFC 8693). The WebDAV front
# knows users by their opendesk_objectid claim, like openDesk's Nextcloud:
# /remote.php/dav/files/<opendesk_objectid>/ is the user's folder, a folder
# DIR/<opendesk_objectid>/ under PFORTE_TEST_WEBDAV_DIR.
# Needs 20-oidc.sh, 40-radicale.sh and 50-webdav.sh; the old addresses stay.

davbearer_packages() { :; } # pure Go

davbearer_start() {
	local dir="$STACK_DIR/davbearer" op caldav webdav u
	if [ -z "${PFORTE_TEST_OIDC_ISSUER:-}" ] || [ -z "${PFORTE_TEST_CALDAV_URL:-}" ] || [ -z "${PFORTE_TEST_WEBDAV_URL:-}" ]; then
		echo "stack: davbearer needs oidc, radicale and webdav; skipped"
		return 0
	fi
	mkdir -p "$dir"
	(cd "$ROOT" && go build -o "$dir/davbearer" ./scripts/davbearer)
	op=${PFORTE_TEST_OIDC_ISSUER#http://}
	: >"$dir/passwords"
	for u in alice bob carol dora $(load_users); do printf '%s:%s-pw\n' "$u" "$u" >>"$dir/passwords"; done
	caldav=$(free_port)
	"$dir/davbearer" -addr "127.0.0.1:$caldav" -introspect "http://res-caldav:res-caldav-secret@$op/oauth/introspect" \
		-audience res-caldav -backend "$PFORTE_TEST_CALDAV_URL" -passwords "$dir/passwords" >"$dir/caldav.log" 2>&1 &
	record_pid davbearer-caldav $!
	webdav=$(free_port)
	local base=${PFORTE_TEST_WEBDAV_URL%%/remote.php/*}
	"$dir/davbearer" -addr "127.0.0.1:$webdav" -introspect "http://res-webdav:res-webdav-secret@$op/oauth/introspect" \
		-audience res-webdav -backend "$base/" -passwords "$dir/passwords" \
		-uid-claim opendesk_objectid -home /remote.php/dav/files/ >"$dir/webdav.log" 2>&1 &
	record_pid davbearer-webdav $!
	wait_port 127.0.0.1 "$caldav" 15
	wait_port 127.0.0.1 "$webdav" 15
	export_var PFORTE_TEST_CALDAV_AUD_URL "http://127.0.0.1:$caldav/"
	export_var PFORTE_TEST_CALDAV_AUDIENCE res-caldav
	export_var PFORTE_TEST_WEBDAV_AUD_URL "http://127.0.0.1:$webdav/remote.php/dav/files/{claim:opendesk_objectid}/"
	export_var PFORTE_TEST_WEBDAV_AUDIENCE res-webdav
}
