#!/usr/bin/env bash
# Build (once) and cache the offline toolchain for this project: pulumi + nodejs language host + providers,
# a Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kwok)
# and istioctl (+ the Istio Helm charts dir; and the previous Istio minor's pilot-discovery + charts for canary-upgrade
# tests, scripts/toolchain/istio.sh); and the TLS frontend's real parts (Pebble, external-dns, the cert-manager
# controller, bind9: scripts/toolchain/tls.sh). Everything comes from the Go module proxy (bind9 from Debian's apt,
# the cert-manager controller's own tree from ../shared/vendor); nothing lands in the repo.
#
# Usage: scripts/toolchain.sh [--check] [--only pulumi|kube|istio|tls|yaml|sdk]
#   --check   report present/missing binaries and exit 1 if any is missing (builds nothing)
#   --only X  limit to one group (yaml: the Pulumi YAML language host; sdk: pulumi-sdkgen; docs/other-languages.md;
#             tls: pebble, external-dns, cert-manager-controller, named + CRDs in tls-crds/; docs/tls-proving-ground.md)
# Cache: ${ISTIO_MC_CACHE:-$HOME/.cache/istio-multicluster}  (bin/, build/<tool>-<version>/, env.sh, istio-charts-dir,
#        istio-charts, istio-charts-<istio version>[-dir] for the current and the previous release, tls-crds/)
# Then:  source "$CACHE/env.sh"
# See docs/toolchain.md.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${ISTIO_MC_CACHE:-$HOME/.cache/istio-multicluster}"
BIN="$CACHE/bin"; BUILD="$CACHE/build"
mkdir -p "$BIN" "$BUILD"
export PATH="/usr/local/go/bin:$PATH"
# shellcheck source=toolchain/lib.sh
. "$REPO/scripts/toolchain/lib.sh"
. "$REPO/scripts/toolchain/kube.sh"
. "$REPO/scripts/toolchain/pulumi.sh"
. "$REPO/scripts/toolchain/istio.sh"
. "$REPO/scripts/toolchain/helm.sh"
. "$REPO/scripts/toolchain/yaml.sh"
. "$REPO/scripts/toolchain/sdkgen.sh"
. "$REPO/scripts/toolchain/tls.sh"

# Versions not dictated by node_modules.
K8S_VERSION="${K8S_VERSION:-v1.34.10}"    # newest v1.34.x whose go.mod the checksum DB here verifies (1.34.11/12: 404)
ETCD_VERSION="${ETCD_VERSION:-v3.6.14}"
KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
ISTIO_VERSION="${ISTIO_VERSION:-1.30.3}"

CHECK=0; ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --check) CHECK=1 ;;
    --only) ONLY="${2:?--only needs pulumi|kube|istio|tls|yaml|sdk}"; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac; shift
done
want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }

if want pulumi || want sdk; then pulumi_versions; fi   # sets PULUMI_VERSION, K8S_PROVIDER_VERSION, TLS_PROVIDER_VERSION, RANDOM_PROVIDER_VERSION

# on_path NAME : a usable binary on the user's PATH (outside our cache)?
on_path() {
  local p; p="$(PATH="$(printf %s "$PATH" | tr : '\n' | grep -vxF "$BIN" | paste -sd:)" command -v "$1" 2>/dev/null)" || return 1
  case "$1" in
    kubectl) "$p" version --client 2>/dev/null | grep -q "Client Version: v1\.$(k8s_minor)\." ;;
    pulumi) "$p" version 2>/dev/null | grep -qx "v$PULUMI_VERSION" ;;
    istioctl) "$p" version --remote=false 2>/dev/null | grep -qE "(^|: )$ISTIO_VERSION\$" ;;
    pilot-discovery) "$p" version -s 2>/dev/null | grep -qx "$ISTIO_VERSION" ;;
    pilot-discovery-*) [ "$("$p" version -s 2>/dev/null | tail -1 | sed 's/.*: //')" = "${1#pilot-discovery-}" ] ;;   # "client version: 1.29.1"
    meshxds) false ;;   # ours (tools/meshxds): always the cache's build of the current source
    helm) "$p" version --short 2>/dev/null | grep -q '^v3\.' ;;
    pebble) "$p" -version 2>/dev/null | grep -qx "Pebble version: $PEBBLE_VERSION" ;;
    external-dns) "$p" --version 2>/dev/null | grep -qx "$EXTERNAL_DNS_VERSION" ;;
    cert-manager-controller) cm_version "$p" | grep -qx "$CERT_MANAGER_VERSION" ;;
    named) "$p" -v 2>/dev/null | grep -q '^BIND 9\.' ;;
    *) true ;;
  esac || return 1
  echo "$p"
}
k8s_minor() { local m="${K8S_VERSION#v1.}"; echo "${m%%.*}"; }

