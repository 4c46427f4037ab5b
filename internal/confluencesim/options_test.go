package confluencesim

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/cloud"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The tests of the options that choose between plausible answers where the
// public record is silent or contradictory: each default is the recorded
// or documented answer, each variant is served as described.

func TestOptionsAreChecked(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{CloudAnonymous: "anonymous"}, `option CloudAnonymous "anonymous"`},
		{Options{SpaceKeysParam: "semicolon"}, `option SpaceKeysParam "semicolon"`},
		{Options{RequiredPermissions: "ignored"}, `option RequiredPermissions "ignored"`},
		{Options{RemoteAPIOffStatus: 404}, "for the datacenter flavour only"},
		{Options{Flavour: DataCenter, RemoteAPIOffStatus: 500}, "option RemoteAPIOffStatus 500 is not 401 or 404"},
		{Options{Flavour: DataCenter, CloudAnonymous: AnonymousAsUser}, "for the cloud flavour only"},
		{Options{Flavour: DataCenter, DistinctPermissionIDs: true}, "for the cloud flavour only"},
		{Options{Flavour: DataCenter, SpaceKeysParam: KeysRepeated}, "for the cloud flavour only"},
		{Options{Flavour: DataCenter, FreeEdition: true}, "for the cloud flavour only"},
		{Options{Flavour: DataCenter, RoleRowsInPermissionList: true}, "for the cloud flavour only"},
		{Options{Flavour: DataCenter, RequiredPermissions: RequiredRefused}, "for the cloud flavour only"},
		{Options{GrantPolicy: "everything"}, `option GrantPolicy "everything"`},
		{Options{GrantRefusalStatus: 400}, "option GrantRefusalStatus 400 is not 404 or 403"},
		{Options{RoleAssignmentFailure: "some"}, `option RoleAssignmentFailure "some"`},
		{Options{Flavour: DataCenter, GrantPolicy: GrantAnyRole}, "for the cloud flavour only"},
		{Options{Flavour: DataCenter, GrantRefusalStatus: 403}, "for the cloud flavour only"},
		{Options{Flavour: DataCenter, RoleAssignmentFailure: AssignmentsAllOrNothing}, "for the cloud flavour only"},
		{Options{Flavour: DataCenter, CombinationsNotGenerated: true}, "for the cloud flavour only"},
	} {
		if _, err := New(DemoSeed(), tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want %q", tc.opts, err, tc.want)
		}
	}
	for _, opts := range []Options{
		{CloudAnonymous: AnonymousAsRole, SpaceKeysParam: KeysCommaJoined, RequiredPermissions: RequiredAdded},
		{CloudAnonymous: AnonymousAsUser, SpaceKeysParam: KeysRepeated, RequiredPermissions: RequiredRefused, DistinctPermissionIDs: true, FreeEdition: true, RoleRowsInPermissionList: true},
		{SpaceKeysParam: KeysEither},
		{GrantPolicy: GrantWhatYouHave, GrantRefusalStatus: 404, RoleAssignmentFailure: AssignmentsUpToFailure},
		{GrantPolicy: GrantAnyRole, GrantRefusalStatus: 403, RoleAssignmentFailure: AssignmentsAllOrNothing, CombinationsNotGenerated: true},
		{Flavour: DataCenter, RemoteAPIOffStatus: 401},
		{Flavour: DataCenter, RemoteAPIOffStatus: 404},
	} {
		if _, err := New(DemoSeed(), opts); err != nil {
			t.Errorf("%+v: %v", opts, err)
		}
	}
}

// anonymousRows returns the principals of the anonymous rows of a space's
// v2 permission list.
func anonymousRows(t *testing.T, h *harness, key string) []cloud.V2Principal {
	t.Helper()
	var out []cloud.V2Principal
	p := decode[assignmentPage](t, h.get(asTerraform, permissionsPath(h, key)).expect(t, http.StatusOK))
	for _, row := range p.Results {
		if strings.EqualFold(row.Principal.ID, "anonymous") {
			out = append(out, row.Principal)
		}
	}
	return out
}

