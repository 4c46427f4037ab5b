package datacenter

import (
	"context"
	"net/url"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// These tests run the backends under the client the provider uses, to show
// that they fit its contract: resolve, read once, write in order.

func spaceLookup() exchange {
	return exchange{method: "GET", path: "/rest/api/space", query: url.Values{"spaceKey": {"PROJ"}, "start": {"0"}, "limit": {"100"}},
		answer: spacePage(0, 100, false, spaceText(131083, "PROJ"))}
}

func TestClientSetsAPrincipalWithOneBulkPost(t *testing.T) {
	client := confluence.NewClient(newREST(t,
		userLookup("username", "jane", 200, janeJSON),
		spaceLookup(),
		bulkGET(row(groupSubject, "space", "read"), row(groupSubject, "space", "administer"), row(`{"type":"anonymous"}`, "space", "read")),
		exchange{method: "POST", path: "/rest/api/space/PROJ/permissions",
			body: `[{"userKey":"` + janeKey + `","operations":[{"targetType":"space","operationKey":"read"},{"targetType":"page","operationKey":"create"}]}]`},
	))
	ctx := context.Background()
	jane, err := client.ResolvePrincipal(ctx, permissions.Principal{Type: permissions.User, ID: "jane"})
	if err != nil || jane != janeP {
		t.Fatalf("ResolvePrincipal = %v, %v", jane, err)
	}
	if _, err := client.SetPrincipal(ctx, "PROJ", jane, permissions.NewOperationSet(read, addPage)); err != nil {
		t.Fatal(err)
	}
}

func TestClientGrantsReadFirstOverTheRemoteAPI(t *testing.T) {
	jane := permissions.Principal{Type: permissions.User, ID: "jane"}
	client := confluence.NewClient(newRPC(t,
		userLookup("username", "Jane", 200, janeJSON),
		spaceLookup(),
		rpc(1, "getSpacePermissionSets", `["PROJ"]`, 200, rpcResult(1, `[{"type":"VIEWSPACE","spacePermissions":[{"type":"VIEWSPACE","userName":null,"groupName":"confluence-users"}]}]`)),
		rpc(2, "addPermissionToSpace", `["VIEWSPACE","jane","PROJ"]`, 200, rpcResult(2, "true")),
		rpc(3, "addPermissionToSpace", `["EDITSPACE","jane","PROJ"]`, 200, rpcResult(3, "true")),
	))
	ctx := context.Background()
	p, err := client.ResolvePrincipal(ctx, permissions.Principal{Type: permissions.User, ID: "Jane"})
	if err != nil || p != jane {
		t.Fatalf("ResolvePrincipal = %v, %v", p, err)
	}
	out, err := client.AddGrant(ctx, "PROJ", permissions.Grant{Principal: p, Operation: addPage})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Notes) != 1 {
		t.Errorf("notes = %+v, want one saying read/space was granted too", out.Notes)
	}
	grants, err := client.Grants(ctx, "PROJ") // from the cache: no request
	if err != nil || len(grants) != 3 {
		t.Errorf("Grants = %+v, %v", grants, err)
	}
}
