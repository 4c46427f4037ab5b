package confluencesim

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/cloud"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

const (
	combinationsPath = "/wiki/api/v2/space-permissions/transition/combinations"
	transitionTasks  = "/wiki/api/v2/space-permissions/transition/tasks/"
)

// combination renders an inventory entry as "perm,perm principals/spaces TYPES".
func combination(c cloud.V2Combination) string {
	ids := joined(c.Permissions, func(p cloud.V2DecodedPermission) string { return p.ID })
	return ids + " " + strconv.FormatInt(c.PrincipalCount, 10) + "/" + strconv.FormatInt(c.SpaceCount, 10) + " " + strings.Join(c.PrincipalTypes, "+")
}

// inventory reads every page of the inventory as terraform, limit a page.
func inventory(t *testing.T, h *harness, limit string) (all []cloud.V2Combination, pages []cloud.V2CombinationsPage) {
	t.Helper()
	path := combinationsPath + "?limit=" + limit
	for {
		r := h.get(asTerraform, path).expect(t, http.StatusOK)
		p := decode[cloud.V2CombinationsPage](t, r)
		if strings.Contains(string(r.body), `"_links"`) {
			t.Errorf("the inventory has _links: %s", r.body)
		}
		pages = append(pages, p)
		all = append(all, p.Results...)
		if p.Cursor == nil {
			return all, pages
		}
		path = combinationsPath + "?limit=" + limit + "&cursor=" + *p.Cursor
	}
}

// The demo site's grants, grouped per principal and space: {read, admin} is
// held by bob in ENG and terraform in OPS; every other set by one principal
// in one space. {read} (anonymous in DOCS) is Viewer's and {read, add
// comments} (confluence-users in ENG) the custom Reviewer's, so neither is
// listed.
var demoCombinations = []string{
	"read/space,administer/space 2/2 USER",
	"read/space,administer/space,export/space 1/1 USER",
	"read/space,administer/space,restrict_content/space 1/1 USER",
	"read/space,create/page,create/comment 1/1 GROUP",
	"read/space,create/page,create/comment,create/attachment 1/1 GROUP",
	"read/space,create/page,delete/page,create/attachment 1/1 GROUP",
	"read/space,create/page,delete/page,create/blogpost,delete/blogpost,create/comment,create/attachment 1/1 GROUP",
}

