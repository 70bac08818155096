#!/usr/bin/env bash
# Proves the component package (plugin/) crosses languages: infers its schema (pulumi package get-schema), generates
# the Python and Go SDKs from it in a temp dir, and compiles them (python3 -m compileall; go build against the
# Pulumi Go SDK and the pulumi-kubernetes Go SDK, both from the Go module proxy). Nothing lands in the repo.
# Needs the toolchain's pulumi and sdk groups (built here when missing), node_modules, python3 and go.
# Usage: scripts/check-sdks.sh [--keep]   (--keep leaves the temp dir and prints its path)
# Run by test/e2e/sdks.e2e.test.ts; see docs/other-languages.md.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${ISTIO_MC_CACHE:-$HOME/.cache/istio-multicluster}"
KEEP=0; [ "${1:-}" = "--keep" ] && KEEP=1
log() { printf '[check-sdks] %s\n' "$*" >&2; }
die() { printf '[check-sdks] ERROR: %s\n' "$*" >&2; exit 1; }

bash "$REPO/scripts/toolchain.sh" --only pulumi >&2
bash "$REPO/scripts/toolchain.sh" --only sdk >&2
# shellcheck source=/dev/null
. "$CACHE/env.sh"
export PATH="/usr/local/go/bin:$PATH" GOFLAGS="${GOFLAGS:--buildvcs=false}"
command -v python3 >/dev/null || die "python3 not found"
command -v go >/dev/null || die "go not found"

TMP="$(mktemp -d)"
if [ "$KEEP" = 1 ]; then log "work dir: $TMP"; else trap 'rm -rf "$TMP"' EXIT; fi
t0=$(date +%s)

pulumi package get-schema "$REPO/plugin" > "$TMP/schema.json" 2> "$TMP/get-schema.log" \
  || { cat "$TMP/get-schema.log" >&2; die "pulumi package get-schema ./plugin failed"; }
K8S_VERSION="$(node -p 'require(process.argv[1]).version' "$REPO/node_modules/@pulumi/kubernetes/package.json")"
# the provider binary itself (a name@version would make the CLI download it)
K8S_PLUGIN="$(command -v pulumi-resource-kubernetes)" || die "pulumi-resource-kubernetes not found (toolchain pulumi group)"
pulumi package get-schema "$K8S_PLUGIN" > "$TMP/kubernetes.json" 2> "$TMP/get-schema-k8s.log" \
  || { cat "$TMP/get-schema-k8s.log" >&2; die "pulumi package get-schema $K8S_PLUGIN failed"; }
node -e '
  const s = require(process.argv[1]);
  const want = ["IstioMesh", "SharedRootCA", "MeshCluster", "EastWestGateway", "RemoteSecretLink"].map((c) => `istio-multicluster:index:${c}`);
  const missing = want.filter((t) => !s.resources?.[t]);
  if (missing.length) { console.error(`schema lacks ${missing.join(", ")}`); process.exit(1); }
  console.error(`[check-sdks] schema ${s.name} ${s.version}: ${Object.keys(s.resources).length} components, ${Object.keys(s.types ?? {}).length} types`);
' "$TMP/schema.json"
t1=$(date +%s); log "schema: $(( t1 - t0 )) s"

# Python
pulumi-sdkgen -schema "$TMP/schema.json" -dep "kubernetes=$TMP/kubernetes.json" -language python -out "$TMP/python"
python3 -m compileall -q "$TMP/python" >/dev/null || die "the generated Python SDK does not compile ($TMP/python)"
nfiles="$(find "$TMP/python" -name '*.py' | wc -l)"
[ "$nfiles" -gt 0 ] || die "no Python files generated"
t2=$(date +%s); log "python: $nfiles files compiled, $(( t2 - t1 )) s"

# Go: the generated package inside a throw-away module that requires the Pulumi and pulumi-kubernetes Go SDKs.
GOPKG=example.com/istio-multicluster-sdk/istiomulticluster
pulumi-sdkgen -schema "$TMP/schema.json" -dep "kubernetes=$TMP/kubernetes.json" -language go -go-import-base "$GOPKG" -out "$TMP/go"
PULUMI_VERSION="$(pulumi version)"
(
  cd "$TMP/go"
  go mod init example.com/istio-multicluster-sdk >/dev/null 2>&1
  go mod edit -require "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" -require "github.com/pulumi/pulumi-kubernetes/sdk/v4@v$K8S_VERSION"
  go mod tidy >/dev/null 2>"$TMP/go-tidy.log" || { cat "$TMP/go-tidy.log" >&2; exit 1; }
  go build ./... && go vet ./...
) || die "the generated Go SDK does not build ($TMP/go)"
ngo="$(find "$TMP/go" -name '*.go' | wc -l)"
t3=$(date +%s); log "go: $ngo files built and vetted, $(( t3 - t2 )) s"
log "OK: the Python and Go SDKs of the component package compile ($(( t3 - t0 )) s)"
