# pulumi-sdkgen (sourced by scripts/toolchain.sh): Pulumi's Python and Go SDK generators as one small command
# (scripts/toolchain/sdkgen/main.go), used by scripts/check-sdks.sh to prove the component package's generated
# SDKs compile. `pulumi package gen-sdk` would need the Python and Go language hosts, untagged modules the Go
# module proxy here refuses (403), so the generators are called directly. Built like the nodejs host: inside a
# copy of github.com/pulumi/pulumi/pkg/v3 at the CLI's version (its go.sum vouches for the dependencies), and
# named by its source's hash.
build_sdkgen() {
  local v="$PULUMI_VERSION" dir="$BUILD/pulumi-$PULUMI_VERSION"
  local name; name="pulumi-sdkgen-$(sha256sum < "$REPO/scripts/toolchain/sdkgen/main.go" | cut -c1-12)"
  if [ ! -x "$dir/bin/$name" ]; then
    log "building pulumi-sdkgen against pkg/v3 v$v"
    local src; src="$(GONOSUMDB=github.com/pulumi/pulumi/pkg/v3 moddir "github.com/pulumi/pulumi/pkg/v3@v$v")" \
      || die "cannot download github.com/pulumi/pulumi/pkg/v3@v$v"
    mkdir -p "$dir/bin"
    local work; work="$(mktemp -d "$dir/work.XXXXXX")"
    cp -r "$src" "$work/src"; chmod -R u+w "$work/src"
    mkdir -p "$work/src/cmd/pulumi-sdkgen-local"
    cp "$REPO/scripts/toolchain/sdkgen/main.go" "$work/src/cmd/pulumi-sdkgen-local/main.go"
    (cd "$work/src" && "$GO" mod edit -dropreplace github.com/pulumi/pulumi/sdk/v3 -require "github.com/pulumi/pulumi/sdk/v3@v$v" \
      && GOFLAGS="$GOFLAGS -mod=mod" timed "pulumi-sdkgen $v" "$GO" build -p "$GOPAR" -trimpath -tags osusergo,grpcnotrace \
         -ldflags "-s -w" -o "$work/$name" ./cmd/pulumi-sdkgen-local) \
      || { rm -rf "$work"; die "build of pulumi-sdkgen failed"; }
    mv -f "$work/$name" "$dir/bin/$name"; rm -rf "$work"
  fi
  install_bin "$dir/bin/$name" pulumi-sdkgen
}
