# Static-check tools for the test command (scripts/test.sh): govulncheck and
# the gosec security linter. Like helm, no prebuilt binary can be downloaded,
# so each is built from its Go module once, at a pinned version, into a cache
# folder that outlives the stack (measured: see docs/security.md).

GOVULNCHECK_VERSION=v1.9.0
GOSEC_VERSION=v2.30.0

gotools_packages() { :; } # pure Go: nothing to install from Debian

gotools_bin_dir() {
	echo "${PFORTE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pforte-tools}/gotools-$GOVULNCHECK_VERSION-$GOSEC_VERSION"
}

gotools_install() {
	local dir start
	dir=$(gotools_bin_dir)
	if [ -x "$dir/govulncheck" ] && [ -x "$dir/gosec" ]; then return 0; fi
	mkdir -p "$dir"
	echo "stack: building govulncheck $GOVULNCHECK_VERSION and gosec $GOSEC_VERSION from their Go modules (once)"
	start=$SECONDS
	# One go install per module: it refuses versions of two modules at once.
	local mod
	for mod in "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION" \
		"github.com/securego/gosec/v2/cmd/gosec@$GOSEC_VERSION"; do
		(cd "$dir" && GOBIN="$dir" GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOWORK=off go install "$mod")
	done
	echo "stack: go tools built in $((SECONDS - start)) s"
}

gotools_start() {
	local dir
	dir=$(gotools_bin_dir)
	[ -x "$dir/govulncheck" ] && [ -x "$dir/gosec" ] || gotools_install
	# Nothing runs in the background: scripts/test.sh calls them itself.
	export_var PFORTE_GOVULNCHECK "$dir/govulncheck"
	export_var PFORTE_GOSEC "$dir/gosec"
}
