package state

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// SeedRole is a custom space role of a Cloud site in ROLES_TRANSITION or
// ROLES mode. The four default roles (Admin, Manager, Collaborator, Viewer)
// exist on every such site and are not seeded.
type SeedRole struct {
	// ID is a UUID derived from the role's position when empty.
	ID          string `json:"id,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Permissions are ids of the permission catalogue ("read/space",
	// "create/page", or a granular one such as "space.templates.create"),
	// with every permission a listed one requires (read/space for all).
	Permissions []string `json:"permissions"`
}

// SeedRoleAssignment gives one principal a role in a space.
type SeedRoleAssignment struct {
	Principal SeedRolePrincipal `json:"principal"`
	// Role is the role's id or name.
	Role string `json:"role"`
}

// SeedRolePrincipal is written as the API writes it: type USER (id an
// accountId), GROUP (a group id) or ACCESS_CLASS (one of AccessClasses).
type SeedRolePrincipal struct {
	Type RolePrincipalType `json:"type"`
	ID   string            `json:"id"`
}

func (p SeedRolePrincipal) principal() RolePrincipal { return RolePrincipal(p) }

// spaceRoles checks the custom roles and every space's role assignments.
func (v *seedValidator) spaceRoles(s Seed) {
	uses := len(s.Roles) > 0 || slices.ContainsFunc(s.Spaces, func(sp SeedSpace) bool { return len(sp.RoleAssignments) > 0 })
	switch {
	case !uses:
		return
	case v.deployment == permissions.DataCenter:
		v.addf("roles and roleAssignments: space roles exist on Confluence Cloud only")
		return
	case s.RoleMode == "" || s.RoleMode == PreRoles:
		v.addf("roles and roleAssignments need roleMode %s or %s: a %s site has no space roles", RolesTransition, RolesOnly, PreRoles)
		return
	}
	known := v.customRoles(s.Roles)
	for _, sp := range s.Spaces {
		v.roleAssignments(fmt.Sprintf("spaces (%s)", sp.Key), sp.RoleAssignments, known)
	}
}

// customRoles checks the seeded roles and returns every role a seed may
// assign, system roles included, by id and by lower-case name.
func (v *seedValidator) customRoles(roles []SeedRole) map[string]Role {
	known := map[string]Role{}
	for _, r := range SystemRoles() {
		known[r.ID], known[strings.ToLower(r.Name)] = r, r
	}
	if len(roles) > maxCustomRoles {
		v.addf("roles: %d custom roles, more than the %d a site may have", len(roles), maxCustomRoles)
	}
	for i, r := range roles {
		where := fmt.Sprintf("roles[%d] (%s)", i, r.Name)
		name := strings.ToLower(strings.TrimSpace(r.Name))
		switch _, taken := known[name]; {
		case name == "":
			v.addf("%s: name is required", where)
		case taken:
			v.addf("%s: another role is named %q (names are case-insensitive)", where, r.Name)
		}
		if _, taken := known[r.ID]; r.ID != "" && taken {
			v.addf("%s: id %q is used twice", where, r.ID)
		} else if strings.ContainsAny(r.ID, " \t\n/") {
			v.addf("%s: id %q must not contain spaces or slashes", where, r.ID)
		}
		// A seeded role is stored state, so it must be complete: the
		// required permissions are checked, not added.
		ids, err := rolePermissions(r.Permissions, RequiredRefused)
		if err != nil {
			v.addf("%s: %v", where, err)
		}
		role := Role{ID: r.ID, Type: CustomRole, Name: r.Name, Permissions: ids}
		if r.ID != "" {
			known[r.ID] = role
		}
		if name != "" {
			known[name] = role
		}
	}
	return known
}

func (v *seedValidator) roleAssignments(where string, assignments []SeedRoleAssignment, known map[string]Role) {
	seen := map[RolePrincipal]bool{}
	for j, a := range assignments {
		p := a.Principal.principal()
		at := fmt.Sprintf("%s roleAssignments[%d] (%s)", where, j, p)
		switch {
		case !p.Type.Valid():
			v.addf("%s: principal type must be USER, GROUP or ACCESS_CLASS", at)
		case p.Type == RoleUser && v.users[p.ID].AccountID == "":
			v.addf("%s: user %q is not a seeded user", at, p.ID)
		case p.Type == RoleGroup && !v.groups[p.ID]:
			v.addf("%s: group id %q is not a seeded group", at, p.ID)
		case p.Type == RoleAccessClass && !slices.Contains(AccessClasses, p.ID):
			v.addf("%s: access class %q is not one of %s", at, p.ID, strings.Join(AccessClasses, ", "))
		}
		if seen[p] {
			v.addf("%s: the principal is listed twice; a principal holds one role per space", at)
		}
		seen[p] = true
		role, ok := known[a.Role]
		if !ok {
			role, ok = known[strings.ToLower(a.Role)]
		}
		switch {
		case !ok:
			v.addf("%s: role %q is neither a default role nor a seeded one", at, a.Role)
		case p == RolePrincipal{RoleAccessClass, AnonymousUsers} && role.Grants(permissions.AdministerSpace):
			v.addf("%s: anonymous users cannot hold role %q, which administers the space", at, role.Name)
		}
	}
}

// seedRoles adds a validated seed's custom roles and assignments.
func (s *Store) seedRoles(seed Seed) {
	for _, r := range seed.Roles {
		ids, _ := rolePermissions(r.Permissions, RequiredRefused) // validated with the seed
		s.roles.add(Role{ID: r.ID, Type: CustomRole, Name: strings.TrimSpace(r.Name), Description: r.Description, Permissions: ids})
	}
	for _, sp := range seed.Spaces {
		st := s.spacesByKey[sp.Key]
		for _, a := range sp.RoleAssignments {
			s.roles.assign(st.ID, a.Principal.principal(), s.roles.lookup(a.Role).ID)
		}
	}
}

// lookup finds a role by id, else by name.
func (b *roleBook) lookup(ref string) *roleEntry {
	if e := b.role(ref); e != nil {
		return e
	}
	return b.named(ref)
}

// exportRoles adds the custom roles and the role assignments to a
// seed whose spaces are set, so that Snapshot round-trips them. Accepted
// role changes that are not applied yet are not part of it.
func (s *Store) exportRoles(seed *Seed) {
	for _, e := range s.roles.roles {
		if e.Type == CustomRole {
			seed.Roles = append(seed.Roles, SeedRole{ID: e.ID, Name: e.Name, Description: e.Description, Permissions: PermissionIDStrings(e.Permissions)})
		}
	}
	for i := range seed.Spaces {
		for _, a := range s.roles.assignmentsIn(seed.Spaces[i].ID) {
			seed.Spaces[i].RoleAssignments = append(seed.Spaces[i].RoleAssignments, SeedRoleAssignment{
				Principal: SeedRolePrincipal{Type: a.principal.Type, ID: a.principal.ID},
				Role:      a.roleID,
			})
		}
	}
}
