package state

import (
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The provider's operation table (internal/permissions) must agree with the
// simulator's, which is written from Atlassian's documents separately, entry
// by entry: a wrong pair on either side fails here instead of being served
// back to the client that made it. The Data Center spellings are compared in
// the datacenter package.
func TestProviderTableAgreesWithTheSimulators(t *testing.T) {
	provider := map[permissions.Operation]permissions.OperationInfo{}
	for _, info := range permissions.Operations() {
		if _, dup := provider[info.Operation]; dup {
			t.Errorf("the provider lists %s twice", info.Operation)
		}
		provider[info.Operation] = info
	}
	seen := map[permissions.Operation]bool{}
	for _, o := range operations {
		if seen[o.op] {
			t.Errorf("the simulator lists %s twice", o.op)
		}
		seen[o.op] = true
		info, ok := provider[o.op]
		if !ok {
			t.Errorf("%s: in the simulator's table, not in the provider's", o.op)
			continue
		}
		if info.Cloud != o.cloud {
			t.Errorf("%s: on Cloud: provider %v, simulator %v", o.op, info.Cloud, o.cloud)
		}
		if info.OnDataCenter() != o.dataCenter {
			t.Errorf("%s: on Data Center: provider %v, simulator %v", o.op, info.OnDataCenter(), o.dataCenter)
		}
	}
	for op := range provider {
		if !seen[op] {
			t.Errorf("%s: in the provider's table, not in the simulator's", op)
		}
	}
}

// The simulator's table holds what the sources list: the 14 Cloud pairs of
// SpacePermissionRequest and the 14 Data Center permissions, each once.
func TestSimulatorTableCounts(t *testing.T) {
	if cloud, dc := len(Operations(permissions.Cloud)), len(Operations(permissions.DataCenter)); cloud != 14 || dc != 14 {
		t.Errorf("%d Cloud pairs, %d Data Center permissions; want 14 each", cloud, dc)
	}
}
