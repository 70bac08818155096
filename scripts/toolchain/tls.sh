# shellcheck shell=bash
# TLS frontend parts (sourced by scripts/toolchain.sh; group `tls`): the real ACME/DNS pieces the proving ground
# runs on the host for seed 003's TLS frontend (scripts/local/tlsParts.ts, docs/tls-proving-ground.md):
#   pebble                   Let's Encrypt's test ACME server   github.com/letsencrypt/pebble/v2 (go install, proxy)
#   external-dns             RFC 2136 provider                  sigs.k8s.io/external-dns (a copy of the module, two
#                                                               refused requirements replaced; go >= 1.27, fetched by
#                                                               GOTOOLCHAIN=auto through the proxy)
#   cert-manager-controller  the controller alone               cmd/controller from $ISTIO_MC_PROVIDER_SRC (the proxy
#                                                               does not serve it), built against the served root module
#   named, named-checkconf, tsig-keygen, nsupdate, dig   bind9 9.18 from Debian (apt-get) when missing on PATH; never linked into bin/
# and the CRDs the start script applies, copied from the Go module cache into $CACHE/tls-crds/ (never into the repo):
#   tls-crds/cert-manager/*.yaml  (github.com/cert-manager/cert-manager@<version> deploy/crds/)
#   tls-crds/external-dns/dnsendpoints.externaldns.k8s.io.yaml  (sigs.k8s.io/external-dns@<version>)
# and tls-crds/pebble.minica.pem, the CA of the certificate Pebble serves its ACME API with (its module's
# test/certs/), plus tls-crds/pebble-localhost/{cert,key}.pem (that certificate; Pebble's own test pair, public).
PEBBLE_VERSION="${PEBBLE_VERSION:-v2.10.3}"
EXTERNAL_DNS_VERSION="${EXTERNAL_DNS_VERSION:-v0.23.0}"
CERT_MANAGER_VERSION="${CERT_MANAGER_VERSION:-v1.19.2}"
CERT_MANAGER_COMMIT=6e38ee57a338a1f27bb724ddb5933f4b8e23e567   # tag v1.19.2 (shared/vendor/README.md)
CERT_MANAGER_SRC_SHA256=9dcebd8a9d54fbb28b5ab535fb5830c8f0cb8664b17e2fc3988ef0960a4db12b

# go_install_tool NAME PKG VERSION [LDFLAGS] : go install PKG@VERSION (the module's own go.sum) into build/NAME-VERSION/bin
go_install_tool() {
  local name="$1" pkg="$2" v="$3" ld="-s -w ${4:-}" dir="$BUILD/$1-$3"
  if [ ! -x "$dir/bin/$name" ]; then
    log "building $name $v"
    mkdir -p "$dir"
    local work; work="$(mktemp -d "$dir/work.XXXXXX")"
    GOBIN="$work" timed "$name $v" "$GO" install -p "$GOPAR" -trimpath -ldflags "$ld" "$pkg@$v" \
      || { rm -rf "$work"; die "build of $name $v failed"; }
    mkdir -p "$dir/bin"; mv -f "$work/$(basename "$pkg")" "$dir/bin/$name"; rm -rf "$work"
  fi
  install_bin "$dir/bin/$name" "$name"
}

