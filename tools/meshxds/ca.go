// `meshxds ca`: what a proxy's agent does to get its workload certificate. It generates a key and a CSR for
// spiffe://<trust domain>/ns/<namespace>/sa/<service account> (Istio's own CSR helper, security/pkg/pki/util), and
// calls istiod's CA service (istio.v1.auth.IstioCertificateService/CreateCertificate) on its secure gRPC port
// (15012, TLS) through Istio's own CA client (security/pkg/nodeagent/caclient/providers/citadel), authenticated as
// the agent is: `authorization: Bearer <service-account JWT>` and `ClusterID: <mesh cluster ID>` metadata. It prints
// one JSON document with the returned certificate chain (leaf first, the root bundle last, as istiod sends it).
// Neither the JWT nor the private key is ever printed or logged; the JWT is read from a file or stdin, never argv.
//
//	meshxds ca --addr 127.0.1.1:15012 --cluster cluster1 --namespace sample --service-account default \
//	           --token-file - (--root-cert root-cert.pem | --insecure) [--san istiod.istio-system.svc]
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"

	pb "istio.io/api/security/v1alpha1"
	"istio.io/istio/pkg/log"
	"istio.io/istio/pkg/security"
	"istio.io/istio/pkg/spiffe"
	"istio.io/istio/security/pkg/nodeagent/caclient"
	"istio.io/istio/security/pkg/nodeagent/caclient/providers/citadel"
	"istio.io/istio/security/pkg/pki/util"
)

// CAResult is what `meshxds ca` prints.
type CAResult struct {
	// Identity is the SPIFFE ID the CSR asked for.
	Identity string `json:"identity"`
	// ClusterID is the ClusterID metadata sent (the cluster whose API server reviews the JWT).
	ClusterID string `json:"clusterID"`
	// Verified is true when istiod's serving certificate was verified against --root-cert (false with --insecure).
	Verified bool `json:"verified"`
	// Chain is the certificate chain istiod returned, one PEM per element: the leaf first, the root bundle last.
	Chain []string `json:"chain"`
	// Leaf is the issued certificate, decoded.
	Leaf LeafInfo `json:"leaf"`
}

// LeafInfo is the part of the issued certificate a test checks.
type LeafInfo struct {
	URIs      []string  `json:"uris"`
	Issuer    string    `json:"issuer"`
	NotBefore time.Time `json:"notBefore"`
	NotAfter  time.Time `json:"notAfter"`
}

// staticToken hands the CA client one JWT, as the agent's token file would.
type staticToken struct{ token string }

func (s staticToken) GetPlatformCredential() (string, error) { return s.token, nil }
func (s staticToken) GetIdentityProvider() string            { return "" }
func (s staticToken) Stop()                                  {}

