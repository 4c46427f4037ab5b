package confluencesim

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/cloud"
)

type spacePage = cloud.V2Page[cloud.V2Space]

func spaceKeys(p spacePage) string {
	return joined(p.Results, func(s cloud.V2Space) string { return s.Key })
}

// Only spaces the caller can view are listed
// (contributing/confluence-api.md#spaces-and-key-lookups).
func TestGetSpacesListsOnlyViewableSpaces(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		who, auth, want string
	}{
		{"site admin sees every space", asTerraform, "DOCS,ENG,HR,OPS"},
		{"alice: DOCS as admin, ENG through confluence-users", asAlice, "DOCS,ENG"},
		{"bob: OPS through engineering", asBob, "DOCS,ENG,OPS"},
		{"carol: HR as admin", asCarol, "DOCS,ENG,HR"},
	}
	for _, tt := range tests {
		t.Run(tt.who, func(t *testing.T) {
			p := decode[spacePage](t, h.get(tt.auth, "/wiki/api/v2/spaces").expect(t, http.StatusOK))
			if got := spaceKeys(p); got != tt.want {
				t.Errorf("spaces %s, want %s", got, tt.want)
			}
		})
	}
}

func TestGetSpacesFilters(t *testing.T) {
	h := newHarness(t)
	if _, err := h.sim.CreateSpace(SeedSpace{Key: "ARCH", Name: "Archive", Type: "collaboration", Status: "archived", Labels: []string{"old"},
		Grants: []SeedGrant{{Principal: SeedPrincipal{Type: "user", ID: aliceID}, Operations: []string{"read/space", "administer/space"}}}}); err != nil {
		t.Fatal(err)
	}
	docs, eng := h.spaceID("DOCS"), h.spaceID("ENG")
	tests := []struct {
		query, want string
	}{
		{"keys=DOCS,HR", "DOCS,HR"}, // one comma-joined value, the default parsing (see TestSpaceKeysParam)
		{"keys=NOPE", ""},           // unknown keys give an empty page, not 404
		{"ids=" + docs + "," + eng, "DOCS,ENG"},
		{"type=collaboration", "ARCH"},
		{"status=archived", "ARCH"},
		{"status=current&type=global", "DOCS,ENG,HR,OPS"},
		{"labels=engineering", "ENG,OPS"},
		{"labels=hr,old", "HR,ARCH"}, // any of the labels
		{"keys=DOCS,ENG,OPS&labels=engineering", "ENG,OPS"},
		{"sort=-id", "ARCH,OPS,HR,ENG,DOCS"},
		{"sort=key", "ARCH,DOCS,ENG,HR,OPS"},
		{"sort=-name", "OPS,HR,ENG,DOCS,ARCH"},
		{"include-icon=true&description-format=plain", "DOCS,ENG,HR,OPS,ARCH"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			p := decode[spacePage](t, h.get(asTerraform, "/wiki/api/v2/spaces?"+tt.query).expect(t, http.StatusOK))
			if got := spaceKeys(p); got != tt.want {
				t.Errorf("spaces %q, want %q", got, tt.want)
			}
		})
	}
}

func TestGetSpacesRefusesBadParameters(t *testing.T) {
	h := newHarness(t)
	tooMany := strings.Repeat("K,", 251)
	for _, query := range []string{
		"limit=0", "limit=251", "limit=ten", "type=team", "status=gone", "sort=created",
		"ids=abc", "cursor=not-a-cursor", "keys=" + tooMany,
	} {
		t.Run(query, func(t *testing.T) {
			e := h.get(asTerraform, "/wiki/api/v2/spaces?"+query).expect(t, http.StatusBadRequest).v2Error(t)
			if e.Code != "INVALID_REQUEST_PARAMETER" || e.Title == "" {
				t.Errorf("error %+v", e)
			}
		})
	}
}

func TestGetSpacesLimitBounds(t *testing.T) {
	h := newHarness(t)
	for _, limit := range []string{"1", "250"} {
		h.get(asTerraform, "/wiki/api/v2/spaces?limit="+limit).expect(t, http.StatusOK)
	}
}

