#!/usr/bin/env bash
# Stop the local control planes started by scripts/local/up.sh and delete their state
# (pids, logs, etcd data, certs, kubeconfig) under ${ISTIO_MC_CACHE:-~/.cache/istio-multicluster}/local.
# Usage: scripts/local/down.sh [--keep-state]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
hold_local_lock "$@"   # one run at a time on this machine's control planes
# the TLS frontend's host parts first (scripts/local/tlsParts.ts: bind9, Pebble, external-dns and cert-manager per
# cluster; pid files in $STATE/tls/run): SIGTERM to each live one of ours, SIGKILL what is left after 10s
tls_pids=""
for f in "$STATE"/tls/run/*.pid; do
  [ -e "$f" ] || continue; p="$(cat "$f")"
  if ! kill -0 "$p" 2>/dev/null || ! grep -qF "$STATE" "/proc/$p/cmdline" 2>/dev/null; then continue; fi
  kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true; tls_pids="$tls_pids $p"
done
for p in $tls_pids; do for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$p" 2>/dev/null || true; done
rm -f "$STATE"/tls/run/*.pid
# every cluster that was started (also ones a shrink left behind), all at once
# shellcheck disable=SC2046
stop_clusters $(cd "$STATE" 2>/dev/null && ls -d c[0-9] c[0-9][0-9] 2>/dev/null)
if [ "${1:-}" = "--keep-state" ]; then log "stopped (state kept in $STATE)"; else rm -rf "$STATE"; log "stopped, $STATE removed"; fi
