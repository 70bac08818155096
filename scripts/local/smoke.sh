#!/usr/bin/env bash
# Smoke test of the local clusters started by scripts/local/up.sh (leaves a namespace "smoke" behind in c2, c3).
# Checks: c2 has 5 Ready nodes; a Deployment with a zone nodeSelector rolls out after labeling; a
# service-account-token Secret gets token + ca.crt; that token works against its own cluster's URL only;
# a LoadBalancer Service gets an address from the pool.
# Usage: scripts/local/smoke.sh        (exit 0 = all passed)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
use_toolchain
ok() { printf 'ok   %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*"; exit 1; }

n="$(kc c2 get nodes --no-headers | awk '$2=="Ready"' | wc -l)"
[ "$n" = 5 ] && ok "c2 has 5 Ready nodes" || fail "c2 has $n Ready nodes"

kc c2 create ns smoke --dry-run=client -o yaml | kc c2 apply -f - >/dev/null
kc c2 label node c2n4 c2n5 topology.kubernetes.io/zone=smoke-z --overwrite >/dev/null
kc c2 -n smoke apply -f - >/dev/null <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: zoned}
spec:
  replicas: 3
  selector: {matchLabels: {app: zoned}}
  template:
    metadata: {labels: {app: zoned}}
    spec:
      nodeSelector: {topology.kubernetes.io/zone: smoke-z}
      containers: [{name: c, image: example.invalid/none, resources: {requests: {cpu: 500m, memory: 512Mi}}}]
YAML
kc c2 -n smoke rollout status deploy/zoned --timeout=60s >/dev/null || fail "zoned Deployment did not roll out"
bad="$(kc c2 -n smoke get pods -l app=zoned -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | grep -vxE 'c2n4|c2n5' || true)"
[ -z "$bad" ] && ok "zone-selected Deployment rolled out on c2n4/c2n5 only" || fail "pods on $bad"
kc c2 label node c2n4 c2n5 topology.kubernetes.io/zone- >/dev/null

kc c3 create ns smoke --dry-run=client -o yaml | kc c3 apply -f - >/dev/null
kc c3 -n smoke create sa reader --dry-run=client -o yaml | kc c3 apply -f - >/dev/null
kc c3 -n smoke apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Secret
metadata: {name: reader-token, annotations: {kubernetes.io/service-account.name: reader}}
type: kubernetes.io/service-account-token
YAML
token=""
for i in $(seq 40); do
  token="$(kc c3 -n smoke get secret reader-token -o jsonpath='{.data.token}' | base64 -d)"
  [ -n "$token" ] && break; sleep 0.25
done
[ -n "$token" ] && kc c3 -n smoke get secret reader-token -o jsonpath='{.data.ca\.crt}' | base64 -d > "$STATE/smoke-ca.crt" \
  && [ -s "$STATE/smoke-ca.crt" ] && ok "service-account-token Secret got token and ca.crt" || fail "token Secret not filled"
who="$(kubectl --kubeconfig /dev/null --server "https://$(ip_of c3):6443" --certificate-authority "$STATE/smoke-ca.crt" \
       --token "$token" auth whoami -o jsonpath='{.status.userInfo.username}')"
[ "$who" = system:serviceaccount:smoke:reader ] && ok "token works against c3 ($who)" || fail "whoami gave '$who'"
if kubectl --kubeconfig /dev/null --server "https://$(ip_of c1):6443" --insecure-skip-tls-verify --token "$token" \
     auth whoami >/dev/null 2>&1; then fail "c3 token accepted by c1"; else ok "c3 token rejected by c1"; fi
rm -f "$STATE/smoke-ca.crt"

kc c3 -n smoke create svc loadbalancer lb --tcp=15443:15443 --dry-run=client -o yaml | kc c3 apply -f - >/dev/null
ip=""
for i in $(seq 40); do
  ip="$(kc c3 -n smoke get svc lb -o jsonpath='{.status.loadBalancer.ingress[0].ip}')"; [ -n "$ip" ] && break; sleep 0.25
done
[[ "$ip" =~ ^127\.0\.3\.1([0-4][0-9]|50)$ ]] && ok "LoadBalancer Service got $ip" || fail "LoadBalancer ip '$ip'"
echo "all smoke checks passed"
