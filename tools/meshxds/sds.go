// `meshxds sds`: what istiod serves an ingress gateway over SDS for a Gateway server with `tls.credentialName`. It
// connects as a router proxy (a gateway) to istiod's secure gRPC port (15012, TLS) through Istio's own ADS client
// (pkg/adsc), authenticated as the gateway's agent is: `authorization: Bearer <service-account JWT>` (audience
// istio-ca) and `ClusterID: <mesh cluster ID>` metadata (the CA pieces of ca.go). It reads the listeners (LDS), keeps
// those on --port, collects each filter chain's server names (SNI) and the SDS names of its DownstreamTlsContext, asks
// istiod over SDS for the names istiod serves itself (SDS config `ads`: `kubernetes://<credentialName>` and the like;
// `default`/`ROOTCA` come from the proxy's own agent), and prints one JSON document: the listeners, the chains and,
// per secret, the certificate chain as PEM and whether a private key came with it. The key's bytes and the JWT are
// never printed or logged; the JWT is read from a file or stdin, never argv.
//
// istiod's rules (pilot/pkg/xds: auth.go, sds.go; pkg/security; pilot/pkg/credentials/kube): on the plaintext port
// the proxy has no verified identity and SDS is skipped. On 15012 the JWT is reviewed (TokenReview, audience
// istio-ca) on the cluster named by ClusterID; the identity's namespace must equal the proxy's (node metadata
// NAMESPACE) and, when SERVICE_ACCOUNT is sent, its service account too, or the stream is refused (PermissionDenied).
// A `kubernetes://` secret is served only from the proxy's own namespace and only when a SubjectAccessReview says
// the identity may `list` secrets there (the gateway chart's Role grants get/watch/list); istiod reads it from the
// proxy's cluster (CLUSTER_ID). Secrets it does not serve are silently dropped; when none is left it sends no
// response at all, so a refusal shows as a timeout here and a warning in istiod's log.
//
//	meshxds sds --addr 127.0.1.1:15012 --cluster cluster1 --network network1 --namespace istio-system \
//	            --workload istio-ingressgateway --labels istio=ingressgateway,app=istio-ingressgateway \
//	            --token-file - (--root-cert root-cert.pem | --insecure) [--san istiod.istio-system.svc] [--port 443]
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"sync"
	"time"

	listener "github.com/envoyproxy/go-control-plane/envoy/config/listener/v3"
	tlsv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"
	discovery "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"istio.io/istio/pilot/pkg/model"
	v3 "istio.io/istio/pilot/pkg/xds/v3"
	"istio.io/istio/pkg/adsc"
	"istio.io/istio/pkg/log"
	"istio.io/istio/pkg/security"
	"istio.io/istio/security/pkg/nodeagent/caclient"
)

// SDSChain is one filter chain of a listener on the port: the server names it matches and the SDS names its TLS
// context refers to.
type SDSChain struct {
	Listener    string   `json:"listener"`
	ServerNames []string `json:"serverNames"`
	SdsNames    []string `json:"sdsNames"`
}

// SDSSecret is one secret istiod served. The private key is never printed: only whether it came.
type SDSSecret struct {
	CertChainPem       string `json:"certChainPem,omitempty"`
	HasPrivateKey      bool   `json:"hasPrivateKey"`
	PrivateKeyProvider string `json:"privateKeyProvider,omitempty"`
	TrustedCaPem       string `json:"trustedCaPem,omitempty"`
}

// SDSResult is what `meshxds sds` prints.
type SDSResult struct {
	Node string `json:"node"`
	// Verified is true when istiod's serving certificate was verified against --root-cert (false with --insecure).
	Verified  bool       `json:"verified"`
	Listeners []string   `json:"listeners"`
	Chains    []SDSChain `json:"chains"`
	// Requested are the SDS names asked of istiod (the chains' names whose SDS config is ADS).
	Requested []string             `json:"requested"`
	Secrets   map[string]SDSSecret `json:"secrets"`
	// Missing are requested names istiod did not serve (not authorized, absent, or not a valid TLS secret).
	Missing []string `json:"missing,omitempty"`
}

// streamWatch is a gRPC stream interceptor: it adds the ClusterID metadata to the ADS stream, as the agent does, and
// keeps the stream's first error so that a refusal can be quoted (the ADS client only logs it and reconnects).
type streamWatch struct {
	clusterID string
	mu        sync.Mutex
	err       error
	failed    chan struct{}
}

