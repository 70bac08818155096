#!/usr/bin/env bash
# scripts/local/exclusive.sh COMMAND [ARG...]
#
# Runs COMMAND while holding this machine's lock on the local control planes. They live at fixed addresses
# (127.0.N.1) and one state directory, so two runs at once (a CI run beside a developer's `npm run test:e2e`, the
# demo beside the benchmark) would apply to, reset and tear down each other's clusters. Everything that starts,
# changes or stops them goes through here: npm run test:e2e, bench:e2e and demo, .ci/run, and up.sh and down.sh
# themselves (they re-run under it when called on their own).
#
# A second run waits for the first, saying who holds the lock, for ISTIO_MC_LOCK_WAIT seconds (default 1800), then
# fails naming the holder. Nested calls (a locked run that calls another locked script) run straight through.
# Only this shell holds the lock's file descriptor: COMMAND and everything it starts (etcd, kube-apiserver, host
# istiods) run with it closed, so a control plane left running never keeps the lock.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ $# -gt 0 ] || die "usage: exclusive.sh COMMAND [ARG...]"

if [ "${ISTIO_MC_LOCAL_LOCK:-}" = held ]; then exec "$@"; fi

mkdir -p "$CACHE"
LOCK="$CACHE/local.lock"
OWNER="$CACHE/local.owner"
wait_s="${ISTIO_MC_LOCK_WAIT:-1800}"
case "$wait_s" in '' | *[!0-9]*) die "ISTIO_MC_LOCK_WAIT must be a whole number of seconds (got '$wait_s')" ;; esac

holder() { if [ -s "$OWNER" ]; then cat "$OWNER"; else echo 'holder unknown'; fi; }

exec 9>>"$LOCK"
if ! flock -n 9; then
  log "the local control planes are in use by another run ($(holder));" \
    "waiting up to ${wait_s}s for it to finish (ISTIO_MC_LOCK_WAIT)"
  flock -w "$wait_s" 9 ||
    die "still in use after ${wait_s}s by: $(holder). Wait for it, or stop it."
  log "lock acquired"
fi
printf 'pid %s, since %s, in %s: %s\n' "$$" "$(date -u +%FT%TZ)" "$PWD" "$*" > "$OWNER"

export ISTIO_MC_LOCAL_LOCK=held
# in the foreground, so COMMAND keeps the terminal (the demo asks before building) and gets Ctrl-C itself
rc=0
"$@" 9>&- || rc=$?
: > "$OWNER"
exit "$rc"
