package datacenter

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// rpc is one JSON-RPC exchange: the exact envelope the backend must post
// (contributing/confluence-api.md#the-json-rpc-remote-api) and the answer.
func rpc(id int, method, params string, status int, answer string) exchange {
	return exchange{
		Method: "POST",
		Path:   "/rpc/json-rpc/confluenceservice-v2",
		Body:   fmt.Sprintf(`{"jsonrpc":"2.0","method":%q,"params":%s,"id":%d}`, method, params, id),
		Status: status,
		Answer: answer,
	}
}

func rpcResult(id int, result string) string {
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"result":%s}`, id, result)
}

func rpcFailure(id int, message string) string {
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"error":{"code":-32000,"message":%q}}`, id, message)
}

// permissionSets is a getSpacePermissionSets answer
// (contributing/confluence-api.md#the-json-rpc-remote-api).
const permissionSets = `[
	{"type":"SETSPACEPERMISSIONS","spacePermissions":[{"type":"SETSPACEPERMISSIONS","userName":null,"groupName":"confluence-administrators"},
	                                                  {"type":"SETSPACEPERMISSIONS","userName":"jane","groupName":null}]},
	{"type":"VIEWSPACE","spacePermissions":[{"type":"VIEWSPACE","userName":null,"groupName":null},
	                                        {"type":"VIEWSPACE","userName":"jane","groupName":null},
	                                        {"type":"VIEWSPACE","userName":null,"groupName":"confluence-administrators"},
	                                        {"type":"VIEWSPACE","userName":"jane","groupName":null}]},
	{"type":"EXPORTPAGE","spacePermissions":[{"type":"EXPORTPAGE","userName":null,"groupName":"confluence-users"}]},
	{"type":"REMOVEOWNCONTENT","spacePermissions":[{"userName":"jane"}]},
	{"type":"REMOVEMAIL","spacePermissions":[]},
	{"type":"SOMETHINGNEW","spacePermissions":[{"type":"SOMETHINGNEW","userName":"jane","groupName":null}]}
]`

func TestRPCSpaceGrantsReadsPermissionSets(t *testing.T) {
	log := &logLines{}
	b := NewRPC(newAPI(t, rpc(1, "getSpacePermissionSets", `["PROJ"]`, 200, rpcResult(1, permissionSets))), WithLogger(log))
	got, err := b.SpaceGrants(context.Background(), proj)
	if err != nil {
		t.Fatal(err)
	}
	jane := permissions.Principal{Type: permissions.User, ID: "jane"}
	admins := permissions.Principal{Type: permissions.Group, ID: "confluence-administrators"}
	want := grantsOf(
		g(admins, admin), g(jane, admin),
		g(anonP, read), g(jane, read), g(admins, read),
		g(jane, permissions.Operation{Key: "delete", Target: "space"}),
	)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SpaceGrants =\n%+v\nwant\n%+v", got, want)
	}
	var skipped []any
	for _, line := range log.all() {
		skipped = append(skipped, line["permission"])
	}
	if !reflect.DeepEqual(skipped, []any{"EXPORTPAGE", "SOMETHINGNEW"}) {
		t.Errorf("skipped %v, want EXPORTPAGE and SOMETHINGNEW logged", skipped)
	}
}

func TestRPCWritesPutThePermissionFirstAndTheSpaceLast(t *testing.T) {
	jane := permissions.Principal{Type: permissions.User, ID: "jane"}
	devs := permissions.Principal{Type: permissions.Group, ID: "developers"}
	b := newRPC(t,
		rpc(1, "addPermissionToSpace", `["VIEWSPACE","jane","PROJ"]`, 200, rpcResult(1, "true")),
		rpc(2, "addPermissionToSpace", `["EDITSPACE","developers","PROJ"]`, 200, rpcResult(2, "true")),
		rpc(3, "addAnonymousPermissionToSpace", `["SETPAGEPERMISSIONS","PROJ"]`, 200, rpcResult(3, "true")),
		rpc(4, "removePermissionFromSpace", `["REMOVEMAIL","developers","PROJ"]`, 200, rpcResult(4, "true")),
		rpc(5, "removeAnonymousPermissionFromSpace", `["EXPORTSPACE","PROJ"]`, 200, rpcResult(5, "true")),
	)
	ctx := context.Background()
	for _, add := range []permissions.Grant{
		g(jane, read),
		g(devs, addPage),
		g(anonP, permissions.Operation{Key: "restrict_content", Target: "space"}),
	} {
		if got, err := b.AddGrant(ctx, proj, add); err != nil || got.Domain() != add {
			t.Errorf("AddGrant(%v) = %+v, %v", add, got, err)
		}
	}
	for _, remove := range []permissions.Grant{
		g(devs, permissions.Operation{Key: "delete_mail", Target: "space"}),
		g(anonP, permissions.Operation{Key: "export", Target: "space"}),
	} {
		if err := b.RemoveGrant(ctx, proj, confluence.StoredGrant{Principal: remove.Principal, Operation: remove.Operation}); err != nil {
			t.Errorf("RemoveGrant(%v): %v", remove, err)
		}
	}
}

