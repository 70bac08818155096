# istioctl + the Istio Helm charts (sourced by scripts/toolchain.sh).
# Istio tags have no "v", so the Go module only has pseudo-versions. The module proxy reachable here serves just
# three istio.io/istio versions and refuses the 1.30.3 tag commit (56df41f63e51: 403 "not available"):
#  - charts:   release-1.30 branch @9739e10eb9d7 (2026-08-26, 52 commits after the 1.30.3 tag; the charts differ
#              from 1.30.3 only by template quoting fixes and a new optional networkGatewayPorts value). Its
#              dependencies (istio.io/api, envoy go-control-plane pseudo-versions) are NOT served, so it cannot build.
#  - istioctl, pilot-discovery, meshxds: master @eed52ebb66ad (2026-08-27, Istio 1.31 development), whose
#              dependencies the proxy serves. It has the fix for istio/istio#61043 (a remote-secret update wiped the
#              remote cluster's endpoints for good; the earlier master @b01690e6db7d of 2026-04-23 has the bug:
#              docs/istiod-on-host.md). Stamped as version $ISTIO_VERSION (image tag, skew checks) with that
#              git revision.
# Override with ISTIO_CHARTS_MODULE_VERSION / ISTIOCTL_MODULE_VERSION (e.g. 1.30.4 where the proxy resolves tags).
ISTIO_CHARTS_MODULE_VERSION="${ISTIO_CHARTS_MODULE_VERSION:-v0.0.0-20260826214018-9739e10eb9d7}"
ISTIOCTL_MODULE_VERSION="${ISTIOCTL_MODULE_VERSION:-v0.0.0-20260827124520-eed52ebb66ad}"

# The previous minor's release, for canary-upgrade tests (a second istiod of the old revision beside the current one):
# Istio 1.29.1, the newest 1.29 patch whose release commit the proxy here serves: tag 1.29.1 = commit 6991a379e1fc,
# served as istio.io/istio@v0.0.0-20260306174214-6991a379e1fc, dependencies included. The release commits of 1.29.2,
# 1.29.3, 1.29.4, 1.29.5 and 1.29.6 are refused as pseudo-versions (403/404). From that one module: pilot-discovery
# (stamped $ISTIO_PREVIOUS_VERSION, revision 6991a379e1fc) and the charts, read in place. Override both together.
ISTIO_PREVIOUS_VERSION="${ISTIO_PREVIOUS_VERSION:-1.29.1}"
ISTIO_PREVIOUS_MODULE_VERSION="${ISTIO_PREVIOUS_MODULE_VERSION:-v0.0.0-20260306174214-6991a379e1fc}"

