package datacenter

import (
	"context"
	"errors"
	"fmt"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// permissionSetJSON is a RemoteSpacePermissionSet: one permission type and
// who holds it (contributing/confluence-api.md#the-json-rpc-remote-api).
type permissionSetJSON struct {
	Type             string `json:"type"`
	SpacePermissions []struct {
		Type      string `json:"type"`
		UserName  string `json:"userName"`
		GroupName string `json:"groupName"`
	} `json:"spacePermissions"`
}

// rpcPrincipal maps a holder: a user by username, a group by name, and
// anonymous when both are null
// (contributing/confluence-api.md#the-json-rpc-remote-api,
// contributing/confluence-api.md#anonymous-on-data-center).
func rpcPrincipal(userName, groupName string) permissions.Principal {
	switch {
	case userName != "":
		return permissions.Principal{Type: permissions.User, ID: userName}
	case groupName != "":
		return permissions.Principal{Type: permissions.Group, ID: groupName}
	}
	return permissions.AnonymousPrincipal
}

// SpaceGrants reads every grant of the space with getSpacePermissionSets, the
// only remote API method that reads a whole space, and never
// getPermissionsForUser, which answers in other words (CONFSERVER-21951).
// Types outside the table, such as the legacy EXPORTPAGE, are skipped
// (contributing/confluence-api.md#the-json-rpc-remote-api).
func (b *RPCBackend) SpaceGrants(ctx context.Context, s confluence.Space) ([]confluence.StoredGrant, error) {
	if s.Key == "" {
		return nil, errNoSpaceKey
	}
	var sets []permissionSetJSON
	if err := b.rpc.call(ctx, rpcCall{method: "getSpacePermissionSets", params: []any{s.Key}, read: true}, &sets); err != nil {
		return nil, err
	}
	var set grantSet
	for _, ps := range sets {
		for _, holder := range ps.SpacePermissions {
			typ := firstNonEmpty(holder.Type, ps.Type)
			op, ok := permissions.FromDataCenterType(typ)
			if !ok {
				b.skipUnknown(ctx, s.Key, typ)
				continue
			}
			set.add(rpcPrincipal(holder.UserName, holder.GroupName), op)
		}
	}
	return set.grants, nil
}

// rpcMethods are the remote API methods that change one permission of a
// named user or group, and of the anonymous user
// (contributing/confluence-api.md#the-json-rpc-remote-api).
type rpcMethods struct{ named, anonymous string }

var (
	rpcAdd    = rpcMethods{named: "addPermissionToSpace", anonymous: "addAnonymousPermissionToSpace"}
	rpcRemove = rpcMethods{named: "removePermissionFromSpace", anonymous: "removeAnonymousPermissionFromSpace"}
)

// callFor builds the call for one grant. The argument order is permission
// first and space last (contributing/confluence-api.md#the-json-rpc-remote-api):
// (permission, remoteEntityName, spaceKey) and
// (permission, spaceKey). remoteEntityName is a user or a group name; which
// one Confluence picks when both exist with the same name is UNVERIFIED.
func (m rpcMethods) callFor(spaceKey string, g permissions.Grant) (rpcCall, error) {
	if spaceKey == "" {
		return rpcCall{}, errNoSpaceKey
	}
	info, err := dataCenterInfo(g.Operation)
	if err != nil {
		return rpcCall{}, err
	}
	if err := permissions.ValidatePrincipal(g.Principal); err != nil {
		return rpcCall{}, err
	}
	switch g.Principal.Type {
	case permissions.User, permissions.Group:
		return rpcCall{method: m.named, params: []any{info.DataCenterType, g.Principal.ID, spaceKey}}, nil
	case permissions.Anonymous:
		return rpcCall{method: m.anonymous, params: []any{info.DataCenterType, spaceKey}}, nil
	}
	return rpcCall{}, fmt.Errorf("cannot grant to %s on Confluence Data Center", g.Principal)
}

// AddGrant adds one permission. The methods answer a boolean; false
// is reported as an error, after which the client re-reads the space and
// adopts the grant if it is there after all. The call is not retried by
// the transport: it is a POST that writes.
func (b *RPCBackend) AddGrant(ctx context.Context, s confluence.Space, g permissions.Grant) (confluence.StoredGrant, error) {
	rc, err := rpcAdd.callFor(s.Key, g)
	if err != nil {
		return confluence.StoredGrant{}, err
	}
	if err := b.send(ctx, rc); err != nil {
		return confluence.StoredGrant{}, err
	}
	return confluence.StoredGrant{Principal: g.Principal, Operation: g.Operation}, nil
}

// RemoveGrant removes one permission. Removing a permission that is not
// there must not be an error, but how the remote API answers that is
// undocumented, so any failure or false is checked against the space:
// if the grant is gone, the removal succeeded.
func (b *RPCBackend) RemoveGrant(ctx context.Context, s confluence.Space, g confluence.StoredGrant) error {
	rc, err := rpcRemove.callFor(s.Key, g.Domain())
	if err != nil {
		return err
	}
	err = b.send(ctx, rc)
	if err == nil {
		return nil
	}
	grants, rerr := b.SpaceGrants(ctx, s)
	if rerr != nil {
		return err
	}
	var set grantSet
	for _, have := range grants {
		set.add(have.Principal, have.Operation)
	}
	if !set.has(g.Domain()) {
		return nil
	}
	return err
}

// errNotDone is a write method that answered false.
var errNotDone = errors.New("Confluence answered false: nothing was changed")

// send calls a write method and turns a false answer into an error.
func (b *RPCBackend) send(ctx context.Context, rc rpcCall) error {
	var done bool
	if err := b.rpc.call(ctx, rc, &done); err != nil {
		return err
	}
	if !done {
		return fmt.Errorf("the remote API method %s(%v): %w", rc.method, rc.params, errNotDone)
	}
	return nil
}
