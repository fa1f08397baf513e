# Helm, for the chart tests (deploy/helm). No prebuilt binary can be
# downloaded on these machines, so it is built from its Go module once into a
# cache folder that outlives the stack (measured: see docs/partner-city.md).

HELM_VERSION=v3.21.4

helm_packages() { :; } # pure Go: nothing to install from Debian

helm_bin_dir() {
	echo "${PFORTE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pforte-tools}/helm-$HELM_VERSION"
}

helm_install() {
	local dir start
	dir=$(helm_bin_dir)
	if [ -x "$dir/helm" ]; then return 0; fi
	mkdir -p "$dir"
	echo "stack: building helm $HELM_VERSION from its Go module (once)"
	start=$SECONDS
	(cd "$dir" && GOBIN="$dir" GOFLAGS=-buildvcs=false CGO_ENABLED=0 GOWORK=off \
		go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION")
	echo "stack: helm built in $((SECONDS - start)) s"
}

helm_start() {
	local dir
	dir=$(helm_bin_dir)
	[ -x "$dir/helm" ] || helm_install
	# Nothing runs in the background: the tests call helm themselves.
	export_var PFORTE_TEST_HELM "$dir/helm"
}