// addSpaces creates n more spaces, all visible to the site admin.
func addSpaces(t *testing.T, h *harness, n int) {
	t.Helper()
	for i := range n {
		_, err := h.sim.CreateSpace(SeedSpace{Key: "S" + strings.Repeat("X", i+1), Name: "Space " + string(rune('a'+i%26)),
			Labels: []string{"bulk"},
			Grants: []SeedGrant{{Principal: SeedPrincipal{Type: "user", ID: terraformID}, Operations: []string{"read/space", "administer/space"}}}})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// followPages walks _links.next from the first page, checking each Link
// header against the body, and returns every key seen.
func followPages(t *testing.T, h *harness, first string) (keys []string, pages int) {
	t.Helper()
	next := first
	for next != "" {
		r := h.get(asTerraform, next).expect(t, http.StatusOK)
		p := decode[spacePage](t, r)
		pages++
		for _, s := range p.Results {
			keys = append(keys, s.Key)
		}
		wantLink := `<` + p.Links.Base + `>; rel="base"`
		if p.Links.Next != "" {
			wantLink = `<` + p.Links.Next + `>; rel="next", ` + wantLink
			if !strings.HasPrefix(p.Links.Next, "/wiki/api/v2/spaces?cursor=") {
				t.Fatalf("next %q is not a site-relative /wiki/api/v2 link", p.Links.Next)
			}
		}
		if got := r.header.Get("Link"); got != wantLink {
			t.Errorf("Link %q, want %q", got, wantLink)
		}
		if p.Links.Base != h.url+"/wiki" {
			t.Errorf("base %q", p.Links.Base)
		}
		next = p.Links.Next
		if pages > 1000 {
			t.Fatal("pagination does not end")
		}
	}
	return keys, pages
}

func TestGetSpacesPagination(t *testing.T) {
	h := newHarness(t)
	addSpaces(t, h, 30) // 34 spaces

	t.Run("default limit is 25", func(t *testing.T) {
		p := decode[spacePage](t, h.get(asTerraform, "/wiki/api/v2/spaces").expect(t, http.StatusOK))
		if len(p.Results) != 25 || !strings.HasSuffix(p.Links.Next, "&limit=25") {
			t.Errorf("%d results, next %q", len(p.Results), p.Links.Next)
		}
	})
	for _, tc := range []struct {
		sort      string
		wantPages int
	}{{"", 12}, {"-id", 12}, {"key", 12}, {"-name", 12}} {
		t.Run("limit 3 sort "+tc.sort, func(t *testing.T) {
			sort := ""
			if tc.sort != "" {
				sort = "&sort=" + tc.sort
			}
			keys, pages := followPages(t, h, "/wiki/api/v2/spaces?limit=3"+sort)
			all := decode[spacePage](t, h.get(asTerraform, "/wiki/api/v2/spaces?limit=250"+sort))
			if got, want := strings.Join(keys, ","), spaceKeys(all); got != want {
				t.Errorf("paged %s\nwant    %s", got, want)
			}
			if pages != tc.wantPages {
				t.Errorf("%d pages, want %d", pages, tc.wantPages)
			}
		})
	}
	t.Run("next carries the filters", func(t *testing.T) {
		p := decode[spacePage](t, h.get(asTerraform, "/wiki/api/v2/spaces?limit=2&labels=bulk,engineering&keys=ENG,OPS,SX,SXX").expect(t, http.StatusOK))
		u, err := url.Parse(p.Links.Next)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		if !slices.Equal(q["keys"], []string{"ENG,OPS,SX,SXX"}) || !slices.Equal(q["labels"], []string{"bulk,engineering"}) {
			t.Errorf("next %q does not repeat the filters comma-joined, as the site reads them", p.Links.Next)
		}
		keys, _ := followPages(t, h, "/wiki/api/v2/spaces?limit=2&labels=bulk,engineering&keys=ENG,OPS,SX,SXX")
		if got := strings.Join(keys, ","); got != "ENG,OPS,SX,SXX" {
			t.Errorf("filtered pages %s", got)
		}
	})
	t.Run("a deleted space does not break the cursor", func(t *testing.T) {
		p := decode[spacePage](t, h.get(asTerraform, "/wiki/api/v2/spaces?limit=2"))
		if err := h.sim.DeleteSpace(p.Results[1].Key); err != nil {
			t.Fatal(err)
		}
		next := decode[spacePage](t, h.get(asTerraform, p.Links.Next).expect(t, http.StatusOK))
		if next.Results[0].Key != "HR" {
			t.Errorf("page after a deleted cursor space starts at %s", next.Results[0].Key)
		}
	})
}

func TestGetSpaceByID(t *testing.T) {
	h := newHarness(t)
	id := h.spaceID("HR")
	t.Run("found", func(t *testing.T) {
		s := decode[cloud.V2Space](t, h.get(asCarol, "/wiki/api/v2/spaces/"+id).expect(t, http.StatusOK))
		want := cloud.V2Space{ID: id, Key: "HR", Name: "Human Resources", Type: "global", Status: "current", AuthorID: carolID,
			CreatedAt: s.CreatedAt, Links: cloud.V2SpaceLinks{WebUI: "/spaces/HR", Base: h.url + "/wiki"}}
		if s != want {
			t.Errorf("space %+v\nwant  %+v", s, want)
		}
		if !strings.HasSuffix(s.CreatedAt, "Z") || len(s.CreatedAt) != len("2024-03-01T10:15:30.000Z") {
			t.Errorf("createdAt %q is not YYYY-MM-DDTHH:mm:ss.sssZ", s.CreatedAt)
		}
	})
	for _, tc := range []struct{ name, auth, id string }{
		{"missing", asTerraform, "1"},
		{"not viewable", asAlice, id},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := h.get(tc.auth, "/wiki/api/v2/spaces/"+tc.id).expect(t, http.StatusNotFound).v2Error(t)
			if e.Code != "NOT_FOUND" || e.Title != "Not Found" || e.Detail != nil {
				t.Errorf("error %+v", e)
			}
		})
	}
	t.Run("id not a number", func(t *testing.T) {
		h.get(asTerraform, "/wiki/api/v2/spaces/DOCS").expect(t, http.StatusBadRequest).v2Error(t)
	})
}

func TestGetSpaceRoleMode(t *testing.T) {
	seed := DemoSeed()
	seed.RoleMode = RolesTransition
	h := newHarness(t, withSeed(seed))
	if got := decode[map[string]string](t, h.get(asAlice, "/wiki/api/v2/space-role-mode")); got["mode"] != "ROLES_TRANSITION" {
		t.Errorf("seeded mode answered as %v", got)
	}
	for _, m := range []RoleMode{PreRoles, RolesTransition, RolesOnly} {
		if err := h.sim.SetRoleMode(m); err != nil {
			t.Fatal(err)
		}
		got := decode[map[string]string](t, h.get(asAlice, "/wiki/api/v2/space-role-mode").expect(t, http.StatusOK))
		if got["mode"] != string(m) || len(got) != 1 {
			t.Errorf("body %v, want mode %s", got, m)
		}
	}
	if err := h.sim.SetRoleMode("RBAC"); err == nil {
		t.Error("an unknown mode was accepted")
	}
}