// The v2 list names anonymous as role/ANONYMOUS, as recorded on a real site,
// or with AnonymousAsUser as user/anonymous; v1 writes take and answer
// user/anonymous either way.
func TestCloudAnonymous(t *testing.T) {
	for _, tc := range []struct {
		form AnonymousForm
		want cloud.V2Principal
	}{
		{"", cloud.V2Principal{Type: "role", ID: "ANONYMOUS"}},
		{AnonymousAsRole, cloud.V2Principal{Type: "role", ID: "ANONYMOUS"}},
		{AnonymousAsUser, cloud.V2Principal{Type: "user", ID: "anonymous"}},
	} {
		t.Run(string(tc.form), func(t *testing.T) {
			h := newHarness(t, withOptions(Options{CloudAnonymous: tc.form}))
			if got := anonymousRows(t, h, "DOCS"); !slices.Equal(got, []cloud.V2Principal{tc.want}) {
				t.Errorf("anonymous rows %v, want %v", got, tc.want)
			}
			created := decode[cloud.V1Permission](t, h.do(asTerraform, http.MethodPost, "/wiki/rest/api/space/HR/permission",
				permissionBody("user", "anonymous", "read", "space")).expect(t, http.StatusOK))
			if created.Subject != (cloud.V1Subject{Type: "user", Identifier: "anonymous"}) {
				t.Errorf("v1 answer subject %+v", created.Subject)
			}
			if got := anonymousRows(t, h, "HR"); !slices.Equal(got, []cloud.V2Principal{tc.want}) {
				t.Errorf("HR anonymous rows %v, want %v", got, tc.want)
			}
			// The v2 form is not a v1 subject.
			h.do(asTerraform, http.MethodPost, "/wiki/rest/api/space/HR/permission", permissionBody("role", "ANONYMOUS", "export", "space")).
				expect(t, http.StatusBadRequest)
			h.do(asTerraform, http.MethodDelete, deletePath("HR", created.ID), nil).expect(t, http.StatusNoContent)
			if got := h.operationsOf("HR", permissions.AnonymousPrincipal); got != nil {
				t.Errorf("anonymous still holds %v", got)
			}
		})
	}
}

// By default v2 ids are the v1 ids; with DistinctPermissionIDs they differ
// by DistinctPermissionIDOffset, and DELETE takes only the v1 id.
func TestDistinctPermissionIDs(t *testing.T) {
	for _, distinct := range []bool{false, true} {
		t.Run("distinct "+strconv.FormatBool(distinct), func(t *testing.T) {
			h := newHarness(t, withOptions(Options{DistinctPermissionIDs: distinct}))
			created := decode[cloud.V1Permission](t, h.do(asTerraform, http.MethodPost, "/wiki/rest/api/space/HR/permission",
				permissionBody("user", bobID, "read", "space")).expect(t, http.StatusOK))
			wantV2 := created.ID
			if distinct {
				wantV2 += DistinctPermissionIDOffset
			}
			var listed []int64
			for path := permissionsPath(h, "HR") + "?limit=2"; path != ""; {
				p := decode[assignmentPage](t, h.get(asTerraform, path).expect(t, http.StatusOK))
				for _, row := range p.Results {
					id, _ := strconv.ParseInt(row.ID, 10, 64)
					listed = append(listed, id)
				}
				path = p.Links.Next
			}
			var want []int64
			for _, g := range h.grants("HR") {
				id := g.ID
				if distinct {
					id += DistinctPermissionIDOffset
				}
				want = append(want, id)
			}
			if !slices.Equal(listed, want) || !slices.Contains(listed, wantV2) {
				t.Fatalf("listed ids %v, want %v (with %d)", listed, want, wantV2)
			}
			if distinct {
				for _, id := range listed {
					if slices.ContainsFunc(h.grants("HR"), func(g Grant) bool { return g.ID == id }) {
						t.Errorf("v2 id %d is also a v1 id", id)
					}
				}
				msg := h.do(asTerraform, http.MethodDelete, deletePath("HR", wantV2), nil).expect(t, http.StatusNotFound).v1Message(t)
				if msg != notFound+"No space permission with id : "+strconv.FormatInt(wantV2, 10) {
					t.Errorf("message %q", msg)
				}
			}
			h.do(asTerraform, http.MethodDelete, deletePath("HR", created.ID), nil).expect(t, http.StatusNoContent)
		})
	}
}

