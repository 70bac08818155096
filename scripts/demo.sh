#!/usr/bin/env bash
# npm run demo [-- --yes] [-- --down] [-- --preview]
#
# The mesh, working, on this machine alone: no cloud, no Docker, no clusters of your own.
#   1. builds what is missing of the toolchain (Pulumi CLI and plugins, a Kubernetes control plane, istiod), after
#      saying how long that takes and, when run in a terminal, asking first (--yes: do not ask);
#   2. starts three local Kubernetes control planes with seed 000's nodes as kwok fake nodes (npm run local:up);
#   3. `pulumi up`s the `demo` stack, a copy of Pulumi.local.yaml (three clusters, three networks, the CC and DNS
#      scenarios; the copy, Pulumi.demo.yaml, is git-ignored, so the CLI's edits never touch the committed file; its
#      paths into ~/.cache/istio-multicluster point into $ISTIO_MC_CACHE),
#      into a Pulumi state kept under the toolchain cache, so your own Pulumi login is untouched;
#   4. starts one real istiod per cluster on this host, configured only from what Pulumi created, and runs the mesh
#      check against them (npm run mesh:check -- -s local --xds): every istiod reads both remote clusters, and each
#      sleep client's requests to helloworld2 are served the localities, priorities and weights the seed expects;
#   5. draws the mesh (npm run topology) and prints where the picture is.
# `npm run demo -- --down` tears it all down again: pulumi destroy, the host istiods, the control planes.
# `--preview` stops after steps 1-2 and a `pulumi preview` of the demo stack (CI runs it on an empty cache that reuses
# only the built binaries: .ci/fresh-cache).
# State: ${ISTIO_MC_CACHE:-~/.cache/istio-multicluster}/demo. Passphrase of the demo state: $PULUMI_CONFIG_PASSPHRASE,
# or "demo" (it is a throw-away stack on throw-away clusters).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
CACHE="${ISTIO_MC_CACHE:-$HOME/.cache/istio-multicluster}"
DEMO="$CACHE/demo"
STACK=demo
YES=0; DOWN=0; PREVIEW=0
for a in "$@"; do
  case "$a" in
    --yes|-y) YES=1 ;;
    --down) DOWN=1 ;;
    --preview) PREVIEW=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "demo: unknown argument $a (usage: npm run demo [-- --yes] [-- --down] [-- --preview])" >&2; exit 2 ;;
  esac
done
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
t0=$(date +%s)

[ -d node_modules ] || { step "npm ci (node_modules is missing)"; npm ci --no-audit --no-fund; }

pulumi_env() {
  # shellcheck disable=SC1091
  . "$CACHE/env.sh"
  mkdir -p "$DEMO/state"
  export PULUMI_BACKEND_URL="file://$DEMO/state"
  export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-demo}"
}

if [ "$DOWN" = 1 ]; then
  if [ -f "$CACHE/env.sh" ] && [ -d "$DEMO/state" ]; then
    pulumi_env
    if pulumi stack select "$STACK" >/dev/null 2>&1; then
      step "pulumi destroy -s $STACK"
      # The root CA of Pulumi.local.yaml is not protected (ca.protectRoot: false), so destroy removes everything.
      pulumi destroy -s "$STACK" --yes --skip-preview
      pulumi stack rm -s "$STACK" --yes --force >/dev/null
      rm -f "Pulumi.$STACK.yaml"
    fi
  fi
  step "host istiods and local control planes"
  npx ts-node --transpile-only scripts/local/istiod.ts stop || true
  bash scripts/local/down.sh
  rm -rf "$DEMO"
  echo "demo: torn down in $(( $(date +%s) - t0 )) s"
  exit 0
fi

step "1/5 toolchain"
groups=(pulumi kube istio)
missing=()
for g in "${groups[@]}"; do
  bash scripts/toolchain.sh --check --only "$g" >/dev/null 2>&1 || missing+=("$g")
done
if [ "${#missing[@]}" -gt 0 ]; then
  cat <<EOF
Missing: ${missing[*]} (see: bash scripts/toolchain.sh --check). They are built once from Go modules into $CACHE.
From empty caches that takes about 50 minutes on 2 cores and up to 4 GiB of memory (kube ≈ 18 min, istio ≈ 16 min,
pulumi ≈ 12 min, plus downloads; docs/toolchain.md); with a warm Go build cache about 2 minutes. Later runs: seconds.
EOF
  if [ "$YES" = 0 ] && [ -t 0 ]; then
    read -r -p "Build now? [Y/n] " answer
    case "${answer:-y}" in [yY]*) ;; *) echo "demo: nothing built; run again when you have the time"; exit 1 ;; esac
  fi
  for g in "${missing[@]}"; do bash scripts/toolchain.sh --only "$g"; done
else
  echo "all present in $CACHE"
fi

step "2/5 three local control planes (kwok fake nodes)"
bash scripts/local/up.sh --clusters 3

step "3/5 pulumi up -s $STACK"
pulumi_env
# The stack file's paths into the default cache (the charts link, the local clusters' kubeconfig) point into this
# run's cache instead, wherever ISTIO_MC_CACHE puts it.
[ -f "Pulumi.$STACK.yaml" ] || sed "s#~/.cache/istio-multicluster/#$CACHE/#g" Pulumi.local.yaml > "Pulumi.$STACK.yaml"
for f in "$CACHE/istio-charts/base/Chart.yaml" "$CACHE/local/kubeconfig"; do
  [ -f "$f" ] || { echo "demo: $f is missing (made by bash scripts/toolchain.sh --only istio and npm run local:up)" >&2; exit 1; }
done
pulumi stack select --create "$STACK" >/dev/null
if [ "$PREVIEW" = 1 ]; then
  pulumi preview -s "$STACK" --suppress-progress
  echo "demo: preview done in $(( $(date +%s) - t0 )) s (npm run demo -- --down removes the clusters)"
  exit 0
fi
t_up=$(date +%s)
pulumi up -s "$STACK" --yes --skip-preview --suppress-progress
echo "pulumi up: $(( $(date +%s) - t_up )) s"

step "4/5 one real istiod per cluster, and the mesh check"
npx ts-node --transpile-only scripts/local/istiod.ts start
npx ts-node --transpile-only scripts/mesh-check.ts --stack "$STACK" --xds

step "5/5 the picture"
picture="$DEMO/topology-$STACK.svg"
npx ts-node --transpile-only scripts/topology/cli.ts --stack "$STACK" --out "$picture"

cat <<EOF

The mesh is up ($(( $(date +%s) - t0 )) s).
  picture:      $picture
  look around:  . $CACHE/env.sh; export PULUMI_BACKEND_URL=file://$DEMO/state PULUMI_CONFIG_PASSPHRASE=$PULUMI_CONFIG_PASSPHRASE
                pulumi stack -s $STACK; kubectl --context c1-admin -n istio-system get secrets
                npm run mesh:xds -- --cluster cluster1 --locality region1/zone1 --service helloworld2.sample
  tear down:    npm run demo -- --down
EOF
