package confluence

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
)

// rolesBackend is a fake Cloud site with space roles: the four default
// roles, custom roles, and assignments per space id. Role changes apply at
// once (the Cloud backend's tests cover the waiting).
//
// Its catalogue has read/space, which every other permission requires,
// and a role-only permission with an id of another form. A role defined
// without a permission it requires gets it added, or is refused when
// refuseMissing is set.
type rolesBackend struct {
	*roleModeBackend
	roles         []Role
	assignments   map[string][]RoleAssignment
	refuseMissing bool
	// appliedOfFailed is how many entries a failed SetRoleAssignments
	// applies before its error, as a site that applies requests in part would.
	appliedOfFailed int
}

var (
	viewerRole = Role{ID: "viewer-id", Type: SystemRole, Name: "Viewer", Permissions: []string{"read/space"}}
	adminRole  = Role{ID: "admin-id", Type: SystemRole, Name: "Admin", Permissions: []string{"administer/space", "read/space"}}
	bobAsUser  = RolePrincipal{Type: RoleUser, ID: "bob"}

	testCatalogue = []RolePermission{
		{ID: "read/space", DisplayName: "View space"},
		{ID: "create/page", DisplayName: "Add pages", Requires: []string{"read/space"}},
		{ID: "administer/space", DisplayName: "Admin", Requires: []string{"read/space"}},
		{ID: "space.features.manage", DisplayName: "Manage space features", Requires: []string{"administer/space"}},
	}
)

func (b *rolesBackend) PermissionCatalogue(ctx context.Context) ([]RolePermission, error) {
	if ft, _ := b.begin("PermissionCatalogue", ""); ft.err != nil {
		return nil, ft.err
	}
	return slices.Clone(testCatalogue), nil
}

// define checks d against the catalogue and returns the permissions the
// role gets. b.mu is held.
func (b *rolesBackend) define(method, path string, d RoleDefinition) ([]string, error) {
	c := Catalogue{}
	for _, p := range testCatalogue {
		c[p.ID] = p
	}
	if unknown := c.Unknown(d.Permissions); len(unknown) > 0 {
		return nil, apiError(http.StatusBadRequest, method, path, "Unknown space permission "+unknown[0])
	}
	missing := c.Required(d.Permissions)
	if len(missing) > 0 && b.refuseMissing {
		return nil, apiError(http.StatusBadRequest, method, path, "Missing required permissions")
	}
	ids := append(slices.Clone(d.Permissions), missing...)
	slices.Sort(ids)
	return ids, nil
}

func newRolesBackend(mode RoleMode) *rolesBackend {
	f := newFake().addSpace("DOCS", "ENG")
	f.addUser("bob")
	return &rolesBackend{
		roleModeBackend: &roleModeBackend{fakeBackend: f, mode: mode},
		roles:           []Role{adminRole, viewerRole},
		assignments:     map[string][]RoleAssignment{},
	}
}

func (b *rolesBackend) ListRoles(ctx context.Context) ([]Role, error) {
	if ft, _ := b.begin("ListRoles", ""); ft.err != nil {
		return nil, ft.err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.roles), nil
}

func (b *rolesBackend) Role(ctx context.Context, id string) (Role, error) {
	b.begin("Role", "")
	b.mu.Lock()
	defer b.mu.Unlock()
	if i := slices.IndexFunc(b.roles, func(r Role) bool { return r.ID == id }); i >= 0 {
		return b.roles[i], nil
	}
	return Role{}, apiError(http.StatusNotFound, "GET", "/wiki/api/v2/space-roles/"+id, "")
}

