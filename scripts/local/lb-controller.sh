#!/usr/bin/env bash
# Plays MetalLB's role for one local cluster: gives every Service of type LoadBalancer an address from the
# cluster's loopback pool (127.0.N.100-127.0.N.150) by writing status.loadBalancer.ingress[0].ip.
# Addresses are stable per namespace/name (remembered in <state>/lb-ips) and spec.loadBalancerIP is honoured
# when it lies in the pool. Polls every 2s, so it survives API server restarts.
# Usage (started by up.sh): lb-controller.sh <c1|c2|c3> <state-dir>
set -euo pipefail
c="$1"; d="$2"; n="${c#c}"
db="$d/lb-ips"; touch "$db"
kc() { kubectl --kubeconfig "$d/admin.kubeconfig" "$@"; }
in_pool() { [[ "$1" =~ ^127\.0\.$n\.([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" -ge 100 ] && [ "${BASH_REMATCH[1]}" -le 150 ]; }

while true; do
  # ns/name <tab> current ingress ip <tab> spec.loadBalancerIP
  if lines="$(kc get svc -A -o jsonpath='{range .items[?(@.spec.type=="LoadBalancer")]}{.metadata.namespace}/{.metadata.name}{"\t"}{.status.loadBalancer.ingress[0].ip}{"\t"}{.spec.loadBalancerIP}{"\n"}{end}' 2>/dev/null)"; then
    while IFS=$'\t' read -r key cur want; do
      [ -n "$key" ] || continue
      ip="$(awk -v k="$key" '$1==k {print $2}' "$db")"
      if [ -z "$ip" ]; then
        if [ -n "$want" ] && in_pool "$want" && ! awk '{print $2}' "$db" | grep -qx "$want"; then ip="$want"
        else
          for i in $(seq 100 150); do
            awk '{print $2}' "$db" | grep -qx "127.0.$n.$i" || { ip="127.0.$n.$i"; break; }
          done
        fi
        [ -n "$ip" ] || { echo "pool 127.0.$n.100-150 exhausted, cannot serve $key"; continue; }
        printf '%s %s\n' "$key" "$ip" >> "$db"
      fi
      if [ "$cur" != "$ip" ]; then
        kc -n "${key%%/*}" patch svc "${key#*/}" --subresource=status --type=merge \
          -p "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"$ip\"}]}}}" >/dev/null \
          && echo "$(date -u +%FT%TZ) $key -> $ip"
      fi
    done <<< "$lines"
  fi
  sleep 2
done
