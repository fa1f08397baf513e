# DAViCal 1.1 (Debian package davical): the second CalDAV server, next to
# Radicale. It differs where it matters: PROPFIND on /.well-known/caldav
# answers 301, calendars live under /caldav.php/USER/, and it is PHP on
# Apache with PostgreSQL.
#
# DAViCal gets a PostgreSQL cluster of its own (initdb into the stack dir,
# 127.0.0.1 and a free port, run as user postgres) and an Apache of its own
# (prefork + mod_php). It reads the package's /etc/davical/config.php
# ("dbname=davical user=davical_app", no host or port): libpq takes host
# and port from PGHOST/PGPORT in Apache's environment, so nothing in /etc
# is changed and several stacks can run side by side.

davical_packages() { echo davical postgresql apache2 libapache2-mod-php php-pgsql; }

davical_start() {
	local dir="$STACK_DIR/davical" pgport port pgbin users="" u i
	pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
	mkdir -p "$dir/pg" "$dir/pgsock" "$dir/run"
	chown postgres:postgres "$dir/pg" "$dir/pgsock"
	pgport=$(free_port)
	setpriv --reuid=postgres --regid=postgres --clear-groups "$pgbin/initdb" -D "$dir/pg" -U postgres \
		--auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
	# setpriv execs postgres itself, so \$! is the postmaster's PID.
	setpriv --reuid=postgres --regid=postgres --clear-groups "$pgbin/postgres" -D "$dir/pg" \
		-h 127.0.0.1 -p "$pgport" -k "$dir/pgsock" -c fsync=off -c full_page_writes=off \
		</dev/null >"$dir/postgres.log" 2>&1 &
	record_pid davicalpg $!
	wait_port 127.0.0.1 "$pgport" 20
	export PGHOST=127.0.0.1 PGPORT=$pgport
	for ((i = 0; i < 100; i++)); do
		if psql -qXAt -U postgres -c 'select 1' template1 >/dev/null 2>&1; then break; fi
		sleep 0.1
	done
	PGUSER=postgres /usr/share/davical/dba/create-database.sh davical "admin-$(openssl rand -hex 8)" >"$dir/create-database.log" 2>&1
	for u in alice bob carol; do
		# DAViCal reads "**" + password as a plain-text password.
		psql -qXAt -U postgres davical >>"$dir/create-database.log" 2>&1 <<SQL
INSERT INTO usr (active, email_ok, updated, username, password, fullname, email)
  VALUES (TRUE, current_date, current_date, '$u', '**$u-pw', '$u', '$u@musterstadt.example');
INSERT INTO principal (type_id, user_no, displayname, default_privileges)
  SELECT 1, user_no, '$u', 0::BIT(24) FROM usr WHERE username = '$u';
SQL
		users+="${users:+,}$u:$u-pw"
	done

	port=$(free_port)
	cat >"$dir/httpd.conf" <<CONF
ServerRoot /etc/apache2
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile $dir/run/httpd.pid
DefaultRuntimeDir $dir/run
Mutex file:$dir/run default
ErrorLog $dir/error.log
LogLevel warn
User www-data
Group www-data
StartServers 2
MinSpareServers 2
MaxSpareServers 4
LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule alias_module /usr/lib/apache2/modules/mod_alias.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so
LoadModule php_module /usr/lib/apache2/modules/$(basename /usr/lib/apache2/modules/libphp*.so)
TypesConfig /etc/mime.types
AddType application/x-httpd-php .php
DocumentRoot /usr/share/davical/htdocs
<Directory /usr/share/davical/htdocs>
  DirectoryIndex index.php
  AcceptPathInfo On
  AllowOverride None
  Require all granted
</Directory>
# As Debian's /etc/apache2/sites-available/davical.conf, at the root.
RewriteEngine On
RewriteRule ^/\.well-known/(.*)\$ /caldav.php/.well-known/\$1 [NC,PT]
CONF
	# setsid: Apache signals its whole process group on SIGTERM (55-apache.sh).
	PGHOST=127.0.0.1 PGPORT=$pgport setsid /usr/sbin/apache2 -f "$dir/httpd.conf" -DFOREGROUND </dev/null >"$dir/apache.out" 2>&1 &
	record_pid davical $!
	unset PGHOST PGPORT
	wait_port 127.0.0.1 "$port" 15
	export_var PFORTE_TEST_DAVICAL_URL "http://127.0.0.1:$port/caldav.php/"
	export_var PFORTE_TEST_DAVICAL_USERS "$users"
}
