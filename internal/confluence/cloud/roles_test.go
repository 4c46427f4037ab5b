package cloud

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

const (
	viewerID   = "92ad1852-0a55-48a7-ae84-0e91d83f2e5b"
	reviewerID = "5e0b7c1d-3f2a-4b6c-9d8e-7f6a5b4c3d21"
)

func roleJSONText(id, typ, name string, perms ...string) string {
	quoted := make([]string, len(perms))
	for i, p := range perms {
		quoted[i] = fmt.Sprintf("%q", p)
	}
	return fmt.Sprintf(`{"id":%q,"type":%q,"name":%q,"description":"%s role","spacePermissions":[%s]}`, id, typ, name, name, strings.Join(quoted, ","))
}

// ids returns permission ids sorted, as the backend hands them out.
func ids(names ...string) []string {
	out := slices.Clone(names)
	slices.Sort(out)
	return out
}

// definedAs reports whether the role is exactly d.
func definedAs(d confluence.RoleDefinition) func(confluence.Role) bool {
	return func(r confluence.Role) bool { return r.Defines(d) }
}

// fastPolls makes the backend wait for role changes without delay, at most
// attempts reads.
func fastPolls(b *Backend, attempts int) *Backend {
	b.rolePoll = pollPolicy{first: time.Millisecond, max: time.Millisecond, attempts: attempts}
	return b
}

var reviewer = confluence.RoleDefinition{Name: "Reviewer", Description: "Reviewer role", Permissions: ids("create/comment", "read/space")}

