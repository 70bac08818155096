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

# commit_of REPO_PATH SDK_MAJOR VERSION : commit of release vX.Y.Z (the provider/ sub-modules have no tags).
# Known release-tag commits first (read from the repositories' tags); otherwise the sdk/vX.Y.Z tag's commit
# from the proxy's .info (may be a later commit than the root release tag).
commit_of() {
  case "$1@$3" in
    pulumi-kubernetes@4.32.0) echo a03ff6ba58d2; return ;;
    pulumi-tls@5.5.1) echo c3b9a61e7075; return ;;
    pulumi-random@4.21.1) echo f2d8b029d0f7; return ;;
  esac
  local h; h="$(proxy_hash "github.com/pulumi/$1/sdk/$2" "v$3")"
  [ -n "$h" ] || die "cannot resolve the commit of github.com/pulumi/$1 v$3 via the module proxy"
  echo "$h"
}

# CLI + language host, built inside a copy of the pkg/v3 module (its replace directives make `go install` fail;
# its own go.sum vouches for the dependencies). The checksum DB here has no entry for pkg/v3 (404), so that one
# module is downloaded with GONOSUMDB (trusting the proxy); sdk/v3 and every dependency are still verified.
# The upstream nodejs language host is an untagged module the proxy here does not serve, so we build our own
# minimal host (scripts/toolchain/langhost-nodejs/main.go) in the same module copy.
build_pulumi() {
  local v="$PULUMI_VERSION" dir="$BUILD/pulumi-$PULUMI_VERSION" src
  if [ ! -x "$dir/bin/pulumi" ] || [ ! -x "$dir/bin/pulumi-language-nodejs" ] \
     || ! cmp -s "$REPO/scripts/toolchain/langhost-nodejs/main.go" "$dir/langhost.go"; then
    log "building pulumi $v + pulumi-language-nodejs"
    src="$(GONOSUMDB=github.com/pulumi/pulumi/pkg/v3 "$GO" mod download -json "github.com/pulumi/pulumi/pkg/v3@v$v" \
           | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
    [ -n "$src" ] || die "cannot download github.com/pulumi/pulumi/pkg/v3@v$v"
    mkdir -p "$dir/bin"; rm -rf "$dir/src"; cp -r "$src" "$dir/src"; chmod -R u+w "$dir/src"
    mkdir -p "$dir/src/cmd/pulumi-language-nodejs-local"
    cp "$REPO/scripts/toolchain/langhost-nodejs/main.go" "$dir/src/cmd/pulumi-language-nodejs-local/main.go"
    local ld="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$v"
    (cd "$dir/src" && "$GO" mod edit -dropreplace github.com/pulumi/pulumi/sdk/v3 -require "github.com/pulumi/pulumi/sdk/v3@v$v") \
      || die "pulumi module setup failed"
    if [ ! -x "$dir/bin/pulumi" ]; then
      (cd "$dir/src" && GOFLAGS="$GOFLAGS -mod=mod" timed "pulumi $v" "$GO" build -p "$GOPAR" -trimpath \
        -tags osusergo,grpcnotrace -ldflags "$ld" -o "$dir/bin/pulumi" ./cmd/pulumi) || die "build of pulumi failed"
    fi
    (cd "$dir/src" && GOFLAGS="$GOFLAGS -mod=mod" timed "pulumi-language-nodejs (local) $v" "$GO" build -p "$GOPAR" -trimpath \
      -tags osusergo,grpcnotrace -ldflags "$ld" -o "$dir/bin/pulumi-language-nodejs" ./cmd/pulumi-language-nodejs-local) \
      || die "build of pulumi-language-nodejs failed"
    cp "$REPO/scripts/toolchain/langhost-nodejs/main.go" "$dir/langhost.go"
    rm -rf "$dir/src"
  fi
  install_bin "$dir/bin/pulumi" pulumi
  install_bin "$dir/bin/pulumi-language-nodejs" pulumi-language-nodejs
}

# set_schema_version IN OUT VERSION : copy a schema json, setting its top-level "version"
set_schema_version() {
  node -e 'const fs=require("fs");const s=JSON.parse(fs.readFileSync(process.argv[1]));s.version=process.argv[3];fs.writeFileSync(process.argv[2],JSON.stringify(s))' "$1" "$2" "$3"
}

