#!/usr/bin/env bash
# Prints the path of an actionlint binary (github.com/rhysd/actionlint): an installed `actionlint` on PATH if
# there is one, else ~/.cache/istio-multicluster/bin/actionlint-<version>, built with `go install` through the Go
# module proxy when missing. Usage: bash scripts/toolchain/actionlint.sh [-- actionlint args] runs it as well.
set -euo pipefail
VERSION="${ACTIONLINT_VERSION:-v1.7.12}"   # the newest version the module proxy serves here
BIN="${HOME}/.cache/istio-multicluster/bin"
GO="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
export GOFLAGS="${GOFLAGS:--buildvcs=false}" CGO_ENABLED=0

if command -v actionlint >/dev/null 2>&1; then
  exe="$(command -v actionlint)"
else
  exe="$BIN/actionlint-$VERSION"
  if [ ! -x "$exe" ]; then
    [ -x "$GO" ] || { echo "actionlint.sh: no actionlint on PATH and no Go to build it (install Go 1.24+)" >&2; exit 1; }
    echo "actionlint.sh: building github.com/rhysd/actionlint $VERSION (about a minute)" >&2
    mkdir -p "$BIN"
    tmp="$(mktemp -d)"
    GOBIN="$tmp" "$GO" install -p 2 "github.com/rhysd/actionlint/cmd/actionlint@$VERSION"
    mv "$tmp/actionlint" "$exe"
    rmdir "$tmp"
  fi
fi
if [ "${1:-}" = "--" ]; then shift; exec "$exe" "$@"; fi
echo "$exe"
