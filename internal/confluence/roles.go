package confluence

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Space roles (contributing/confluence-api.md#space-roles): on Cloud sites in
// ROLES_TRANSITION or ROLES mode, a space's access is given by assigning
// each user, group or access class one role, a named set of space
// permissions. Every such site has four default (SYSTEM) roles; site admins
// define CUSTOM ones.

// RoleType tells Confluence's default roles from a site's own.
type RoleType string

const (
	SystemRole RoleType = "SYSTEM"
	CustomRole RoleType = "CUSTOM"
)

// Role is a space role.
type Role struct {
	// ID is a string (a UUID), although one spec entry says integer.
	ID          string
	Type        RoleType
	Name        string
	Description string
	// Permissions are the ids of the role's permissions, sorted. They are
	// opaque: the fourteen legacy permissions have ids of the form
	// key/target (read/space), and Cloud adds role-only permissions with
	// ids of its own (contributing/confluence-api.md#space-roles).
	Permissions []string
}

// RoleDefinition is what a custom role is made of.
type RoleDefinition struct {
	Name        string
	Description string
	Permissions []string
}

// RolePermission is one entry of the site's catalogue of permissions a role
// can hold (GET /wiki/api/v2/space-permissions).
type RolePermission struct {
	ID          string
	DisplayName string
	Description string
	// Requires are the ids of the permissions this one needs in the same
	// role.
	Requires []string
}

// Catalogue is the site's role permissions by id.
type Catalogue map[string]RolePermission

// IDs lists the catalogue's ids, sorted.
func (c Catalogue) IDs() []string {
	ids := make([]string, 0, len(c))
	for id := range c {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Unknown lists the ids that are not in the catalogue, sorted.
func (c Catalogue) Unknown(ids []string) []string {
	var out []string
	for _, id := range ids {
		if _, ok := c[id]; !ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Required lists the permissions that ids need, directly or through each
// other, and that are not among ids: what Confluence may add to a role
// defined with ids, or refuse it for. Sorted.
func (c Catalogue) Required(ids []string) []string {
	have := make(map[string]bool, len(ids))
	for _, id := range ids {
		have[id] = true
	}
	var missing []string
	queue := slices.Clone(ids)
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, req := range c[id].Requires {
			if !have[req] {
				have[req] = true
				missing = append(missing, req)
				queue = append(queue, req)
			}
		}
	}
	slices.Sort(missing)
	return missing
}

// administerSpace is the legacy admin permission's id, which on sites in
// transition still lets its holders manage a space's access.
const administerSpace = "administer/space"

// AccessPermissions are the ids of the permissions that let a role's holders
// manage who can access a space: the role-only permission Atlassian calls
// "Manage access to space", found by its display name since its id is not
// on record, and the legacy administer/space, which on sites in transition
// still manages all access (community.atlassian.com, "Introducing more
// flexibility to the Confluence roles system";
// contributing/confluence-api.md#who-can-manage-access-on-a-roles-site).
func (c Catalogue) AccessPermissions() []string {
	var ids []string
	for _, id := range c.IDs() {
		name := strings.ToLower(c[id].DisplayName)
		if id == administerSpace || strings.Contains(name, "manage access") || strings.Contains(name, "manage user access") {
			ids = append(ids, id)
		}
	}
	return ids
}

// ManagesAccess reports whether holding the role lets a principal manage
// the space's access, given the catalogue's AccessPermissions.
func (r Role) ManagesAccess(access []string) bool {
	for _, id := range r.Permissions {
		if slices.Contains(access, id) {
			return true
		}
	}
	return false
}

// Managed reports whether the provider can assign roles to principals of
// this type.
func (t RolePrincipalType) Managed() bool { return slices.Contains(RolePrincipalTypes, t) }

// Defines reports whether the role is exactly d: same name, description and
// permissions (in any order).
func (r Role) Defines(d RoleDefinition) bool {
	return r.Name == d.Name && r.Description == d.Description && sameIDs(r.Permissions, d.Permissions)
}

// sameIDs reports whether a and b hold the same ids, in any order.
func sameIDs(a, b []string) bool {
	as, bs := slices.Clone(a), slices.Clone(b)
	slices.Sort(as)
	slices.Sort(bs)
	return slices.Equal(slices.Compact(as), slices.Compact(bs))
}

// RolePrincipalType is who a role can be assigned to, spelt as the API
// spells it.
type RolePrincipalType string

const (
	RoleUser        RolePrincipalType = "USER"
	RoleGroup       RolePrincipalType = "GROUP"
	RoleAccessClass RolePrincipalType = "ACCESS_CLASS"
)

// RolePrincipalTypes lists every type a role can be assigned to.
var RolePrincipalTypes = []RolePrincipalType{RoleUser, RoleGroup, RoleAccessClass}

// AccessClasses are the ids of ACCESS_CLASS principals: classes of people
// rather than named accounts (contributing/confluence-api.md#space-roles).
var AccessClasses = []string{"anonymous-users", "jsm-project-admins", "authenticated-users", "all-licensed-users", "all-product-admins"}

// RolePrincipal is who holds a role in a space: a user by accountId, a
// group by groupId, or an access class by its id.
type RolePrincipal struct {
	Type RolePrincipalType
	ID   string
}

// String renders the principal for messages: "user 5b10ac8d…",
// "access class anonymous-users".
func (p RolePrincipal) String() string {
	return strings.ReplaceAll(strings.ToLower(string(p.Type)), "_", " ") + " " + p.ID
}

// ValidateRolePrincipal checks that type and id fit together: an access
// class must be one of AccessClasses.
func ValidateRolePrincipal(p RolePrincipal) error {
	switch {
	case !slices.Contains(RolePrincipalTypes, p.Type):
		// Listed as configuration writes them, which is where a wrong
		// type comes from.
		return fmt.Errorf("principal type %q is not one of user, group, access_class", strings.ToLower(string(p.Type)))
	case strings.TrimSpace(p.ID) == "":
		return fmt.Errorf("a %s principal needs an id", strings.ToLower(string(p.Type)))
	case p.Type == RoleAccessClass && !slices.Contains(AccessClasses, p.ID):
		return fmt.Errorf("%q is not an access class; the access classes are %s", p.ID, strings.Join(AccessClasses, ", "))
	}
	return nil
}

// grantPrincipal is the principal as legacy grants name it, for the hints
// that look users and groups up.
func (p RolePrincipal) grantPrincipal() permissions.Principal {
	return permissions.Principal{Type: permissions.PrincipalType(strings.ToLower(string(p.Type))), ID: p.ID}
}

// RoleAssignment is one principal's role in one space. In
// SetRoleAssignments an empty RoleID removes the principal's assignment.
type RoleAssignment struct {
	Principal RolePrincipal
	RoleID    string
}

// RolesNotEnabledError says that the site has no space roles.
type RolesNotEnabledError struct {
	Mode RoleMode
}

func (e *RolesNotEnabledError) Error() string {
	if e.Mode == "" {
		return "this deployment of Confluence has no space roles: they exist on Confluence Cloud only"
	}
	return fmt.Sprintf("space roles are not enabled on this Confluence Cloud site (its space role mode is %s)", e.Mode)
}

// UnknownRoleError says that no role has the name or id asked for, and
// lists the roles there are. It satisfies IsNotFound.
type UnknownRoleError struct {
	// Name or ID is what was asked for.
	Name, ID string
	Roles    []Role
}

func (e *UnknownRoleError) Error() string {
	what := fmt.Sprintf("no space role is named %q", e.Name)
	if e.ID != "" {
		what = fmt.Sprintf("no space role has the id %q", e.ID)
	}
	if len(e.Roles) == 0 {
		return what + ", and the site has no roles at all"
	}
	names := make([]string, len(e.Roles))
	for i, r := range e.Roles {
		names[i] = fmt.Sprintf("%s (%s, id %s)", r.Name, strings.ToLower(string(r.Type)), r.ID)
	}
	return what + "; the site's roles are: " + strings.Join(names, ", ")
}

func (e *UnknownRoleError) Unwrap() error {
	return &NotFoundError{Kind: "space role", Name: e.Name + e.ID}
}

// RoleChangePendingError says that Confluence accepted a change of a role
// but had not applied it when the client stopped waiting.
type RoleChangePendingError struct {
	RoleID string
	TaskID string
	Change string // "update" or "deletion"
	Waited time.Duration
}

func (e *RoleChangePendingError) Error() string {
	return fmt.Sprintf("Confluence accepted the %s of space role %s (task %s) but had not applied it after %s; "+
		"it may still do so: check the role in Confluence, then try again", e.Change, e.RoleID, e.TaskID, e.Waited.Round(time.Second))
}

// PermissionCombination is one combination of legacy permissions that
// principals hold in spaces of a site and that no role matches yet, from
// the site's transition inventory: what a custom role would have to hold
// to replace those grants.
type PermissionCombination struct {
	ID string
	// Permissions are the combination's permissions, by id with their
	// display names.
	Permissions []RolePermission
	// PrincipalCount and SpaceCount say how widely the combination is used.
	PrincipalCount int64
	SpaceCount     int64
	// PrincipalTypes are the kinds of principal that hold it, as
	// Confluence names them (USER, GROUP, ANONYMOUS, ...).
	PrincipalTypes []string
}

// CombinationInventory is the site's transition inventory.
type CombinationInventory struct {
	Combinations []PermissionCombination
	// GeneratedAt is when Confluence last worked the inventory out, as it
	// says it; "" when it never has.
	GeneratedAt string
}
