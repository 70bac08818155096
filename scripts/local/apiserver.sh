#!/usr/bin/env bash
# Stop or (re)start one local cluster's kube-apiserver, e.g. for fault-injection tests.
# Usage: scripts/local/apiserver.sh stop|start|status <cN>
#   stop: SIGTERM, SIGKILL after 2s (open watches otherwise hold a graceful shutdown ~10s).
#   start waits until /readyz answers; everything else of the cluster keeps running meanwhile.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
action="${1:-}"; c="${2:-}"
case "$c" in c[1-9]) ;; *) die "usage: $0 stop|start|status <cN>" ;; esac
[ -s "$STATE/$c/pki/ca.crt" ] || die "$c is not set up: run scripts/local/up.sh"
case "$action" in
  stop) stop_component "$c" kube-apiserver 2; log "$c kube-apiserver stopped" ;;
  start) use_toolchain; start_component "$c" kube-apiserver; wait_apiserver "$c"; log "$c kube-apiserver ready" ;;
  status) if is_running "$c" kube-apiserver; then echo running; else echo stopped; exit 1; fi ;;
  *) die "usage: $0 stop|start|status <cN>" ;;
esac
