package cloud

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

var _ confluence.SpaceRoles = (*Backend)(nil)

const spaceRolesPath = "/wiki/api/v2/space-roles"

// spaceRoleJSON is v2's SpaceRole (contributing/confluence-api.md#space-roles). The
// live documentation's sample names the role displayName instead of name,
// so both are read.
type spaceRoleJSON struct {
	ID               string   `json:"id"`
	Type             string   `json:"type"`
	Name             string   `json:"name"`
	DisplayName      string   `json:"displayName"`
	Description      string   `json:"description"`
	SpacePermissions []string `json:"spacePermissions"`
}

// role maps the JSON. Permission ids are kept as Confluence gives them:
// besides the legacy key/target ids, roles hold permissions that exist only
// for roles, whose ids have other forms, so no id is ever refused here.
func (j spaceRoleJSON) role() confluence.Role {
	ids := slices.Clone(j.SpacePermissions)
	slices.Sort(ids)
	return confluence.Role{
		ID: j.ID, Type: confluence.RoleType(j.Type), Name: firstNonEmpty(j.Name, j.DisplayName), Description: j.Description,
		Permissions: slices.Compact(ids),
	}
}

func rolesFromJSON(rows []spaceRoleJSON) []confluence.Role {
	roles := make([]confluence.Role, 0, len(rows))
	for _, row := range rows {
		roles = append(roles, row.role())
	}
	return roles
}

// roleBodyJSON is the body of POST and PUT /space-roles, whose members are
// all required (contributing/confluence-api.md#space-roles).
type roleBodyJSON struct {
	Name             string   `json:"name"`
	Description      string   `json:"description"`
	SpacePermissions []string `json:"spacePermissions"`
}

func roleBody(d confluence.RoleDefinition) roleBodyJSON {
	ids := slices.Clone(d.Permissions)
	slices.Sort(ids)
	return roleBodyJSON{Name: d.Name, Description: d.Description, SpacePermissions: slices.Compact(ids)}
}

func rolePath(id string) string { return spaceRolesPath + "/" + url.PathEscape(id) }

// ListRoles reads every role of the site with GET /space-roles, all pages.
func (b *Backend) ListRoles(ctx context.Context) ([]confluence.Role, error) {
	rows, err := transport.ListCursor[spaceRoleJSON](ctx, b.api, spaceRolesPath, url.Values{"limit": {strconv.Itoa(pageLimit)}})
	if err != nil {
		return nil, err
	}
	return rolesFromJSON(rows), nil
}

const rolePermissionsPath = "/wiki/api/v2/space-permissions"

// rolePermissionJSON is one entry of GET /space-permissions, the catalogue
// of permissions a role can hold.
type rolePermissionJSON struct {
	ID                    string   `json:"id"`
	DisplayName           string   `json:"displayName"`
	Description           string   `json:"description"`
	RequiredPermissionIDs []string `json:"requiredPermissionIds"`
}

// PermissionCatalogue reads every page of GET /space-permissions.
func (b *Backend) PermissionCatalogue(ctx context.Context) ([]confluence.RolePermission, error) {
	rows, err := transport.ListCursor[rolePermissionJSON](ctx, b.api, rolePermissionsPath, url.Values{"limit": {strconv.Itoa(pageLimit)}})
	if err != nil {
		return nil, err
	}
	out := make([]confluence.RolePermission, len(rows))
	for i, row := range rows {
		out[i] = confluence.RolePermission{ID: row.ID, DisplayName: row.DisplayName, Description: row.Description, Requires: row.RequiredPermissionIDs}
	}
	return out, nil
}

// Role reads one role with GET /space-roles/{id}. The spec declares that
// id an integer while role ids are strings; it is passed unchanged
// (contributing/confluence-api.md#space-roles).
func (b *Backend) Role(ctx context.Context, id string) (confluence.Role, error) {
	var row spaceRoleJSON
	if err := b.api.GetJSON(ctx, rolePath(id), nil, &row); err != nil {
		return confluence.Role{}, err
	}
	return row.role(), nil
}