func (w *streamWatch) intercept(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string,
	streamer grpc.Streamer, opts ...grpc.CallOption,
) (grpc.ClientStream, error) {
	ctx = metadata.AppendToOutgoingContext(ctx, "ClusterID", w.clusterID)
	s, err := streamer(ctx, desc, cc, method, opts...)
	if err != nil {
		w.fail(err)
		return nil, err
	}
	return &watchedStream{ClientStream: s, w: w}, nil
}

func (w *streamWatch) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
		close(w.failed)
	}
}

type watchedStream struct {
	grpc.ClientStream
	w *streamWatch
}

func (s *watchedStream) RecvMsg(m any) error {
	err := s.ClientStream.RecvMsg(m)
	if err != nil {
		s.w.fail(err)
	}
	return err
}

// sdsCollector keeps the first LDS and the first SDS response. onLDS runs on the ADS client's receiving goroutine,
// before its ACK: a request it sends there (the SDS one) never races the client's own sends on the stream.
type sdsCollector struct {
	mu        sync.Mutex
	listeners []*listener.Listener
	secrets   []*tlsv3.Secret
	onLDS     func(c *adsc.ADSC, ls []*listener.Listener)
	gotLDS    chan struct{}
	gotSDS    chan struct{}
}

func (h *sdsCollector) HandleResponse(c *adsc.ADSC, r *discovery.DiscoveryResponse) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch r.TypeUrl {
	case v3.ListenerType:
		if h.listeners != nil {
			return
		}
		h.listeners = []*listener.Listener{}
		for _, res := range r.Resources {
			l := &listener.Listener{}
			if proto.Unmarshal(res.Value, l) == nil {
				h.listeners = append(h.listeners, l)
			}
		}
		if h.onLDS != nil {
			h.onLDS(c, h.listeners)
		}
		close(h.gotLDS)
	case v3.SecretType:
		if h.secrets != nil {
			return
		}
		h.secrets = []*tlsv3.Secret{}
		for _, res := range r.Resources {
			s := &tlsv3.Secret{}
			if proto.Unmarshal(res.Value, s) == nil {
				h.secrets = append(h.secrets, s)
			}
		}
		close(h.gotSDS)
	}
}

// istiodTLS is the transport to istiod's secure port: its serving certificate verified against rootCert for the name
// san, or not verified at all (insecure).
func istiodTLS(rootCert, san string, insecure bool) (credentials.TransportCredentials, error) {
	if insecure {
		return credentials.NewTLS(&tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}), nil //nolint:gosec // --insecure
	}
	pemBytes, err := os.ReadFile(rootCert)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		return nil, fmt.Errorf("no certificate in %s", rootCert)
	}
	return credentials.NewTLS(&tls.Config{RootCAs: pool, ServerName: san, MinVersion: tls.VersionTLS12}), nil
}

