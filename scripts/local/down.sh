#!/usr/bin/env bash
# Stop the three local control planes started by scripts/local/up.sh and delete their state
# (pids, logs, etcd data, certs, kubeconfig) under ${ISTIO_MC_CACHE:-~/.cache/istio-multicluster}/local.
# Usage: scripts/local/down.sh [--keep-state]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for c in $CLUSTERS; do
  for x in lb kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do stop_component "$c" "$x"; done
done
if [ "${1:-}" = "--keep-state" ]; then log "stopped (state kept in $STATE)"; else rm -rf "$STATE"; log "stopped, $STATE removed"; fi
