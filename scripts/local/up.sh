#!/usr/bin/env bash
# Start local Kubernetes control planes c1..cN with kwok fake nodes (N = 3 unless told; at most 16).
#   c1 https://127.0.1.1:6443 (nodes c1n1..c1n3), c2 https://127.0.2.1:6443 (c2n1..c2n5), c3 https://127.0.3.1:6443
#   (c3n1..c3n3): seed 000's three clusters; c4.. https://127.0.N.1:6443 with nodes cNn1..cNn3.
# Each: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok, and a LoadBalancer address loop.
# Usage: scripts/local/up.sh [--clusters N]
#   Idempotent: running components are left alone, dead ones restarted. Without --clusters the running set keeps
#   its size (3 the first time). A larger N adds clusters; a smaller N stops cN+1.. and deletes their state.
# Needs: scripts/toolchain.sh --only kube   State: ${ISTIO_MC_CACHE:-~/.cache/istio-multicluster}/local
# Prints the merged kubeconfig path (contexts c1-admin..cN-admin). Stop with scripts/local/down.sh.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hold_local_lock "$@"   # one run at a time on this machine's control planes
want="${LOCAL_CLUSTERS:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --clusters) want="${2:-}"; shift 2 ;;
    --clusters=*) want="${1#*=}"; shift ;;
    *) die "unknown argument $1 (usage: up.sh [--clusters N])" ;;
  esac
done
want="${want:-$(started_count)}"
case "$want" in [1-9]|1[0-6]) ;; *) die "--clusters must be a whole number from 1 to $MAX_CLUSTERS (got '$want')" ;; esac
use_toolchain
t0=$(date +%s.%N)
LAYOUT=2   # bump when addresses/flags change incompatibly with existing certs or etcd data
if [ -d "$STATE/c1" ] && [ "$(cat "$STATE/layout" 2>/dev/null)" != "$LAYOUT" ]; then
  die "$STATE was made by an older version of these scripts: run scripts/local/down.sh, then up.sh again"
fi
mkdir -p "$STATE"; echo "$LAYOUT" > "$STATE/layout"

# shrink: stop the clusters beyond N and delete their state
extra=""
for d in "$STATE"/c[0-9] "$STATE"/c[0-9][0-9]; do
  [ -d "$d" ] || continue; n="${d##*/c}"; [ "$n" -gt "$want" ] && extra="$extra c$n"
done
if [ -n "$extra" ]; then
  # shellcheck disable=SC2086
  stop_clusters $extra
  for c in $extra; do rm -rf "${STATE:?}/$c"; done
  log "removed$extra"
fi
echo "$want" > "$STATE/clusters"
CLUSTERS="$(cluster_list "$want")"

all_running=1
for c in $CLUSTERS; do for x in $COMPONENTS; do is_running "$c" "$x" || all_running=0; done; done

# preflight: every port we are about to bind must be free (before anything is started)
busy=""
for c in $CLUSTERS; do for x in $COMPONENTS; do
  is_running "$c" "$x" && continue
  for p in $(port_of "$x") $([ "$x" = etcd ] && port_of etcd-peer); do
    port_busy "$(ip_of "$c")" "$p" && busy="$busy $(ip_of "$c"):$p($c $x)"
  done
done; done
[ -z "$busy" ] || die "already in use by other processes:$busy -- free them (or scripts/local/down.sh if they are ours)"

for c in $CLUSTERS; do gen_pki "$c"; done
gen_kubeconfigs

# etcd first (all three), then the API servers, then the rest
for c in $CLUSTERS; do start_component "$c" etcd; done
for c in $CLUSTERS; do start_component "$c" kube-apiserver; done
for c in $CLUSTERS; do wait_apiserver "$c"; done
for c in $CLUSTERS; do
  for x in kube-controller-manager kube-scheduler kwok lb; do start_component "$c" "$x"; done
done

KUBE_VERSION="$(kc c1 version -o json | sed -n 's/.*"gitVersion": "\(v[^"]*\)".*/\1/p' | tail -1)"
# fake nodes (no topology labels: the Pulumi program sets region/zone)
node_yaml() {
  cat <<YAML
apiVersion: v1
kind: Node
metadata:
  name: $1
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: $1
    kubernetes.io/os: linux
    type: kwok
status:
  allocatable: {cpu: "32", memory: 64Gi, pods: "110", ephemeral-storage: 200Gi}
  capacity: {cpu: "32", memory: 64Gi, pods: "110", ephemeral-storage: 200Gi}
  nodeInfo: {architecture: amd64, operatingSystem: linux, kubeletVersion: $KUBE_VERSION}
---
YAML
}
for c in $CLUSTERS; do
  for n in $(nodes_of "$c"); do
    kc "$c" get node "$n" >/dev/null 2>&1 || node_yaml "$n"
  done | { y="$(cat)"; [ -z "$y" ] || printf '%s\n' "$y" | kc "$c" create -f - >/dev/null; }
done

# wait for Ready nodes and the default ServiceAccount (created by the controller manager)
for c in $CLUSTERS; do
  want="$(nodes_of "$c" | wc -w)"
  for i in $(seq 120); do
    ready="$(kc "$c" get nodes --no-headers 2>/dev/null | awk '$2=="Ready"' | wc -l)"
    [ "$ready" -ge "$want" ] && kc "$c" -n default get sa default >/dev/null 2>&1 && break
    [ "$i" = 120 ] && die "$c: only $ready/$want nodes Ready after 60s; see $STATE/$c/logs/"
    sleep 0.5
  done
done

if [ "$all_running" = 1 ]; then log "already running"; else
  log "up in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')s"; fi
for c in $CLUSTERS; do log "$c-admin https://$(ip_of "$c"):6443 nodes: $(kc "$c" get nodes --no-headers | awk '$2=="Ready"' | wc -l) Ready"; done
echo "$KUBECONFIG_OUT"
