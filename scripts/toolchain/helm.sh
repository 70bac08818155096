# helm (sourced by scripts/toolchain.sh). Only used by the e2e tests (test/e2e/charts.e2e.test.ts) to render the
# Istio charts with the exact values the program passes to helm.v4.Chart; the program itself never runs helm.
# helm.sh/helm/v3 is tagged; v3.22.0 is the newest v3 tag the proxy here serves, and its checksum verifies.
# Built inside a copy of the module (like istioctl) so that helm's own go.sum vouches for its dependencies and
# the checksum DB is asked about nothing but the helm module itself. Stamped like helm's Makefile does
# (version, clean tree, and the default Capabilities.KubeVersion from its client-go minor).
HELM_VERSION="${HELM_VERSION:-v3.22.0}"

build_helm() {
  local dir="$BUILD/helm-$HELM_VERSION"
  if [ ! -x "$dir/bin/helm" ]; then
    log "building helm $HELM_VERSION"
    local src; src="$(moddir "helm.sh/helm/v3@$HELM_VERSION")" || die "cannot download helm.sh/helm/v3@$HELM_VERSION"
    # a private work dir, moved into place at the end: two toolchain runs at once (e2e suites) must not share it
    mkdir -p "$dir/bin"
    local work; work="$(mktemp -d "$dir/work.XXXXXX")"
    cp -r "$src" "$work/src"; chmod -R u+w "$work/src"
    local cg minor; cg="$(sed -n 's/^\tk8s.io\/client-go v0\.\([0-9]*\)\..*/\1/p' "$work/src/go.mod")"; minor="${cg:-20}"
    local p=helm.sh/helm/v3 ld="-s -w"
    ld="$ld -X $p/internal/version.version=$HELM_VERSION -X $p/internal/version.metadata= -X $p/internal/version.gitTreeState=clean"
    local commit; commit="$(proxy_hash helm.sh/helm/v3 "$HELM_VERSION" || true)"
    [ -z "$commit" ] || ld="$ld -X $p/internal/version.gitCommit=$commit"
    ld="$ld -X $p/pkg/lint/rules.k8sVersionMajor=1 -X $p/pkg/lint/rules.k8sVersionMinor=$minor"
    ld="$ld -X $p/pkg/chartutil.k8sVersionMajor=1 -X $p/pkg/chartutil.k8sVersionMinor=$minor"
    # module downloads first, so that the timed build measures only the compile
    (cd "$work/src" && "$GO" list -deps ./cmd/helm >/dev/null) || { rm -rf "$work"; die "cannot download helm's dependencies"; }
    (cd "$work/src" && timed "helm $HELM_VERSION" "$GO" build -p "$GOPAR" -trimpath -ldflags "$ld" -o "$work/helm" ./cmd/helm) \
      || { rm -rf "$work"; die "build of helm failed"; }
    mv -f "$work/helm" "$dir/bin/helm"; rm -rf "$work"
  fi
  install_bin "$dir/bin/helm" helm
}