func caMain(args []string) {
	fs := flag.NewFlagSet("meshxds ca", flag.ExitOnError)
	addr := fs.String("addr", "127.0.1.1:15012", "istiod's secure gRPC address (host:port, TLS)")
	clusterID := fs.String("cluster", "", "the ClusterID metadata: the mesh cluster ID whose API server reviews the JWT")
	namespace := fs.String("namespace", "sample", "the workload's namespace")
	serviceAccount := fs.String("service-account", "default", "the workload's service account")
	trustDomain := fs.String("trust-domain", "cluster.local", "the trust domain of the identity the CSR asks for")
	tokenFile := fs.String("token-file", "", "a file with the service-account JWT (audience istio-ca); - for stdin")
	rootCert := fs.String("root-cert", "", "PEM bundle to verify istiod's serving certificate with (istio-ca-root-cert)")
	insecure := fs.Bool("insecure", false, "do not verify istiod's serving certificate (the proving ground only)")
	san := fs.String("san", "istiod.istio-system.svc", "the name istiod's serving certificate must carry")
	ttl := fs.Duration("ttl", time.Hour, "the certificate lifetime to ask for")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this long")
	verbose := fs.Bool("v", false, "log the CA client's messages (on stderr)")
	_ = fs.Parse(args)

	logToStderr(*verbose, log.ErrorLevel)
	if *clusterID == "" || *tokenFile == "" {
		fail("ca: --cluster and --token-file are required")
	}
	if (*rootCert == "") == !*insecure {
		fail("ca: give exactly one of --root-cert FILE and --insecure")
	}
	token, err := readToken(*tokenFile)
	if err != nil {
		fail("ca: read the token: %v", err)
	}

	id := spiffe.Identity{TrustDomain: *trustDomain, Namespace: *namespace, ServiceAccount: *serviceAccount}.String()
	// The key stays in this process: it is generated, used for the CSR and dropped.
	csrPEM, _, err := util.GenCSR(util.CertOptions{Host: id, ECSigAlg: util.EcdsaSigAlg, ECCCurve: util.P256Curve})
	if err != nil {
		fail("ca: generate the CSR: %v", err)
	}
	opts := &security.Options{
		CAEndpoint:    *addr,
		CAEndpointSAN: *san,
		ClusterID:     *clusterID,
		TrustDomain:   *trustDomain,
		CredFetcher:   staticToken{token},
	}

	type answer struct {
		chain []string
		err   error
	}
	done := make(chan answer, 1)
	go func() {
		var a answer
		if *insecure {
			a.chain, a.err = signInsecure(opts, csrPEM, int64(ttl.Seconds()))
		} else {
			a.chain, a.err = signVerified(opts, *rootCert, csrPEM, int64(ttl.Seconds()))
		}
		done <- a
	}()
	var chain []string
	select {
	case a := <-done:
		if a.err != nil {
			fail("ca: %s refused or failed: %v", *addr, a.err)
		}
		chain = a.chain
	case <-time.After(*timeout):
		fail("ca: no certificate from %s within %s", *addr, *timeout)
	}

	out := CAResult{Identity: id, ClusterID: *clusterID, Verified: !*insecure, Chain: chain}
	if len(chain) > 0 {
		if b, _ := pem.Decode([]byte(chain[0])); b != nil {
			if leaf, err := x509.ParseCertificate(b.Bytes); err == nil {
				out.Leaf = LeafInfo{Issuer: leaf.Issuer.String(), NotBefore: leaf.NotBefore, NotAfter: leaf.NotAfter, URIs: []string{}}
				for _, u := range leaf.URIs {
					out.Leaf.URIs = append(out.Leaf.URIs, u.String())
				}
			}
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fail("write the result: %v", err)
	}
}

func readToken(file string) (string, error) {
	var b []byte
	var err error
	if file == "-" {
		b, err = io.ReadAll(os.Stdin)
	} else {
		b, err = os.ReadFile(file)
	}
	if err != nil {
		return "", err
	}
	t := strings.TrimSpace(string(b))
	if t == "" {
		return "", errors.New("it is empty")
	}
	return t, nil
}

// signVerified is the agent's own path: Istio's citadel CA client, istiod's certificate verified against rootCert.
func signVerified(opts *security.Options, rootCert string, csrPEM []byte, ttlSeconds int64) ([]string, error) {
	c, err := citadel.NewCitadelClient(opts, &citadel.TLSOptions{RootCert: rootCert})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.CSRSign(csrPEM, ttlSeconds)
}

// signInsecure makes the same call as the citadel client (same token provider, same metadata and request), over TLS
// without verifying istiod's certificate, which the citadel client cannot do.
func signInsecure(opts *security.Options, csrPEM []byte, ttlSeconds int64) ([]string, error) {
	creds := credentials.NewTLS(&tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}) //nolint:gosec // --insecure
	conn, err := grpc.NewClient(opts.CAEndpoint, grpc.WithTransportCredentials(creds),
		grpc.WithPerRPCCredentials(caclient.NewDefaultTokenProvider(opts)))
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	ctx := metadata.NewOutgoingContext(context.Background(), metadata.Pairs("ClusterID", opts.ClusterID))
	resp, err := pb.NewIstioCertificateServiceClient(conn).CreateCertificate(ctx, &pb.IstioCertificateRequest{
		Csr:              string(csrPEM),
		ValidityDuration: ttlSeconds,
	})
	if err != nil {
		return nil, fmt.Errorf("create certificate: %v", err)
	}
	if len(resp.CertChain) <= 1 {
		return nil, errors.New("invalid empty CertChain")
	}
	return resp.CertChain, nil
}
