// meshxds connects to an istiod as one proxy of the mesh (a sidecar of a given cluster, network and locality, or a
// gateway) and prints what istiod serves it — clusters (CDS), endpoints (EDS), routes (RDS) and the DNS name table
// (NDS) — as one JSON document on stdout.
//
// It is built by scripts/toolchain/istio.sh inside a copy of the istio.io/istio module that istioctl and
// pilot-discovery are built from, so it speaks exactly that istiod's protocol through Istio's own ADS client
// (istio.io/istio/pkg/adsc). Plaintext xDS on istiod's gRPC port (15010): no workload certificate is needed.
//
//	meshxds --addr 127.0.1.1:15010 --cluster cluster1 --network network1 --locality region1/zone1 \
//	        --namespace sample --ip 10.1.0.9 [--type router --labels istio=ingressgateway] [--dns]
//
// `meshxds ca …` instead asks istiod's CA for a workload certificate, as a proxy's agent does (ca.go); `meshxds sds …`
// asks istiod's secure port, as a gateway, for the certificates of its Gateways' credentialNames (sds.go); `meshxds
// pcds …` asks for the trust anchors a multi-root mesh's istiod serves over PCDS (pcds.go).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	cluster "github.com/envoyproxy/go-control-plane/envoy/config/cluster/v3"
	core "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	endpoint "github.com/envoyproxy/go-control-plane/envoy/config/endpoint/v3"
	listener "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	route "github.com/envoyproxy/go-control-plane/envoy/config/route/v3"
	hcm "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	discovery "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	"google.golang.org/protobuf/proto"

	"istio.io/istio/pilot/pkg/model"
	v3 "istio.io/istio/pilot/pkg/xds/v3"
	"istio.io/istio/pkg/adsc"
	dnsProto "istio.io/istio/pkg/dns/proto"
	"istio.io/istio/pkg/log"
)

// Endpoint is one load-balancing endpoint of a cluster's assignment, with the locality group it belongs to.
type Endpoint struct {
	Address        string `json:"address"`
	Port           uint32 `json:"port"`
	Weight         uint32 `json:"weight"`
	Locality       string `json:"locality"`
	Priority       uint32 `json:"priority"`
	LocalityWeight uint32 `json:"localityWeight"`
	Network        string `json:"network,omitempty"`
	Cluster        string `json:"cluster,omitempty"`
}

// Cluster is the part of an Envoy cluster the mesh's traffic policies decide.
type Cluster struct {
	Name             string `json:"name"`
	Type             string `json:"type"`
	OutlierDetection bool   `json:"outlierDetection"`
	LbPolicy         string `json:"lbPolicy"`
}

// WeightedCluster is one destination of a route.
type WeightedCluster struct {
	Name   string `json:"name"`
	Weight uint32 `json:"weight"`
}

// Route is one route of a virtual host: its match and where it sends traffic.
type Route struct {
	Name     string            `json:"name,omitempty"`
	Prefix   string            `json:"prefix,omitempty"`
	Path     string            `json:"path,omitempty"`
	Clusters []WeightedCluster `json:"clusters"`
}

// VirtualHost is one virtual host of a route configuration.
type VirtualHost struct {
	Name    string   `json:"name"`
	Domains []string `json:"domains"`
	Routes  []Route  `json:"routes"`
}

// Result is what istiod served the proxy.
type Result struct {
	Node      string                   `json:"node"`
	Clusters  []Cluster                `json:"clusters"`
	Endpoints map[string][]Endpoint    `json:"endpoints"`
	Routes    map[string][]VirtualHost `json:"routes"`
	NameTable map[string][]string      `json:"nameTable,omitempty"`
	Listeners []string                 `json:"listeners"`
	Received  map[string]int           `json:"received"`
}

type ndsHandler struct {
	mu    sync.Mutex
	table *dnsProto.NameTable
	got   chan struct{}
}

