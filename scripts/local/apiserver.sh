#!/usr/bin/env bash
# Stop or (re)start one local cluster's kube-apiserver, e.g. for fault-injection tests.
# Usage: scripts/local/apiserver.sh stop|start|status <cN>   (scripts/local/component.sh for the other components)
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/component.sh" "${1:-}" "${2:-}" kube-apiserver
