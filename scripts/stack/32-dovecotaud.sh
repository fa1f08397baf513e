# A second Dovecot 2.3 on the same mailboxes whose bearer login checks the
# token's audience, for the token-exchange tests (docs/opendesk.md).
#
# Its oauth2 passdb introspects as the resource client res-imap, and the
# test OIDC provider answers active=true only for tokens whose audience
# names res-imap (what Pforte gets by exchanging the user's token with
# audience res-imap). The user's own sign-in token (audience: Pforte's
# client) is refused. Dovecot 2.3's oauth2 passdb has no audience setting
# for introspected tokens, so the check is the provider's, as with Keycloak
# when Dovecot introspects as its own client. Password and master logins
# are not offered here: use PFORTE_TEST_IMAP_ADDR (30-dovecot.sh) to seed.
# Needs 20-oidc.sh and 30-dovecot.sh; new names only, the old ones are unchanged.

dovecotaud_packages() { echo dovecot-imapd; }

dovecotaud_start() {
	local dir="$STACK_DIR/dovecotaud" mail="$STACK_DIR/dovecot/mail" port pid op
	if [ -z "${PFORTE_TEST_OIDC_ISSUER:-}" ] || [ ! -d "$mail" ]; then
		echo "stack: dovecotaud needs oidc and dovecot; skipped"
		return 0
	fi
	mkdir -p "$dir/run" "$dir/state"
	port=$(free_port)
	op=${PFORTE_TEST_OIDC_ISSUER#http://}
	cat >"$dir/oauth2.conf.ext" <<CONF
introspection_mode = post
introspection_url = http://res-imap:res-imap-secret@$op/oauth/introspect
username_attribute = username
active_attribute = active
active_value = true
CONF
	cat >"$dir/dovecot.conf" <<CONF
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
mail_location = maildir:$mail/%u
auth_mechanisms = xoauth2 oauthbearer
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
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $dir/oauth2.conf.ext
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$mail/%u
}
CONF
	/usr/sbin/dovecot -F -c "$dir/dovecot.conf" >>"$dir/dovecot.out" 2>&1 &
	pid=$!
	record_pid dovecotaud "$pid"
	wait_port 127.0.0.1 "$port" 15
	# The auth service answers a moment after the listener opens.
	local i
	for ((i = 0; i < 100; i++)); do
		# Answered (refused: this Dovecot has no PLAIN) means auth is up;
		# "Couldn't connect to auth socket" means not yet.
		local out
		out=$(doveadm -c "$dir/dovecot.conf" auth test alice wrong 2>&1 || true)
		if [[ $out == *"auth failed"* ]]; then break; fi
		sleep 0.1
	done
	if ((i == 100)); then
		echo "stack: dovecotaud auth did not become ready; see $dir/dovecot.log" >&2
		return 1
	fi
	export_var PFORTE_TEST_IMAP_AUD_ADDR "127.0.0.1:$port"
	export_var PFORTE_TEST_IMAP_AUDIENCE res-imap
}
