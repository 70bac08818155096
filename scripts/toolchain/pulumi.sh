# Pulumi CLI, nodejs language host and resource providers (sourced by scripts/toolchain.sh).
# Versions come from node_modules/@pulumi/*/package.json so the engine, SDK and plugins agree.

pkgver() { node -p "require(process.argv[1]).version" "$REPO/node_modules/@pulumi/$1/package.json" 2>/dev/null; }

pulumi_versions() {
  if [ ! -f "$REPO/node_modules/@pulumi/pulumi/package.json" ]; then
    log "node_modules missing: running npm ci"; (cd "$REPO" && npm ci --no-audit --no-fund >&2)
  fi
  PULUMI_VERSION="$(pkgver pulumi)"; K8S_PROVIDER_VERSION="$(pkgver kubernetes)"
  TLS_PROVIDER_VERSION="$(pkgver tls)"; RANDOM_PROVIDER_VERSION="$(pkgver random)"
  [ -n "$PULUMI_VERSION" ] && [ -n "$K8S_PROVIDER_VERSION" ] && [ -n "$TLS_PROVIDER_VERSION" ] && [ -n "$RANDOM_PROVIDER_VERSION" ] \
    || die "cannot read @pulumi/{pulumi,kubernetes,tls,random} versions from node_modules"
}

# Module versions of the provider/vN sub-modules (untagged upstream) for the SDK versions we pin.
# pulumi-kubernetes v4.25.0 is commit f47bc2d6f199, which the module proxy serves as this pseudo-version.
k8s_provider_module_version() {
  case "$1" in
    4.25.0) echo v4.0.0-20260115033456-f47bc2d6f199 ;;
    *) die "no known module version of github.com/pulumi/pulumi-kubernetes/provider/v4 for $1 (pin @pulumi/kubernetes 4.25.0, or install the plugin: pulumi plugin install resource kubernetes $1)" ;;
  esac
}

# Release source trees of the bridged providers (tls, random): the module proxy refuses their provider modules,
# so they are built from upstream release tarballs. ISTIO_MC_PROVIDER_SRC names the directory holding
# pulumi-<name>-<version>-src.tar.gz (default: ../shared/vendor beside the repo).
PROVIDER_SRC_DIR="${ISTIO_MC_PROVIDER_SRC:-$REPO/../shared/vendor}"
# Their go.mod pins pulumi-terraform-bridge v3.119.0, which the proxy does not serve; v3.120.0 is served and builds.
BRIDGE_VERSION="${BRIDGE_VERSION:-v3.120.0}"

# CLI + language host, built inside a copy of the pkg/v3 module (its replace directives make `go install` fail;
# its own go.sum vouches for the dependencies). The checksum DB here has no entry for pkg/v3 (404), so that one
# module is downloaded with GONOSUMDB (trusting the proxy); sdk/v3 and every dependency are still verified.
# The upstream nodejs language host is an untagged module the proxy here does not serve, so we build our own
# minimal host (scripts/toolchain/langhost-nodejs/main.go) in the same module copy.
build_pulumi() {
  local v="$PULUMI_VERSION" dir="$BUILD/pulumi-$PULUMI_VERSION" src
  # The host binary is named by its source's hash (like meshxds): worktrees with different host sources sharing
  # one cache each keep their own build instead of rebuilding over each other's.
  local lh; lh="pulumi-language-nodejs-$(sha256sum < "$REPO/scripts/toolchain/langhost-nodejs/main.go" | cut -c1-12)"
  if [ ! -x "$dir/bin/pulumi" ] || [ ! -x "$dir/bin/$lh" ]; then
    log "building pulumi $v + pulumi-language-nodejs"
    src="$(GONOSUMDB=github.com/pulumi/pulumi/pkg/v3 "$GO" mod download -json "github.com/pulumi/pulumi/pkg/v3@v$v" \
           | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
    [ -n "$src" ] || die "cannot download github.com/pulumi/pulumi/pkg/v3@v$v"
    mkdir -p "$dir/bin"
    local work; work="$(mktemp -d "$dir/work.XXXXXX")"
    cp -r "$src" "$work/src"; chmod -R u+w "$work/src"
    mkdir -p "$work/src/cmd/pulumi-language-nodejs-local"
    cp "$REPO/scripts/toolchain/langhost-nodejs/main.go" "$work/src/cmd/pulumi-language-nodejs-local/main.go"
    local ld="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$v"
    (cd "$work/src" && "$GO" mod edit -dropreplace github.com/pulumi/pulumi/sdk/v3 -require "github.com/pulumi/pulumi/sdk/v3@v$v") \
      || { rm -rf "$work"; die "pulumi module setup failed"; }
    if [ ! -x "$dir/bin/pulumi" ]; then
      (cd "$work/src" && GOFLAGS="$GOFLAGS -mod=mod" timed "pulumi $v" "$GO" build -p "$GOPAR" -trimpath \
        -tags osusergo,grpcnotrace -ldflags "$ld" -o "$work/pulumi" ./cmd/pulumi) || { rm -rf "$work"; die "build of pulumi failed"; }
      mv -f "$work/pulumi" "$dir/bin/pulumi"
    fi
    (cd "$work/src" && GOFLAGS="$GOFLAGS -mod=mod" timed "pulumi-language-nodejs (local) $v" "$GO" build -p "$GOPAR" -trimpath \
      -tags osusergo,grpcnotrace -ldflags "$ld" -o "$work/$lh" ./cmd/pulumi-language-nodejs-local) \
      || { rm -rf "$work"; die "build of pulumi-language-nodejs failed"; }
    mv -f "$work/$lh" "$dir/bin/$lh"; rm -rf "$work"
  fi
  install_bin "$dir/bin/pulumi" pulumi
  install_bin "$dir/bin/$lh" pulumi-language-nodejs
}

