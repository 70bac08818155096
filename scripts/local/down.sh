#!/usr/bin/env bash
# Stop the local control planes started by scripts/local/up.sh and delete their state
# (pids, logs, etcd data, certs, kubeconfig) under ${ISTIO_MC_CACHE:-~/.cache/istio-multicluster}/local.
# Usage: scripts/local/down.sh [--keep-state]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hold_local_lock "$@"   # one run at a time on this machine's control planes
# every cluster that was started (also ones a shrink left behind), all at once
# shellcheck disable=SC2046
stop_clusters $(cd "$STATE" 2>/dev/null && ls -d c[0-9] c[0-9][0-9] 2>/dev/null)
if [ "${1:-}" = "--keep-state" ]; then log "stopped (state kept in $STATE)"; else rm -rf "$STATE"; log "stopped, $STATE removed"; fi
