package confluencesim

import "github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"

// The out-of-band Go API for space roles: changes made as a site admin in
// the Confluence UI would make them, under the same rules as the REST API,
// but applied at once. Users and groups are named by accountId and id.

// rolePageSize is how many assignments RoleAssignments reads at a time.
const rolePageSize = 250

// Roles returns every space role, the default ones first, then custom roles
// as they were created. A site without space roles has none.
func (s *Server) Roles() []Role { return s.store.Roles() }

// RoleNamed returns the role with the name, ignoring case.
func (s *Server) RoleNamed(name string) (Role, bool) { return s.store.RoleNamed(name) }

// CreateRole adds a custom role; the id is assigned (r.ID is ignored).
func (s *Server) CreateRole(r SeedRole) (Role, error) {
	return s.store.CreateRole(state.Operator, roleDefinition(r))
}

// UpdateRole changes a custom role's name, description and permissions.
func (s *Server) UpdateRole(id string, r SeedRole) error {
	_, _, err := s.store.UpdateRole(state.Operator, id, roleDefinition(r), state.ApplyNow)
	return err
}

func roleDefinition(r SeedRole) state.RoleDefinition {
	return state.RoleDefinition{Name: r.Name, Description: r.Description, Permissions: r.Permissions}
}

// DeleteRole removes a custom role and its assignments in every space.
func (s *Server) DeleteRole(id string) error {
	_, err := s.store.DeleteRole(state.Operator, id, state.ApplyNow)
	return err
}

// RoleAssignments returns the role assignments of a space, oldest first.
func (s *Server) RoleAssignments(spaceKey string) ([]RoleAssignment, error) {
	sp, ok := s.Space(spaceKey)
	if !ok {
		return nil, &RuleError{Rule: RuleUnknownSpace, SpaceKey: spaceKey}
	}
	var all []RoleAssignment
	for after := int64(0); ; {
		page, resumeAfter, err := s.store.RoleAssignmentPage(state.Operator, sp.ID, state.AssignmentFilter{}, after, rolePageSize)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if resumeAfter == 0 {
			return all, nil
		}
		after = resumeAfter
	}
}

// AssignRole gives p the role in the space, replacing the role it had.
func (s *Server) AssignRole(spaceKey string, p RolePrincipal, roleID string) error {
	return s.setRoleAssignment(spaceKey, state.AssignmentChange{Principal: p, RoleID: roleID})
}

// UnassignRole removes p's role assignment in the space, if it has one.
func (s *Server) UnassignRole(spaceKey string, p RolePrincipal) error {
	return s.setRoleAssignment(spaceKey, state.AssignmentChange{Principal: p})
}

func (s *Server) setRoleAssignment(spaceKey string, ch state.AssignmentChange) error {
	sp, ok := s.Space(spaceKey)
	if !ok {
		return &RuleError{Rule: RuleUnknownSpace, SpaceKey: spaceKey}
	}
	_, err := s.store.SetRoleAssignments(state.Operator, sp.ID, []state.AssignmentChange{ch})
	return err
}