// The three readings of keys, ids and labels on GET /spaces, and the next
// link of each, which repeats the filters in the form the site reads.
func TestSpaceKeysParam(t *testing.T) {
	type want struct{ commaJoined, repeated, either string }
	docs, eng := "98305", "98306"
	tests := []struct {
		query string
		want  want
	}{
		{"keys=DOCS", want{"DOCS", "DOCS", "DOCS"}},
		{"keys=DOCS,HR", want{"DOCS,HR", "", "DOCS,HR"}},
		{"keys=DOCS&keys=HR", want{"DOCS", "DOCS,HR", "DOCS,HR"}},
		{"keys=DOCS,HR&keys=OPS", want{"DOCS,HR", "OPS", "DOCS,HR,OPS"}},
		{"ids=" + docs + "&ids=" + eng, want{"DOCS", "DOCS,ENG", "DOCS,ENG"}},
		{"ids=" + docs + "," + eng, want{"DOCS,ENG", "400", "DOCS,ENG"}},
		{"labels=hr,engineering", want{"ENG,HR,OPS", "", "ENG,HR,OPS"}},
		{"labels=hr&labels=engineering", want{"HR", "ENG,HR,OPS", "ENG,HR,OPS"}},
	}
	for _, parsing := range []KeysParsing{"", KeysCommaJoined, KeysRepeated, KeysEither} {
		t.Run(string(parsing), func(t *testing.T) {
			h := newHarness(t, withOptions(Options{SpaceKeysParam: parsing}))
			if h.spaceID("DOCS") != docs || h.spaceID("ENG") != eng {
				t.Fatal("the demo seed's space ids changed")
			}
			for _, tt := range tests {
				expected := map[KeysParsing]string{"": tt.want.commaJoined, KeysCommaJoined: tt.want.commaJoined, KeysRepeated: tt.want.repeated, KeysEither: tt.want.either}[parsing]
				r := h.get(asTerraform, "/wiki/api/v2/spaces?sort=key&"+tt.query)
				if expected == "400" {
					r.expect(t, http.StatusBadRequest).v2Error(t)
					continue
				}
				if got := spaceKeys(decode[spacePage](t, r.expect(t, http.StatusOK))); got != expected {
					t.Errorf("%s: spaces %q, want %q", tt.query, got, expected)
				}
			}

			// Paged with a filter, the next link reads back the same way.
			query := map[KeysParsing]string{"": "keys=DOCS,ENG,HR", KeysCommaJoined: "keys=DOCS,ENG,HR", KeysRepeated: "keys=DOCS&keys=ENG&keys=HR", KeysEither: "keys=DOCS,ENG&keys=HR"}[parsing]
			p := decode[spacePage](t, h.get(asTerraform, "/wiki/api/v2/spaces?limit=2&"+query).expect(t, http.StatusOK))
			next, err := url.Parse(p.Links.Next)
			if err != nil {
				t.Fatal(err)
			}
			wantCarried := []string{"DOCS", "ENG", "HR"}
			if parsing == "" || parsing == KeysCommaJoined {
				wantCarried = []string{"DOCS,ENG,HR"}
			}
			if got := next.Query()["keys"]; !slices.Equal(got, wantCarried) {
				t.Errorf("next link %q carries keys %q, want %q", p.Links.Next, got, wantCarried)
			}
			keys, _ := followPages(t, h, "/wiki/api/v2/spaces?limit=2&"+query)
			if got := strings.Join(keys, ","); got != "DOCS,ENG,HR" {
				t.Errorf("pages %s", got)
			}
		})
	}
}

