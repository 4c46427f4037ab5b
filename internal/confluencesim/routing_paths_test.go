package confluencesim

import (
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// A Data Center group name with a slash reaches the group route encoded
// (%2F): the router splits the path before it unescapes a segment, so the
// name arrives whole, and the request counts under the route's template.
func TestDCEncodedSlashInAGroupName(t *testing.T) {
	seed := DemoSeed()
	seed.Groups = append(seed.Groups, SeedGroup{ID: "7d1c5a3e-2b4f-4e6a-9c8d-1f0e2d3c4b5a", Name: "team/platform", Members: []string{bobID}})
	h := newDCHarness(t, withSeed(seed))
	team := state.GroupPrincipal("7d1c5a3e-2b4f-4e6a-9c8d-1f0e2d3c4b5a")

	h.do(dcAsTerraform, http.MethodPut, permissionsPathDC("HR", "group/team%2Fplatform/grant"), pairs("space/read")).expect(t, http.StatusNoContent)
	if got := h.holds("HR", team); !slices.Equal(got, []string{"read/space"}) {
		t.Errorf("team/platform holds %v", got)
	}
	if rows := rowKeys(t, h.get(dcAsTerraform, permissionsPathDC("HR", "group/team%2Fplatform")).expect(t, http.StatusOK)); !slices.Equal(rows, []string{"group:team/platform space/read"}) {
		t.Errorf("rows %v", rows)
	}
	// Unencoded, the slash makes another path, which no route serves.
	msg := h.do(dcAsTerraform, http.MethodPut, permissionsPathDC("HR", "group/team/platform/grant"), pairs("space/export")).expect(t, http.StatusNotFound).dcXMLMessage(t)
	if msg != "null for uri: /rest/api/space/HR/permissions/group/team/platform/grant" {
		t.Errorf("message %q", msg)
	}
	want := map[string]int{
		"PUT /rest/api/space/{spaceKey}/permissions/group/{groupName}/grant": 1,
		"GET /rest/api/space/{spaceKey}/permissions/group/{groupName}":       1,
		"PUT " + UnmatchedRoute: 1,
	}
	if got := h.sim.RequestCounts(); !maps.Equal(got, want) {
		t.Errorf("counts %v, want %v", got, want)
	}
}

// Paths no route serves count as the unmatched route and answer the
// flavour's 404; a served path with a wrong method counts under its
// template and answers the flavour's 405.
func TestUnservedRequestsPerFlavour(t *testing.T) {
	t.Run("cloud", func(t *testing.T) {
		h := newHarness(t, unchecked)
		h.get(asTerraform, "/wiki/api/v2/nope").expect(t, http.StatusNotFound).v2Error(t)
		h.get(asTerraform, "/wiki/rest/api/nope").expect(t, http.StatusNotFound).v1Message(t)
		h.get(asTerraform, "/wiki/api/v2/spac%65s").expect(t, http.StatusNotFound).v2Error(t) // literal segments match as written
		h.get(asTerraform, "//wiki/api/v2/spaces").expect(t, http.StatusNotFound)
		h.do(asTerraform, http.MethodHead, "/wiki/api/v2/spaces", nil).expect(t, http.StatusMethodNotAllowed)
		h.do(asTerraform, http.MethodPost, "/wiki/api/v2/space-roles/x", nil).expect(t, http.StatusMethodNotAllowed).v2Error(t)
		want := map[string]int{
			"GET " + UnmatchedRoute:              4,
			"HEAD /wiki/api/v2/spaces":           1,
			"POST /wiki/api/v2/space-roles/{id}": 1,
		}
		if got := h.sim.RequestCounts(); !maps.Equal(got, want) {
			t.Errorf("counts %v, want %v", got, want)
		}
	})
	t.Run("datacenter", func(t *testing.T) {
		h := newDCHarness(t, withDCOptions(Options{RemoteAPI: true, PathPrefix: "/confluence"}))
		if msg := h.get(dcAsTerraform, "/confluence/rest/api/nope").expect(t, http.StatusNotFound).dcXMLMessage(t); msg != "null for uri: /rest/api/nope" {
			t.Errorf("message %q", msg)
		}
		if msg := h.get(dcAsTerraform, "/rest/api/space").expect(t, http.StatusNotFound).dcXMLMessage(t); msg != "null for uri: /rest/api/space" {
			t.Errorf("without the context path: message %q", msg)
		}
		h.do(dcAsTerraform, http.MethodDelete, "/confluence/rest/api/space/HR", nil).expect(t, http.StatusMethodNotAllowed).dcMessage(t)
		h.get(dcAsTerraform, "/confluence/rpc/json-rpc/confluenceservice-v2").expect(t, http.StatusMethodNotAllowed).dcXMLMessage(t)
		h.get(dcAsTerraform, "/confluence/rest/api/space").expect(t, http.StatusOK)
		want := map[string]int{
			"GET " + UnmatchedRoute:                  2,
			"DELETE /rest/api/space/{spaceKey}":      1,
			"GET /rpc/json-rpc/confluenceservice-v2": 1,
			"GET /rest/api/space":                    1,
		}
		if got := h.sim.RequestCounts(); !maps.Equal(got, want) {
			t.Errorf("counts %v, want %v", got, want)
		}
	})
}