// CreateRole creates a custom role with POST /space-roles, which answers 201
// with the role (contributing/confluence-api.md#space-roles). The POST is sent
// once; Roles.Create adopts a role whose creation answer was lost.
func (b *Backend) CreateRole(ctx context.Context, d confluence.RoleDefinition) (confluence.Role, error) {
	var row spaceRoleJSON
	if err := b.api.SendJSON(ctx, http.MethodPost, spaceRolesPath, roleBody(d), &row); err != nil {
		return confluence.Role{}, err
	}
	return row.role(), nil
}

// roleTaskJSON is the taskId of UpdateSpaceRoleResponse and
// DeleteSpaceRoleResponse.
type roleTaskJSON struct {
	TaskID string `json:"taskId"`
}

// UpdateRole sends PUT /space-roles/{id}, which answers 202 with a taskId
// and changes the role later. How to follow that task is not documented,
// so the role itself is read until applied says it shows the change.
func (b *Backend) UpdateRole(ctx context.Context, id string, d confluence.RoleDefinition, applied func(confluence.Role) bool) (confluence.Role, error) {
	var task roleTaskJSON
	if err := b.api.SendJSON(ctx, http.MethodPut, rolePath(id), roleBody(d), &task); err != nil {
		return confluence.Role{}, err
	}
	var current confluence.Role
	done, err := b.rolePoll.until(ctx, func(ctx context.Context) (bool, error) {
		r, err := b.Role(ctx, id)
		current = r
		return err == nil && applied(r), err
	})
	switch {
	case err != nil:
		return confluence.Role{}, fmt.Errorf("waiting for Confluence to apply the update of space role %s (task %s): %w", id, task.TaskID, err)
	case !done:
		return current, &confluence.RoleChangePendingError{RoleID: id, TaskID: task.TaskID, Change: "update", Waited: b.rolePoll.total()}
	}
	return current, nil
}

// DeleteRole sends DELETE /space-roles/{id}, which answers 202 with a
// taskId and deletes the role, and its assignments, later
// (contributing/confluence-api.md#following-a-role-update-or-deletion); the role is
// read until it is gone. A role already gone (404) is no error.
func (b *Backend) DeleteRole(ctx context.Context, id string) error {
	var task roleTaskJSON
	err := b.api.SendJSON(ctx, http.MethodDelete, rolePath(id), nil, &task)
	if confluence.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	gone, err := b.rolePoll.until(ctx, func(ctx context.Context) (bool, error) {
		_, err := b.Role(ctx, id)
		if confluence.IsNotFound(err) {
			return true, nil
		}
		return false, err
	})
	switch {
	case err != nil:
		return fmt.Errorf("waiting for Confluence to delete space role %s (task %s): %w", id, task.TaskID, err)
	case !gone:
		return &confluence.RoleChangePendingError{RoleID: id, TaskID: task.TaskID, Change: "deletion", Waited: b.rolePoll.total()}
	}
	return nil
}

// pollPolicy bounds the wait for an accepted role change: the role is read
// at once, then after delays that double from first up to max, at most
// attempts times in all, for as long as the context allows.
type pollPolicy struct {
	first, max time.Duration
	attempts   int
}

// defaultRolePoll waits about two minutes in all: a role change normally
// lands within a second or two, and Terraform users should not wait forever
// on one that is stuck.
var defaultRolePoll = pollPolicy{first: 250 * time.Millisecond, max: 5 * time.Second, attempts: 32}

func (p pollPolicy) orDefault() pollPolicy {
	if p.attempts == 0 {
		return defaultRolePoll
	}
	return p
}

// until calls done until it reports true, fails, or the attempts run out
// (false, nil).
func (p pollPolicy) until(ctx context.Context, done func(context.Context) (bool, error)) (bool, error) {
	p = p.orDefault()
	delay := p.first
	for attempt := 1; ; attempt++ {
		ok, err := done(ctx)
		if ok || err != nil || attempt == p.attempts {
			return ok, err
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return false, ctx.Err()
		case <-t.C:
		}
		delay = min(2*delay, p.max)
	}
}

