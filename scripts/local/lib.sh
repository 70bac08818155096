# Shared definitions for scripts/local/*.sh (sourced, not run).
# N fake-node Kubernetes control planes (c1..cN, 1 <= N <= 16, 3 by default) on loopback addresses; state under
# $CACHE/local. The count a proving ground was started with is kept in $STATE/clusters, so every script acts on
# the clusters that exist; up.sh --clusters N grows or shrinks it.

CACHE="${ISTIO_MC_CACHE:-$HOME/.cache/istio-multicluster}"
STATE="$CACHE/local"
KUBECONFIG_OUT="$STATE/kubeconfig"
MAX_CLUSTERS=16  # cN's addresses are 127.0.N.1 and 127.(200+N).0.0/16
cluster_list() { seq -f 'c%g' 1 "$1" | tr '\n' ' ' | sed 's/ $//'; }
started_count() { local n; n="$(cat "$STATE/clusters" 2>/dev/null || true)"; echo "${n:-3}"; }
CLUSTERS="$(cluster_list "$(started_count)")"
COMPONENTS="etcd kube-apiserver kube-controller-manager kube-scheduler kwok lb"
# started on demand by `npm run local:istiod` (scripts/local/istiod.ts) after a `pulumi up`; stopped with the rest
ON_DEMAND="istiod"

# per-cluster facts
ip_of()    { echo "127.0.${1#c}.1"; }                  # c2 -> 127.0.2.1 (API server and all other ports)
pool_of()  { echo "127.0.${1#c}.100-127.0.${1#c}.150"; } # LoadBalancer pool
# seed 000's nodes for c1..c3; three nodes for every further cluster
nodes_of() { case "$1" in c2) echo c2n1 c2n2 c2n3 c2n4 c2n5 ;; *) echo "$1n1 $1n2 $1n3" ;; esac; }
port_of()  { case "$1" in etcd) echo 2379 ;; etcd-peer) echo 2380 ;; kube-apiserver) echo 6443 ;;
             kube-controller-manager) echo 10257 ;; kube-scheduler) echo 10259 ;; kwok) echo 10247 ;; *) echo "" ;; esac; }
# No container runs here, so istiod's sidecar-injection webhook can never answer: mutating webhooks are off
# (MutatingAdmissionWebhook disabled) so that injected pods (gateways, samples) are admitted as written.
# Service ClusterIPs are loopback too (per cluster): the API server dials a Service's ClusterIP for admission
# webhooks (e.g. Istio's injector) and aggregated APIs, and such a dial must stay on this machine ("connection
# refused") instead of leaving through the default route: no packet may ever go to 10.x or other non-local
# addresses from here. Pod IPs cannot be loopback (EndpointSlice validation rejects 127/8), so they are
# 10.N.0.x and nothing dials them: aggregator routing stays off, and nothing runs in a pod.
svc_cidr_of() { echo "127.$((200 + ${1#c})).0.0/16"; }   # c1 -> 127.201.0.0/16, c12 -> 127.212.0.0/16
svc_ip_of()   { echo "127.$((200 + ${1#c})).0.1"; }      # first service IP (the "kubernetes" Service)
pod_cidr_of() { echo "10.${1#c}.0.1/16"; }      # kwok --cidr: c1 -> 10.1.0.x (never dialed)

log() { printf '[local] %s\n' "$*" >&2; }
die() { printf '[local] ERROR: %s\n' "$*" >&2; exit 1; }
# Re-runs the calling script ("$0" "$@") under the local control planes' lock (exclusive.sh), unless this run holds
# it already. Scripts that start, change or stop the clusters call it first.
LOCAL_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
hold_local_lock() { [ "${ISTIO_MC_LOCAL_LOCK:-}" = held ] || exec bash "$LOCAL_SCRIPTS/exclusive.sh" bash "$0" "$@"; }

use_toolchain() {
  # shellcheck disable=SC1091
  [ -f "$CACHE/env.sh" ] && . "$CACHE/env.sh"
  local b
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok openssl; do
    command -v "$b" >/dev/null || die "$b not found: run scripts/toolchain.sh --only kube"
  done
  [ -s "$CACHE/kwok-stages.yaml" ] || die "$CACHE/kwok-stages.yaml missing: run scripts/toolchain.sh --only kube"
}