build_pebble() { go_install_tool pebble github.com/letsencrypt/pebble/v2/cmd/pebble "$PEBBLE_VERSION" "-X main.version=$PEBBLE_VERSION"; }
# `go install sigs.k8s.io/external-dns@v0.23.0` fails here: two of its requirements are refused by the proxy (403),
# github.com/civo/civogo v0.7.3 (the civo provider) and github.com/openshift/api v0.0.0-20260819011109-af5c920502e2
# (the openshift-route source). Built inside a copy of the module with those two replaced by the nearest served
# versions (neither is used by the rfc2136 provider or the service/istio-gateway/crd sources), -mod=mod.
EXTERNAL_DNS_REPLACES="${EXTERNAL_DNS_REPLACES:-github.com/civo/civogo=github.com/civo/civogo@v0.7.2 github.com/openshift/api=github.com/openshift/api@v0.0.0-20260709102940-580f1c1ba691}"
build_external_dns() {
  local v="$EXTERNAL_DNS_VERSION" dir="$BUILD/external-dns-$EXTERNAL_DNS_VERSION"
  if [ ! -x "$dir/bin/external-dns" ]; then
    log "building external-dns $v"
    local src; src="$(moddir "sigs.k8s.io/external-dns@$v")" || die "cannot download sigs.k8s.io/external-dns@$v"
    mkdir -p "$dir/bin"
    local work; work="$(mktemp -d "$dir/work.XXXXXX")"
    cp -r "$src" "$work/src"; chmod -R u+w "$work/src"
    local r args=()
    for r in $EXTERNAL_DNS_REPLACES; do args+=(-replace "$r"); done
    (cd "$work/src" && "$GO" mod edit "${args[@]}" && GOFLAGS="-mod=mod $GOFLAGS" "$GO" list -deps . >/dev/null) \
      || { rm -rf "$work"; die "cannot download external-dns's dependencies"; }
    (cd "$work/src" && GOFLAGS="-mod=mod $GOFLAGS" timed "external-dns $v" "$GO" build -p "$GOPAR" -trimpath \
        -ldflags "-s -w -X sigs.k8s.io/external-dns/pkg/apis/externaldns.Version=$v" -o "$work/external-dns" .) \
      || { rm -rf "$work"; die "build of external-dns $v failed"; }
    mv -f "$work/external-dns" "$dir/bin/external-dns"; rm -rf "$work"
  fi
  install_bin "$dir/bin/external-dns" external-dns
}

# cert-manager's cmd/controller is its own module (replace => ../../) that the proxy does not serve: build the
# release tree from shared/vendor against the served root module (steps of shared/vendor/README.md).
build_cert_manager_controller() {
  local v="$CERT_MANAGER_VERSION" dir="$BUILD/cert-manager-controller-$CERT_MANAGER_VERSION"
  if [ ! -x "$dir/bin/cert-manager-controller" ]; then
    local tgz="${ISTIO_MC_PROVIDER_SRC:-$REPO/../shared/vendor}/cert-manager-controller-$v-src.tar.gz"
    [ -f "$tgz" ] || die "cert-manager controller: $tgz not found (the proxy does not serve cmd/controller; put the release tree's cmd/controller there, see docs/tls-proving-ground.md)"
    [ "$v" != v1.19.2 ] || [ "$(sha256sum "$tgz" | cut -d' ' -f1)" = "$CERT_MANAGER_SRC_SHA256" ] || die "$tgz: sha256 mismatch"
    log "building cert-manager-controller $v (about 5 minutes, 1.4 GB)"
    mkdir -p "$dir/bin"
    local work; work="$(mktemp -d "$dir/work.XXXXXX")"
    tar -xzf "$tgz" -C "$work" --strip-components=1
    local src="$work/cmd/controller" p=github.com/cert-manager/cert-manager/pkg/util
    (cd "$src" && "$GO" mod edit -dropreplace github.com/cert-manager/cert-manager \
        -require "github.com/cert-manager/cert-manager@$v" \
      && GOFLAGS="-mod=mod $GOFLAGS" "$GO" list -deps . >/dev/null) \
      || { rm -rf "$work"; die "cannot download cert-manager's dependencies"; }
    (cd "$src" && GOFLAGS="-mod=mod $GOFLAGS" timed "cert-manager-controller $v" "$GO" build -p "$GOPAR" -trimpath \
        -ldflags "-s -w -X $p.AppVersion=$v -X $p.AppGitCommit=$CERT_MANAGER_COMMIT" -o "$work/cert-manager-controller" .) \
      || { rm -rf "$work"; die "build of cert-manager-controller $v failed"; }
    mv -f "$work/cert-manager-controller" "$dir/bin/cert-manager-controller"; rm -rf "$work"
  fi
  install_bin "$dir/bin/cert-manager-controller" cert-manager-controller
}

