package confluencesim

import (
	"encoding/json"
	"errors"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// rpcMethods are the remote API's space permission methods
// (contributing/confluence-api.md#the-json-rpc-remote-api; the server's own,
// such as getServerInfo, are in rpcServerMethods), with the SOAP parameters
// after the token, permission first and space last. Each answers true on
// success. Every method checks, in this order: the parameters, the space and
// the caller's right to manage it, the user or group, the permission types,
// then the rules of the core.
var rpcMethods = map[string]rpcMethod{
	"getSpacePermissionSets":             (*dcAPI).getSpacePermissionSets,
	"addPermissionToSpace":               (*dcAPI).addPermissionToSpace,
	"addPermissionsToSpace":              (*dcAPI).addPermissionsToSpace,
	"removePermissionFromSpace":          (*dcAPI).removePermissionFromSpace,
	"addAnonymousPermissionToSpace":      (*dcAPI).addAnonymousPermissionToSpace,
	"addAnonymousPermissionsToSpace":     (*dcAPI).addAnonymousPermissionsToSpace,
	"removeAnonymousPermissionFromSpace": (*dcAPI).removeAnonymousPermissionFromSpace,
}

// Java exceptions the remote API reports in error.data.exception.
const (
	remoteException       = "com.atlassian.confluence.rpc.RemoteException"
	notPermittedException = "com.atlassian.confluence.rpc.NotPermittedException"
)

// exportPage is the legacy type that reads still show for View
// (contributing/confluence-api.md#operation-names-on-data-center).
const exportPage = "EXPORTPAGE"

// addPermissionToSpace(permission, remoteEntityName, spaceKey).
func (a *dcAPI) addPermissionToSpace(c *caller, params []json.RawMessage) (any, *rpcError) {
	var permission, entity, key string
	if err := bindParams(params, &permission, &entity, &key); err != nil {
		return nil, err
	}
	return a.rpcChange(c, key, &entity, []string{permission}, a.site.grantOps)
}

// addPermissionsToSpace(permissions[], remoteEntityName, spaceKey).
func (a *dcAPI) addPermissionsToSpace(c *caller, params []json.RawMessage) (any, *rpcError) {
	var types []string
	var entity, key string
	if err := bindParams(params, &types, &entity, &key); err != nil {
		return nil, err
	}
	return a.rpcChange(c, key, &entity, types, a.site.grantOps)
}

// removePermissionFromSpace(permission, remoteEntityName, spaceKey).
func (a *dcAPI) removePermissionFromSpace(c *caller, params []json.RawMessage) (any, *rpcError) {
	var permission, entity, key string
	if err := bindParams(params, &permission, &entity, &key); err != nil {
		return nil, err
	}
	return a.rpcChange(c, key, &entity, []string{permission}, a.site.revokeOps)
}

// addAnonymousPermissionToSpace(permission, spaceKey).
func (a *dcAPI) addAnonymousPermissionToSpace(c *caller, params []json.RawMessage) (any, *rpcError) {
	var permission, key string
	if err := bindParams(params, &permission, &key); err != nil {
		return nil, err
	}
	return a.rpcChange(c, key, nil, []string{permission}, a.site.grantOps)
}

// addAnonymousPermissionsToSpace(permissions[], spaceKey).
func (a *dcAPI) addAnonymousPermissionsToSpace(c *caller, params []json.RawMessage) (any, *rpcError) {
	var types []string
	var key string
	if err := bindParams(params, &types, &key); err != nil {
		return nil, err
	}
	return a.rpcChange(c, key, nil, types, a.site.grantOps)
}

// removeAnonymousPermissionFromSpace(permission, spaceKey).
func (a *dcAPI) removeAnonymousPermissionFromSpace(c *caller, params []json.RawMessage) (any, *rpcError) {
	var permission, key string
	if err := bindParams(params, &permission, &key); err != nil {
		return nil, err
	}
	return a.rpcChange(c, key, nil, []string{permission}, a.site.revokeOps)
}

// rpcChange grants or revokes types for the user or group named entity, or
// for anonymous users when entity is nil.
//
// UNVERIFIED (contributing/confluence-api.md#the-json-rpc-remote-api): the
// methods return a boolean the record does not explain; chose true for every
// change that is not refused, including granting what is held and removing
// what is not, as the REST API does
// (contributing/confluence-api.md#rest-space-permissions).
func (a *dcAPI) rpcChange(c *caller, key string, entity *string, types []string, change opsChange) (any, *rpcError) {
	if err := a.site.administered(c, key); err != nil {
		return nil, rpcRefusal(err)
	}
	p := permissions.AnonymousPrincipal
	if entity != nil {
		var ok bool
		if p, ok = a.site.entityPrincipal(*entity); !ok {
			return nil, remoteError(remoteException, "No user or group with the name: "+*entity)
		}
	}
	ops := make([]permissions.Operation, 0, len(types))
	for _, t := range types {
		op, ok := fromDCType(t)
		if !ok {
			return nil, remoteError(remoteException, t+" is not a space permission type")
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
func (a *dcAPI) getSpacePermissionSets(c *caller, params []json.RawMessage) (any, *rpcError) {
	var key string
	if err := bindParams(params, &key); err != nil {
		return nil, err
	}
	var sets []rpcPermissionSet
	err := a.site.readAdministered(c, key, func(st *spaceState) { sets = a.permissionSetsLocked(st) })
	if err != nil {
		return nil, rpcRefusal(err)
	}
	return sets, nil
}

// rpcPermissionSet is RemoteSpacePermissionSet
// (contributing/confluence-api.md#the-json-rpc-remote-api).
type rpcPermissionSet struct {
	Type             string               `json:"type"`
	SpacePermissions []rpcSpacePermission `json:"spacePermissions"`
}

// rpcSpacePermission is RemoteSpacePermission: a username (not a user key)
// or a group name, or neither for anonymous users.
type rpcSpacePermission struct {
	Type      string  `json:"type"`
	UserName  *string `json:"userName"`
	GroupName *string `json:"groupName"`
}

// permissionSetsLocked builds the sets; the caller holds the read lock.
func (a *dcAPI) permissionSetsLocked(st *spaceState) []rpcPermissionSet {
	var sets []rpcPermissionSet
	index := map[string]int{}
	for _, p := range spacePermissionTable {
		if p.onDataCenter() {
			index[p.dcType] = len(sets)
			sets = append(sets, rpcPermissionSet{Type: p.dcType, SpacePermissions: []rpcSpacePermission{}})
		}
	}
	index[exportPage] = len(sets)
	sets = append(sets, rpcPermissionSet{Type: exportPage, SpacePermissions: []rpcSpacePermission{}})

	add := func(typ string, p permissions.Principal) {
		row := rpcSpacePermission{Type: typ}
		switch p.Type {
		case permissions.User:
			name := a.site.users[p.ID].Username
			row.UserName = &name
		case permissions.Group:
			name := a.site.groups[p.ID].Name
			row.GroupName = &name
		}
		set := &sets[index[typ]]
		set.SpacePermissions = append(set.SpacePermissions, row)
	}
	for _, g := range st.grants {
		p, _ := lookupPermission(g.Operation) // every stored operation exists on Data Center
		add(p.dcType, g.Principal)
		if g.Operation == permissions.ReadSpace {
			add(exportPage, g.Principal)
		}
	}
	return sets
}

// rpcRefusal renders a refusal of the core as a remote exception, worded
// like the REST API's.
func rpcRefusal(err error) *rpcError {
	var re *RuleError
	if !errors.As(err, &re) {
		return remoteError(remoteException, err.Error())
	}
	exception := remoteException
	if re.Rule == RuleNotSpaceAdmin {
		exception = notPermittedException
	}
	return remoteError(exception, dcRefusalText(re))
}

func remoteError(exception, message string) *rpcError {
	return &rpcError{Code: rpcRemoteException, Message: message, Data: &rpcErrorData{Exception: exception}}
}
