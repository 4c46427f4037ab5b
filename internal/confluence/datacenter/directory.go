package datacenter

import (
	"context"
	"net/http"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/cache"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// WriteHeaders are the headers every Data Center write must carry: the XSRF
// filter answers 403 "XSRF check failed" to requests without
// X-Atlassian-Token, and only the hyphenated value no-check is accepted
// (contributing/confluence-api.md#data-center-authentication-and-xsrf).
// Whether JSON writes to /rest/api need it is UNVERIFIED; it is harmless, so
// every write sends it. Pass them as transport.Config.ExtraWriteHeaders.
func WriteHeaders() http.Header {
	return http.Header{"X-Atlassian-Token": {"no-check"}}
}

// Option configures a backend.
type Option func(*directory)

// WithLogger sends debug lines (for example about permissions the provider
// does not know and skips) to l.
func WithLogger(l transport.Logger) Option {
	return func(s *directory) {
		if l != nil {
			s.log = l
		}
	}
}

// directory is what both backends share: the transport, the logger, and
// the space, user and group lookups of the REST API
// (contributing/confluence-api.md#data-center-users-user-keys-and-groups),
// with the caches that make each user and group cost one request per process.
type directory struct {
	api *transport.API
	log transport.Logger

	// userKeyed says whether grants name users by userKey (REST) or by
	// username (remote API); see
	// contributing/confluence-api.md#data-center-users-user-keys-and-groups.
	userKeyed bool

	usersByName cache.Keyed[string, userJSON] // by username as configured
	usersByKey  cache.Keyed[string, userJSON] // by userKey
	groups      cache.Keyed[string, groupJSON]
}

func newDirectory(api *transport.API, userKeyed bool, opts []Option) *directory {
	s := &directory{api: api, log: transport.LoggerFunc(func(context.Context, string, map[string]any) {}), userKeyed: userKeyed}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// Deployment is Data Center.
func (*directory) Deployment() permissions.Deployment { return permissions.DataCenter }

// RemovingReadCascades is false. UNVERIFIED: no source says that Data Center
// removes a principal's other grants with its read/space, as Cloud documents
// (contributing/confluence-api.md#data-center-ordering-and-the-last-admin), so
// none is assumed; the next read shows what Confluence kept.
func (*directory) RemovingReadCascades() bool { return false }