istio_dir() { "$GO" mod download -json "istio.io/istio@$1" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p'; }

# istio_build DIR NAME PKG [VERSION [REV]] : go build PKG of the module copy in DIR/src into DIR/bin/NAME, stamped
# VERSION (default $ISTIO_VERSION) with git revision REV (default the commit of $ISTIOCTL_MODULE_VERSION)
istio_build() {
  local dir="$1" name="$2" pkg="$3" v="${4:-$ISTIO_VERSION}" rev="${5:-${ISTIOCTL_MODULE_VERSION##*-}}" p=istio.io/istio/pkg/version
  (cd "$dir/src" && timed "$name $v" "$GO" build -p "$GOPAR" -trimpath -ldflags \
    "-s -w -X $p.buildVersion=$v -X $p.buildTag=$v -X $p.buildHub=docker.io/istio -X $p.buildGitRevision=$rev -X $p.buildStatus=Clean" \
    -o "$dir/bin/$name" "$pkg") || die "build of $name $v failed"
}

# Built from one copy of the istioctl module: istioctl, pilot-discovery (istiod, run on the host against the local
# clusters: docs/istiod-on-host.md) and meshxds (our xDS client, tools/meshxds, built inside the module so that it
# uses that istiod's own ADS client package; its binary name carries a hash of its source, so an edit rebuilds it).
build_istio() {
  local dir="$BUILD/istioctl-$ISTIOCTL_MODULE_VERSION" src
  src="$(istio_dir "$ISTIO_CHARTS_MODULE_VERSION")"
  { [ -n "$src" ] && [ -d "$src/manifests/charts/base" ]; } || die "cannot download istio.io/istio@$ISTIO_CHARTS_MODULE_VERSION"
  echo "$src/manifests/charts" > "$CACHE/istio-charts-dir"
  # What the stack files name (istio.chartPath: ~/.cache/istio-multicluster/istio-charts): a link to the charts in
  # the module, made here so that a fresh cache has it without any other run having made it first.
  ln -sfn "$src/manifests/charts" "$CACHE/istio-charts"
  local xds_hash; xds_hash="$(cat "$REPO"/tools/meshxds/*.go | sha256sum | cut -c1-12)"
  local want_istioctl=0 want_pilot=0 want_xds=0
  if ! on_path istioctl >/dev/null && [ ! -x "$dir/bin/istioctl" ]; then want_istioctl=1; fi
  if ! on_path pilot-discovery >/dev/null && [ ! -x "$dir/bin/pilot-discovery" ]; then want_pilot=1; fi
  [ -x "$dir/bin/meshxds-$xds_hash" ] || want_xds=1
  if [ $((want_istioctl + want_pilot + want_xds)) -gt 0 ]; then
    mkdir -p "$dir/bin"
    # build inside a copy of the module so that its own go.sum vouches for the dependencies (with `go install m@v`
    # the go command asks the checksum DB, which here lacks istio's pseudo-versioned dependencies)
    local msrc; msrc="$(istio_dir "$ISTIOCTL_MODULE_VERSION")"; [ -n "$msrc" ] || die "cannot download istio.io/istio@$ISTIOCTL_MODULE_VERSION"
    rm -rf "$dir/src"; cp -r "$msrc" "$dir/src"; chmod -R u+w "$dir/src"
    if [ "$want_istioctl" = 1 ]; then log "building istioctl (istio.io/istio@$ISTIOCTL_MODULE_VERSION, stamped $ISTIO_VERSION)"; istio_build "$dir" istioctl ./istioctl/cmd/istioctl; fi
    if [ "$want_pilot" = 1 ]; then log "building pilot-discovery (same module)"; istio_build "$dir" pilot-discovery ./pilot/cmd/pilot-discovery; fi
    if [ "$want_xds" = 1 ]; then
      log "building meshxds (tools/meshxds inside the same module)"
      mkdir -p "$dir/src/meshxds" && cp "$REPO"/tools/meshxds/*.go "$dir/src/meshxds/"
      rm -f "$dir"/bin/meshxds-*
      istio_build "$dir" "meshxds-$xds_hash" ./meshxds
    fi
    rm -rf "$dir/src"
  fi
  [ -x "$dir/bin/istioctl" ] && install_bin "$dir/bin/istioctl" istioctl
  [ -x "$dir/bin/pilot-discovery" ] && install_bin "$dir/bin/pilot-discovery" pilot-discovery
  install_bin "$dir/bin/meshxds-$xds_hash" meshxds
  # Versioned names, so that code picks either release's istiod and charts the same way: pilot-discovery-VERSION
  # is the binary pilot-discovery resolves to (ours, or the user's on PATH), istio-charts-VERSION the same charts.
  local pd=""
  if [ -x "$dir/bin/pilot-discovery" ]; then pd="$dir/bin/pilot-discovery"; else pd="$(on_path pilot-discovery)" || pd=""; fi
  [ -z "$pd" ] || install_bin "$pd" "pilot-discovery-$ISTIO_VERSION"
  echo "$src/manifests/charts" > "$CACHE/istio-charts-$ISTIO_VERSION-dir"
  ln -sfn "$src/manifests/charts" "$CACHE/istio-charts-$ISTIO_VERSION"
  log "Istio charts: $(cat "$CACHE/istio-charts-dir")"
  cat "$CACHE/istio-charts-dir"
}

# The previous release (ISTIO_PREVIOUS_VERSION, above): pilot-discovery into build/istio-VERSION/bin, linked as
# bin/pilot-discovery-VERSION, and the link istio-charts-VERSION (+ the one-line istio-charts-VERSION-dir) to the
# module's charts, made on every run so that a fresh cache has it. The binary is rebuilt when the module version
# recorded next to it (build/istio-VERSION/module) differs. Private work dir, moved into place at the end, as for
# helm: two toolchain runs at once must not share it.
build_istio_previous() {
  local v="$ISTIO_PREVIOUS_VERSION" mv="$ISTIO_PREVIOUS_MODULE_VERSION" dir="$BUILD/istio-$ISTIO_PREVIOUS_VERSION" src
  src="$(moddir "istio.io/istio@$mv")" || die "cannot download istio.io/istio@$mv (Istio $v)"
  [ -d "$src/manifests/charts/base" ] || die "istio.io/istio@$mv has no manifests/charts/base"
  echo "$src/manifests/charts" > "$CACHE/istio-charts-$v-dir"
  ln -sfn "$src/manifests/charts" "$CACHE/istio-charts-$v"
  if [ ! -x "$dir/bin/pilot-discovery" ] || [ "$(cat "$dir/module" 2>/dev/null)" != "$mv" ]; then
    log "building pilot-discovery $v (istio.io/istio@$mv)"
    mkdir -p "$dir/bin"
    local work; work="$(mktemp -d "$dir/work.XXXXXX")"
    cp -r "$src" "$work/src"; chmod -R u+w "$work/src"; mkdir -p "$work/bin"
    # module downloads first, so that the timed build measures only the compile
    (cd "$work/src" && "$GO" list -deps ./pilot/cmd/pilot-discovery >/dev/null) || { rm -rf "$work"; die "cannot download the dependencies of istio.io/istio@$mv"; }
    ( istio_build "$work" pilot-discovery ./pilot/cmd/pilot-discovery "$v" "${mv##*-}" ) || { rm -rf "$work"; die "build of pilot-discovery $v failed"; }
    mv -f "$work/bin/pilot-discovery" "$dir/bin/pilot-discovery"; echo "$mv" > "$dir/module"; rm -rf "$work"
  fi
  install_bin "$dir/bin/pilot-discovery" "pilot-discovery-$v"
  log "Istio $v: $BIN/pilot-discovery-$v, charts $CACHE/istio-charts-$v"
}