func sdsMain(args []string) {
	fs := flag.NewFlagSet("meshxds sds", flag.ExitOnError)
	addr := fs.String("addr", "127.0.1.1:15012", "istiod's secure gRPC address (host:port, TLS)")
	clusterID := fs.String("cluster", "", "the proxy's cluster ID (CLUSTER_ID, and the ClusterID metadata the JWT is reviewed on)")
	network := fs.String("network", "", "the proxy's network (NETWORK)")
	namespace := fs.String("namespace", "istio-system", "the gateway's namespace (must be the token's)")
	workload := fs.String("workload", "istio-ingressgateway", "the gateway's workload name")
	serviceAccount := fs.String("service-account", "", "SERVICE_ACCOUNT metadata (must be the token's); default: --workload")
	labels := fs.String("labels", "istio=ingressgateway,app=istio-ingressgateway", "the gateway's labels, k=v,k=v")
	ip := fs.String("ip", "10.255.0.1", "the proxy's IP")
	port := fs.Uint("port", 443, "the listeners' port (the Gateway server's; 0: every listener)")
	tokenFile := fs.String("token-file", "", "a file with the service-account JWT (audience istio-ca); - for stdin")
	rootCert := fs.String("root-cert", "", "PEM bundle to verify istiod's serving certificate with (istio-ca-root-cert)")
	insecure := fs.Bool("insecure", false, "do not verify istiod's serving certificate (the proving ground only)")
	san := fs.String("san", "istiod.istio-system.svc", "the name istiod's serving certificate must carry")
	version := fs.String("istio-version", "1.30.3", "ISTIO_VERSION the proxy reports")
	timeout := fs.Duration("timeout", 20*time.Second, "how long to wait for each response")
	verbose := fs.Bool("v", false, "log the ADS client's messages (on stderr)")
	_ = fs.Parse(args)

	logToStderr(*verbose, log.ErrorLevel)
	if *clusterID == "" || *network == "" || *tokenFile == "" {
		fail("sds: --cluster, --network and --token-file are required")
	}
	if (*rootCert == "") == !*insecure {
		fail("sds: give exactly one of --root-cert FILE and --insecure")
	}
	if *serviceAccount == "" {
		*serviceAccount = *workload
	}
	token, err := readToken(*tokenFile)
	if err != nil {
		fail("sds: read the token: %v", err)
	}
	creds, err := istiodTLS(*rootCert, *san, *insecure)
	if err != nil {
		fail("sds: istiod's root certificate: %v", err)
	}

	meta := map[string]any{
		"CLUSTER_ID":      *clusterID,
		"NETWORK":         *network,
		"ISTIO_VERSION":   *version,
		"NAMESPACE":       *namespace,
		"WORKLOAD_NAME":   *workload,
		"SERVICE_ACCOUNT": *serviceAccount,
		"INSTANCE_IPS":    *ip,
	}
	m, err := nodeMetadata(meta, *labels)
	if err != nil {
		fail("sds: node metadata: %v", err)
	}

	out := SDSResult{
		Node:      fmt.Sprintf("%s~%s~%s.%s", model.Router, *ip, *workload, *namespace),
		Verified:  !*insecure,
		Listeners: []string{},
		Chains:    []SDSChain{},
		Requested: []string{},
		Secrets:   map[string]SDSSecret{},
	}
	all := []string{}
	var sendErr error
	watch := &streamWatch{clusterID: *clusterID, failed: make(chan struct{})}
	h := &sdsCollector{gotLDS: make(chan struct{}), gotSDS: make(chan struct{})}
	h.onLDS = func(c *adsc.ADSC, ls []*listener.Listener) {
		for _, l := range ls {
			all = append(all, l.Name)
			if *port != 0 && l.GetAddress().GetSocketAddress().GetPortValue() != uint32(*port) {
				continue
			}
			out.Listeners = append(out.Listeners, l.Name)
			for _, fc := range l.FilterChains {
				names, fromIstiod := sdsNamesOf(fc)
				out.Chains = append(out.Chains, SDSChain{
					Listener:    l.Name,
					ServerNames: append([]string{}, fc.GetFilterChainMatch().GetServerNames()...),
					SdsNames:    names,
				})
				for _, n := range fromIstiod {
					if !slices.Contains(out.Requested, n) {
						out.Requested = append(out.Requested, n)
					}
				}
			}
		}
		sort.Strings(out.Listeners)
		sort.Strings(out.Requested)
		if len(out.Requested) > 0 {
			sendErr = c.Send(&discovery.DiscoveryRequest{TypeUrl: v3.SecretType, ResourceNames: out.Requested})
		}
	}
	cfg := &adsc.ADSConfig{
		Config: adsc.Config{
			ClientName: "meshxds-sds",
			Namespace:  *namespace,
			Workload:   *workload,
			IP:         *ip,
			Meta:       m,
			NodeType:   model.Router,
			GrpcOpts: []grpc.DialOption{
				grpc.WithTransportCredentials(creds),
				// the agent's token provider: `authorization: Bearer <JWT>`, over TLS only
				grpc.WithPerRPCCredentials(caclient.NewDefaultTokenProvider(&security.Options{CredFetcher: staticToken{token}})),
				grpc.WithStreamInterceptor(watch.intercept),
			},
		},
		InitialDiscoveryRequests: []*discovery.DiscoveryRequest{{TypeUrl: v3.ListenerType}},
		ResponseHandler:          h,
	}
	c := openStream(*addr, cfg, " (sds)")
	defer c.Close()

	select {
	case <-h.gotLDS:
	case <-watch.failed:
		fail("sds: %s refused the stream while waiting for listeners (LDS): %s", *addr, describe(watch.err))
	case <-time.After(*timeout):
		fail("sds: no listeners (LDS) from %s within %s", *addr, *timeout)
	}
	if len(out.Listeners) == 0 {
		sort.Strings(all)
		fail("sds: istiod serves this gateway no listener on port %d (its listeners: %v); is there a Gateway selecting %s in %s's config?",
			*port, all, *labels, *clusterID)
	}
	if sendErr != nil {
		fail("sds: ask for the secrets: %v", sendErr)
	}

	if len(out.Requested) > 0 {
		select {
		case <-h.gotSDS:
		case <-watch.failed:
			fail("sds: %s refused the stream while waiting for secrets (SDS): %s", *addr, describe(watch.err))
		case <-time.After(*timeout):
			fail("sds: no secrets (SDS) for %v from %s within %s: istiod sends nothing when it serves none of the names: "+
				"the identity %s/%s may not list secrets in %s (SubjectAccessReview), a name is in another namespace, or "+
				"the Secret is absent in %s or holds no valid tls.crt/tls.key; istiod's log says which "+
				"(\"attempted to access unauthorized certificates\", \"failed to fetch key and certificate\")",
				out.Requested, *addr, *timeout, *namespace, *serviceAccount, *namespace, *clusterID)
		}
		h.mu.Lock()
		for _, s := range h.secrets {
			out.Secrets[s.Name] = secretOf(s)
		}
		h.mu.Unlock()
		for _, n := range out.Requested {
			if _, ok := out.Secrets[n]; !ok {
				out.Missing = append(out.Missing, n)
			}
		}
	}

	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fail("write the result: %v", err)
	}
}