func (b *rolesBackend) CreateRole(ctx context.Context, d RoleDefinition) (Role, error) {
	ft, _ := b.begin("CreateRole", "")
	if ft.err != nil && !ft.afterApply {
		return Role{}, ft.err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if slices.ContainsFunc(b.roles, func(r Role) bool { return strings.EqualFold(r.Name, d.Name) }) {
		return Role{}, apiError(http.StatusBadRequest, "POST", "/wiki/api/v2/space-roles", "A space role named "+d.Name+" already exists.")
	}
	ids, err := b.define("POST", "/wiki/api/v2/space-roles", d)
	if err != nil {
		return Role{}, err
	}
	r := Role{ID: fmt.Sprintf("custom-%d", len(b.roles)), Type: CustomRole, Name: d.Name, Description: d.Description, Permissions: ids}
	b.roles = append(b.roles, r)
	return r, ft.err
}

func (b *rolesBackend) UpdateRole(ctx context.Context, id string, d RoleDefinition, applied func(Role) bool) (Role, error) {
	b.begin("UpdateRole", "")
	b.mu.Lock()
	defer b.mu.Unlock()
	ids, err := b.define("PUT", "/wiki/api/v2/space-roles/"+id, d)
	if err != nil {
		return Role{}, err
	}
	i := slices.IndexFunc(b.roles, func(r Role) bool { return r.ID == id })
	b.roles[i].Name, b.roles[i].Description, b.roles[i].Permissions = d.Name, d.Description, ids
	if !applied(b.roles[i]) {
		return b.roles[i], &RoleChangePendingError{RoleID: id, Change: "update"}
	}
	return b.roles[i], nil
}

func (b *rolesBackend) DeleteRole(ctx context.Context, id string) error {
	b.begin("DeleteRole", "")
	b.mu.Lock()
	defer b.mu.Unlock()
	b.roles = slices.DeleteFunc(b.roles, func(r Role) bool { return r.ID == id })
	for space, list := range b.assignments {
		b.assignments[space] = slices.DeleteFunc(list, func(a RoleAssignment) bool { return a.RoleID == id })
	}
	return nil
}

func (b *rolesBackend) RoleAssignments(ctx context.Context, s Space) ([]RoleAssignment, error) {
	ft, g := b.begin("RoleAssignments", s.Key)
	b.mu.Lock()
	list := slices.Clone(b.assignments[s.ID])
	b.mu.Unlock()
	if err := pass(ctx, g); err != nil {
		return nil, err
	}
	return list, ft.err
}

func (b *rolesBackend) SetRoleAssignments(ctx context.Context, s Space, changes []RoleAssignment) error {
	ft, _ := b.begin("SetRoleAssignments", s.Key)
	if ft.err != nil {
		changes = changes[:min(b.appliedOfFailed, len(changes))]
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range changes {
		list := slices.DeleteFunc(b.assignments[s.ID], func(a RoleAssignment) bool { return a.Principal == ch.Principal })
		if ch.RoleID != "" {
			list = append(list, ch)
		}
		b.assignments[s.ID] = list
	}
	return ft.err
}

func rolesOf(t *testing.T, b Backend) *Roles {
	t.Helper()
	r, ok := NewClient(b).Roles()
	if !ok {
		t.Fatal("no space roles")
	}
	return r
}

func TestRolesExistOnlyWhereTheBackendHasThem(t *testing.T) {
	if _, ok := NewClient(newFake()).Roles(); ok {
		t.Error("a backend without space roles offers them")
	}
	ctx := context.Background()
	for mode, enabled := range map[RoleMode]bool{PreRoles: false, RolesTransition: true, RolesOnly: true} {
		err := rolesOf(t, newRolesBackend(mode)).CheckEnabled(ctx)
		var off *RolesNotEnabledError
		if enabled != (err == nil) || !enabled && (!errors.As(err, &off) || !strings.Contains(err.Error(), "PRE_ROLES")) {
			t.Errorf("%s: CheckEnabled = %v", mode, err)
		}
	}
}

func TestRoleNamesResolveFromOneSharedList(t *testing.T) {
	b := newRolesBackend(RolesOnly)
	r := rolesOf(t, b)
	ctx := context.Background()
	var wg sync.WaitGroup
	for _, name := range []string{"Viewer", "viewer", "ADMIN", "Admin"} {
		wg.Go(func() {
			if role, err := r.ByName(ctx, name); err != nil || !strings.EqualFold(role.Name, name) {
				t.Errorf("ByName(%q) = %+v, %v", name, role, err)
			}
		})
	}
	wg.Wait()
	wantCalls(t, b.fakeBackend, "ListRoles", 1)

	_, err := r.ByName(ctx, "Owner")
	var unknown *UnknownRoleError
	if !errors.As(err, &unknown) || !IsNotFound(err) ||
		!strings.Contains(err.Error(), `no space role is named "Owner"; the site's roles are: Admin (system, id admin-id), Viewer (system, id viewer-id)`) {
		t.Errorf("err = %v", err)
	}
	if _, err := r.ByID(ctx, "nope"); !strings.Contains(fmt.Sprint(err), `no space role has the id "nope"`) {
		t.Errorf("err = %v", err)
	}

	// A write makes the next lookup read the list again.
	if _, err := r.Create(ctx, RoleDefinition{Name: "Owner", Permissions: []string{"read/space"}}); err != nil {
		t.Fatal(err)
	}
	if role, err := r.ByName(ctx, "owner"); err != nil || role.Type != CustomRole {
		t.Errorf("ByName after Create = %+v, %v", role, err)
	}
	wantCalls(t, b.fakeBackend, "ListRoles", 2)
}

func TestCreateRoleAdoptsARoleWhoseAnswerWasLost(t *testing.T) {
	for _, d := range []RoleDefinition{
		{Name: "Reviewer", Description: "Reads", Permissions: []string{"read/space"}},
		// Created with read/space added, which create/page requires.
		{Name: "Writer", Description: "Writes", Permissions: []string{"create/page"}},
	} {
		b := newRolesBackend(RolesOnly)
		b.failNthAfterApply("CreateRole", 1, errConnReset)
		change, err := rolesOf(t, b).Create(context.Background(), d)
		if err != nil || change.Role.Name != d.Name || change.Role.Type != CustomRole {
			t.Errorf("Create(%s) = %+v, %v", d.Name, change, err)
		}
		wantCalls(t, b.fakeBackend, "CreateRole", 1)
	}
}

func TestCreateRoleExplainsADuplicateName(t *testing.T) {
	_, err := rolesOf(t, newRolesBackend(RolesOnly)).Create(context.Background(), RoleDefinition{Name: "viewer", Permissions: []string{"read/space"}})
	if !IsBadRequest(err) || !strings.Contains(fmt.Sprint(err), `A system role named "Viewer" already exists (id viewer-id): choose another name`) {
		t.Errorf("err = %v", err)
	}
}

func TestRolePermissionsAreOpaqueIDsFromTheCatalogue(t *testing.T) {
	b := newRolesBackend(RolesOnly)
	r := rolesOf(t, b)
	ctx := context.Background()

	// Confluence adds what the permissions asked for require, and the
	// change says so.
	change, err := r.Create(ctx, RoleDefinition{Name: "Features", Permissions: []string{"space.features.manage"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"administer/space", "read/space"}; !slices.Equal(change.Added, want) {
		t.Errorf("Added = %v, want %v", change.Added, want)
	}
	change, err = r.Update(ctx, change.Role.ID, RoleDefinition{Name: "Features", Description: "d", Permissions: []string{"create/page", "space.features.manage"}})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if want := []string{"administer/space", "read/space"}; !slices.Equal(change.Added, want) || change.Role.Description != "d" {
		t.Errorf("Update = %+v, want %v added", change, want)
	}

	// The catalogue is read once, and explains refusals.
	b.refuseMissing = true
	_, err = r.Create(ctx, RoleDefinition{Name: "Bad", Permissions: []string{"create/page", "manage/everything"}})
	if !strings.Contains(fmt.Sprint(err), `This site has no role permission manage/everything; its permissions are administer/space, create/page, read/space, space.features.manage`) {
		t.Errorf("unknown id: %v", err)
	}
	_, err = r.Create(ctx, RoleDefinition{Name: "Bad", Permissions: []string{"create/page"}})
	if !strings.Contains(fmt.Sprint(err), "The permissions need read/space as well") {
		t.Errorf("missing required: %v", err)
	}
	wantCalls(t, b.fakeBackend, "PermissionCatalogue", 1)
}

func TestUpdateApplied(t *testing.T) {
	before := Role{Name: "R", Description: "old", Permissions: []string{"create/page", "delete/page", "read/space"}}
	d := RoleDefinition{Name: "R", Description: "new", Permissions: []string{"create/comment", "create/page"}}
	required := []string{"read/space"}
	applied := updateApplied(before, d, required)
	for _, tt := range []struct {
		name string
		now  Role
		want bool
	}{
		{"not yet", before, false},
		{"description only", Role{Name: "R", Description: "new", Permissions: before.Permissions}, false},
		{"applied, with what is required kept", Role{Name: "R", Description: "new", Permissions: []string{"create/comment", "create/page", "read/space"}}, true},
		{"applied, with something new added", Role{Name: "R", Description: "new", Permissions: []string{"create/comment", "create/page", "x.other"}}, true},
		{"a former permission still there", Role{Name: "R", Description: "new", Permissions: []string{"create/comment", "create/page", "delete/page"}}, false},
		{"one asked for missing", Role{Name: "R", Description: "new", Permissions: []string{"create/page"}}, false},
		{"another name", Role{Name: "S", Description: "new", Permissions: d.Permissions}, false},
	} {
		if got := applied(tt.now); got != tt.want {
			t.Errorf("%s: applied = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCatalogueRequired(t *testing.T) {
	c := Catalogue{}
	for _, p := range testCatalogue {
		c[p.ID] = p
	}
	for _, tt := range []struct {
		ids  []string
		want []string
	}{
		{[]string{"read/space"}, nil},
		{[]string{"create/page"}, []string{"read/space"}},
		{[]string{"space.features.manage"}, []string{"administer/space", "read/space"}},
		{[]string{"space.features.manage", "administer/space", "read/space"}, nil},
		{[]string{"unknown"}, nil},
	} {
		if got := c.Required(tt.ids); !slices.Equal(got, tt.want) {
			t.Errorf("Required(%v) = %v, want %v", tt.ids, got, tt.want)
		}
	}
	if got := c.Unknown([]string{"b", "read/space", "a", "b"}); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("Unknown = %v", got)
	}
}

func TestRoleAssignmentsOfASpaceAreReadOnce(t *testing.T) {
	b := newRolesBackend(RolesTransition)
	r := rolesOf(t, b)
	ctx := context.Background()
	if err := r.Assign(ctx, "DOCS", bobAsUser, viewerRole.ID); err != nil {
		t.Fatal(err)
	}
	group := RolePrincipal{Type: RoleGroup, ID: "eng"}
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if a, found, err := r.Assignment(ctx, "DOCS", bobAsUser); !found || err != nil || a.RoleID != viewerRole.ID {
				t.Errorf("Assignment(bob) = %+v, %v, %v", a, found, err)
			}
			if _, found, err := r.Assignment(ctx, "DOCS", group); found || err != nil {
				t.Errorf("Assignment(group) = %v, %v", found, err)
			}
		})
	}
	wg.Wait()
	wantCalls(t, b.fakeBackend, "RoleAssignments", 1)

	// A write to the space makes the next read fetch again; other spaces keep theirs.
	if err := r.Assign(ctx, "DOCS", bobAsUser, adminRole.ID); err != nil {
		t.Fatal(err)
	}
	if a, _, _ := r.Assignment(ctx, "DOCS", bobAsUser); a.RoleID != adminRole.ID {
		t.Errorf("after the change: %+v", a)
	}
	if err := r.Unassign(ctx, "DOCS", bobAsUser); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := r.Assignment(ctx, "DOCS", bobAsUser); found {
		t.Error("bob still has a role")
	}
	wantCalls(t, b.fakeBackend, "RoleAssignments", 3)
}

func TestRoleAssignmentErrorsSayWhatToDo(t *testing.T) {
	b := newRolesBackend(RolesTransition)
	r := rolesOf(t, b)
	ctx := context.Background()
	if _, _, err := r.Assignment(ctx, "NOPE", bobAsUser); !IsNotFound(err) {
		t.Errorf("Assignment in a missing space: %v", err)
	}
	if err := r.Unassign(ctx, "NOPE", bobAsUser); err != nil {
		t.Errorf("Unassign in a missing space: %v", err)
	}
	err := r.Assign(ctx, "DOCS", RolePrincipal{Type: RoleAccessClass, ID: "everyone"}, viewerRole.ID)
	if err == nil || !strings.Contains(err.Error(), `"everyone" is not an access class`) {
		t.Errorf("unknown access class: %v", err)
	}
	wantCalls(t, b.fakeBackend, "SetRoleAssignments", 0)

	b.failNth("SetRoleAssignments", 1, apiError(http.StatusNotFound, "POST", "/wiki/api/v2/spaces/1000/role-assignments", ""))
	err = r.Assign(ctx, "DOCS", bobAsUser, viewerRole.ID)
	if !IsNotFound(err) || !strings.Contains(err.Error(), "may not manage the space's roles") {
		t.Errorf("404: %v", err)
	}
	b.failNth("SetRoleAssignments", 2, apiError(http.StatusBadRequest, "POST", "/wiki/api/v2/spaces/1000/role-assignments", "No user found"))
	err = r.Assign(ctx, "DOCS", RolePrincipal{Type: RoleUser, ID: "ghost"}, viewerRole.ID)
	if !strings.Contains(fmt.Sprint(err), `No user with id "ghost" exists on this site`) {
		t.Errorf("unknown user: %v", err)
	}
}

func TestDeletingARoleForgetsAssignments(t *testing.T) {
	b := newRolesBackend(RolesTransition)
	r := rolesOf(t, b)
	ctx := context.Background()
	created, err := r.Create(ctx, RoleDefinition{Name: "Reviewer", Permissions: []string{"read/space"}})
	if err != nil {
		t.Fatal(err)
	}
	custom := created.Role
	if err := r.Assign(ctx, "ENG", bobAsUser, custom.ID); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := r.Assignment(ctx, "ENG", bobAsUser); !found {
		t.Fatal("no assignment")
	}
	if err := r.Delete(ctx, custom.ID); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := r.Assignment(ctx, "ENG", bobAsUser); found {
		t.Error("the deleted role's assignment is still reported")
	}
}

// A failed change of a space's assignments says which of its changes
// landed, read from the space afterwards, whether the site applied none of
// the request or its entries up to the failure.
func TestFailedSpaceAssignmentsSayWhatLanded(t *testing.T) {
	ctx := context.Background()
	carol := RolePrincipal{Type: RoleUser, ID: "carol"}
	for _, applied := range []int{0, 1} {
		t.Run(fmt.Sprintf("%d applied", applied), func(t *testing.T) {
			b := newRolesBackend(RolesOnly)
			b.assignments["1000"] = []RoleAssignment{{Principal: bobAsUser, RoleID: viewerRole.ID}}
			b.appliedOfFailed = applied
			b.failNth("SetRoleAssignments", 1, apiError(http.StatusNotFound, "POST", "/wiki/api/v2/spaces/1000/role-assignments", "no permission to set roles"))
			_, err := rolesOf(t, b).SetSpaceAssignments(ctx, "DOCS", map[RolePrincipal]string{bobAsUser: adminRole.ID, carol: viewerRole.ID})
			var e *IncompleteAssignmentError
			if !errors.As(err, &e) || len(e.Done) != applied || len(e.Done)+len(e.NotDone) != 2 {
				t.Fatalf("err = %v (%+v)", err, e)
			}
			if applied > 0 && !strings.Contains(err.Error(), "1 of 2 role assignment changes were applied before this failure: user:bob gets Admin; not applied: user:carol gets Viewer") {
				t.Errorf("message: %v", err)
			}
			if applied == 0 && strings.Contains(err.Error(), "were applied") {
				t.Errorf("message claims changes: %v", err)
			}
		})
	}
}
