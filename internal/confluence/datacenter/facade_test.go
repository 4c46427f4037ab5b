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
	return exchange{Method: "GET", Path: "/rest/api/space", Query: url.Values{"spaceKey": {"PROJ"}, "start": {"0"}, "limit": {"100"}},
		Answer: spacePage(0, 100, false, spaceText(131083, "PROJ"))}
}

func TestClientSetsAPrincipalWithOneBulkPost(t *testing.T) {
	client := confluence.NewClient(newREST(t,
		userLookup("username", "jane", 200, janeJSON),
		spaceLookup(),
		bulkGET(row(groupSubject, "space", "read"), row(groupSubject, "space", "administer"), row(`{"type":"anonymous"}`, "space", "read")),
		exchange{Method: "POST", Path: "/rest/api/space/PROJ/permissions",
			Body: `[{"userKey":"` + janeKey + `","operations":[{"targetType":"space","operationKey":"read"},{"targetType":"page","operationKey":"create"}]}]`},
	))
	// The client resolves jane to her user key itself: the POST carries it.
	jane := permissions.Principal{Type: permissions.User, ID: "jane"}
	if _, err := client.SetPrincipal(context.Background(), "PROJ", jane, permissions.NewOperationSet(read, addPage), nil); err != nil {
		t.Fatal(err)
	}
}

func TestClientGrantsReadFirstOverTheRemoteAPI(t *testing.T) {
	client := confluence.NewClient(newRPC(t,
		spaceLookup(),
		userLookup("username", "Jane", 200, janeJSON),
		rpc(1, "getSpacePermissionSets", `["PROJ"]`, 200, rpcResult(1, `[{"type":"VIEWSPACE","spacePermissions":[{"type":"VIEWSPACE","userName":null,"groupName":"confluence-users"}]}]`)),
		rpc(2, "addPermissionToSpace", `["VIEWSPACE","jane","PROJ"]`, 200, rpcResult(2, "true")),
		rpc(3, "addPermissionToSpace", `["EDITSPACE","jane","PROJ"]`, 200, rpcResult(3, "true")),
	))
	ctx := context.Background()
	// The client resolves Jane to the username grants carry: the calls name jane.
	out, err := client.AddGrant(ctx, "PROJ", permissions.Grant{Principal: permissions.Principal{Type: permissions.User, ID: "Jane"}, Operation: addPage}, nil)
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