// sdsNamesOf are the SDS secret names of a filter chain's DownstreamTlsContext (certificates, then validation
// contexts), and those of them istiod serves itself: their SDS config is ADS (a Gateway's credentialName), where
// `default` and `ROOTCA` name the agent's SDS cluster.
func sdsNamesOf(fc *listener.FilterChain) (all, fromIstiod []string) {
	all, fromIstiod = []string{}, []string{}
	ts := fc.GetTransportSocket().GetTypedConfig()
	if ts == nil {
		return all, fromIstiod
	}
	dtc := &tlsv3.DownstreamTlsContext{}
	if ts.UnmarshalTo(dtc) != nil {
		return all, fromIstiod
	}
	ctc := dtc.GetCommonTlsContext()
	configs := append([]*tlsv3.SdsSecretConfig{}, ctc.GetTlsCertificateSdsSecretConfigs()...)
	if v := ctc.GetValidationContextSdsSecretConfig(); v != nil {
		configs = append(configs, v)
	}
	if v := ctc.GetCombinedValidationContext().GetValidationContextSdsSecretConfig(); v != nil {
		configs = append(configs, v)
	}
	for _, sc := range configs {
		if slices.Contains(all, sc.GetName()) {
			continue
		}
		all = append(all, sc.GetName())
		if sc.GetSdsConfig().GetAds() != nil {
			fromIstiod = append(fromIstiod, sc.GetName())
		}
	}
	return all, fromIstiod
}

func secretOf(s *tlsv3.Secret) SDSSecret {
	out := SDSSecret{}
	if c := s.GetTlsCertificate(); c != nil {
		out.CertChainPem = string(c.GetCertificateChain().GetInlineBytes())
		if c.GetCertificateChain().GetInlineString() != "" {
			out.CertChainPem = c.GetCertificateChain().GetInlineString()
		}
		pk := c.GetPrivateKey()
		out.HasPrivateKey = len(pk.GetInlineBytes()) > 0 || pk.GetInlineString() != "" || pk.GetFilename() != ""
		if p := c.GetPrivateKeyProvider(); p != nil {
			out.PrivateKeyProvider = p.GetProviderName()
			out.HasPrivateKey = true
		}
	}
	if v := s.GetValidationContext(); v != nil {
		out.TrustedCaPem = string(v.GetTrustedCa().GetInlineBytes())
	}
	return out
}

// describe quotes a gRPC status (code and istiod's message) or any other error.
func describe(err error) string {
	if err == nil {
		return "no error"
	}
	if st, ok := status.FromError(err); ok {
		return fmt.Sprintf("%s: %s", st.Code(), st.Message())
	}
	if errors.Is(err, context.Canceled) {
		return "the stream was cancelled"
	}
	return err.Error()
}
