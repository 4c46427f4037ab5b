package datacenter

import (
	"slices"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The provider's operation table (internal/permissions) must agree with how
// the simulator spells each permission on Data Center, which is written from
// Atlassian's documents separately, entry by entry: a wrong pair or type name
// on either side fails here instead of being served back to the client that
// made it. Which permissions exist is compared in the state package.
func TestProviderTableAgreesWithTheSimulators(t *testing.T) {
	provider := map[permissions.Operation]permissions.OperationInfo{}
	for _, info := range permissions.Operations() {
		provider[info.Operation] = info
	}
	for op, info := range provider {
		s, _ := spellingOf(op) // zero for a permission Data Center lacks, as the provider's should be
		rest := OperationDescription{TargetType: info.DataCenterREST.Target, OperationKey: info.DataCenterREST.Key}
		if rest != s.rest {
			t.Errorf("%s: Data Center REST pair: provider %s, simulator %s", op, rest, s.rest)
		}
		if info.DataCenterType != s.rpcType {
			t.Errorf("%s: remote API type: provider %q, simulator %q", op, info.DataCenterType, s.rpcType)
		}
	}
	// The lookups the provider offers answer as the simulator's do.
	for _, s := range spellings {
		if got, ok := permissions.FromDataCenterREST(permissions.Operation{Key: s.rest.OperationKey, Target: s.rest.TargetType}); !ok || got != s.op {
			t.Errorf("provider maps REST %s to %s, %v; simulator to %s", s.rest, got, ok, s.op)
		}
		if got, ok := permissions.FromDataCenterType(s.rpcType); !ok || got != s.op {
			t.Errorf("provider maps %s to %s, %v; simulator to %s", s.rpcType, got, ok, s.op)
		}
	}
}

// The spellings are those of exactly the permissions the state offers on
// Data Center, in its order: the 14 REST pairs and the 14 remote API types,
// each once.
func TestSimulatorTableCounts(t *testing.T) {
	var ops []permissions.Operation
	rest, types := map[OperationDescription]bool{}, map[string]bool{}
	for _, s := range spellings {
		ops = append(ops, s.op)
		rest[s.rest], types[s.rpcType] = true, true
	}
	if want := state.Operations(permissions.DataCenter); !slices.Equal(ops, want) {
		t.Errorf("spellings of %v, want %v", ops, want)
	}
	if len(rest) != 14 || len(types) != 14 {
		t.Errorf("%d REST pairs, %d types; want 14 each", len(rest), len(types))
	}
	if types[exportPage] {
		t.Errorf("%s is a legacy type reads show, not a permission to grant", exportPage)
	}
	if _, ok := fromType(exportPage); ok {
		t.Errorf("%s maps to a permission", exportPage)
	}
}