func TestRPCAddGrantAnsweredFalseIsAnError(t *testing.T) {
	b := newRPC(t, rpc(1, "addPermissionToSpace", `["VIEWSPACE","jane","PROJ"]`, 200, rpcResult(1, "false")))
	_, err := b.AddGrant(context.Background(), proj, g(permissions.Principal{Type: permissions.User, ID: "jane"}, read))
	if !errors.Is(err, errNotDone) || !strings.Contains(err.Error(), "addPermissionToSpace") {
		t.Errorf("err = %v", err)
	}
}

func TestRPCRemoveGrantOfAMissingGrantIsNotAnError(t *testing.T) {
	jane := permissions.Principal{Type: permissions.User, ID: "jane"}
	tests := []struct {
		name   string
		remove exchange
		sets   string
		ok     bool
	}{
		{"refused, and the grant is not there", rpc(1, "removePermissionFromSpace", `["EDITSPACE","jane","PROJ"]`, 200,
			rpcFailure(1, "com.atlassian.confluence.rpc.RemoteException: jane does not have permission EDITSPACE")), permissionSets, true},
		{"answered false, and the grant is not there", rpc(1, "removePermissionFromSpace", `["EDITSPACE","jane","PROJ"]`, 200,
			rpcResult(1, "false")), permissionSets, true},
		{"refused, and the grant is still there", rpc(1, "removePermissionFromSpace", `["EDITSPACE","jane","PROJ"]`, 500,
			rpcFailure(1, "com.atlassian.confluence.rpc.NotPermittedException: not allowed")),
			`[{"type":"EDITSPACE","spacePermissions":[{"type":"EDITSPACE","userName":"jane","groupName":null}]}]`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newRPC(t, tt.remove, rpc(2, "getSpacePermissionSets", `["PROJ"]`, 200, rpcResult(2, tt.sets)))
			err := b.RemoveGrant(context.Background(), proj, confluence.StoredGrant{Principal: jane, Operation: addPage})
			if (err == nil) != tt.ok {
				t.Errorf("err = %v", err)
			}
			if !tt.ok && !strings.Contains(err.Error(), "not allowed") {
				t.Errorf("err = %v, want Confluence's message", err)
			}
		})
	}
}

func TestRPCErrorEnvelope(t *testing.T) {
	tests := []struct {
		name   string
		status int
		answer string
		want   string
		check  func(error) bool
	}{
		{"error with 200", 200, rpcFailure(1, "com.atlassian.confluence.rpc.RemoteException: No space found for space key: PROJ"),
			"No space found for space key: PROJ", func(err error) bool { return !confluence.IsNotFound(err) }},
		{"error with 500", 500, rpcFailure(1, "com.atlassian.confluence.rpc.RemoteException: No space found for space key: PROJ"),
			"No space found for space key: PROJ", func(err error) bool { return true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newRPC(t, rpc(1, "getSpacePermissionSets", `["PROJ"]`, tt.status, tt.answer))
			_, err := b.SpaceGrants(context.Background(), proj)
			var rpcErr *RPCError
			var e *confluence.Error
			if !errors.As(err, &rpcErr) || !errors.As(err, &e) {
				t.Fatalf("err = %#v, want an *RPCError wrapping a *confluence.Error", err)
			}
			if rpcErr.Method != "getSpacePermissionSets" || e.StatusCode != tt.status || !strings.Contains(e.Message, tt.want) ||
				!strings.Contains(err.Error(), "getSpacePermissionSets") || !tt.check(err) {
				t.Errorf("err = %v (status %d, message %q)", err, e.StatusCode, e.Message)
			}
			if tt.status == 200 && rpcErr.Code != -32000 {
				t.Errorf("code = %d", rpcErr.Code)
			}
		})
	}
}