// A Free edition site refuses v1 grant writes with 403, even to a site
// admin; reads still work.
func TestFreeEdition(t *testing.T) {
	h := newHarness(t, withOptions(Options{FreeEdition: true}))
	want := forbidden + "Space permissions can't be changed on the Free edition of Confluence."
	for _, auth := range []string{asTerraform, asAlice} {
		msg := h.do(auth, http.MethodPost, "/wiki/rest/api/space/DOCS/permission", permissionBody("user", bobID, "export", "space")).
			expect(t, http.StatusForbidden).v1Message(t)
		if msg != want {
			t.Errorf("POST message %q", msg)
		}
		id := grantID(t, h, "DOCS", aliceID, "export/space")
		if msg := h.do(auth, http.MethodDelete, deletePath("DOCS", id), nil).expect(t, http.StatusForbidden).v1Message(t); msg != want {
			t.Errorf("DELETE message %q", msg)
		}
	}
	// A space the caller cannot see is still a 404, as on any site.
	h.do(asAlice, http.MethodPost, "/wiki/rest/api/space/HR/permission", permissionBody("user", bobID, "read", "space")).expect(t, http.StatusNotFound)
	h.get(asAlice, permissionsPath(h, "DOCS")).expect(t, http.StatusOK)
	if _, err := h.sim.AddGrant("DOCS", state.UserPrincipal(bobID), op("export/space")); !IsRule(err, RuleFreeEdition) {
		t.Errorf("out-of-band grant on a Free site: %v", err)
	}
}

