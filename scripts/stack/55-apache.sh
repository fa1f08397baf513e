# Apache 2.4 with mod_dav_fs (Debian package apache2): the second WebDAV
# server for files tests, next to rclone. Apache differs where it matters:
# its own XML prefixes (lp1:), 403 for Depth: infinity, 301 for a folder
# without its trailing slash, per-user folders with per-user access.
#
# /dav/alice/ is DIR/root/alice/ and only alice may read it. Tests write
# files straight into PFORTE_TEST_APACHE_WEBDAV_DIR.

apache_packages() { echo apache2; }

apache_start() {
	local dir="$STACK_DIR/apache" port users="" u locations=""
	mkdir -p "$dir/root" "$dir/run" "$dir/lock"
	: >"$dir/htpasswd"
	for u in alice bob carol; do
		mkdir -p "$dir/root/$u"
		printf '%s:%s\n' "$u" "$(openssl passwd -apr1 "$u-pw")" >>"$dir/htpasswd"
		users+="${users:+,}$u:$u-pw"
		locations+="<Location /dav/$u/>
  Require user $u
</Location>
"
	done
	# Apache runs its workers as www-data: they write lock files and PUTs.
	chown -R www-data:www-data "$dir/root" "$dir/lock"
	chmod 777 "$dir/root" # tests (as root) and Apache (as www-data) both write here
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
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule authz_user_module /usr/lib/apache2/modules/mod_authz_user.so
LoadModule authn_core_module /usr/lib/apache2/modules/mod_authn_core.so
LoadModule authn_file_module /usr/lib/apache2/modules/mod_authn_file.so
LoadModule auth_basic_module /usr/lib/apache2/modules/mod_auth_basic.so
LoadModule alias_module /usr/lib/apache2/modules/mod_alias.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule dav_module /usr/lib/apache2/modules/mod_dav.so
LoadModule dav_fs_module /usr/lib/apache2/modules/mod_dav_fs.so
TypesConfig /etc/mime.types
DavLockDB $dir/lock/DavLock
Alias /dav $dir/root
<Directory $dir/root>
  Dav On
  AuthType Basic
  AuthName "Pforte test"
  AuthUserFile $dir/htpasswd
  Require valid-user
  Options None
  AllowOverride None
</Directory>
$locations
# An old address that moved: PROPFIND must follow it as PROPFIND.
Redirect 301 /old-dav /dav
CONF
	# -DFOREGROUND keeps the parent in the foreground, so \$! is its PID.
	# setsid: on SIGTERM Apache signals its whole process group, which
	# would otherwise be the shell that runs `stack.sh down` (and test.sh).
	# The background child is no group leader, so setsid execs in place.
	setsid /usr/sbin/apache2 -f "$dir/httpd.conf" -DFOREGROUND </dev/null >"$dir/apache.out" 2>&1 &
	record_pid apache $!
	wait_port 127.0.0.1 "$port" 15
	export_var PFORTE_TEST_APACHE_WEBDAV_URL "http://127.0.0.1:$port/dav/{user}/"
	export_var PFORTE_TEST_APACHE_WEBDAV_DIR "$dir/root"
	export_var PFORTE_TEST_APACHE_WEBDAV_USERS "$users"
}
