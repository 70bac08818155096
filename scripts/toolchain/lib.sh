# Shared helpers for scripts/toolchain.sh (sourced, not run).
# Expects: CACHE, BIN, BUILD set by the caller.

log() { printf '[toolchain] %s\n' "$*" >&2; }
die() { printf '[toolchain] ERROR: %s\n' "$*" >&2; exit 1; }

export GOFLAGS="${GOFLAGS:--buildvcs=false}"
export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"   # go lines above the local Go are fetched via the proxy (checksum-verified)
export CGO_ENABLED=0
GO="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
GOPAR="${GOPAR:-2}"                          # go build -p; the machine has 2 cores

# timed NAME CMD... : run CMD, append wall time + peak RSS (largest single process) to $CACHE/build-times.tsv
timed() {
  local name="$1"; shift
  local tf; tf="$(mktemp)"
  local rc=0
  /usr/bin/time -v -o "$tf" "$@" || rc=$?
  local wall rss
  wall="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tf")"
  rss="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tf")"
  printf '%s\t%s\t%s\t%s MiB\trc=%s\n' "$(date -u +%FT%TZ)" "$name" "$wall" "$(( ${rss:-0} / 1024 ))" "$rc" >> "$CACHE/build-times.tsv"
  log "$name: wall $wall, peak RSS $(( ${rss:-0} / 1024 )) MiB, rc=$rc"
  rm -f "$tf"
  return "$rc"
}

# install_bin SRC NAME : put a built binary into $BIN (symlink into the versioned build dir)
install_bin() { ln -sfn "$1" "$BIN/$2"; }

# moddir MODULE@VERSION : download a module and print its directory; on failure log the go command's reason
moddir() {
  local j; j="$("$GO" mod download -json "$1" 2>&1 || true)"
  local d; d="$(printf '%s\n' "$j" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [ -n "$d" ] && { echo "$d"; return 0; }
  log "cannot download $1: $(printf '%s\n' "$j" | sed -n 's/^\t"Error": "\(.*\)",\{0,1\}$/\1/p' | head -1)"
  return 1
}

# proxy_hash MODULE VERSION : the VCS commit the proxy recorded for a tagged version (.info Origin.Hash)
proxy_hash() {
  local proxy; proxy="$("$GO" env GOPROXY)"; proxy="${proxy%%[,|]*}"
  case "$proxy" in http*) ;; *) proxy=https://proxy.golang.org ;; esac
  curl -fsS "$proxy/$1/@v/$2.info" | sed -n 's/.*"Hash":"\([0-9a-f]\{40\}\)".*/\1/p'
}

# new_wrapper DIR MODULE_GO_LINE : fresh wrapper module in DIR
new_wrapper() {
  rm -rf "$1"; mkdir -p "$1"
  (cd "$1" && "$GO" mod init local/build >/dev/null 2>&1 && "$GO" mod edit -go="$2")
}
