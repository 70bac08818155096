package main

import (
	"strings"

	pstruct "google.golang.org/protobuf/types/known/structpb"
)

// nodeMetadata is the node metadata a proxy of the mesh sends istiod: `fields` (CLUSTER_ID, NETWORK, …) plus, when
// `labels` ("k=v,k=v") names any, its workload LABELS. Every mode (xDS, sds, pcds) builds its node with it.
func nodeMetadata(fields map[string]any, labels string) (*pstruct.Struct, error) {
	meta := map[string]any{}
	for k, v := range fields {
		meta[k] = v
	}
	lbl := map[string]any{}
	for _, kv := range strings.Split(labels, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			lbl[k] = v
		}
	}
	if len(lbl) > 0 {
		meta["LABELS"] = lbl
	}
	return pstruct.NewStruct(meta)
}
