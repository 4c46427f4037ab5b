package datacenter

import (
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

// RPCBackend speaks the legacy JSON-RPC remote API
// (contributing/confluence-api.md#the-json-rpc-remote-api), for Data Center
// and Server versions older than 9.1, which have no space-permission REST API.
// An administrator must have enabled the remote API, and secure administrator
// sessions (contributing/confluence-api.md#websudo) must be off.
//
// The remote API names users by username (remoteEntityName), so on
// this backend a user principal's id is the username as Confluence spells
// it, not the userKey. A user renamed in Confluence therefore looks like a
// new principal: the grants stay with the user, but the provider sees the
// old name's grants vanish and the new name's appear.
type RPCBackend struct {
	*directory
	rpc rpcClient
}

var (
	_ confluence.Backend           = (*RPCBackend)(nil)
	_ confluence.PrincipalResolver = (*RPCBackend)(nil)
	_ confluence.PrincipalNamer    = (*RPCBackend)(nil)
)

// NewRPC returns a backend that sends its requests through api, whose
// BaseURL is the Confluence base URL including any context path; it posts
// to /rpc/json-rpc/confluenceservice-v2 and reads spaces, users and groups
// under /rest/api.
func NewRPC(api *transport.API, opts ...Option) *RPCBackend {
	return &RPCBackend{directory: newDirectory(api, false, opts), rpc: rpcClient{api: api}}
}