# set_schema_version IN OUT VERSION : copy a schema json, setting its top-level "version"
set_schema_version() {
  node -e 'const fs=require("fs");const s=JSON.parse(fs.readFileSync(process.argv[1]));s.version=process.argv[3];fs.writeFileSync(process.argv[2],JSON.stringify(s))' "$1" "$2" "$3"
}

# plugin_dir NAME VERSION : a plugin installed by `pulumi plugin install` (the user's normal install)
plugin_dir() {
  local d
  for d in "${PULUMI_HOME:-$HOME/.pulumi}" "$HOME/.pulumi"; do
    [ -x "$d/plugins/resource-$1-v$2/pulumi-resource-$1" ] && { echo "$d/plugins/resource-$1-v$2"; return 0; }
  done
  return 1
}

# plugin_has_version BINARY VERSION : the bridged providers answer -version; the kubernetes provider has no such
# flag (it would start serving), so its version is looked for in the binary's stamped strings.
plugin_has_version() {
  local out; out="$(timeout 10 "$1" -version 2>&1 </dev/null)" || true
  case "$out" in
    *"flag provided but not defined"*|"") grep -aq -- "$2" "$1" ;;
    *) printf '%s\n' "$out" | grep -q -- "$2" ;;
  esac
}

# provider_ok NAME VERSION : a pulumi-resource-NAME of exactly VERSION on PATH or installed as a plugin
# (linked into $BIN so that the engine finds it without plugin acquisition)
provider_ok() {
  local p d
  if p="$(on_path "pulumi-resource-$1")" && plugin_has_version "$p" "$2"; then
    install_bin "$p" "pulumi-resource-$1"; return 0
  fi
  if d="$(plugin_dir "$1" "$2")"; then install_bin "$d/pulumi-resource-$1" "pulumi-resource-$1"; return 0; fi
  return 1
}

