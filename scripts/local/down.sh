#!/usr/bin/env bash
# Stop the three local control planes started by scripts/local/up.sh and delete their state
# (pids, logs, etcd data, certs, kubeconfig) under ${ISTIO_MC_CACHE:-~/.cache/istio-multicluster}/local.
# Usage: scripts/local/down.sh [--keep-state]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# SIGTERM everything at once, give it 10s, then SIGKILL what is left
pids=""
for c in $CLUSTERS; do
  for x in $COMPONENTS; do
    is_running "$c" "$x" || continue
    pid="$(cat "$(pidfile "$c" "$x")")"; pids="$pids $pid"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
done
for i in $(seq 50); do
  alive=""; for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
  [ -z "$alive" ] && break; sleep 0.2
done
for p in $alive; do kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true; done
rm -f "$STATE"/c*/run/*.pid
if [ "${1:-}" = "--keep-state" ]; then log "stopped (state kept in $STATE)"; else rm -rf "$STATE"; log "stopped, $STATE removed"; fi
