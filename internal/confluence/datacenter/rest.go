package datacenter

import (
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

// RESTBackend speaks the space-permission REST API of Confluence Data Center
// 9.1 and later (contributing/confluence-api.md#rest-space-permissions).
// Grants carry users by userKey: configure users by username and let
// ResolvePrincipal translate.
type RESTBackend struct {
	*directory
}

var (
	_ confluence.Backend           = (*RESTBackend)(nil)
	_ confluence.PrincipalResolver = (*RESTBackend)(nil)
	_ confluence.PrincipalNamer    = (*RESTBackend)(nil)
	_ confluence.PrincipalReplacer = (*RESTBackend)(nil)

	_ confluence.PartialReplacement = (*PartialReplaceError)(nil)
)

// NewREST returns a backend that sends its requests through api, whose
// BaseURL is the Confluence base URL including any context path
// (https://confluence.example.com/confluence); paths start at /rest/api.
// api should carry WriteHeaders on writes.
func NewREST(api *transport.API, opts ...Option) *RESTBackend {
	return &RESTBackend{directory: newDirectory(api, true, opts)}
}