// total is how long until waits at most, for messages.
func (p pollPolicy) total() time.Duration {
	p = p.orDefault()
	var sum time.Duration
	for i, delay := 1, p.first; i < p.attempts; i, delay = i+1, min(2*delay, p.max) {
		sum += delay
	}
	return sum
}

// roleAssignmentJSON is SpaceRoleAssignment; without roleId, in a request, it
// removes the principal's assignment
// (contributing/confluence-api.md#space-roles).
type roleAssignmentJSON struct {
	Principal struct {
		PrincipalType string `json:"principalType"`
		PrincipalID   string `json:"principalId"`
	} `json:"principal"`
	RoleID string `json:"roleId,omitempty"`
}

func roleAssignmentsPath(s confluence.Space) (string, error) {
	if s.ID == "" {
		return "", fmt.Errorf("space %q has no id: look it up with SpacesByKey first", s.Key)
	}
	return spacesPath + "/" + url.PathEscape(s.ID) + "/role-assignments", nil
}

// RoleAssignments reads every role assignment of the space with GET
// /spaces/{id}/role-assignments, all pages.
func (b *Backend) RoleAssignments(ctx context.Context, s confluence.Space) ([]confluence.RoleAssignment, error) {
	path, err := roleAssignmentsPath(s)
	if err != nil {
		return nil, err
	}
	rows, err := transport.ListCursor[roleAssignmentJSON](ctx, b.api, path, url.Values{"limit": {strconv.Itoa(pageLimit)}})
	if err != nil {
		return nil, err
	}
	out := make([]confluence.RoleAssignment, len(rows))
	for i, row := range rows {
		out[i] = confluence.RoleAssignment{
			Principal: confluence.RolePrincipal{Type: confluence.RolePrincipalType(row.Principal.PrincipalType), ID: row.Principal.PrincipalID},
			RoleID:    row.RoleID,
		}
	}
	return out, nil
}

// maxRoleAssignmentsBody is the largest body POST
// /spaces/{id}/role-assignments takes: larger ones are refused with 413
// (the v2 OpenAPI document says 5 MB; the smaller reading, 5,000,000
// bytes, is kept to).
const maxRoleAssignmentsBody = 5_000_000

// SetRoleAssignments sends POST /spaces/{id}/role-assignments with one
// entry per change: one request, split only where the body would pass the
// documented 5 MB limit. Confluence answers 200 only when the whole request
// succeeded; whether a refused request changed nothing or the entries
// before the failure is not documented, so the client reads the space
// again after any failure to learn what landed. Each entry sets one
// principal's role whatever it was before, so a request is safe to repeat
// and is retried like a PUT.
func (b *Backend) SetRoleAssignments(ctx context.Context, s confluence.Space, changes []confluence.RoleAssignment) error {
	path, err := roleAssignmentsPath(s)
	if err != nil {
		return err
	}
	body := make([]roleAssignmentJSON, len(changes))
	for i, ch := range changes {
		body[i].Principal.PrincipalType, body[i].Principal.PrincipalID = string(ch.Principal.Type), ch.Principal.ID
		body[i].RoleID = ch.RoleID
	}
	for _, part := range splitBySize(body, maxRoleAssignmentsBody) {
		if err := b.api.DoJSON(ctx, transport.Request{Method: http.MethodPost, Path: path, Body: part, Idempotent: true}, nil); err != nil {
			return err
		}
	}
	return nil
}

// splitBySize cuts entries into runs whose JSON array stays under limit
// bytes. An entry is never split; one larger than the limit is sent alone
// and Confluence's 413 says so.
func splitBySize[T any](entries []T, limit int) [][]T {
	var parts [][]T
	start, size := 0, 2 // the brackets
	for i, e := range entries {
		data, _ := json.Marshal(e)
		n := len(data) + 1 // and a comma
		if i > start && size+n > limit {
			parts = append(parts, entries[start:i])
			start, size = i, 2
		}
		size += n
	}
	if start < len(entries) {
		parts = append(parts, entries[start:])
	}
	return parts
}
