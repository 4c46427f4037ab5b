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

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// rolesBackend is a fake Cloud site with space roles: the four default
// roles, custom roles, and assignments per space id. Role changes apply at
// once (the Cloud backend's tests cover the waiting).
type rolesBackend struct {
	*roleModeBackend
	roles       []Role
	assignments map[string][]RoleAssignment
}

var (
	viewerRole = Role{ID: "viewer-id", Type: SystemRole, Name: "Viewer", Permissions: []permissions.Operation{permissions.ReadSpace}}
	adminRole  = Role{ID: "admin-id", Type: SystemRole, Name: "Admin", Permissions: []permissions.Operation{permissions.ReadSpace, permissions.AdministerSpace}}
	bobAsUser  = RolePrincipal{Type: RoleUser, ID: "bob"}
)

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
	r := Role{ID: fmt.Sprintf("custom-%d", len(b.roles)), Type: CustomRole, Name: d.Name, Description: d.Description, Permissions: d.Permissions}
	b.roles = append(b.roles, r)
	return r, ft.err
}

func (b *rolesBackend) UpdateRole(ctx context.Context, id string, d RoleDefinition) (Role, error) {
	b.begin("UpdateRole", "")
	b.mu.Lock()
	defer b.mu.Unlock()
	i := slices.IndexFunc(b.roles, func(r Role) bool { return r.ID == id })
	b.roles[i].Name, b.roles[i].Description, b.roles[i].Permissions = d.Name, d.Description, d.Permissions
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
	if ft, _ := b.begin("SetRoleAssignments", s.Key); ft.err != nil {
		return ft.err
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
	return nil
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
	if _, err := r.Create(ctx, RoleDefinition{Name: "Owner", Permissions: []permissions.Operation{permissions.ReadSpace}}); err != nil {
		t.Fatal(err)
	}
	if role, err := r.ByName(ctx, "owner"); err != nil || role.Type != CustomRole {
		t.Errorf("ByName after Create = %+v, %v", role, err)
	}
	wantCalls(t, b.fakeBackend, "ListRoles", 2)
}

func TestCreateRoleAdoptsARoleWhoseAnswerWasLost(t *testing.T) {
	b := newRolesBackend(RolesOnly)
	b.failNthAfterApply("CreateRole", 1, errConnReset)
	d := RoleDefinition{Name: "Reviewer", Description: "Reads", Permissions: []permissions.Operation{permissions.ReadSpace}}
	role, err := rolesOf(t, b).Create(context.Background(), d)
	if err != nil || !role.Defines(d) {
		t.Errorf("Create = %+v, %v", role, err)
	}
	wantCalls(t, b.fakeBackend, "CreateRole", 1)
}

func TestCreateRoleExplainsADuplicateName(t *testing.T) {
	_, err := rolesOf(t, newRolesBackend(RolesOnly)).Create(context.Background(), RoleDefinition{Name: "viewer", Permissions: []permissions.Operation{permissions.ReadSpace}})
	if !IsBadRequest(err) || !strings.Contains(fmt.Sprint(err), `A system role named "Viewer" already exists (id viewer-id): choose another name`) {
		t.Errorf("err = %v", err)
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
	custom, err := r.Create(ctx, RoleDefinition{Name: "Reviewer", Permissions: []permissions.Operation{permissions.ReadSpace}})
	if err != nil {
		t.Fatal(err)
	}
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
