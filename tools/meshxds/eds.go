package main

import (
	"sync"

	endpoint "github.com/envoyproxy/go-control-plane/envoy/config/endpoint/v3"
	discovery "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	"google.golang.org/protobuf/proto"

	v3 "istio.io/istio/pilot/pkg/xds/v3"
	"istio.io/istio/pkg/adsc"
)

// edsMerger keeps the last ClusterLoadAssignment of every cluster across EDS responses, as Envoy does. Istio's ADS
// client replaces its whole endpoint map with each response, so an incremental push (only the clusters that
// changed) arriving while the probe waits would drop every other cluster from the view: a gap the mesh never had.
type edsMerger struct {
	mu  sync.Mutex
	cla map[string]*endpoint.ClusterLoadAssignment
}

func (m *edsMerger) HandleResponse(_ *adsc.ADSC, r *discovery.DiscoveryResponse) {
	if r.TypeUrl != v3.EndpointType {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cla == nil {
		m.cla = map[string]*endpoint.ClusterLoadAssignment{}
	}
	for _, res := range r.Resources {
		cla := &endpoint.ClusterLoadAssignment{}
		if err := proto.Unmarshal(res.Value, cla); err == nil {
			m.cla[cla.ClusterName] = cla
		}
	}
}

func (m *edsMerger) endpoints() map[string]*endpoint.ClusterLoadAssignment {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]*endpoint.ClusterLoadAssignment, len(m.cla))
	for k, v := range m.cla {
		out[k] = v
	}
	return out
}

// handlers passes each response to every handler in turn.
type handlers []adsc.ResponseHandler

func (hs handlers) HandleResponse(c *adsc.ADSC, r *discovery.DiscoveryResponse) {
	for _, h := range hs {
		h.HandleResponse(c, r)
	}
}