# group -> binaries
bins_of() {
  case "$1" in
    pulumi) echo "pulumi pulumi-language-nodejs pulumi-resource-pulumi-nodejs pulumi-resource-kubernetes pulumi-resource-tls pulumi-resource-random" ;;
    kube) echo "etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok" ;;
    istio) echo "istioctl pilot-discovery pilot-discovery-$ISTIO_VERSION pilot-discovery-$ISTIO_PREVIOUS_VERSION meshxds helm" ;;
    yaml) echo "pulumi-language-yaml" ;;
    sdk) echo "pulumi-sdkgen" ;;
    tls) echo "pebble external-dns cert-manager-controller named named-checkconf tsig-keygen nsupdate dig" ;;
  esac
}

if [ "$CHECK" = 1 ]; then
  missing=0
  for g in pulumi kube istio tls yaml sdk; do
    want "$g" || continue
    for b in $(bins_of "$g"); do
      if [ "$b" = meshxds ] && [ "$(readlink "$BIN/meshxds" 2>/dev/null | sed 's/.*meshxds-//')" != "$(cat "$REPO"/tools/meshxds/*.go | sha256sum | cut -c1-12)" ]; then
        printf '%-28s MISSING (not built from the current tools/meshxds)\n' "$b"; missing=1
      elif [ -x "$BIN/$b" ]; then printf '%-28s cache   %s\n' "$b" "$(readlink -f "$BIN/$b")"
      elif p="$(on_path "$b")"; then printf '%-28s PATH    %s\n' "$b" "$p"
      else printf '%-28s MISSING\n' "$b"; missing=1; fi
    done
  done
  if want istio; then
    if [ -s "$CACHE/istio-charts-dir" ] && [ -d "$(cat "$CACHE/istio-charts-dir")" ]; then
      printf '%-28s %s\n' "istio charts" "$(cat "$CACHE/istio-charts-dir")"
    else printf '%-28s MISSING\n' "istio charts"; missing=1; fi
    # what the stack files' istio.chartPath names
    if [ -f "$CACHE/istio-charts/base/Chart.yaml" ]; then printf '%-28s %s\n' "istio-charts link" "$CACHE/istio-charts"
    else printf '%-28s MISSING (the stack files point at it)\n' "istio-charts link"; missing=1; fi
    # one link per release, for code that picks a release's charts by version (canary upgrades)
    for v in "$ISTIO_VERSION" "$ISTIO_PREVIOUS_VERSION"; do
      if [ -f "$CACHE/istio-charts-$v/base/Chart.yaml" ]; then printf '%-28s %s -> %s\n' "istio-charts-$v link" "$CACHE/istio-charts-$v" "$(readlink "$CACHE/istio-charts-$v")"
      else printf '%-28s MISSING\n' "istio-charts-$v link"; missing=1; fi
    done
  fi
  if want tls; then
    for f in cert-manager/cert-manager.io_certificates.yaml external-dns/dnsendpoints.externaldns.k8s.io.yaml pebble.minica.pem; do
      if [ -s "$CACHE/tls-crds/$f" ]; then printf '%-28s %s\n' "tls-crds/${f%%/*}" "$CACHE/tls-crds/$f"
      else printf '%-28s MISSING (tls-crds/%s)\n' "tls-crds/${f%%/*}" "$f"; missing=1; fi
    done
  fi
  exit "$missing"
fi

# env.sh: $CACHE/bin goes FIRST on PATH. It only ever holds what was missing or unsuitable on the user's PATH
# (e.g. a kubectl of another minor), so putting it first is what makes the unsuitable ones lose.
write_env() {
  cat > "$CACHE/env.sh" <<ENV
# generated by scripts/toolchain.sh -- source me
export ISTIO_MC_CACHE="$CACHE"
case ":\$PATH:" in *":$BIN:"*) ;; *) export PATH="$BIN:\$PATH" ;; esac
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_HOME="\${PULUMI_HOME:-$CACHE/pulumi-home}"
export ISTIO_CHARTS_DIR="$( [ -s "$CACHE/istio-charts-dir" ] && cat "$CACHE/istio-charts-dir" )"
export KUBECONFIG="\${KUBECONFIG:-$CACHE/local/kubeconfig}"
ENV
  mkdir -p "$CACHE/pulumi-home"
  log "wrote $CACHE/env.sh"
}