# plugin_install NAME VERSION : the ordinary install, `pulumi plugin install resource NAME VERSION` from the Pulumi
# plugin registry, into the user's plugin directory (${PULUMI_HOME:-~/.pulumi}/plugins), then linked into $BIN.
# Tried before any build; where the registry cannot be reached it fails within ISTIO_MC_PLUGIN_INSTALL_TIMEOUT
# seconds (default 120) and PLUGIN_INSTALL_ERROR says why. ISTIO_MC_PLUGIN_INSTALL=0 skips it (offline machines).
PLUGIN_INSTALL_ERROR=""
plugin_install() {
  local cli out d
  if [ "${ISTIO_MC_PLUGIN_INSTALL:-1}" = 0 ]; then PLUGIN_INSTALL_ERROR="skipped (ISTIO_MC_PLUGIN_INSTALL=0)"; return 1; fi
  cli="$(PATH="$BIN:$PATH" command -v pulumi)" || { PLUGIN_INSTALL_ERROR="no pulumi CLI"; return 1; }
  log "trying the ordinary install: pulumi plugin install resource $1 $2"
  if out="$(PULUMI_SKIP_UPDATE_CHECK=true timeout "${ISTIO_MC_PLUGIN_INSTALL_TIMEOUT:-120}" "$cli" plugin install resource "$1" "$2" 2>&1 </dev/null)" \
     && d="$(plugin_dir "$1" "$2")"; then
    log "installed pulumi-resource-$1 $2 into $d"
    install_bin "$d/pulumi-resource-$1" "pulumi-resource-$1"; return 0
  fi
  # The CLI retries and ends on "failed all 5 attempts": the line naming the cause (DNS, refused, HTTP status) says more.
  PLUGIN_INSTALL_ERROR="$(printf '%s\n' "$out" | grep -E 'no such host|dial tcp|refused|timeout|timed out|HTTP|[0-9]{3} [A-Z]' | tail -1 | cut -c1-300)"
  [ -n "$PLUGIN_INSTALL_ERROR" ] || PLUGIN_INSTALL_ERROR="$(printf '%s\n' "$out" | grep -v '^\s*$' | tail -1 | cut -c1-300)"
  [ -n "$PLUGIN_INSTALL_ERROR" ] || PLUGIN_INSTALL_ERROR="no answer within ${ISTIO_MC_PLUGIN_INSTALL_TIMEOUT:-120} s"
  log "pulumi plugin install resource $1 $2 failed: $PLUGIN_INSTALL_ERROR; building it instead"
  return 1
}

# pulumi-kubernetes: provider/v4 is untagged, and its go:embed'ed *-embed.json files are generated (gitignored),
# so build from a writable copy of the module with the files generated.
build_provider_kubernetes() {
  local v="$K8S_PROVIDER_VERSION" dir="$BUILD/pulumi-resource-kubernetes-$K8S_PROVIDER_VERSION"
  if [ ! -x "$dir/bin/pulumi-resource-kubernetes" ]; then
    log "building pulumi-resource-kubernetes $v (~13 min, ~4.6 GB RAM on 2 cores)"
    local mv src; mv="$(k8s_provider_module_version "$v")"
    src="$(moddir "github.com/pulumi/pulumi-kubernetes/provider/v4@$mv")" || die "no source for pulumi-resource-kubernetes $v"
    rm -rf "$dir"; mkdir -p "$dir/bin"; cp -r "$src" "$dir/src"; chmod -R u+w "$dir/src"
    local c="$dir/src/cmd/pulumi-resource-kubernetes"
    set_schema_version "$c/schema.json" "$c/schema-embed.json" "$v"
    node -e 'const fs=require("fs");fs.writeFileSync(process.argv[2],JSON.stringify(JSON.parse(fs.readFileSync(process.argv[1]))))' \
      "$c/terraform-mapping.json" "$c/terraform-mapping-embed.json"
    (cd "$dir/src" && "$GO" mod edit -dropreplace github.com/pulumi/pulumi-kubernetes/sdk/v4 \
      && GOFLAGS="$GOFLAGS -mod=mod" timed "pulumi-resource-kubernetes $v" "$GO" build -p "$GOPAR" -trimpath \
         -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$v" \
         -o "$dir/bin/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes) || die "build of pulumi-resource-kubernetes failed"
    rm -rf "$dir/src"
  fi
  install_bin "$dir/bin/pulumi-resource-kubernetes" pulumi-resource-kubernetes
}