func (h *ndsHandler) HandleResponse(_ *adsc.ADSC, r *discovery.DiscoveryResponse) {
	if r.TypeUrl != v3.NameTableType || len(r.Resources) == 0 {
		return
	}
	t := &dnsProto.NameTable{}
	if err := proto.Unmarshal(r.Resources[0].Value, t); err != nil {
		return
	}
	h.mu.Lock()
	first := h.table == nil
	h.table = t
	h.mu.Unlock()
	if first {
		close(h.got)
	}
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "ca" {
		caMain(os.Args[2:])
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "sds" {
		sdsMain(os.Args[2:])
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "pcds" {
		pcdsMain(os.Args[2:])
		return
	}
	addr := flag.String("addr", "127.0.1.1:15010", "istiod's plaintext xDS address (host:port)")
	clusterID := flag.String("cluster", "", "the proxy's cluster ID (CLUSTER_ID)")
	network := flag.String("network", "", "the proxy's network (NETWORK)")
	locality := flag.String("locality", "", "the proxy's locality, region/zone[/subzone]")
	namespace := flag.String("namespace", "sample", "the proxy's namespace")
	workload := flag.String("workload", "meshxds-probe", "the proxy's workload name")
	ip := flag.String("ip", "10.255.0.1", "the proxy's IP")
	nodeType := flag.String("type", "sidecar", "sidecar or router (a gateway)")
	labels := flag.String("labels", "", "the proxy's workload labels, k=v,k=v (a gateway's selector labels)")
	dns := flag.Bool("dns", false, "ask for the DNS name table (DNS_CAPTURE and DNS_AUTO_ALLOCATE on)")
	version := flag.String("istio-version", "1.30.3", "ISTIO_VERSION the proxy reports")
	timeout := flag.Duration("timeout", 20*time.Second, "how long to wait for each kind of response")
	settle := flag.Duration("settle", 2*time.Second, "quiet time after the last response before printing")
	verbose := flag.Bool("v", false, "log the ADS client's messages (on stderr)")
	flag.Parse()
	// stdout carries only the JSON result; the ADS client's log goes to stderr, warnings only unless -v
	logToStderr(*verbose, log.WarnLevel)
	if *clusterID == "" || *network == "" {
		fail("--cluster and --network are required")
	}
	if *nodeType != "sidecar" && *nodeType != "router" {
		fail("--type must be sidecar or router, not %q", *nodeType)
	}

	meta := map[string]any{
		"CLUSTER_ID":    *clusterID,
		"NETWORK":       *network,
		"ISTIO_VERSION": *version,
		"NAMESPACE":     *namespace,
		"WORKLOAD_NAME": *workload,
		"INSTANCE_IPS":  *ip,
	}
	if *dns {
		meta["DNS_CAPTURE"] = "true"
		meta["DNS_AUTO_ALLOCATE"] = "true"
	}
	m, err := nodeMetadata(meta, *labels)
	if err != nil {
		fail("node metadata: %v", err)
	}

	nds := &ndsHandler{got: make(chan struct{})}
	eds := &edsMerger{}
	cfg := &adsc.ADSConfig{
		Config: adsc.Config{
			ClientName: "meshxds",
			Namespace:  *namespace,
			Workload:   *workload,
			IP:         *ip,
			Meta:       m,
			Locality:   parseLocality(*locality),
			NodeType:   model.NodeType(*nodeType),
		},
		InitialDiscoveryRequests: []*discovery.DiscoveryRequest{{TypeUrl: v3.ClusterType}},
		ResponseHandler:          handlers{nds, eds},
	}
	c := openStream(*addr, cfg, "")
	defer c.Close()
	if _, err := c.Wait(*timeout, v3.ClusterType); err != nil {
		fail("no clusters (CDS) from %s: %v", *addr, err)
	}
	if len(c.GetEdsClusters()) > 0 {
		if _, err := c.Wait(*timeout, v3.EndpointType); err != nil {
			fail("no endpoints (EDS) from %s: %v", *addr, err)
		}
	}
	if *dns {
		if err := c.Send(&discovery.DiscoveryRequest{TypeUrl: v3.NameTableType}); err != nil {
			fail("ask for the name table: %v", err)
		}
		select {
		case <-nds.got:
		case <-time.After(*timeout):
			fail("no name table (NDS) from %s within %s", *addr, *timeout)
		}
	}
	// Listeners follow endpoints, routes follow listeners: wait until istiod has been quiet for a moment.
	for {
		if _, err := c.Wait(*settle); err != nil {
			break
		}
	}

	// Istio's ADS client asks for routes named after each HTTP listener's port, which is what a sidecar's
	// listeners use; a gateway's listeners name theirs after the server (`http.80`, `https.443.…`). When that guess
	// missed, ask for the names the listeners really carry, as Envoy does, on a second stream: istiod ignores a
	// re-request on the first one, whose nonce the client does not let us set.
	routes := c.GetRoutes()
	names := routeNames(c.GetHTTPListeners())
	if !allPresent(names, routes) {
		rcfg := *cfg
		rcfg.InitialDiscoveryRequests = []*discovery.DiscoveryRequest{{TypeUrl: v3.RouteType, ResourceNames: names}}
		rcfg.ResponseHandler = nil
		rc := openStream(*addr, &rcfg, " for routes")
		defer rc.Close()
		if _, err := rc.Wait(*timeout, v3.RouteType); err != nil {
			fail("no routes (RDS) %v from %s: %v", names, *addr, err)
		}
		for name, r := range rc.GetRoutes() {
			routes[name] = r
		}
	}

	out := Result{
		Node:      fmt.Sprintf("%s~%s~%s.%s", *nodeType, *ip, *workload, *namespace),
		Endpoints: map[string][]Endpoint{},
		Routes:    map[string][]VirtualHost{},
		Received:  map[string]int{},
	}
	for t, r := range c.Received {
		out.Received[t] = len(r.Resources)
	}
	for _, cl := range c.GetEdsClusters() {
		out.Clusters = append(out.Clusters, clusterOf(cl))
	}
	for _, cl := range c.GetClusters() {
		out.Clusters = append(out.Clusters, clusterOf(cl))
	}
	sort.Slice(out.Clusters, func(i, j int) bool { return out.Clusters[i].Name < out.Clusters[j].Name })
	for name, cla := range eds.endpoints() {
		out.Endpoints[name] = endpointsOf(cla)
	}
	for name, rc := range routes {
		if len(names) > 0 && !slices.Contains(names, name) {
			continue // the client's guess, not a name any listener uses
		}
		out.Routes[name] = virtualHostsOf(rc)
	}
	for name := range c.GetHTTPListeners() {
		out.Listeners = append(out.Listeners, name)
	}
	for name := range c.GetTCPListeners() {
		out.Listeners = append(out.Listeners, name)
	}
	sort.Strings(out.Listeners)
	nds.mu.Lock()
	if nds.table != nil {
		out.NameTable = map[string][]string{}
		for host, info := range nds.table.Table {
			out.NameTable[host] = info.Ips
		}
	}
	nds.mu.Unlock()
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fail("write the result: %v", err)
	}
}

func parseLocality(s string) *core.Locality {
	if s == "" {
		return nil
	}
	p := strings.SplitN(s, "/", 3)
	l := &core.Locality{Region: p[0]}
	if len(p) > 1 {
		l.Zone = p[1]
	}
	if len(p) > 2 {
		l.SubZone = p[2]
	}
	return l
}

func clusterOf(cl *cluster.Cluster) Cluster {
	t := "EDS"
	if v, ok := cl.ClusterDiscoveryType.(*cluster.Cluster_Type); ok {
		t = v.Type.String()
	}
	return Cluster{Name: cl.Name, Type: t, OutlierDetection: cl.OutlierDetection != nil, LbPolicy: cl.LbPolicy.String()}
}

func endpointsOf(cla *endpoint.ClusterLoadAssignment) []Endpoint {
	out := []Endpoint{}
	for _, group := range cla.Endpoints {
		loc := ""
		if l := group.Locality; l != nil {
			loc = strings.TrimRight(strings.Join([]string{l.Region, l.Zone, l.SubZone}, "/"), "/")
		}
		for _, lb := range group.LbEndpoints {
			sa := lb.GetEndpoint().GetAddress().GetSocketAddress()
			e := Endpoint{
				Address:        sa.GetAddress(),
				Port:           sa.GetPortValue(),
				Weight:         lb.GetLoadBalancingWeight().GetValue(),
				Locality:       loc,
				Priority:       group.Priority,
				LocalityWeight: group.GetLoadBalancingWeight().GetValue(),
			}
			if md := lb.GetMetadata().GetFilterMetadata()["istio"]; md != nil {
				// istio's workload metadata: "name;namespace;canonical-name;revision;cluster-id"
				if w := md.GetFields()["workload"].GetStringValue(); w != "" {
					if parts := strings.Split(w, ";"); len(parts) == 5 {
						e.Cluster = parts[4]
					}
				}
			}
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Address != out[j].Address {
			return out[i].Address < out[j].Address
		}
		return out[i].Port < out[j].Port
	})
	return out
}

// openStream connects to istiod and opens one ADS stream, sending cfg's initial requests; purpose ends the
// error messages (" for routes").
func openStream(addr string, cfg *adsc.ADSConfig, purpose string) *adsc.ADSC {
	c, err := adsc.New(addr, cfg)
	if err != nil {
		fail("connect to %s%s: %v", addr, purpose, err)
	}
	if err := c.Run(); err != nil {
		fail("open the ADS stream to %s%s: %v", addr, purpose, err)
	}
	return c
}

// routeNames are the RDS names the HTTP connection managers of these listeners refer to.
func routeNames(listeners map[string]*listener.Listener) []string {
	seen := map[string]bool{}
	for _, l := range listeners {
		for _, fc := range l.GetFilterChains() {
			for _, f := range fc.GetFilters() {
				m := &hcm.HttpConnectionManager{}
				if f.GetTypedConfig() == nil || f.GetTypedConfig().UnmarshalTo(m) != nil {
					continue
				}
				if name := m.GetRds().GetRouteConfigName(); name != "" {
					seen[name] = true
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for name := range seen {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func allPresent(names []string, routes map[string]*route.RouteConfiguration) bool {
	for _, n := range names {
		if _, ok := routes[n]; !ok {
			return false
		}
	}
	return true
}

func virtualHostsOf(rc *route.RouteConfiguration) []VirtualHost {
	out := []VirtualHost{}
	for _, vh := range rc.VirtualHosts {
		v := VirtualHost{Name: vh.Name, Domains: vh.Domains, Routes: []Route{}}
		for _, r := range vh.Routes {
			rt := Route{Name: r.Name, Prefix: r.GetMatch().GetPrefix(), Path: r.GetMatch().GetPath(), Clusters: []WeightedCluster{}}
			if a := r.GetRoute(); a != nil {
				if name := a.GetCluster(); name != "" {
					rt.Clusters = append(rt.Clusters, WeightedCluster{Name: name, Weight: 100})
				}
				for _, wc := range a.GetWeightedClusters().GetClusters() {
					rt.Clusters = append(rt.Clusters, WeightedCluster{Name: wc.Name, Weight: wc.GetWeight().GetValue()})
				}
			}
			v.Routes = append(v.Routes, rt)
		}
		out = append(out, v)
	}
	return out
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "meshxds: "+format+"\n", args...)
	os.Exit(1)
}

// logToStderr sends Istio's log to stderr (stdout carries only the JSON result), at `quiet` and above unless verbose.
func logToStderr(verbose bool, quiet log.Level) {
	lo := log.DefaultOptions()
	lo.OutputPaths = []string{"stderr"}
	if !verbose {
		lo.SetDefaultOutputLevel(log.OverrideScopeName, quiet)
	}
	if err := log.Configure(lo); err != nil {
		fail("configure logging: %v", err)
	}
}
