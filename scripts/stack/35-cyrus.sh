# Cyrus IMAP 3.6 (Debian's cyrus-imapd, unpacked): the second IMAP server,
# next to Dovecot. Debian cannot install it beside Dovecot (both provide
# imap-server), so `stack.sh install` downloads the two .debs with apt and
# unpacks them under ~/.cache/pforte-tools, and installs only the libraries
# its binaries link against. Nothing of Cyrus is installed system-wide.
#
# Cyrus takes a master login only as SASL PLAIN's authorisation identity
# (mail.master_style: authzid): pforte-master is listed in proxyservers.
# Users live in a sasldb of the stack's own; INBOXes are created at first
# login, so tests get fresh mailboxes by name.

cyrus_packages() {
	echo libcom-err2 libical3 libicu72 libjansson4 libkrb5-3 libldap-2.5-0 libpcre3 libpq5 libsasl2-2 \
		libsasl2-modules-db libsqlite3-0 libssl3 libwrap0 libxapian30 libxml2 zlib1g sasl2-bin
}

cyrus_root() {
	echo "${XDG_CACHE_HOME:-$HOME/.cache}/pforte-tools/cyrus-imapd"
}

cyrus_install() {
	local root tmp d
	root=$(cyrus_root)
	[ -x "$root/usr/lib/cyrus/bin/imapd" ] && return 0
	tmp=$(mktemp -d)
	chmod 777 "$tmp" # apt's download user writes here
	# A stale package list names versions the mirror no longer has: refresh once.
	(cd "$tmp" && { apt-get download -qq cyrus-common cyrus-imapd ||
		{ apt-get update -qq && apt-get download -qq cyrus-common cyrus-imapd; }; })
	mkdir -p "$root"
	for d in "$tmp"/*.deb; do dpkg -x "$d" "$root"; done
	rm -rf "$tmp"
}

cyrus_start() {
	local dir="$STACK_DIR/cyrus" root port bin u users=""
	root=$(cyrus_root)
	bin="$root/usr/lib/cyrus/bin"
	if [ ! -x "$bin/master" ]; then
		echo "stack: Cyrus is not unpacked; run scripts/stack.sh install" >&2
		return 1
	fi
	mkdir -p "$dir/conf/socket" "$dir/conf/proc" "$dir/conf/db" "$dir/conf/lock" "$dir/spool" "$dir/run" "$dir/bin"
	# Cyrus's services run as nobody, who cannot enter root's home: they
	# run from a copy in the stack dir (a few MB).
	cp "$bin/master" "$bin/imapd" "$bin/ctl_cyrusdb" "$dir/bin/"
	cp -a "$root"/usr/lib/*-linux-gnu "$dir/lib"
	bin="$dir/bin"
	port=$(free_port)
	cat >"$dir/imapd.conf" <<CONF
configdirectory: $dir/conf
partition-default: $dir/spool
cyrus_user: nobody
cyrus_group: nogroup
proxyservers: pforte-master
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: $dir/sasldb2
sasl_mech_list: PLAIN LOGIN
allowplaintext: yes
unixhierarchysep: yes
autocreate_users: anyone
autocreate_quota: 0
master_pid_file: $dir/run/master.pid
syslog_prefix: pforte-cyrus
CONF
	cat >"$dir/cyrus.conf" <<CONF
START {
  recover cmd="$bin/ctl_cyrusdb -C $dir/imapd.conf -r"
}
SERVICES {
  imap cmd="$bin/imapd -C $dir/imapd.conf" listen="127.0.0.1:$port" prefork=1
}
EVENTS {
}
DAEMON {
}
CONF
	for u in alice bob carol pforte-master; do
		printf '%s' "$u-pw" | saslpasswd2 -p -f "$dir/sasldb2" -c "$u"
		[ "$u" = pforte-master ] || users+="${users:+,}$u:$u-pw"
	done
	chown -R nobody:nogroup "$dir"
	# master stays in the foreground without -d, so \$! is its PID.
	LD_LIBRARY_PATH="$dir/lib" "$bin/master" -C "$dir/imapd.conf" -M "$dir/cyrus.conf" \
		-p "$dir/run/master.pid" -D </dev/null >"$dir/master.log" 2>&1 &
	record_pid cyrus $!
	wait_port 127.0.0.1 "$port" 15
	export_var PFORTE_TEST_CYRUS_ADDR "127.0.0.1:$port"
	export_var PFORTE_TEST_CYRUS_USERS "$users"
	export_var PFORTE_TEST_CYRUS_MASTER "pforte-master:pforte-master-pw"
}
