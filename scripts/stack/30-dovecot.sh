# Dovecot 2.3 (Debian package dovecot-imapd): the IMAP server for mail tests.
#
# Users alice, bob and carol log in with passwords; the master user
# pforte-master opens any mailbox as "user*pforte-master" (the static userdb
# accepts every name, so tests get fresh, isolated mailboxes that way). When
# the OIDC test provider runs (20-oidc.sh exported its introspection URL),
# users' access tokens open their own mailboxes via XOAUTH2/OAUTHBEARER.

dovecot_packages() { echo dovecot-imapd; }

dovecot_start() {
	local dir="$STACK_DIR/dovecot" port pid mechs="plain login" oauth=""
	mkdir -p "$dir/run" "$dir/state" "$dir/mail"
	chown nobody:nogroup "$dir/mail"
	port=$(free_port)
	printf '%s\n' 'alice:{PLAIN}alice-pw' 'bob:{PLAIN}bob-pw' 'carol:{PLAIN}carol-pw' >"$dir/users"
	load_users | sed 's/.*/&:{PLAIN}&-pw/' >>"$dir/users"
	printf '%s\n' 'pforte-master:{PLAIN}pforte-master-pw' >"$dir/masters"
	if [ -n "${PFORTE_TEST_OIDC_INTROSPECT_URL:-}" ]; then
		mechs="plain login xoauth2 oauthbearer"
		cat >"$dir/oauth2.conf.ext" <<CONF
introspection_mode = post
introspection_url = $PFORTE_TEST_OIDC_INTROSPECT_URL
username_attribute = username
active_attribute = active
active_value = true
CONF
		oauth="passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $dir/oauth2.conf.ext
}"
	fi
	cat >"$dir/dovecot.conf" <<CONF
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
mail_location = maildir:$dir/mail/%u
auth_mechanisms = $mechs
auth_master_user_separator = *
auth_failure_delay = 0
auth_verbose = yes

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
  # High-performance login mode: a few long-lived login processes instead
  # of one new process per connection, so benchmarks measure IMAP, not fork.
  service_count = 0
  process_min_avail = 2
}
service imap {
  process_min_avail = 2
}
# Without this, each failed login makes the next one slower (1 s, 5 s, ...).
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
passdb {
  driver = passwd-file
  master = yes
  args = scheme=PLAIN username_format=%u $dir/masters
}
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u $dir/users
}
$oauth
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$dir/mail/%u
}
CONF
	# -F keeps dovecot's master process in the foreground, so \$! is its PID.
	/usr/sbin/dovecot -F -c "$dir/dovecot.conf" >>"$dir/dovecot.out" 2>&1 &
	pid=$!
	record_pid dovecot "$pid"
	wait_port 127.0.0.1 "$port" 15
	# The listener opens before the auth service answers; logins in that
	# window fail with "Temporary authentication failure". Wait for a real one.
	local i
	for ((i = 0; i < 100; i++)); do
		if doveadm -c "$dir/dovecot.conf" auth test alice alice-pw >/dev/null 2>&1; then break; fi
		sleep 0.1
	done
	if ((i == 100)); then
		echo "stack: dovecot auth did not become ready; see $dir/dovecot.log" >&2
		return 1
	fi
	export_var PFORTE_TEST_IMAP_ADDR "127.0.0.1:$port"
	export_var PFORTE_TEST_IMAP_USERS "alice:alice-pw,bob:bob-pw,carol:carol-pw"
	export_var PFORTE_TEST_IMAP_MASTER "pforte-master:pforte-master-pw"
}
