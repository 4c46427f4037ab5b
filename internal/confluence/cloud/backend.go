// Package cloud is the Confluence Cloud backend. It reads spaces, grants and
// the role mode with the v2 API, adds and removes grants with the v1 API
// (v2 has no grant writes), manages space roles and their assignments with
// v2, and looks users and groups up with v1, as described in
// contributing/confluence-api.md, whose sections are cited below with their
// anchors.
package cloud

import (
	"sync/atomic"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Backend speaks Confluence Cloud's REST APIs.
type Backend struct {
	api *transport.API
	// rolePoll bounds the wait for accepted role changes (zero: the
	// default; tests shorten it).
	rolePoll pollPolicy
	// arrayForm is how the site reads array parameters of GET /spaces,
	// once an answer has shown it (see listSpaces).
	arrayForm atomic.Int32
}

var (
	_ confluence.Backend        = (*Backend)(nil)
	_ confluence.RoleModeReader = (*Backend)(nil)
)

// New returns a backend that sends its requests through api, whose BaseURL is
// the site (https://example.atlassian.net) or the gateway
// (https://api.atlassian.com/ex/confluence/{cloudId}); paths start at /wiki.
func New(api *transport.API) *Backend {
	return &Backend{api: api}
}

// Deployment is Cloud.
func (*Backend) Deployment() permissions.Deployment { return permissions.Cloud }

// RemovingReadCascades is true: on Cloud, removing a principal's read/space
// removes all its other grants in the space
// (contributing/confluence-api.md#removing-a-grant-v1).
func (*Backend) RemovingReadCascades() bool { return true }
