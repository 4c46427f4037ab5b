package confluencesim

import (
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The provider's operation table (internal/permissions) must agree with the
// simulator's, which is written from Atlassian's documents separately, entry
// by entry: a wrong pair or type name on either side fails here instead of
// being served back to the client that made it.
func TestProviderTableAgreesWithTheSimulators(t *testing.T) {
	provider := map[permissions.Operation]permissions.OperationInfo{}
	for _, info := range permissions.Operations() {
		if _, dup := provider[info.Operation]; dup {
			t.Errorf("the provider lists %s twice", info.Operation)
		}
		provider[info.Operation] = info
	}
	seen := map[permissions.Operation]bool{}
	for _, p := range spacePermissionTable {
		if seen[p.op] {
			t.Errorf("the simulator lists %s twice", p.op)
		}
		seen[p.op] = true
		info, ok := provider[p.op]
		if !ok {
			t.Errorf("%s: in the simulator's table, not in the provider's", p.op)
			continue
		}
		if info.Cloud != p.cloud {
			t.Errorf("%s: on Cloud: provider %v, simulator %v", p.op, info.Cloud, p.cloud)
		}
		rest := dcOperation{TargetType: info.DataCenterREST.Target, OperationKey: info.DataCenterREST.Key}
		if rest != p.dcREST {
			t.Errorf("%s: Data Center REST pair: provider %s, simulator %s", p.op, rest, p.dcREST)
		}
		if info.DataCenterType != p.dcType {
			t.Errorf("%s: remote API type: provider %q, simulator %q", p.op, info.DataCenterType, p.dcType)
		}
		if info.OnDataCenter() != p.onDataCenter() {
			t.Errorf("%s: on Data Center: provider %v, simulator %v", p.op, info.OnDataCenter(), p.onDataCenter())
		}
	}
	for op := range provider {
		if !seen[op] {
			t.Errorf("%s: in the provider's table, not in the simulator's", op)
		}
	}
	// The lookups the provider offers answer as the simulator's do.
	for _, p := range spacePermissionTable {
		if !p.onDataCenter() {
			continue
		}
		if got, ok := permissions.FromDataCenterREST(permissions.Operation{Key: p.dcREST.OperationKey, Target: p.dcREST.TargetType}); !ok || got != p.op {
			t.Errorf("provider maps REST %s to %s, %v; simulator to %s", p.dcREST, got, ok, p.op)
		}
		if got, ok := permissions.FromDataCenterType(p.dcType); !ok || got != p.op {
			t.Errorf("provider maps %s to %s, %v; simulator to %s", p.dcType, got, ok, p.op)
		}
	}
}

// The simulator's table holds what the sources list: the 14 Cloud pairs of
// SpacePermissionRequest, the 14 Data Center REST pairs and the 14 remote
// API types, each once.
func TestSimulatorTableCounts(t *testing.T) {
	cloud, rest, types := 0, map[dcOperation]bool{}, map[string]bool{}
	for _, p := range spacePermissionTable {
		if p.cloud {
			cloud++
		}
		if p.onDataCenter() {
			rest[p.dcREST], types[p.dcType] = true, true
		}
	}
	if cloud != 14 || len(rest) != 14 || len(types) != 14 {
		t.Errorf("%d Cloud pairs, %d REST pairs, %d types; want 14 each", cloud, len(rest), len(types))
	}
	if types[exportPage] {
		t.Errorf("%s is a legacy type reads show, not a permission to grant", exportPage)
	}
	if _, ok := fromDCType(exportPage); ok {
		t.Errorf("%s maps to a permission", exportPage)
	}
}
