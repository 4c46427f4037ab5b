package datacenter

import (
	"context"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// dataCenterInfo returns the table entry
// (contributing/confluence-api.md#operation-names-on-data-center) of an
// operation that Data Center offers, or an error naming the operation, the
// deployment and the valid choices (archive/page, for one, is Cloud only).
func dataCenterInfo(op permissions.Operation) (permissions.OperationInfo, error) {
	if err := permissions.ValidateOperation(op, permissions.DataCenter); err != nil {
		return permissions.OperationInfo{}, err
	}
	info, _ := permissions.Lookup(op)
	return info, nil
}

// skipUnknown logs a permission Confluence reported that the provider's
// table does not know (the legacy EXPORTPAGE,
// contributing/confluence-api.md#operation-names-on-data-center, or whatever a
// later version adds). It is skipped, never an error: a read must not fail
// because of a permission the provider cannot manage anyway.
func (s *directory) skipUnknown(ctx context.Context, spaceKey, permission string) {
	s.log.Debug(ctx, "Skipping a Data Center space permission the provider does not know", map[string]any{
		"space_key":  spaceKey,
		"permission": permission,
	})
}

// grantSet collects grants without repeats: a (principal, operation) pair
// listed twice must not look like two grants to the diff. Data Center
// grants have no id (contributing/confluence-api.md#rest-space-permissions).
type grantSet struct {
	seen   map[permissions.Grant]bool
	grants []confluence.StoredGrant
}

func (s *grantSet) add(p permissions.Principal, op permissions.Operation) {
	g := permissions.Grant{Principal: p, Operation: op}
	if s.seen == nil {
		s.seen = map[permissions.Grant]bool{}
	}
	if !s.seen[g] {
		s.seen[g] = true
		s.grants = append(s.grants, confluence.StoredGrant{Principal: p, Operation: op})
	}
}

func (s *grantSet) has(g permissions.Grant) bool { return s.seen[g] }

func (s *grantSet) hasAnonymous() bool {
	for g := range s.seen {
		if g.Principal.Type == permissions.Anonymous {
			return true
		}
	}
	return false
}
