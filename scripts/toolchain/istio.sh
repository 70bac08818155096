# istioctl + the Istio Helm charts (sourced by scripts/toolchain.sh).
# Istio tags have no "v", so the Go module only has pseudo-versions. The module proxy reachable here serves just
# three istio.io/istio versions and refuses the 1.30.3 tag commit (56df41f63e51: 403 "not available"):
#  - charts:   release-1.30 branch @9739e10eb9d7 (2026-08-26, 52 commits after the 1.30.3 tag; the charts differ
#              from 1.30.3 only by template quoting fixes and a new optional networkGatewayPorts value). Its
#              dependencies (istio.io/api, envoy go-control-plane pseudo-versions) are NOT served, so it cannot build.
#  - istioctl: master @b01690e6db7d (2026-04-23, ten days after the 1.30 branch cut), the only version whose
#              dependencies the proxy serves. Stamped as version $ISTIO_VERSION (image tag, skew checks) with
#              that git revision.
# Override with ISTIO_CHARTS_MODULE_VERSION / ISTIOCTL_MODULE_VERSION (e.g. 1.30.3 where the proxy resolves tags).
ISTIO_CHARTS_MODULE_VERSION="${ISTIO_CHARTS_MODULE_VERSION:-v0.0.0-20260826214018-9739e10eb9d7}"
ISTIOCTL_MODULE_VERSION="${ISTIOCTL_MODULE_VERSION:-v0.0.0-20260423205519-b01690e6db7d}"

istio_dir() { "$GO" mod download -json "istio.io/istio@$1" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p'; }

build_istio() {
  local dir="$BUILD/istioctl-$ISTIOCTL_MODULE_VERSION" src rev
  src="$(istio_dir "$ISTIO_CHARTS_MODULE_VERSION")"
  [ -n "$src" ] && [ -d "$src/manifests/charts/base" ] || die "cannot download istio.io/istio@$ISTIO_CHARTS_MODULE_VERSION"
  echo "$src/manifests/charts" > "$CACHE/istio-charts-dir"
  if ! on_path istioctl >/dev/null && [ ! -x "$dir/bin/istioctl" ]; then
    log "building istioctl (istio.io/istio@$ISTIOCTL_MODULE_VERSION, stamped $ISTIO_VERSION)"
    rev="${ISTIOCTL_MODULE_VERSION##*-}"
    mkdir -p "$dir/bin"
    local p=istio.io/istio/pkg/version
    # build inside a copy of the module so that its own go.sum vouches for the dependencies (with `go install m@v`
    # the go command asks the checksum DB, which here lacks istio's pseudo-versioned dependencies)
    local msrc; msrc="$(istio_dir "$ISTIOCTL_MODULE_VERSION")"; [ -n "$msrc" ] || die "cannot download istio.io/istio@$ISTIOCTL_MODULE_VERSION"
    rm -rf "$dir/src"; cp -r "$msrc" "$dir/src"; chmod -R u+w "$dir/src"
    (cd "$dir/src" && timed "istioctl $ISTIO_VERSION" "$GO" build -p "$GOPAR" -trimpath -ldflags \
      "-s -w -X $p.buildVersion=$ISTIO_VERSION -X $p.buildTag=$ISTIO_VERSION -X $p.buildHub=docker.io/istio -X $p.buildGitRevision=$rev -X $p.buildStatus=Clean" \
      -o "$dir/bin/istioctl" ./istioctl/cmd/istioctl) || die "build of istioctl failed"
    rm -rf "$dir/src"
  fi
  [ -x "$dir/bin/istioctl" ] && install_bin "$dir/bin/istioctl" istioctl
  log "Istio charts: $(cat "$CACHE/istio-charts-dir")"
  cat "$CACHE/istio-charts-dir"
}
