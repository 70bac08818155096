# istioctl + the Istio Helm charts (sourced by scripts/toolchain.sh).
# Istio tags have no "v", so the Go module only has pseudo-versions. The module proxy reachable here serves
# only a few of them and refuses the 1.30.3 tag commit (56df41f63e51, 403 "not available"), so by default we use
# the newest release-1.30 branch commit it serves (2026-08-26, 52 commits after the 1.30.3 tag; charts differ only
# by template quoting fixes and new optional values). Override with ISTIO_MODULE_VERSION=<pseudo-version or tag>.
ISTIO_MODULE_VERSION="${ISTIO_MODULE_VERSION:-v0.0.0-20260826214018-9739e10eb9d7}"

build_istio() {
  local dir="$BUILD/istio-$ISTIO_MODULE_VERSION" src rev
  src="$("$GO" mod download -json "istio.io/istio@$ISTIO_MODULE_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [ -n "$src" ] && [ -d "$src/manifests/charts" ] || die "cannot download istio.io/istio@$ISTIO_MODULE_VERSION"
  echo "$src/manifests/charts" > "$CACHE/istio-charts-dir"
  if ! on_path istioctl >/dev/null && [ ! -x "$dir/bin/istioctl" ]; then
    log "building istioctl (istio.io/istio@$ISTIO_MODULE_VERSION, reported as $ISTIO_VERSION)"
    rev="${ISTIO_MODULE_VERSION##*-}"
    mkdir -p "$dir/bin"
    local p=istio.io/istio/pkg/version
    (cd "$dir" && GOBIN="$dir/bin" timed "istioctl $ISTIO_VERSION" "$GO" install -p "$GOPAR" -trimpath -ldflags \
      "-s -w -X $p.buildVersion=$ISTIO_VERSION -X $p.buildTag=$ISTIO_VERSION -X $p.buildHub=docker.io/istio -X $p.buildGitRevision=$rev -X $p.buildStatus=Clean" \
      "istio.io/istio/istioctl/cmd/istioctl@$ISTIO_MODULE_VERSION") || die "build of istioctl failed"
  fi
  [ -x "$dir/bin/istioctl" ] && install_bin "$dir/bin/istioctl" istioctl
  log "Istio charts: $(cat "$CACHE/istio-charts-dir")"
  echo "$(cat "$CACHE/istio-charts-dir")"
}