# pulumi-kubernetes: provider/v4 is untagged, and its go:embed'ed *-embed.json files are generated (gitignored),
# so build from a writable copy of the module with the files generated.
build_provider_kubernetes() {
  local v="$K8S_PROVIDER_VERSION" dir="$BUILD/pulumi-resource-kubernetes-$K8S_PROVIDER_VERSION"
  if [ ! -x "$dir/bin/pulumi-resource-kubernetes" ]; then
    log "building pulumi-resource-kubernetes $v"
    local h src; h="$(commit_of pulumi-kubernetes v4 "$v")"
    src="$(moddir "github.com/pulumi/pulumi-kubernetes/provider/v4@$h")" || die "no source for pulumi-resource-kubernetes $v"
    rm -rf "$dir"; mkdir -p "$dir/bin"; cp -r "$src" "$dir/src"; chmod -R u+w "$dir/src"
    local c="$dir/src/cmd/pulumi-resource-kubernetes"
    set_schema_version "$c/schema.json" "$c/schema-embed.json" "$v"
    node -e 'const fs=require("fs");fs.writeFileSync(process.argv[2],JSON.stringify(JSON.parse(fs.readFileSync(process.argv[1]))))' \
      "$c/terraform-mapping.json" "$c/terraform-mapping-embed.json"
    (cd "$dir/src" && "$GO" mod edit -dropreplace github.com/pulumi/pulumi-kubernetes/sdk/v4 \
      && GOFLAGS="$GOFLAGS -mod=mod" timed "pulumi-resource-kubernetes $v" "$GO" build -p "$GOPAR" -trimpath \
         -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$v" \
         -o "$dir/bin/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes) || die "build of pulumi-resource-kubernetes failed"
  fi
  install_bin "$dir/bin/pulumi-resource-kubernetes" pulumi-resource-kubernetes
}

# Bridged providers (tls, random): wrapper module replacing the provider module with a writable copy;
# the nested ./shim module is recreated from the pulumi repo's provider/shim sub-directory (same commit).
build_provider_bridged() {
  local name="$1" major="$2" v="$3"
  local dir="$BUILD/pulumi-resource-$name-$v" mod="github.com/pulumi/pulumi-$name/provider/$major"
  if [ ! -x "$dir/bin/pulumi-resource-$name" ]; then
    log "building pulumi-resource-$name $v"
    local h src; h="$(commit_of "pulumi-$name" "$major" "$v")"
    src="$(moddir "$mod@$h")" || die "no source for pulumi-resource-$name $v"
    rm -rf "$dir"; mkdir -p "$dir/bin"; cp -r "$src" "$dir/src"; chmod -R u+w "$dir/src"
    local c="$dir/src/cmd/pulumi-resource-$name"
    set_schema_version "$c/schema.json" "$c/schema-embed.json" "$v"
    # the shim: a nested module, excluded from the provider zip; fetch it as its own (pseudo-)module
    local shimsrc; shimsrc="$(moddir "github.com/pulumi/pulumi-$name/provider/shim@$h")" || die "no shim for pulumi-resource-$name"
    cp -r "$shimsrc" "$dir/src/shim"; chmod -R u+w "$dir/src/shim"
    (cd "$dir/src" && GOFLAGS="$GOFLAGS -mod=mod" timed "pulumi-resource-$name $v" "$GO" build -p "$GOPAR" -trimpath \
       -ldflags "-s -w -X $mod/pkg/version.Version=$v" -o "$dir/bin/pulumi-resource-$name" "./cmd/pulumi-resource-$name") \
      || die "build of pulumi-resource-$name failed"
  fi
  install_bin "$dir/bin/pulumi-resource-$name" "pulumi-resource-$name"
}

# The provider modules (provider/vN of pulumi-kubernetes, -tls, -random) are untagged; the public proxy serves their
# pseudo-versions, but a restricted mirror may not. A provider that cannot be built is reported, not fatal.
build_pulumi_all() {
  { on_path pulumi >/dev/null && on_path pulumi-language-nodejs >/dev/null; } || build_pulumi
  on_path pulumi-resource-kubernetes >/dev/null || ( build_provider_kubernetes ) \
    || log "WARNING: pulumi-resource-kubernetes $K8S_PROVIDER_VERSION could not be built (see above)"
  on_path pulumi-resource-tls >/dev/null || ( build_provider_bridged tls v5 "$TLS_PROVIDER_VERSION" ) \
    || log "WARNING: pulumi-resource-tls $TLS_PROVIDER_VERSION could not be built (see above)"
  on_path pulumi-resource-random >/dev/null || ( build_provider_bridged random v4 "$RANDOM_PROVIDER_VERSION" ) \
    || log "WARNING: pulumi-resource-random $RANDOM_PROVIDER_VERSION could not be built (see above)"
  return 0
}