# pid bookkeeping: $STATE/<c>/run/<component>.pid ; alive = the pid exists and runs our command
pidfile() { echo "$STATE/$1/run/$2.pid"; }
is_running() {
  local f; f="$(pidfile "$1" "$2")"
  [ -s "$f" ] || return 1
  local pid; pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$STATE/$1"; then
    return 0
  fi
  rm -f "$f"   # stale: the process died or the pid was reused
  return 1
}

# port_busy IP PORT : something listens there
port_busy() {
  if command -v ss >/dev/null; then ss -Hltn "src $1:$2" 2>/dev/null | grep -q .
  else (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; fi
}

# spawn C NAME CMD... : start detached, log to $STATE/<c>/logs/<name>.log
spawn() {
  local c="$1" name="$2"; shift 2
  mkdir -p "$STATE/$c/run" "$STATE/$c/logs"
  setsid "$@" >>"$STATE/$c/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$(pidfile "$c" "$name")"
}

# stop_component C NAME [GRACE_SECONDS=10] : SIGTERM, then SIGKILL after the grace period
stop_component() {
  local c="$1" name="$2" grace="${3:-10}" f pid i
  f="$(pidfile "$c" "$name")"
  is_running "$c" "$name" || return 0
  pid="$(cat "$f")"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq $((grace * 5))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  rm -f "$f"
}

# stop_clusters C... : SIGTERM every component of these clusters at once, SIGKILL what is left after 10s
stop_clusters() {
  local c x pid pids="" alive="" p i revs f
  for c in "$@"; do
    # host istiods of named revisions (scripts/local/istiod.ts: cN/run/istiod-<revision>.pid) go with the rest
    revs=""
    for f in "$STATE/$c"/run/istiod-*.pid; do [ -e "$f" ] && { f="${f##*/}"; revs="$revs ${f%.pid}"; }; done
    for x in $ON_DEMAND $revs $COMPONENTS; do
      is_running "$c" "$x" || continue
      pid="$(cat "$(pidfile "$c" "$x")")"; pids="$pids $pid"
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done
  done
  for i in $(seq 50); do
    alive=""; for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
    [ -z "$alive" ] && break; sleep 0.2
  done
  for p in $alive; do kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null || true; done
  for c in "$@"; do rm -f "$STATE/$c"/run/*.pid; done
}

kc() { local c="$1"; shift; kubectl --kubeconfig "$KUBECONFIG_OUT" --context "$c-admin" "$@"; }

# ---------- certificates (one CA per cluster) ----------
gen_pki() {
  local c="$1" ip d; ip="$(ip_of "$c")"; d="$STATE/$c/pki"
  [ -s "$d/admin.crt" ] && return 0
  mkdir -p "$d"
  (
    cd "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=$c-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
    printf 'subjectAltName=IP:%s,IP:%s,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' \
      "$ip" "$(svc_ip_of "$c")" > apiserver.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 3650 -extfile apiserver.ext 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=$c-admin" 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' > admin.ext
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt -days 3650 -extfile admin.ext 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ./*.csr ./*.ext ca.srl
  )
}

# admin kubeconfig for one cluster (used by the components) and the merged one for users
gen_kubeconfigs() {
  local c ip tmp out="$KUBECONFIG_OUT.tmp"
  rm -f "$out" "$STATE"/c*/admin.kubeconfig.tmp
  for c in $CLUSTERS; do
    ip="$(ip_of "$c")"
    for tmp in "$STATE/$c/admin.kubeconfig.tmp" "$out"; do
      KUBECONFIG="$tmp" kubectl config set-cluster "$c" --server "https://$ip:6443" \
        --certificate-authority "$STATE/$c/pki/ca.crt" --embed-certs >/dev/null
      KUBECONFIG="$tmp" kubectl config set-credentials "$c-admin" --client-certificate "$STATE/$c/pki/admin.crt" \
        --client-key "$STATE/$c/pki/admin.key" --embed-certs >/dev/null
      KUBECONFIG="$tmp" kubectl config set-context "$c-admin" --cluster "$c" --user "$c-admin" >/dev/null
    done
    KUBECONFIG="$STATE/$c/admin.kubeconfig.tmp" kubectl config use-context "$c-admin" >/dev/null
    chmod 600 "$STATE/$c/admin.kubeconfig.tmp"; mv -f "$STATE/$c/admin.kubeconfig.tmp" "$STATE/$c/admin.kubeconfig"
  done
  KUBECONFIG="$out" kubectl config use-context c1-admin >/dev/null
  chmod 600 "$out"
  mv -f "$out" "$KUBECONFIG_OUT"   # atomic for concurrent readers
}

# ---------- components ----------
start_component() {
  local c="$1" name="$2" ip d kcfg; ip="$(ip_of "$c")"; d="$STATE/$c"; kcfg="$d/admin.kubeconfig"
  if is_running "$c" "$name"; then return 0; fi
  local port; port="$(port_of "$name")"
  if [ -n "$port" ] && port_busy "$ip" "$port"; then
    die "$c: $ip:$port is already in use by another process (needed by $name); free it or run scripts/local/down.sh"
  fi
  case "$name" in
    etcd)
      port_busy "$ip" 2380 && die "$c: $ip:2380 is already in use (etcd peer port)"
      spawn "$c" etcd etcd --name "$c" --data-dir "$d/etcd" \
        --listen-client-urls "http://$ip:2379" --advertise-client-urls "http://$ip:2379" \
        --listen-peer-urls "http://$ip:2380" --initial-advertise-peer-urls "http://$ip:2380" \
        --initial-cluster "$c=http://$ip:2380" --listen-metrics-urls "" \
        --quota-backend-bytes 1073741824 --snapshot-count 10000 --log-level warn ;;
    kube-apiserver)
      spawn "$c" kube-apiserver kube-apiserver \
        --etcd-servers "http://$ip:2379" --bind-address "$ip" --advertise-address "$ip" --secure-port 6443 \
        --tls-cert-file "$d/pki/apiserver.crt" --tls-private-key-file "$d/pki/apiserver.key" \
        --client-ca-file "$d/pki/ca.crt" \
        --service-account-key-file "$d/pki/sa.pub" --service-account-signing-key-file "$d/pki/sa.key" \
        --service-account-issuer https://kubernetes.default.svc.cluster.local \
        --service-cluster-ip-range "$(svc_cidr_of "$c")" --endpoint-reconciler-type none \
        --authorization-mode Node,RBAC --allow-privileged=true \
        --disable-admission-plugins MutatingAdmissionWebhook \
        --enable-priority-and-fairness=false --profiling=false --v=1 ;;
    kube-controller-manager)
      spawn "$c" kube-controller-manager kube-controller-manager \
        --kubeconfig "$kcfg" --authentication-kubeconfig "$kcfg" --authorization-kubeconfig "$kcfg" \
        --bind-address "$ip" --secure-port 10257 --leader-elect=false --cluster-name "$c" \
        --service-account-private-key-file "$d/pki/sa.key" --root-ca-file "$d/pki/ca.crt" \
        --service-cluster-ip-range "$(svc_cidr_of "$c")" --controllers '*' --profiling=false --v=1 \
        --node-monitor-grace-period 1h ;;
        # kwok is the kubelet of every fake node, so nodes are never really "lost". With the default grace (50s) an
        # API server outage marks nodes NotReady and their pods Ready=False, and kwok never flips those pods back
        # (its pod-ready stage only handles pods that are not running yet). The node lifecycle controller stays on:
        # it removes the node.kubernetes.io/not-ready taint that admission puts on every new node.
    kube-scheduler)
      spawn "$c" kube-scheduler kube-scheduler \
        --kubeconfig "$kcfg" --authentication-kubeconfig "$kcfg" --authorization-kubeconfig "$kcfg" \
        --bind-address "$ip" --secure-port 10259 --leader-elect=false --profiling=false --v=1 ;;
    kwok)
      spawn "$c" kwok kwok --kubeconfig "$kcfg" --config "$CACHE/kwok-stages.yaml" --manage-all-nodes=true \
        --server-address "$ip:10247" --node-ip "$ip" --node-lease-duration-seconds 40 \
        --cidr "$(pod_cidr_of "$c")" ;;
    lb)
      spawn "$c" lb bash "$(dirname "${BASH_SOURCE[0]}")/lb-controller.sh" "$c" "$d" ;;
  esac
}

wait_apiserver() {
  local c="$1" i
  for i in $(seq 120); do
    kc "$c" get --raw /readyz >/dev/null 2>&1 && return 0
    is_running "$c" kube-apiserver || die "$c: kube-apiserver exited; see $STATE/$c/logs/kube-apiserver.log"
    sleep 0.5
  done
  die "$c: kube-apiserver not ready after 60s; see $STATE/$c/logs/kube-apiserver.log"
}