// Role definitions are checked against the catalogue; permissions another
// one requires are added by default and refused with RequiredRefused.
func TestRoleDefinitionsAndTheCatalogue(t *testing.T) {
	const path = "/wiki/api/v2/space-roles"
	t.Run("required added", func(t *testing.T) {
		h := newRolesHarness(t, 0)
		r := decode[cloud.V2SpaceRole](t, h.do(asTerraform, http.MethodPost, path, roleBody("Templater", "space.templates.create", "create/page")).expect(t, http.StatusCreated))
		if want := []string{"read/space", "create/page", "space.templates.create"}; !slices.Equal(r.SpacePermissions, want) {
			t.Errorf("permissions %v, want %v", r.SpacePermissions, want)
		}
		got := decode[cloud.V2SpaceRole](t, h.get(asTerraform, path+"/"+r.ID).expect(t, http.StatusOK))
		if !slices.Equal(got.SpacePermissions, r.SpacePermissions) {
			t.Errorf("read back %v", got.SpacePermissions)
		}
	})
	t.Run("required refused", func(t *testing.T) {
		h := newHarness(t, withSeed(rolesSeed()), withOptions(Options{RequiredPermissions: RequiredRefused}))
		e := h.do(asTerraform, http.MethodPost, path, roleBody("Templater", "space.templates.create", "create/page")).expect(t, http.StatusBadRequest).v2Error(t)
		for _, part := range []string{`must include "read/space", which "create/page" requires`, `which "space.templates.create" requires`} {
			if e.Detail == nil || !strings.Contains(*e.Detail, part) {
				t.Errorf("detail %v lacks %q", e.Detail, part)
			}
		}
		h.do(asTerraform, http.MethodPut, path+"/"+reviewerID, roleBody("Reviewer", "create/comment")).expect(t, http.StatusBadRequest)
		h.do(asTerraform, http.MethodPost, path, roleBody("Templater", "read/space", "space.templates.create")).expect(t, http.StatusCreated)
	})
	t.Run("unknown ids", func(t *testing.T) {
		h := newRolesHarness(t, 0)
		for _, id := range []string{"write/page", "delete_mail/space", "space.nope", "READ/SPACE"} {
			e := h.do(asTerraform, http.MethodPost, path, roleBody("X", "read/space", id)).expect(t, http.StatusBadRequest).v2Error(t)
			if e.Detail == nil || !strings.Contains(*e.Detail, strconv.Quote(id)) {
				t.Errorf("%s: detail %v does not name it", id, e.Detail)
			}
		}
	})
	t.Run("granular permissions give no legacy access", func(t *testing.T) {
		h := newRolesHarness(t, 0)
		r, err := h.sim.CreateRole(SeedRole{Name: "Curator", Permissions: []string{"read/space", "space.content.manage-all", "space.features.manage"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := h.sim.AssignRole("HR", RolePrincipal{Type: RoleUser, ID: aliceID}, r.ID); err != nil {
			t.Fatal(err)
		}
		h.get(asAlice, "/wiki/api/v2/spaces/"+h.spaceID("HR")).expect(t, http.StatusOK) // read/space
		h.do(asAlice, http.MethodPost, "/wiki/rest/api/space/HR/permission", permissionBody("user", bobID, "read", "space")).expect(t, http.StatusForbidden)
		// The Admin role holds every permission of the catalogue.
		admin, _ := h.sim.RoleNamed("Admin")
		if len(admin.Permissions) != len(state.Catalogue()) || !admin.Grants(permissions.AdministerSpace) {
			t.Errorf("Admin holds %v", admin.Permissions)
		}
	})
}

// CloudBurstLimited and CloudQuotaExhausted answer 429 with the headers of
// Cloud's rate limits, the reset in minute precision.
func TestCloudRateLimitPresets(t *testing.T) {
	h := newHarness(t)
	if err := h.sim.InjectFault(CloudBurstLimited(permissionsRoute, 1)); err != nil {
		t.Fatal(err)
	}
	r := h.get(asTerraform, permissionsPath(h, "DOCS")).expect(t, http.StatusTooManyRequests)
	if e := r.v2Error(t); e.Code != "TOO_MANY_REQUESTS" {
		t.Errorf("error %+v", e)
	}
	for name, want := range map[string]string{"Retry-After": "1", "X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "100", "RateLimit-Reason": "confluence-burst-based"} {
		if got := r.header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	checkMinutePrecision(t, r.header.Get("X-RateLimit-Reset"))
	h.get(asTerraform, permissionsPath(h, "DOCS")).expect(t, http.StatusOK)

	reset := time.Date(2026, 3, 26, 16, 0, 0, 0, time.UTC)
	f := CloudQuotaExhausted("POST /wiki/rest/api/space/{spaceKey}/permission", 2, reset)
	if f.Header.Get("X-RateLimit-Reset") != "2026-03-26T16:00Z" || f.Header.Get("RateLimit-Reason") != "confluence-quota-global-based" || f.RetryAfter != "0" {
		t.Errorf("quota fault for a past reset: %+v", f)
	}
	soon := CloudQuotaExhaustedFor("* /wiki/rest/api/space/{spaceKey}/permission", 1, time.Time{}, TenantQuotaReason)
	if err := h.sim.InjectFault(soon); err != nil {
		t.Fatal(err)
	}
	r = h.do(asTerraform, http.MethodPost, "/wiki/rest/api/space/HR/permission", permissionBody("user", bobID, "read", "space")).expect(t, http.StatusTooManyRequests)
	r.v1Message(t)
	resetAt := checkMinutePrecision(t, r.header.Get("X-RateLimit-Reset"))
	if resetAt.Minute() != 0 || r.header.Get("RateLimit-Reason") != "confluence-quota-tenant-based" {
		t.Errorf("reset %s, reason %q: want the next full hour and the tenant quota", resetAt, r.header.Get("RateLimit-Reason"))
	}
	if secs, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || secs < 0 || secs > 3600 {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	if got := h.operationsOf("HR", state.UserPrincipal(bobID)); got != nil {
		t.Errorf("a refused request changed the site: %v", got)
	}
}

func checkMinutePrecision(t *testing.T, v string) time.Time {
	t.Helper()
	at, err := time.Parse("2006-01-02T15:04Z", v)
	if err != nil {
		t.Fatalf("X-RateLimit-Reset %q is not yyyy-MM-ddTHH:mmZ: %v", v, err)
	}
	if at.Before(time.Now().Add(-time.Minute)) {
		t.Errorf("X-RateLimit-Reset %q is in the past", v)
	}
	return at
}

// ScopeMismatch answers as Cloud's gateway does a token without the scope:
// 401 with its own body and failure category, on v1 and v2 paths alike.
func TestScopeMismatch(t *testing.T) {
	h := newHarness(t, unchecked) // the gateway's body is not in the documents
	if err := h.sim.InjectFault(ScopeMismatch("", 2)); err != nil {
		t.Fatal(err)
	}
	for _, r := range []response{
		h.get(asTerraform, permissionsPath(h, "DOCS")),
		h.do(asTerraform, http.MethodPost, "/wiki/rest/api/space/HR/permission", permissionBody("user", bobID, "read", "space")),
	} {
		r.expect(t, http.StatusUnauthorized)
		if string(r.body) != `{"code":401,"message":"Unauthorized; scope does not match"}` || r.header.Get("X-Failure-Category") != "FAILURE_CLIENT_SCOPE_CHECK" ||
			!strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Errorf("answer %s %v", r.body, r.header)
		}
	}
	h.get(asTerraform, permissionsPath(h, "DOCS")).expect(t, http.StatusOK)
}
