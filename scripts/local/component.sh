#!/usr/bin/env bash
# Stop or (re)start one component of one local cluster, e.g. for fault-injection tests.
# Usage: scripts/local/component.sh stop|start|status <cN> <kube-apiserver|kube-controller-manager|kube-scheduler|kwok|lb>
#   stop: SIGTERM, SIGKILL after 2s (an API server's open watches otherwise hold a graceful shutdown ~10s).
#   start: for kube-apiserver, waits until /readyz answers. Everything else of the cluster keeps running meanwhile.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
usage="usage: $0 stop|start|status <cN> <kube-apiserver|kube-controller-manager|kube-scheduler|kwok|lb>"
action="${1:-}"; c="${2:-}"; name="${3:-}"
case "$c" in c[1-9]|c1[0-6]) ;; *) die "$usage" ;; esac
case "$name" in kube-apiserver|kube-controller-manager|kube-scheduler|kwok|lb) ;; *) die "$usage" ;; esac
[ -s "$STATE/$c/pki/ca.crt" ] || die "$c is not set up: run scripts/local/up.sh"
case "$action" in
  stop) stop_component "$c" "$name" 2; log "$c $name stopped" ;;
  start)
    use_toolchain; start_component "$c" "$name"
    if [ "$name" = kube-apiserver ]; then wait_apiserver "$c"; log "$c kube-apiserver ready"; else log "$c $name started"; fi ;;
  status) if is_running "$c" "$name"; then echo running; else echo stopped; exit 1; fi ;;
  *) die "$usage" ;;
esac
