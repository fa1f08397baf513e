# OpenID Provider for the tests: zitadel/oidc's example OP wrapped by our own
# scripts/oidc-provider (Keycloak cannot be installed here; see STACK.md).
# Users, clients and the test-only endpoints are documented in
# scripts/oidc-provider/README.md.

oidc_packages() { :; } # pure Go: nothing to install from Debian

oidc_start() {
	local dir="$STACK_DIR/oidc" port issuer pid
	mkdir -p "$dir"
	(cd "$ROOT" && go build -o "$dir/provider" ./scripts/oidc-provider)
	port=$(free_port)
	issuer="http://127.0.0.1:$port"
	"$dir/provider" -addr "127.0.0.1:$port" -issuer "$issuer" -load-users "${PFORTE_STACK_LOAD_USERS:-0}" >"$dir/provider.log" 2>&1 &
	pid=$!
	record_pid oidc "$pid"
	wait_port 127.0.0.1 "$port" 15
	oidc_wait_discovery "$issuer" 15
	export_var PFORTE_TEST_OIDC_ISSUER "$issuer"
	export_var PFORTE_TEST_OIDC_CLIENT_ID pforte
	export_var PFORTE_TEST_OIDC_CLIENT_SECRET pforte-secret
	export_var PFORTE_TEST_OIDC_CLIENT_B_ID pforte-b
	export_var PFORTE_TEST_OIDC_CLIENT_B_SECRET pforte-b-secret
	export_var PFORTE_TEST_OIDC_SHORT_CLIENT_ID pforte-short
	export_var PFORTE_TEST_OIDC_SHORT_CLIENT_SECRET pforte-short-secret
	export_var PFORTE_TEST_OIDC_SOON_CLIENT_ID pforte-soon
	export_var PFORTE_TEST_OIDC_SOON_CLIENT_SECRET pforte-soon-secret
	# A resource-server client that may introspect the tokens of every client
	# (what Dovecot's oauth2 passdb uses).
	export_var PFORTE_TEST_OIDC_INTROSPECT_URL "http://dovecot:dovecot-secret@127.0.0.1:$port/oauth/introspect"
	export_var PFORTE_TEST_OIDC_USERS "alice:alice-pw,bob:bob-pw,carol:carol-pw"
}

# oidc_wait_discovery ISSUER SECONDS waits until the discovery document answers
# 200: the port opens a moment before the provider serves requests.
oidc_wait_discovery() {
	python3 - "$1/.well-known/openid-configuration" "$2" <<'PY'
import sys, time, urllib.request
url, secs = sys.argv[1], float(sys.argv[2])
deadline = time.monotonic() + secs
while True:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            if r.status == 200:
                sys.exit(0)
    except OSError:
        pass
    if time.monotonic() > deadline:
        sys.exit("stack: %s did not answer within %ss" % (url, secs))
    time.sleep(0.1)
PY
}
