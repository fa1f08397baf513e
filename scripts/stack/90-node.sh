# Node tools for tests (http_ece cross-checks push encryption; web-push is the
# benchmark baseline). The machine usually has Node 20 already.

node_packages() {
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then echo nodejs npm; fi
}

node_install() {
	npm ci --prefix "$ROOT/scripts/node" --no-audit --no-fund
}

node_start() {
	# Nothing runs in the background: tests call node themselves.
	export_var PFORTE_TEST_NODE_MODULES "$ROOT/scripts/node/node_modules"
}
