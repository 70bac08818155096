// `meshxds pcds`: the trust anchors istiod serves a proxy over PCDS, the proxy-config discovery of multi-root meshes.
// It connects as a proxy of a given cluster and network (the default mode's flags) to istiod's plaintext xDS port
// through Istio's own ADS client (pkg/adsc), asks for `type.googleapis.com/istio.mesh.v1alpha1.ProxyConfig` as the
// agent does (the agent sends that request after its first LDS request when PROXY_CONFIG_XDS_AGENT=true: an
// agent-side switch, no node metadata), waits for the first response and prints
// `{"node": "...", "trustAnchors": ["-----BEGIN CERTIFICATE-----…", …]}`: each certificate of the response's
// `caCertificatesPem` as its own PEM, in istiod's order (a bundle entry holding several is split).
//
// istiod's rules (pilot/pkg/xds/pcds.go, pilot/pkg/bootstrap/server.go, pilot/pkg/trustbundle): the PCDS generator is
// registered for every connection on every port (15010 included; it needs no identity), but it generates only when
// ISTIO_MULTIROOT_MESH=true, and only for a proxy's own request or a forced (global) push, never for an incremental
// one. Its one ProxyConfig carries only `caCertificatesPem`: istiod's workload trust bundle, the union of its CA's
// root-cert.pem (the plugged-in cacerts, or the self-signed root), an RA's root, meshConfig.caCertificates' PEMs and
// the certificates fetched from their spiffeBundleUrls, deduplicated per entry and sorted as strings. Without
// ISTIO_MULTIROOT_MESH istiod has no trust bundle and sends no response at all: a timeout here.
//
//	meshxds pcds --addr 127.0.1.1:15010 --cluster cluster1 --network network1 [--namespace sample] [--timeout 10s]
package main

import (
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"os"
	"time"

	discovery "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	"google.golang.org/protobuf/proto"

	meshconfig "istio.io/api/mesh/v1alpha1"
	"istio.io/istio/pilot/pkg/model"
	v3 "istio.io/istio/pilot/pkg/xds/v3"
	"istio.io/istio/pkg/adsc"
	"istio.io/istio/pkg/log"
)

// PCDSResult is what `meshxds pcds` prints.
type PCDSResult struct {
	Node string `json:"node"`
	// TrustAnchors are the certificates of the ProxyConfig's caCertificatesPem, one PEM each, in istiod's order.
	TrustAnchors []string `json:"trustAnchors"`
}

// pcdsHandler keeps the first ProxyConfig response.
type pcdsHandler struct {
	got  chan *meshconfig.ProxyConfig
	errs chan error
}

func (h *pcdsHandler) HandleResponse(_ *adsc.ADSC, r *discovery.DiscoveryResponse) {
	if r.TypeUrl != v3.ProxyConfigType {
		return
	}
	pc := &meshconfig.ProxyConfig{}
	if len(r.Resources) > 0 {
		if err := proto.Unmarshal(r.Resources[0].Value, pc); err != nil {
			select {
			case h.errs <- fmt.Errorf("unmarshal the ProxyConfig: %v", err):
			default:
			}
			return
		}
	}
	select {
	case h.got <- pc:
	default:
	}
}

func pcdsMain(args []string) {
	fs := flag.NewFlagSet("meshxds pcds", flag.ExitOnError)
	addr := fs.String("addr", "127.0.1.1:15010", "istiod's plaintext xDS address (host:port)")
	clusterID := fs.String("cluster", "", "the proxy's cluster ID (CLUSTER_ID)")
	network := fs.String("network", "", "the proxy's network (NETWORK)")
	locality := fs.String("locality", "", "the proxy's locality, region/zone[/subzone]")
	namespace := fs.String("namespace", "sample", "the proxy's namespace")
	workload := fs.String("workload", "meshxds-probe", "the proxy's workload name")
	ip := fs.String("ip", "10.255.0.1", "the proxy's IP")
	nodeType := fs.String("type", "sidecar", "sidecar or router (a gateway)")
	labels := fs.String("labels", "", "the proxy's workload labels, k=v,k=v")
	version := fs.String("istio-version", "1.30.3", "ISTIO_VERSION the proxy reports")
	timeout := fs.Duration("timeout", 20*time.Second, "how long to wait for the ProxyConfig")
	verbose := fs.Bool("v", false, "log the ADS client's messages (on stderr)")
	_ = fs.Parse(args)
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
	m, err := nodeMetadata(meta, *labels)
	if err != nil {
		fail("node metadata: %v", err)
	}

	h := &pcdsHandler{got: make(chan *meshconfig.ProxyConfig, 1), errs: make(chan error, 1)}
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
		InitialDiscoveryRequests: []*discovery.DiscoveryRequest{{TypeUrl: v3.ProxyConfigType}},
		ResponseHandler:          h,
	}
	c := openStream(*addr, cfg, " for PCDS")
	defer c.Close()

	var pc *meshconfig.ProxyConfig
	select {
	case pc = <-h.got:
	case err := <-h.errs:
		fail("%v", err)
	case <-time.After(*timeout):
		fail("no ProxyConfig (PCDS, %s) from %s within %s: istiod serves PCDS only when it runs with "+
			"ISTIO_MULTIROOT_MESH=true (pilot.env of the istiod values; docs/istiod-on-host.md), else it sends nothing",
			v3.ProxyConfigType, *addr, *timeout)
	}

	out := PCDSResult{
		Node:         fmt.Sprintf("%s~%s~%s.%s", *nodeType, *ip, *workload, *namespace),
		TrustAnchors: []string{},
	}
	for i, bundle := range pc.GetCaCertificatesPem() {
		certs, err := splitPEM(bundle)
		if err != nil {
			fail("caCertificatesPem[%d]: %v", i, err)
		}
		out.TrustAnchors = append(out.TrustAnchors, certs...)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fail("write the result: %v", err)
	}
}

// splitPEM returns each CERTIFICATE block of a PEM bundle as its own PEM, in order. Other blocks are an error, as is
// a bundle with no certificate.
func splitPEM(bundle string) ([]string, error) {
	var out []string
	rest := []byte(bundle)
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("a %q PEM block, not a certificate", b.Type)
		}
		out = append(out, string(pem.EncodeToMemory(&pem.Block{Type: b.Type, Bytes: b.Bytes})))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no PEM certificate in %q", bundle)
	}
	return out, nil
}