func TestRPCExplainsTheRemoteAPIsKnownFailures(t *testing.T) {
	const webSudoPage = `<!DOCTYPE html><html><head><title>Administrator Access - Confluence</title></head><body>websudo</body></html>`
	tests := []struct {
		name   string
		status int
		ctype  string
		answer string
		want   string
		check  func(error) bool
	}{
		// The record conflicts on what a switched-off remote API answers (401
		// or 404), so both messages name both possibilities.
		{"remote API off", 401, "text/plain", "", "the remote API is switched off, or the credentials are wrong: with the remote API off, some versions answer 401 and others 404",
			confluence.IsUnauthorized},
		{"WebSudo page with 200", 200, "text/html;charset=UTF-8", webSudoPage,
			"secure administrator sessions (WebSudo) blocked the call: disable them in General Configuration → Security Configuration",
			transport.IsHTMLResponse},
		{"WebSudo exception", 200, "", rpcFailure(1, "com.atlassian.confluence.rpc.WebSudoRequiredException: websudo required"),
			"disable them in General Configuration → Security Configuration", func(err error) bool { return true }},
		{"WebSudo exception with 500", 500, "", rpcFailure(1, "com.atlassian.confluence.rpc.WebSudoRequiredException: Secure administrator session required"),
			"disable them in General Configuration → Security Configuration", func(err error) bool { return true }},
		{"remote API off or absent", 404, "", `{"statusCode":404,"message":"Not Found"}`,
			"the remote API is switched off (some versions answer 404 then, others 401", confluence.IsNotFound},
		{"remote API answering 405", 405, "", `{"statusCode":405,"message":"Method Not Allowed"}`,
			"the remote API is switched off", func(err error) bool { return err != nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			call := rpc(1, "getSpacePermissionSets", `["PROJ"]`, tt.status, tt.answer)
			call.ContentType = tt.ctype
			b := newRPC(t, call)
			_, err := b.SpaceGrants(context.Background(), proj)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !tt.check(err) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret-password") {
				t.Errorf("err = %v shows the password", err)
			}
		})
	}
}

func TestRPCReadsAreRetriedAndWritesAreNot(t *testing.T) {
	b := NewRPC(newAPIWith(t, withRetries,
		rpc(1, "getSpacePermissionSets", `["PROJ"]`, 503, `{"message":"busy"}`),
		rpc(1, "getSpacePermissionSets", `["PROJ"]`, 200, rpcResult(1, `[]`)),
		rpc(2, "addAnonymousPermissionToSpace", `["VIEWSPACE","PROJ"]`, 502, `bad gateway`),
	))
	if _, err := b.SpaceGrants(context.Background(), proj); err != nil {
		t.Errorf("the read was not retried: %v", err)
	}
	if _, err := b.AddGrant(context.Background(), proj, g(anonP, read)); err == nil {
		t.Error("a failed write reported success")
	}
}

func TestRPCWritesRefuseWhatDataCenterCannotGrant(t *testing.T) {
	b := newRPC(t)
	for _, bad := range []permissions.Grant{
		g(anonP, permissions.Operation{Key: "archive", Target: "page"}),
		g(permissions.Principal{Type: permissions.Group}, read),
		g(permissions.Principal{Type: "role", ID: "r"}, read),
	} {
		if _, err := b.AddGrant(context.Background(), proj, bad); err == nil {
			t.Errorf("AddGrant(%v) accepted", bad)
		}
		if err := b.RemoveGrant(context.Background(), proj, confluence.StoredGrant{Principal: bad.Principal, Operation: bad.Operation}); err == nil {
			t.Errorf("RemoveGrant(%v) accepted", bad)
		}
	}
	if _, err := b.SpaceGrants(context.Background(), confluence.Space{}); err == nil {
		t.Error("a space without a key was accepted")
	}
}

func TestDeploymentFacts(t *testing.T) {
	for _, b := range []confluence.Backend{newREST(t), newRPC(t)} {
		if b.Deployment() != permissions.DataCenter || b.RemovingReadCascades() {
			t.Errorf("%T: Deployment = %s, RemovingReadCascades = %v", b, b.Deployment(), b.RemovingReadCascades())
		}
	}
	if _, ok := confluence.Backend(newRPC(t)).(confluence.PrincipalReplacer); ok {
		t.Error("the remote API backend claims a bulk replace it does not have")
	}
}
