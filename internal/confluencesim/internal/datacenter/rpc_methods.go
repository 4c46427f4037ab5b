package datacenter

import (
	"encoding/json"
	"errors"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// rpcMethods are the remote API's space permission methods
// (contributing/confluence-api.md#the-json-rpc-remote-api; the server's own,
// such as getServerInfo, are in rpcServerMethods), with the SOAP parameters
// after the token, permission first and space last. Each answers true on
// success. Every method checks, in this order: the parameters, the space and
// the caller's right to manage it, the user or group, the permission types,
// then the rules of the state.
var rpcMethods = map[string]rpcMethod{
	"getSpacePermissionSets":             (*API).getSpacePermissionSets,
	"addPermissionToSpace":               (*API).addPermissionToSpace,
	"addPermissionsToSpace":              (*API).addPermissionsToSpace,
	"removePermissionFromSpace":          (*API).removePermissionFromSpace,
	"addAnonymousPermissionToSpace":      (*API).addAnonymousPermissionToSpace,
	"addAnonymousPermissionsToSpace":     (*API).addAnonymousPermissionsToSpace,
	"removeAnonymousPermissionFromSpace": (*API).removeAnonymousPermissionFromSpace,
}

// Java exceptions the remote API reports in error.data.exception.
const (
	RemoteException       = "com.atlassian.confluence.rpc.RemoteException"
	NotPermittedException = "com.atlassian.confluence.rpc.NotPermittedException"
)

// addPermissionToSpace(permission, remoteEntityName, spaceKey).
func (a *API) addPermissionToSpace(c *state.Caller, params []json.RawMessage) (any, *RPCError) {
	var permission, entity, key string
	if err := bindParams(params, &permission, &entity, &key); err != nil {
		return nil, err
	}
	return a.rpcChange(c, key, &entity, []string{permission}, a.store.GrantOps)
}

// addPermissionsToSpace(permissions[], remoteEntityName, spaceKey).
func (a *API) addPermissionsToSpace(c *state.Caller, params []json.RawMessage) (any, *RPCError) {
	var types []string
	var entity, key string
	if err := bindParams(params, &types, &entity, &key); err != nil {
		return nil, err
	}
	return a.rpcChange(c, key, &entity, types, a.store.GrantOps)
}

// removePermissionFromSpace(permission, remoteEntityName, spaceKey).
func (a *API) removePermissionFromSpace(c *state.Caller, params []json.RawMessage) (any, *RPCError) {
	var permission, entity, key string
	if err := bindParams(params, &permission, &entity, &key); err != nil {
		return nil, err
	}
	return a.rpcChange(c, key, &entity, []string{permission}, a.store.RevokeOps)
}

// addAnonymousPermissionToSpace(permission, spaceKey).
func (a *API) addAnonymousPermissionToSpace(c *state.Caller, params []json.RawMessage) (any, *RPCError) {
	var permission, key string
	if err := bindParams(params, &permission, &key); err != nil {
		return nil, err
	}
	return a.rpcChange(c, key, nil, []string{permission}, a.store.GrantOps)
}

// addAnonymousPermissionsToSpace(permissions[], spaceKey).
func (a *API) addAnonymousPermissionsToSpace(c *state.Caller, params []json.RawMessage) (any, *RPCError) {
	var types []string
	var key string
	if err := bindParams(params, &types, &key); err != nil {
		return nil, err
	}
	return a.rpcChange(c, key, nil, types, a.store.GrantOps)
}

// removeAnonymousPermissionFromSpace(permission, spaceKey).
func (a *API) removeAnonymousPermissionFromSpace(c *state.Caller, params []json.RawMessage) (any, *RPCError) {
	var permission, key string
	if err := bindParams(params, &permission, &key); err != nil {
		return nil, err
	}
	return a.rpcChange(c, key, nil, []string{permission}, a.store.RevokeOps)
}

// rpcChange grants or revokes types for the user or group named entity, or
// for anonymous users when entity is nil.
//
// UNVERIFIED (contributing/confluence-api.md#the-json-rpc-remote-api): the
// methods return a boolean the record does not explain; chose true for every
// change that is not refused, including granting what is held and removing
// what is not, as the REST API does
// (contributing/confluence-api.md#rest-space-permissions).
func (a *API) rpcChange(c *state.Caller, key string, entity *string, types []string, change opsChange) (any, *RPCError) {
	if err := a.store.Administered(c, key); err != nil {
		return nil, rpcRefusal(err)
	}
	p := permissions.AnonymousPrincipal
	if entity != nil {
		var ok bool
		if p, ok = a.store.EntityPrincipal(*entity); !ok {
			return nil, remoteError(RemoteException, "No user or group with the name: "+*entity)
		}
	}
	ops := make([]permissions.Operation, 0, len(types))
	for _, t := range types {
		op, ok := fromType(t)
		if !ok {
			return nil, remoteError(RemoteException, t+" is not a space permission type")
		}
		ops = append(ops, op)
	}
	if _, err := change(c, key, p, ops); err != nil {
		return nil, rpcRefusal(err)
	}
	return true, nil
}

// getSpacePermissionSets(spaceKey): one set per permission type, each listing
// who holds it; anonymous has both names null
// (contributing/confluence-api.md#the-json-rpc-remote-api).
//
// UNVERIFIED (contributing/confluence-api.md#the-json-rpc-remote-api): chose a
// set for every space permission type, empty ones included, in the order of
// the operations table, and EXPORTPAGE last with a row for every holder of
// VIEWSPACE, as if the UI's View had stored both
// (contributing/confluence-api.md#operation-names-on-data-center), so that
// clients prove they ignore it.
func (a *API) getSpacePermissionSets(c *state.Caller, params []json.RawMessage) (any, *RPCError) {
	var key string
	if err := bindParams(params, &key); err != nil {
		return nil, err
	}
	_, grants, err := a.store.AdministeredGrants(c, key)
	if err != nil {
		return nil, rpcRefusal(err)
	}
	return permissionSets(grants), nil
}

// RPCPermissionSet is RemoteSpacePermissionSet
// (contributing/confluence-api.md#the-json-rpc-remote-api).
type RPCPermissionSet struct {
	Type             string               `json:"type"`
	SpacePermissions []RPCSpacePermission `json:"spacePermissions"`
}

// RPCSpacePermission is RemoteSpacePermission: a username (not a user key)
// or a group name, or neither for anonymous users.
type RPCSpacePermission struct {
	Type      string  `json:"type"`
	UserName  *string `json:"userName"`
	GroupName *string `json:"groupName"`
}

// permissionSets builds the sets of a space's grants.
func permissionSets(grants []state.NamedGrant) []RPCPermissionSet {
	var sets []RPCPermissionSet
	index := map[string]int{}
	for _, s := range spellings {
		index[s.rpcType] = len(sets)
		sets = append(sets, RPCPermissionSet{Type: s.rpcType, SpacePermissions: []RPCSpacePermission{}})
	}
	index[exportPage] = len(sets)
	sets = append(sets, RPCPermissionSet{Type: exportPage, SpacePermissions: []RPCSpacePermission{}})

	add := func(typ string, g state.NamedGrant) {
		row := RPCSpacePermission{Type: typ}
		switch g.Principal.Type {
		case permissions.User:
			row.UserName = &g.Username
		case permissions.Group:
			row.GroupName = &g.GroupName
		}
		set := &sets[index[typ]]
		set.SpacePermissions = append(set.SpacePermissions, row)
	}
	for _, g := range grants {
		s, _ := spellingOf(g.Operation) // every stored operation exists on Data Center
		add(s.rpcType, g)
		if g.Operation == permissions.ReadSpace {
			add(exportPage, g)
		}
	}
	return sets
}

// rpcRefusal renders a refusal of the state as a remote exception, worded
// like the REST API's.
func rpcRefusal(err error) *RPCError {
	var re *state.RuleError
	if !errors.As(err, &re) {
		return remoteError(RemoteException, err.Error())
	}
	exception := RemoteException
	if re.Rule == state.RuleNotSpaceAdmin {
		exception = NotPermittedException
	}
	return remoteError(exception, refusalText(re))
}

func remoteError(exception, message string) *RPCError {
	return &RPCError{Code: RPCRemoteException, Message: message, Data: &RPCErrorData{Exception: exception}}
}
