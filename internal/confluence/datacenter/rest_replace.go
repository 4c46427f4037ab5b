package datacenter

import (
	"context"
	"net/http"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// maxSubjectsPerSet is the most users, groups and anonymous one bulk POST
// may name (contributing/confluence-api.md#rest-space-permissions).
const maxSubjectsPerSet = 40

// subjectPermissions is one principal's entry of a bulk POST.
type subjectPermissions struct {
	principal permissions.Principal
	body      subjectPermissionsJSON
}

// ReplacePrincipals makes the grants of each principal in grants exactly the
// given operations, with `POST /rest/api/space/{spaceKey}/permissions`
// (contributing/confluence-api.md#rest-space-permissions): operations absent
// from an entry are revoked, an empty list revokes everything, and principals
// not named keep their grants. The POST sets rather than adds, so repeating it
// is harmless and the transport may retry it like a PUT.
//
// A call names at most 40 principals, so more take several calls. When one
// fails after others succeeded, the error is a *PartialReplaceError saying
// which principals were applied. Nothing is sent if any entry is invalid.
func (b *RESTBackend) ReplacePrincipals(ctx context.Context, s confluence.Space, grants permissions.Grants) error {
	if s.Key == "" {
		return errNoSpaceKey
	}
	entries, err := subjectEntries(grants)
	if err != nil {
		return err
	}
	var applied []permissions.Principal
	for _, chunk := range confluence.Chunks(entries, maxSubjectsPerSet) {
		body := make([]subjectPermissionsJSON, len(chunk))
		for i, e := range chunk {
			body[i] = e.body
		}
		err := b.api.DoJSON(ctx, transport.Request{Method: http.MethodPost, Path: permissionsPath(s.Key), Body: body, Idempotent: true}, nil)
		if err != nil {
			if len(applied) == 0 {
				return err
			}
			failed := make([]permissions.Principal, 0, len(entries)-len(applied))
			for _, e := range entries[len(applied):] {
				failed = append(failed, e.principal)
			}
			return &PartialReplaceError{SpaceKey: s.Key, Applied: applied, Failed: failed, Err: err}
		}
		for _, e := range chunk {
			applied = append(applied, e.principal)
		}
	}
	return nil
}

// subjectEntries builds the entries in a stable order (users, groups,
// anonymous; operations read/space first), checking every principal and
// operation before anything is sent.
func subjectEntries(grants permissions.Grants) ([]subjectPermissions, error) {
	entries := make([]subjectPermissions, 0, len(grants))
	for _, p := range grants.Principals() {
		entry := subjectPermissions{principal: p, body: subjectPermissionsJSON{Operations: []operationJSON{}}}
		if _, err := subjectPath(p); err != nil {
			return nil, err
		}
		switch p.Type {
		case permissions.User:
			entry.body.UserKey = p.ID
		case permissions.Group:
			entry.body.GroupName = p.ID
		}
		for _, op := range grants[p].Sorted() {
			info, err := dataCenterInfo(op)
			if err != nil {
				return nil, err
			}
			entry.body.Operations = append(entry.body.Operations, restOperation(info))
		}
		entries = append(entries, entry)
	}
	return entries, nil
}