# Bridged providers (tls, random), from the upstream release tree: untar, raise the bridge to $BRIDGE_VERSION,
# generate schema-embed.json with the version, build with -mod=mod (the nested ./shim module is in the tree).
build_provider_bridged() {
  local name="$1" major="$2" v="$3"
  local dir="$BUILD/pulumi-resource-$name-$v" mod="github.com/pulumi/pulumi-$name/provider/$major"
  local tgz="$PROVIDER_SRC_DIR/pulumi-$name-$v-src.tar.gz"
  if [ ! -x "$dir/bin/pulumi-resource-$name" ]; then
    [ -f "$tgz" ] || die "pulumi-resource-$name $v is missing, and neither way to get it worked here:
  1. the ordinary install, \`pulumi plugin install resource $name $v\` (needs the Pulumi plugin registry): ${PLUGIN_INSTALL_ERROR:-not tried};
  2. a build from the upstream release tree: $tgz not found. Put pulumi-$name-$v-src.tar.gz (github.com/pulumi/pulumi-$name
     at tag v$v, its provider/ directory) in a directory and set ISTIO_MC_PROVIDER_SRC to it.
  Either one is enough; then run this again."
    log "building pulumi-resource-$name $v from $tgz"
    rm -rf "$dir"; mkdir -p "$dir/bin" "$dir/src"
    tar xzf "$tgz" -C "$dir/src" --strip-components=1 || die "cannot unpack $tgz"
    local p="$dir/src/provider" c="$dir/src/provider/cmd/pulumi-resource-$name"
    set_schema_version "$c/schema.json" "$c/schema-embed.json" "$v"
    (cd "$p" && "$GO" mod edit -require "github.com/pulumi/pulumi-terraform-bridge/v3@$BRIDGE_VERSION" \
      && GOFLAGS="$GOFLAGS -mod=mod" timed "pulumi-resource-$name $v" "$GO" build -p "$GOPAR" -trimpath \
         -ldflags "-s -w -X $mod/pkg/version.Version=$v" -o "$dir/bin/pulumi-resource-$name" "./cmd/pulumi-resource-$name") \
      || die "build of pulumi-resource-$name failed"
    rm -rf "$dir/src"
  fi
  install_bin "$dir/bin/pulumi-resource-$name" "pulumi-resource-$name"
}

# pulumi-resource-pulumi-nodejs: the plugin the engine starts for Node.js dynamic resources (SharedRootCA's
# RootCAIdentityGuard). A CLI release ships it beside the pulumi binary; it is a small shell script from the SDK
# module (sdk/v3, nodejs/dist), which resolves @pulumi/pulumi's dynamic-provider from the program's node_modules.
install_dynamic_provider_plugin() {
  local name=pulumi-resource-pulumi-nodejs dir="$BUILD/pulumi-$PULUMI_VERSION" src
  if [ ! -x "$dir/bin/$name" ]; then
    src="$(moddir "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION")" || die "cannot download github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
    [ -f "$src/nodejs/dist/$name" ] || die "$name not found in github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION (nodejs/dist)"
    mkdir -p "$dir/bin"; install -m 0755 "$src/nodejs/dist/$name" "$dir/bin/$name"
  fi
  install_bin "$dir/bin/$name" "$name"
}

# Every plugin is required: a missing one fails the toolchain run (the e2e suites need all of them).
build_pulumi_all() {
  { on_path pulumi >/dev/null && on_path pulumi-language-nodejs >/dev/null; } || build_pulumi
  on_path pulumi-resource-pulumi-nodejs >/dev/null || install_dynamic_provider_plugin
  # Each provider: the user's (PATH or installed plugin), else our earlier build, else the ordinary install, else a build.
  provider_ok kubernetes "$K8S_PROVIDER_VERSION" || provider_built kubernetes "$K8S_PROVIDER_VERSION" \
    || plugin_install kubernetes "$K8S_PROVIDER_VERSION" || build_provider_kubernetes
  provider_ok tls "$TLS_PROVIDER_VERSION" || provider_built tls "$TLS_PROVIDER_VERSION" \
    || plugin_install tls "$TLS_PROVIDER_VERSION" || build_provider_bridged tls v5 "$TLS_PROVIDER_VERSION"
  provider_ok random "$RANDOM_PROVIDER_VERSION" || provider_built random "$RANDOM_PROVIDER_VERSION" \
    || plugin_install random "$RANDOM_PROVIDER_VERSION" || build_provider_bridged random v4 "$RANDOM_PROVIDER_VERSION"
}

# provider_built NAME VERSION : a build of ours in the cache (linked into $BIN), so that no install is tried again
provider_built() {
  local b="$BUILD/pulumi-resource-$1-$2/bin/pulumi-resource-$1"
  [ -x "$b" ] || return 1
  install_bin "$b" "pulumi-resource-$1"
}
