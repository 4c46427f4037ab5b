package confluencesim

// The out-of-band Go API for space roles: changes made as a site admin in
// the Confluence UI would make them, under the same rules as the REST API,
// but applied at once. Users and groups are named by accountId and id.

// Roles returns every space role, the default ones first, then custom roles
// as they were created. A site without space roles has none.
func (s *Server) Roles() []Role {
	s.site.mu.RLock()
	defer s.site.mu.RUnlock()
	if s.site.rolesEnabledLocked() != nil {
		return nil
	}
	out := make([]Role, len(s.site.roles.roles))
	for i, e := range s.site.roles.roles {
		out[i] = e.clone()
	}
	return out
}

// RoleNamed returns the role with the name, ignoring case.
func (s *Server) RoleNamed(name string) (Role, bool) {
	s.site.mu.RLock()
	defer s.site.mu.RUnlock()
	e := s.site.roles.named(name)
	if e == nil || s.site.rolesEnabledLocked() != nil {
		return Role{}, false
	}
	return e.clone(), true
}

// CreateRole adds a custom role; the id is assigned (r.ID is ignored).
func (s *Server) CreateRole(r SeedRole) (Role, error) {
	return s.site.createRole(operator, roleDefinition{Name: r.Name, Description: r.Description, Permissions: r.Permissions})
}

// UpdateRole changes a custom role's name, description and permissions.
func (s *Server) UpdateRole(id string, r SeedRole) error {
	_, _, err := s.site.updateRole(operator, id, roleDefinition{Name: r.Name, Description: r.Description, Permissions: r.Permissions}, applyNow)
	return err
}

// DeleteRole removes a custom role and its assignments in every space.
func (s *Server) DeleteRole(id string) error {
	_, err := s.site.deleteRole(operator, id, applyNow)
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
		page, resumeAfter, err := s.site.roleAssignmentPage(operator, sp.ID, assignmentFilter{}, after, maxPageLimit)
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
	return s.setRoleAssignment(spaceKey, assignmentChange{Principal: p, RoleID: roleID})
}

// UnassignRole removes p's role assignment in the space, if it has one.
func (s *Server) UnassignRole(spaceKey string, p RolePrincipal) error {
	return s.setRoleAssignment(spaceKey, assignmentChange{Principal: p})
}

func (s *Server) setRoleAssignment(spaceKey string, ch assignmentChange) error {
	sp, ok := s.Space(spaceKey)
	if !ok {
		return &RuleError{Rule: RuleUnknownSpace, SpaceKey: spaceKey}
	}
	_, err := s.site.setRoleAssignments(operator, sp.ID, []assignmentChange{ch})
	return err
}