# verify [GROUP] : run each binary's version command
verify() {
  local rc=0 b out
  for g in pulumi kube istio tls yaml sdk; do
    { [ -z "${1:-}" ] || [ "$1" = "$g" ]; } || continue
    for b in $(bins_of "$g"); do
      if ! PATH="$BIN:$PATH" command -v "$b" >/dev/null; then printf '  %-28s MISSING\n' "$b" >&2; rc=1; continue; fi
      case "$b" in
        pulumi) out="$(PATH="$BIN:$PATH" pulumi version 2>&1)" ;;
        pulumi-language-nodejs|pulumi-resource-tls|pulumi-resource-random) out="$(PATH="$BIN:$PATH" "$b" -version 2>&1 </dev/null)" ;;
        pulumi-resource-pulumi-nodejs) # a script: it must be runnable and resolve the SDK's dynamic provider here
          out="$(cd "$REPO" && node -p "require.resolve('@pulumi/pulumi/cmd/dynamic-provider')" 2>&1)" \
            && [ -x "$(readlink -f "$(PATH="$BIN:$PATH" command -v "$b")")" ] && out="ok (dynamic provider: $out)" ;;
        pulumi-sdkgen) out="$(PATH="$BIN:$PATH" "$b" 2>&1 </dev/null | head -1)"; [[ "$out" == *usage:* ]] && out="ok ($(readlink -f "$BIN/$b"))" ;;
        pulumi-language-yaml) # no version flag either: it must start and print its gRPC port; the version is stamped
          out="$(PATH="$BIN:$PATH" timeout 5 "$b" </dev/null 2>&1 | head -1)"; [[ "$out" =~ ^[0-9]+$ ]] && out="ok (serves on port $out)" ;;
        pulumi-resource-kubernetes) # no version flag: it must at least start and print its gRPC port
          out="$(PATH="$BIN:$PATH" timeout 5 "$b" </dev/null 2>&1 | head -1)"; [[ "$out" =~ ^[0-9]+$ ]] && out="ok (serves on port $out)" ;;
        kube-apiserver|kube-controller-manager|kube-scheduler) out="$(PATH="$BIN:$PATH" "$b" --version 2>&1)" ;;
        kubectl) out="$(PATH="$BIN:$PATH" kubectl version --client 2>&1)" ;;
        etcd) out="$(PATH="$BIN:$PATH" etcd --version 2>&1)" ;;
        kwok) out="$(PATH="$BIN:$PATH" kwok --version 2>&1)" ;;
        istioctl) out="$(PATH="$BIN:$PATH" istioctl version --remote=false 2>&1)" ;;
        pilot-discovery) out="$(PATH="$BIN:$PATH" pilot-discovery version -s 2>/dev/null | tail -1)" ;;
        pilot-discovery-*) out="$(PATH="$BIN:$PATH" "$b" version -s 2>/dev/null | tail -1)"; [ "${out##*: }" = "${b#pilot-discovery-}" ] ;;
        meshxds) out="$(PATH="$BIN:$PATH" meshxds -h 2>&1 | head -1)"; [[ "$out" == Usage* ]] && out="ok ($(readlink -f "$BIN/meshxds"))" ;;
        helm) out="$(PATH="$BIN:$PATH" helm version --short 2>&1)" ;;
        pebble) out="$(PATH="$BIN:$PATH" pebble -version 2>&1)" ;;
        external-dns) out="$(PATH="$BIN:$PATH" external-dns --version 2>&1)" ;;
        cert-manager-controller) out="$(cm_version "$(PATH="$BIN:$PATH" command -v "$b")")"; [ -n "$out" ] ;;
        named) out="$(PATH="$BIN:$PATH" named -v 2>&1)" ;;
        named-checkconf|tsig-keygen|nsupdate|dig) out="$(PATH="$BIN:$PATH" command -v "$b")" ;;
      esac || { out="FAILED: $out"; rc=1; }
      out="${out%%$'\n'*}"
      printf '  %-28s %s\n' "$b" "$out" >&2
    done
  done
  [ -s "$CACHE/istio-charts-dir" ] && printf '  %-28s %s\n' "istio charts" "$(cat "$CACHE/istio-charts-dir")" >&2
  [ -s "$CACHE/istio-charts-$ISTIO_PREVIOUS_VERSION-dir" ] && printf '  %-28s %s\n' "istio charts $ISTIO_PREVIOUS_VERSION" "$(cat "$CACHE/istio-charts-$ISTIO_PREVIOUS_VERSION-dir")" >&2
  return "$rc"
}


if want kube; then
  on_path etcd >/dev/null || build_etcd
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    on_path "$b" >/dev/null || { build_kube; break; }
  done
  on_path kwok >/dev/null || build_kwok
  kwok_stages
fi
if want pulumi; then build_pulumi_all; fi
if want istio; then
  build_istio
  build_istio_previous   # the previous minor's istiod + charts, for canary-upgrade tests
  # helm only renders the charts in the e2e tests: a failed build is reported, not fatal
  on_path helm >/dev/null || ( build_helm ) || log "WARNING: helm $HELM_VERSION could not be built (see above)"
fi

if want tls; then build_tls_all; fi
if want yaml; then on_path pulumi-language-yaml >/dev/null || build_language_yaml; fi
if want sdk; then build_sdkgen; fi

write_env
verify "$ONLY" || die "some binaries are missing or failed to run (above); see docs/toolchain.md"
log "done: source $CACHE/env.sh"
