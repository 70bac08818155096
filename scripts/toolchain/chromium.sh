#!/usr/bin/env bash
# Prints the path of a headless-capable Chromium (the Debian package `chromium`), for the topology picture's
# visual test (test/scripts/topologyVisual.test.ts). Looks at $CHROMIUM, then `chromium` / `chromium-browser` on
# PATH, then ${CHROMIUM_FALLBACK:-/usr/bin/chromium}. When none is there it installs the Debian packages `chromium` and
# `fonts-liberation2` (Liberation Sans has Helvetica's metrics, which Graphviz lays the picture out with) with
# apt-get, through sudo when not root; it says so first.
#
# Usage: bash scripts/toolchain/chromium.sh          print the path, installing when missing
#        bash scripts/toolchain/chromium.sh --find   print the path, or exit 1 with the install command (installs nothing)
set -euo pipefail
PACKAGES=(chromium fonts-liberation2)
INSTALL_HINT="bash scripts/toolchain/chromium.sh (runs: apt-get install -y --no-install-recommends ${PACKAGES[*]})"

find_chromium() {
  local c
  for c in "${CHROMIUM:-}" "$(command -v chromium 2>/dev/null || true)" "$(command -v chromium-browser 2>/dev/null || true)" "${CHROMIUM_FALLBACK:-/usr/bin/chromium}"; do
    [ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return 0; }
  done
  return 1
}

has_helvetica_metrics() { command -v fc-match >/dev/null 2>&1 && fc-match Helvetica 2>/dev/null | grep -q 'Liberation Sans'; }

if [ "${1:-}" = "--find" ]; then
  if exe="$(find_chromium)"; then
    has_helvetica_metrics || echo "chromium.sh: no Liberation Sans font: labels are drawn wider than laid out (install fonts-liberation2)" >&2
    echo "$exe"; exit 0
  fi
  echo "chromium.sh: no Chromium found (\$CHROMIUM, chromium, chromium-browser, ${CHROMIUM_FALLBACK:-/usr/bin/chromium}): install it with: $INSTALL_HINT" >&2
  exit 1
fi

if exe="$(find_chromium)" && has_helvetica_metrics; then echo "$exe"; exit 0; fi
command -v apt-get >/dev/null 2>&1 || { echo "chromium.sh: no apt-get here: install Chromium and set CHROMIUM=/path/to/chromium" >&2; exit 1; }
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "chromium.sh: installing ${PACKAGES[*]} with apt-get (about 100 MB, a minute or two)" >&2
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >&2
find_chromium