func TestCombinationsInventory(t *testing.T) {
	start := time.Now().UTC().Add(-time.Second)
	h := newRolesHarness(t, 0)
	all, pages := inventory(t, h, "3")
	got := make([]string, len(all))
	for i, c := range all {
		got[i] = combination(c)
	}
	// Most widely held first; the ties in an order of the simulator's.
	if got[0] != demoCombinations[0] {
		t.Errorf("first combination %q, want %q", got[0], demoCombinations[0])
	}
	sorted := slices.Clone(got)
	slices.Sort(sorted[1:])
	want := slices.Clone(demoCombinations)
	slices.Sort(want[1:])
	if !slices.Equal(sorted, want) {
		t.Errorf("combinations\n%v\nwant\n%v", got, demoCombinations)
	}
	if len(pages) != 3 || len(pages[0].Results) != 3 || pages[2].Cursor != nil {
		t.Errorf("%d pages of three, last cursor %v", len(pages), pages[len(pages)-1].Cursor)
	}
	for _, p := range pages {
		at, err := time.Parse(time.RFC3339, deref(p.GeneratedAt))
		if err != nil || at.Before(start) || at.After(time.Now()) {
			t.Errorf("generatedAt %v (%v): want the site's start", deref(p.GeneratedAt), err)
		}
	}
	ids := map[string]bool{}
	for _, c := range all {
		ids[c.CombinationID] = true
		for _, p := range c.Permissions {
			if e, _ := state.CatalogueEntryOf(PermissionID(p.ID)); p.DisplayName == "" || p.DisplayName != e.DisplayName {
				t.Errorf("permission %+v: want the catalogue's display name", p)
			}
		}
	}
	if len(ids) != len(all) {
		t.Errorf("combination ids repeat: %v", ids)
	}
	// One page of everything gives the same order.
	whole := decode[cloud.V2CombinationsPage](t, h.get(asTerraform, combinationsPath+"?limit=250").expect(t, http.StatusOK))
	if !slices.EqualFunc(whole.Results, all, func(a, b cloud.V2Combination) bool { return a.CombinationID == b.CombinationID }) || whole.Cursor != nil {
		t.Errorf("one page %v differs from the pages %v", whole.Results, all)
	}
	// The default page is 25.
	if p := decode[cloud.V2CombinationsPage](t, h.get(asTerraform, combinationsPath).expect(t, http.StatusOK)); len(p.Results) != len(all) {
		t.Errorf("default page of %d", len(p.Results))
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// A role whose permissions are exactly a combination hides it at once.
func TestCombinationsMatchedByARoleAreLeftOut(t *testing.T) {
	h := newRolesHarness(t, 0)
	if _, err := h.sim.CreateRole(SeedRole{Name: "Space admin", Permissions: []string{"administer/space", "read/space"}}); err != nil {
		t.Fatal(err)
	}
	// A role holding more than a combination does not match it.
	if _, err := h.sim.CreateRole(SeedRole{Name: "Exporter", Permissions: []string{"read/space", "administer/space", "export/space", "archive/page"}}); err != nil {
		t.Fatal(err)
	}
	all, _ := inventory(t, h, "25")
	var got []string
	for _, c := range all {
		got = append(got, combination(c))
	}
	if slices.Contains(got, demoCombinations[0]) || !slices.Contains(got, demoCombinations[1]) || len(got) != len(demoCombinations)-1 {
		t.Errorf("combinations %v: want all but %q", got, demoCombinations[0])
	}
}

// The inventory is as of the last generation: a POST starts a task that is
// IN_PROGRESS for the role task delay, then COMPLETED, and the inventory
// then shows the grants as they are.
func TestGenerateCombinations(t *testing.T) {
	h := newRolesHarness(t, 300*time.Millisecond)
	before := decode[cloud.V2CombinationsPage](t, h.get(asTerraform, combinationsPath).expect(t, http.StatusOK))
	// carol gets read and export in DOCS, a set nobody holds yet.
	if _, err := h.sim.AddGrant("DOCS", state.UserPrincipal(carolID), op("read/space")); err != nil {
		t.Fatal(err)
	}
	if _, err := h.sim.AddGrant("DOCS", state.UserPrincipal(carolID), op("export/space")); err != nil {
		t.Fatal(err)
	}
	const added = "read/space,export/space 1/1 USER"
	has := func(p cloud.V2CombinationsPage) bool {
		return slices.ContainsFunc(p.Results, func(c cloud.V2Combination) bool { return combination(c) == added })
	}
	stale := decode[cloud.V2CombinationsPage](t, h.get(asTerraform, combinationsPath).expect(t, http.StatusOK))
	if has(stale) || deref(stale.GeneratedAt) != deref(before.GeneratedAt) {
		t.Errorf("the inventory changed before a generation: %+v", stale)
	}

	task := decode[cloud.V2TransitionTask](t, h.do(asTerraform, http.MethodPost, combinationsPath, nil).expect(t, http.StatusAccepted))
	if task.TaskID == "" || task.Status != state.TaskInProgress || task.StatusURL != transitionTasks+task.TaskID {
		t.Errorf("202 body %+v", task)
	}
	status := decode[cloud.V2TransitionTaskStatus](t, h.get(asTerraform, transitionTasks+task.TaskID).expect(t, http.StatusOK))
	if status.TaskID != task.TaskID || status.Status != state.TaskInProgress || status.ErrorMessage != nil {
		t.Errorf("task right after the 202: %+v", status)
	}
	eventually(t, "the generation", func() bool {
		s := decode[cloud.V2TransitionTaskStatus](t, h.get(asTerraform, transitionTasks+task.TaskID).expect(t, http.StatusOK))
		return s.Status == state.TaskCompleted
	})
	after := decode[cloud.V2CombinationsPage](t, h.get(asTerraform, combinationsPath).expect(t, http.StatusOK))
	if !has(after) || deref(after.GeneratedAt) <= deref(before.GeneratedAt) {
		t.Errorf("after the generation: generatedAt %s (before %s), results %+v", deref(after.GeneratedAt), deref(before.GeneratedAt), after.Results)
	}

	h.get(asTerraform, transitionTasks+"0c5d1f3e-0000-4000-8000-000000000000").expect(t, http.StatusNotFound)
	// A role update's task is not a transition task.
	roleTask := decode[cloud.V2UpdateRoleAccepted](t, h.do(asTerraform, http.MethodPut, "/wiki/api/v2/space-roles/"+reviewerID,
		roleBody("Reviewer", "read/space", "create/comment")).expect(t, http.StatusAccepted))
	h.get(asTerraform, transitionTasks+roleTask.TaskID).expect(t, http.StatusNotFound)
}

// With a negative role task delay the generation completes before the 202.
func TestGenerateCombinationsAtOnce(t *testing.T) {
	h := newRolesHarness(t, state.ApplyNow)
	task := decode[cloud.V2TransitionTask](t, h.do(asTerraform, http.MethodPost, combinationsPath, nil).expect(t, http.StatusAccepted))
	if task.Status != state.TaskCompleted {
		t.Errorf("202 body %+v", task)
	}
}

// CombinationsNotGenerated: a site where the audit never ran lists nothing
// and has no generatedAt until a generation, as the document describes.
func TestCombinationsNotGenerated(t *testing.T) {
	h := newHarness(t, withSeed(rolesSeed()), withOptions(Options{RoleTaskDelay: state.ApplyNow, CombinationsNotGenerated: true}))
	r := h.get(asTerraform, combinationsPath).expect(t, http.StatusOK)
	if string(r.body) != `{"results":[]}`+"\n" {
		t.Errorf("before any generation: %s", r.body)
	}
	h.do(asTerraform, http.MethodPost, combinationsPath, nil).expect(t, http.StatusAccepted)
	if all, pages := inventory(t, h, "25"); len(all) != len(demoCombinations) || pages[0].GeneratedAt == nil {
		t.Errorf("after the generation: %d combinations, generatedAt %v", len(all), pages[0].GeneratedAt)
	}
}

// The tool is for Confluence administrators, on sites with roles; the
// document's refusal is 404 for both. limit and cursor are checked.
func TestTransitionToolRefusals(t *testing.T) {
	h := newRolesHarness(t, 0)
	task := decode[cloud.V2TransitionTask](t, h.do(asTerraform, http.MethodPost, combinationsPath, nil).expect(t, http.StatusAccepted))
	for _, r := range []response{
		h.get(asAlice, combinationsPath),
		h.do(asAlice, http.MethodPost, combinationsPath, nil),
		h.get(asAlice, transitionTasks+task.TaskID),
	} {
		if e := r.expect(t, http.StatusNotFound).v2Error(t); e.Detail == nil || !strings.Contains(*e.Detail, "Only Confluence administrators") {
			t.Errorf("refusal %+v", e)
		}
	}
	for _, q := range []string{"limit=0", "limit=251", "limit=x", "cursor=bad*"} {
		h.get(asTerraform, combinationsPath+"?"+q).expect(t, http.StatusBadRequest).v2Error(t)
	}

	pre := newHarness(t) // PRE_ROLES
	for _, r := range []response{pre.get(asTerraform, combinationsPath), pre.do(asTerraform, http.MethodPost, combinationsPath, nil)} {
		if e := r.expect(t, http.StatusNotFound).v2Error(t); deref(e.Detail) != "Space roles are not enabled on this site." {
			t.Errorf("PRE_ROLES refusal %+v", e)
		}
	}
	// The writing operations of the tool are not served.
	unserved := newHarness(t, withSeed(rolesSeed()), unchecked)
	for _, p := range []string{"/wiki/api/v2/space-permissions/transition/role-assignments", "/wiki/api/v2/space-permissions/transition/access-removals"} {
		unserved.do(asTerraform, http.MethodPost, p, map[string]any{}).expect(t, http.StatusNotFound)
	}
}