func TestListRolesFollowsNextLinks(t *testing.T) {
	next := "/wiki/api/v2/space-roles?cursor=eyJpZCI6IjQifQ%3D%3D&limit=250"
	// The second answer is the documentation's sample, which its schema does not describe.
	b := newBackendOn(t, site{offSpec: []string{"body.results[0].displayName is not declared"}},
		exchange{Method: "GET", Path: "/wiki/api/v2/space-roles", Query: url.Values{"limit": {"250"}},
			Answer: fmt.Sprintf(`{"results":[%s],"_links":{"next":%q,"base":"https://example.atlassian.net/wiki"}}`,
				roleJSONText(viewerID, "SYSTEM", "Viewer", "read/space"), next)},
		exchange{Method: "GET", Path: "/wiki/api/v2/space-roles", Query: url.Values{"limit": {"250"}, "cursor": {"eyJpZCI6IjQifQ=="}},
			// The live documentation's sample names a role displayName
			// (contributing/confluence-api.md#space-roles).
			Answer: `{"results":[{"id":"` + reviewerID + `","type":"CUSTOM","displayName":"Reviewer","description":"Reviewer role","spacePermissions":["create/comment","read/space"]}],"_links":{}}`},
	)
	got, err := b.ListRoles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []confluence.Role{
		{ID: viewerID, Type: confluence.SystemRole, Name: "Viewer", Description: "Viewer role", Permissions: ids("read/space")},
		{ID: reviewerID, Type: confluence.CustomRole, Name: "Reviewer", Description: "Reviewer role", Permissions: ids("read/space", "create/comment")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListRoles =\n%+v\nwant\n%+v", got, want)
	}
}

// Role permission ids are opaque: roles hold permissions that exist only
// for roles, with ids of other forms, and reading them must not fail.
func TestRoleKeepsPermissionIDsOfEveryForm(t *testing.T) {
	b := newBackend(t, exchange{Method: "GET", Path: "/wiki/api/v2/space-roles/" + viewerID,
		Answer: roleJSONText(viewerID, "CUSTOM", "Features", "read/space", "space.features.manage", "manage/all-content", "read/space")})
	got, err := b.Role(context.Background(), viewerID)
	if err != nil || !slices.Equal(got.Permissions, []string{"manage/all-content", "read/space", "space.features.manage"}) {
		t.Errorf("Role = %+v, %v", got, err)
	}
}

func TestPermissionCatalogue(t *testing.T) {
	next := "/wiki/api/v2/space-permissions?cursor=c2&limit=250"
	b := newBackend(t,
		exchange{Method: "GET", Path: "/wiki/api/v2/space-permissions", Query: url.Values{"limit": {"250"}},
			Answer: fmt.Sprintf(`{"results":[{"id":"read/space","displayName":"View","description":"View the space","requiredPermissionIds":[]}],"_links":{"next":%q}}`, next)},
		exchange{Method: "GET", Path: "/wiki/api/v2/space-permissions", Query: url.Values{"limit": {"250"}, "cursor": {"c2"}},
			Answer: `{"results":[{"id":"space.features.manage","displayName":"Manage space features","description":"","requiredPermissionIds":["administer/space","read/space"]}],"_links":{}}`},
	)
	got, err := b.PermissionCatalogue(context.Background())
	want := []confluence.RolePermission{
		{ID: "read/space", DisplayName: "View", Description: "View the space", Requires: []string{}},
		{ID: "space.features.manage", DisplayName: "Manage space features", Requires: []string{"administer/space", "read/space"}},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("PermissionCatalogue = %+v, %v", got, err)
	}
}

func TestCreateRole(t *testing.T) {
	b := newBackend(t, exchange{Method: "POST", Path: "/wiki/api/v2/space-roles",
		Body:   `{"name":"Reviewer","description":"Reviewer role","spacePermissions":["create/comment","read/space"]}`,
		Status: 201, Answer: roleJSONText(reviewerID, "CUSTOM", "Reviewer", "read/space", "create/comment")})
	got, err := b.CreateRole(context.Background(), reviewer)
	if err != nil || got.ID != reviewerID || !got.Defines(reviewer) {
		t.Errorf("CreateRole = %+v, %v", got, err)
	}
}

func TestUpdateRoleWaitsUntilTheRoleChanged(t *testing.T) {
	commenter := confluence.RoleDefinition{Name: "Commenter", Description: "Commenter role", Permissions: ids("read/space", "create/comment", "delete/comment")}
	path := "/wiki/api/v2/space-roles/" + reviewerID
	b := fastPolls(newBackend(t,
		exchange{Method: "PUT", Path: path,
			Body:   `{"name":"Commenter","description":"Commenter role","spacePermissions":["create/comment","delete/comment","read/space"]}`,
			Status: 202, Answer: `{"id":"` + reviewerID + `","type":"CUSTOM","name":"Reviewer","description":"Reviewer role","taskId":"8d1f"}`},
		exchange{Method: "GET", Path: path, Answer: roleJSONText(reviewerID, "CUSTOM", "Reviewer", "read/space", "create/comment")},
		exchange{Method: "GET", Path: path, Answer: roleJSONText(reviewerID, "CUSTOM", "Commenter", "read/space", "create/comment")},
		exchange{Method: "GET", Path: path, Answer: roleJSONText(reviewerID, "CUSTOM", "Commenter", "delete/comment", "read/space", "create/comment")},
	), 5)
	got, err := b.UpdateRole(context.Background(), reviewerID, commenter, definedAs(commenter))
	if err != nil || !got.Defines(commenter) {
		t.Errorf("UpdateRole = %+v, %v", got, err)
	}
}

func TestUpdateRoleGivesUpWhenTheChangeDoesNotLand(t *testing.T) {
	path := "/wiki/api/v2/space-roles/" + reviewerID
	old := exchange{Method: "GET", Path: path, Answer: roleJSONText(reviewerID, "CUSTOM", "Reviewer", "read/space")}
	b := fastPolls(newBackend(t,
		exchange{Method: "PUT", Path: path, Body: `{"name":"Reviewer","description":"Reviewer role","spacePermissions":["create/comment","read/space"]}`,
			Status: 202, Answer: `{"taskId":"8d1f"}`},
		old, old, old,
	), 3)
	_, err := b.UpdateRole(context.Background(), reviewerID, reviewer, definedAs(reviewer))
	var pending *confluence.RoleChangePendingError
	if !errors.As(err, &pending) || pending.TaskID != "8d1f" || !strings.Contains(err.Error(), "accepted the update of space role "+reviewerID) {
		t.Errorf("err = %v", err)
	}
}

func TestUpdateRoleStopsWaitingWithTheContext(t *testing.T) {
	path := "/wiki/api/v2/space-roles/" + reviewerID
	b := newBackend(t,
		exchange{Method: "PUT", Path: path, Body: `{"name":"Reviewer","description":"Reviewer role","spacePermissions":["create/comment","read/space"]}`,
			Status: 202, Answer: `{"taskId":"8d1f"}`},
		exchange{Method: "GET", Path: path, Answer: roleJSONText(reviewerID, "CUSTOM", "Reviewer", "read/space")},
	)
	b.rolePoll = pollPolicy{first: time.Hour, max: time.Hour, attempts: 10}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := b.UpdateRole(ctx, reviewerID, reviewer, definedAs(reviewer))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("err = %v after %s", err, time.Since(start))
	}
}

