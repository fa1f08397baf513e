# Node tools for tests (http_ece cross-checks push encryption; web-push is the
# benchmark baseline; axe-core and lighthouse check accessibility and
# performance). The machine usually has Node 20 already (lighthouse 12 runs
# on it; 13 needs Node 22).

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