# bind9 from Debian, only when named is not on PATH (we are root on the proving ground; else say what to install)
install_bind9() {
  if command -v named >/dev/null && command -v named-checkconf >/dev/null && command -v tsig-keygen >/dev/null && command -v nsupdate >/dev/null && command -v dig >/dev/null; then
    return 0
  fi
  local sudo=(); [ "$(id -u)" = 0 ] || sudo=(sudo -n)
  log "installing bind9 + bind9-dnsutils from apt (named, tsig-keygen, nsupdate, dig)"
  # its system service is not used (and not needed): scripts/local/tlsParts.ts runs its own `named -g` on 127.0.0.1:15353
  timed "apt bind9" "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive bash -c \
    'apt-get install -y -q bind9 bind9-dnsutils >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q bind9 bind9-dnsutils >/dev/null; }' \
    || die "cannot install bind9 (apt-get install bind9 bind9-dnsutils)"
}

# tls_crds : copy the CRDs and Pebble's test CA out of the module cache into $CACHE/tls-crds
tls_crds() {
  local out="$CACHE/tls-crds" cm ed pb
  cm="$(moddir "github.com/cert-manager/cert-manager@$CERT_MANAGER_VERSION")" || die "cannot download cert-manager $CERT_MANAGER_VERSION"
  ed="$(moddir "sigs.k8s.io/external-dns@$EXTERNAL_DNS_VERSION")" || die "cannot download external-dns $EXTERNAL_DNS_VERSION"
  pb="$(moddir "github.com/letsencrypt/pebble/v2@$PEBBLE_VERSION")" || die "cannot download pebble $PEBBLE_VERSION"
  local crd="" c
  for c in "$ed/config/crd/standard" "$ed/charts/external-dns/crds"; do
    [ -f "$c/dnsendpoints.externaldns.k8s.io.yaml" ] && { crd="$c/dnsendpoints.externaldns.k8s.io.yaml"; break; }
  done
  [ -n "$crd" ] || die "external-dns $EXTERNAL_DNS_VERSION: no dnsendpoints.externaldns.k8s.io.yaml in its module"
  rm -rf "$out.tmp"; mkdir -p "$out.tmp/cert-manager" "$out.tmp/external-dns" "$out.tmp/pebble-localhost"
  cp "$cm"/deploy/crds/*.yaml "$out.tmp/cert-manager/"
  cp "$crd" "$out.tmp/external-dns/dnsendpoints.externaldns.k8s.io.yaml"
  cp "$pb/test/certs/pebble.minica.pem" "$out.tmp/pebble.minica.pem"
  cp "$pb/test/certs/localhost/cert.pem" "$pb/test/certs/localhost/key.pem" "$out.tmp/pebble-localhost/"
  chmod -R u+w "$out.tmp"; chmod 600 "$out.tmp/pebble-localhost/key.pem"
  printf 'cert-manager %s\nexternal-dns %s\npebble %s\n' "$CERT_MANAGER_VERSION" "$EXTERNAL_DNS_VERSION" "$PEBBLE_VERSION" > "$out.tmp/versions"
  rm -rf "$out"; mv "$out.tmp" "$out"
  log "CRDs and Pebble's test CA in $out"
}

# cm_version BINARY : the cert-manager module version a controller binary was built against (it has no --version flag;
# `go version -m` lists its dependency github.com/cert-manager/cert-manager)
cm_version() { "$GO" version -m "$1" 2>/dev/null | awk '$1 == "dep" && $2 == "github.com/cert-manager/cert-manager" { print $3 }'; }

build_tls_all() {
  on_path pebble >/dev/null || build_pebble
  on_path external-dns >/dev/null || build_external_dns
  on_path cert-manager-controller >/dev/null || build_cert_manager_controller
  install_bind9
  tls_crds
}