func TestDeleteRoleWaitsUntilTheRoleIsGone(t *testing.T) {
	path := "/wiki/api/v2/space-roles/" + reviewerID
	notFound := `{"errors":[{"status":404,"code":"NOT_FOUND","title":"Not Found","detail":null}]}`
	b := fastPolls(newBackend(t,
		exchange{Method: "DELETE", Path: path, Status: 202, Answer: `{"taskId":"9e2a"}`},
		exchange{Method: "GET", Path: path, Answer: roleJSONText(reviewerID, "CUSTOM", "Reviewer", "read/space")},
		exchange{Method: "GET", Path: path, Status: 404, Answer: notFound},
		// A role that is already gone is deleted.
		exchange{Method: "DELETE", Path: path, Status: 404, Answer: notFound},
	), 5)
	for range 2 {
		if err := b.DeleteRole(context.Background(), reviewerID); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRoleAssignments(t *testing.T) {
	const group = "3b6e1f7a-9c2d-4e8b-a1f0-5d7c9e2b4a61"
	b := newBackend(t,
		exchange{Method: "GET", Path: "/wiki/api/v2/spaces/98306/role-assignments", Query: url.Values{"limit": {"250"}},
			Answer: `{"results":[` +
				`{"principal":{"principalType":"USER","principalId":"5b10a2844c20165700ede21f"},"roleId":"` + viewerID + `"},` +
				`{"principal":{"principalType":"ACCESS_CLASS","principalId":"anonymous-users"},"roleId":"` + viewerID + `"}],` +
				`"_links":{"next":"/wiki/api/v2/spaces/98306/role-assignments?cursor=Mg%3D%3D&limit=250"}}`},
		exchange{Method: "GET", Path: "/wiki/api/v2/spaces/98306/role-assignments", Query: url.Values{"limit": {"250"}, "cursor": {"Mg=="}},
			Answer: `{"results":[{"principal":{"principalType":"GROUP","principalId":"` + group + `"},"roleId":"` + reviewerID + `"}],"_links":{}}`},
		exchange{Method: "POST", Path: "/wiki/api/v2/spaces/98306/role-assignments",
			Body: `[{"principal":{"principalType":"GROUP","principalId":"` + group + `"},"roleId":"` + viewerID + `"},` +
				`{"principal":{"principalType":"ACCESS_CLASS","principalId":"anonymous-users"}}]`,
			Answer: `{"results":[{"principal":{"principalType":"GROUP","principalId":"` + group + `"},"roleId":"` + viewerID + `"}]}`},
	)
	got, err := b.RoleAssignments(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	want := []confluence.RoleAssignment{
		{Principal: confluence.RolePrincipal{Type: confluence.RoleUser, ID: "5b10a2844c20165700ede21f"}, RoleID: viewerID},
		{Principal: confluence.RolePrincipal{Type: confluence.RoleAccessClass, ID: "anonymous-users"}, RoleID: viewerID},
		{Principal: confluence.RolePrincipal{Type: confluence.RoleGroup, ID: group}, RoleID: reviewerID},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RoleAssignments =\n%+v\nwant\n%+v", got, want)
	}
	err = b.SetRoleAssignments(context.Background(), docs, []confluence.RoleAssignment{
		{Principal: confluence.RolePrincipal{Type: confluence.RoleGroup, ID: group}, RoleID: viewerID},
		{Principal: confluence.RolePrincipal{Type: confluence.RoleAccessClass, ID: "anonymous-users"}}, // no role: removed
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRoleAssignmentsNeedTheSpaceID(t *testing.T) {
	b := newBackend(t)
	if _, err := b.RoleAssignments(context.Background(), confluence.Space{Key: "DOCS"}); err == nil || !strings.Contains(err.Error(), "DOCS") {
		t.Errorf("err = %v", err)
	}
	if err := b.SetRoleAssignments(context.Background(), confluence.Space{Key: "DOCS"}, nil); err == nil {
		t.Error("no error")
	}
}

func TestDefaultRolePollWaitsAboutTwoMinutes(t *testing.T) {
	if total := (pollPolicy{}).total(); total < time.Minute || total > 3*time.Minute {
		t.Errorf("the default policy waits %s", total)
	}
}
