# Headless Chromium for browser tests (Debian package chromium, driven from Go
# through chromedp). Nothing runs in the background: every test starts its own
# browser with a fresh profile (internal/testenv/browser.go).

chromium_packages() { echo chromium chromium-driver fonts-dejavu-core; }

chromium_start() {
	local bin=/usr/bin/chromium version
	# Debian's wrapper script prints shell warnings to stderr; the version
	# line on stdout is what tells us the browser runs.
	if ! version=$("$bin" --version 2>/dev/null) || [[ "$version" != Chromium* ]]; then
		echo "stack: $bin --version failed; run scripts/stack.sh install" >&2
		return 1
	fi
	export_var PFORTE_TEST_CHROMIUM "$bin"
}
