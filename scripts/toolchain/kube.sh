# Kubernetes control-plane binaries + etcd + kwok (sourced by scripts/toolchain.sh).
# k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with ./staging/...,
# so a wrapper module re-points every staging module at the published v0.<minor>.<patch>.

K8S_BINS="kube-apiserver kube-controller-manager kube-scheduler kubectl"

build_kube() {
  local ver="$K8S_VERSION" dir="$BUILD/kubernetes-$K8S_VERSION"
  local stagever="v0.${ver#v1.}"   # v1.34.10 -> v0.34.10
  local b missing=""
  for b in $K8S_BINS; do [ -x "$dir/bin/$b" ] || missing="$missing $b"; done
  if [ -n "$missing" ]; then
    log "building kubernetes $ver:$missing (several minutes, ~GBs RAM)"
    new_wrapper "$dir" 1.24.0
    local src; src="$("$GO" mod download -json "k8s.io/kubernetes@$ver" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
    [ -n "$src" ] || die "cannot download k8s.io/kubernetes@$ver"
    local args=() m
    for m in $(sed -n '/^replace (/,/^)/s/^\t\(k8s.io\/[^ ]*\) => \.\/staging.*/\1/p' "$src/go.mod"); do
      args+=("-replace=$m=$m@$stagever")
    done
    (cd "$dir" && "$GO" mod edit "${args[@]}" && "$GO" mod edit -godebug default=go1.24 \
      && "$GO" get "k8s.io/kubernetes@$ver" \
      && "$GO" get $(for b in $K8S_BINS; do echo "k8s.io/kubernetes/cmd/$b@$ver"; done)) || die "kubernetes wrapper setup failed"
    local commit minor="${ver#v1.}"; minor="${minor%%.*}"
    commit="$(proxy_hash k8s.io/kubernetes "$ver" || true)"
    local ld="-s -w" k v
    for kv in "gitVersion=$ver" gitMajor=1 "gitMinor=$minor" "gitCommit=$commit" gitTreeState=clean \
              "buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"; do
      ld="$ld -X k8s.io/component-base/version.$kv -X k8s.io/client-go/pkg/version.$kv"
    done
    mkdir -p "$dir/bin"
    for b in $missing; do
      (cd "$dir" && timed "$b $ver" "$GO" build -p "$GOPAR" -trimpath -ldflags "$ld" -o "bin/$b" "k8s.io/kubernetes/cmd/$b") \
        || die "build of $b failed"
    done
  fi
  for b in $K8S_BINS; do install_bin "$dir/bin/$b" "$b"; done
}

build_etcd() {
  local dir="$BUILD/etcd-$ETCD_VERSION"
  if [ ! -x "$dir/bin/etcd" ]; then
    log "building etcd $ETCD_VERSION"
    new_wrapper "$dir" 1.25.0
    (cd "$dir" && "$GO" get "go.etcd.io/etcd/server/v3@$ETCD_VERSION") || die "etcd wrapper setup failed"
    (cd "$dir" && timed "etcd $ETCD_VERSION" "$GO" build -p "$GOPAR" -trimpath \
       -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION" -o bin/etcd go.etcd.io/etcd/server/v3) \
      || die "build of etcd failed"
  fi
  install_bin "$dir/bin/etcd" etcd
}

build_kwok() {
  local dir="$BUILD/kwok-$KWOK_VERSION"
  if [ ! -x "$dir/bin/kwok" ]; then
    log "building kwok $KWOK_VERSION"
    mkdir -p "$dir/bin"
    (cd "$dir" && GOBIN="$dir/bin" timed "kwok $KWOK_VERSION" "$GO" install -p "$GOPAR" -trimpath \
       -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION") \
      || die "build of kwok failed"
  fi
  install_bin "$dir/bin/kwok" kwok
}

# kwok needs Stage objects to drive node/pod lifecycles. kwokctl feeds it its embedded defaults (node-initialize,
# node-heartbeat-with-lease, pod-ready, pod-complete, pod-delete); we concatenate the same files from the kwok
# module into $CACHE/kwok-stages.yaml (read from the module cache, nothing copied into the repo).
kwok_stages() {
  local src s out="$CACHE/kwok-stages.yaml"
  src="$("$GO" mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [ -n "$src" ] || die "cannot download sigs.k8s.io/kwok@$KWOK_VERSION"
  : > "$out.tmp"
  for s in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
           pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    { echo "---"; cat "$src/kustomize/stage/$s"; } >> "$out.tmp"
  done
  mv "$out.tmp" "$out"
}
