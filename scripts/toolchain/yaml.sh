# pulumi-language-yaml (sourced by scripts/toolchain.sh). The Pulumi YAML language host, so that a YAML program
# (examples/yaml) can use this repo's component package; see docs/other-languages.md.
# github.com/pulumi/pulumi-yaml is tagged and its go.mod has no replace directives, but its pkg/v3 dependency has
# no entry in the checksum DB here (404, like the CLI's), so it is built inside a copy of the module: its own go.sum
# vouches for every dependency and the checksum DB is asked only about pulumi-yaml itself.
# An installed pulumi-language-yaml (on PATH, any version the CLI accepts) is used instead when there is one.
YAML_VERSION="${YAML_VERSION:-v1.25.0}"

build_language_yaml() {
  local dir="$BUILD/pulumi-language-yaml-$YAML_VERSION"
  if [ ! -x "$dir/bin/pulumi-language-yaml" ]; then
    log "building pulumi-language-yaml $YAML_VERSION (~4 min on 2 cores when the pulumi modules are already downloaded)"
    local src; src="$(moddir "github.com/pulumi/pulumi-yaml@$YAML_VERSION")" || die "cannot download github.com/pulumi/pulumi-yaml@$YAML_VERSION"
    # a private work dir, moved into place at the end: two toolchain runs at once must not share it
    mkdir -p "$dir/bin"
    local work; work="$(mktemp -d "$dir/work.XXXXXX")"
    cp -r "$src" "$work/src"; chmod -R u+w "$work/src"
    local ld="-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=${YAML_VERSION#v}"
    # module downloads first, so that the timed build measures only the compile
    (cd "$work/src" && GONOSUMDB=github.com/pulumi/pulumi/pkg/v3 "$GO" list -deps ./cmd/pulumi-language-yaml >/dev/null) \
      || { rm -rf "$work"; die "cannot download pulumi-language-yaml's dependencies"; }
    (cd "$work/src" && timed "pulumi-language-yaml $YAML_VERSION" "$GO" build -p "$GOPAR" -trimpath -tags osusergo,grpcnotrace \
        -ldflags "$ld" -o "$work/pulumi-language-yaml" ./cmd/pulumi-language-yaml) \
      || { rm -rf "$work"; die "build of pulumi-language-yaml failed"; }
    mv -f "$work/pulumi-language-yaml" "$dir/bin/pulumi-language-yaml"; rm -rf "$work"
  fi
  install_bin "$dir/bin/pulumi-language-yaml" pulumi-language-yaml
}
