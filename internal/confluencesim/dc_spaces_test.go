package confluencesim

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/datacenter"
)

type dcSpacePage = datacenter.Page[datacenter.Space]

func dcSpaceKeys(p dcSpacePage) string {
	return joined(p.Results, func(sp datacenter.Space) string { return sp.Key })
}

// GET /rest/api/server-information exists from 9.1 ("Since 9.1.0"); before,
// it is an unknown path with Jersey's XML 404. The remote API's
// getServerInfo tells the version on every release.
func TestDCServerInformation(t *testing.T) {
	for _, tc := range []struct {
		version             string
		base                string
		major, minor, patch int
		build               int
		rest                bool
	}{
		{"7.19.20", "", 7, 19, 20, 8920, false},
		{"8.5.4", "/confluence", 8, 5, 4, 8504, false},
		{"9.0.3", "", 9, 0, 3, 9003, false},
		{"9.1.0", "/confluence", 9, 1, 0, 9100, true},
		{"9.2.1", "", 9, 2, 1, 9201, true},
		{"10.0", "", 10, 0, 0, 10000, true},
		{"10.2.10", "", 10, 2, 10, 10210, true},
	} {
		t.Run(tc.version, func(t *testing.T) {
			h := newDCHarness(t, withDCOptions(Options{DCVersion: tc.version, PathPrefix: tc.base, RemoteAPI: true}))
			r := h.get(dcAsTerraform, tc.base+"/rest/api/server-information")
			if tc.rest {
				info := decode[datacenter.ServerInformation](t, r.expect(t, http.StatusOK))
				if info.Version != tc.version || info.BuildNumber != tc.build || info.BaseURL != h.url+tc.base || info.ServerTitle == "" || info.BuildDate == "" {
					t.Errorf("server information %+v", info)
				}
			} else if msg := r.expect(t, http.StatusNotFound).dcXMLMessage(t); msg != "null for uri: /rest/api/server-information" {
				t.Errorf("message %q", msg)
			}

			want := datacenter.RPCServerInfo{MajorVersion: tc.major, MinorVersion: tc.minor, PatchLevel: tc.patch, BuildID: strconv.Itoa(tc.build), BaseURL: h.url + tc.base}
			envelope := h.do(dcAsBob, http.MethodPost, tc.base+datacenter.RPCPath, map[string]any{"jsonrpc": "2.0", "method": "getServerInfo", "params": []any{}, "id": 1})
			if got := decode[struct{ Result datacenter.RPCServerInfo }](t, envelope.expect(t, http.StatusOK)).Result; got != want {
				t.Errorf("getServerInfo %+v, want %+v", got, want)
			}
			light := h.do(dcAsBob, http.MethodPost, tc.base+datacenter.RPCPath+"/getServerInfo", "[]")
			if got := decode[datacenter.RPCServerInfo](t, light.expect(t, http.StatusOK)); got != want {
				t.Errorf("light getServerInfo %+v, want %+v", got, want)
			}
		})
	}
}

func TestDCGetSpaces(t *testing.T) {
	h := newDCHarness(t)
	if _, err := h.sim.CreateSpace(SeedSpace{Key: "ARCH", Name: "Archive", Status: "archived", Labels: []string{"old"},
		Grants: []SeedGrant{{Principal: SeedPrincipal{Type: "user", ID: terraformID}, Operations: []string{"read/space", "administer/space"}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.sim.CreateSpace(SeedSpace{Key: "~alice", Name: "Alice Martin", Type: "personal",
		Grants: []SeedGrant{{Principal: SeedPrincipal{Type: "user", ID: aliceID}, Operations: []string{"read/space", "administer/space"}}}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		auth, query, keys string
	}{
		{dcAsTerraform, "", "ARCH,DOCS,ENG,HR,OPS,~alice"},
		{dcAsAlice, "", "DOCS,ENG,~alice"},
		{dcAsBob, "", "DOCS,ENG,OPS"},
		{dcPAT, "spaceKey=DOCS&spaceKey=HR", "DOCS,HR"},
		{dcAsTerraform, "spaceKey=DOCS,OPS", "DOCS,OPS"},
		{dcAsTerraform, "spaceKey=NOPE", ""},
		{dcAsTerraform, "type=personal", "~alice"},
		{dcAsTerraform, "type=global&status=current", "DOCS,ENG,HR,OPS"},
		{dcAsTerraform, "status=archived", "ARCH"},
		{dcAsTerraform, "label=engineering", "ENG,OPS"},
		{dcAsTerraform, "label=old&label=hr", "ARCH,HR"},
		{dcAsTerraform, "favourite=true&expand=description", "ARCH,DOCS,ENG,HR,OPS,~alice"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			p := decode[dcSpacePage](t, h.get(tt.auth, "/rest/api/space?"+tt.query).expect(t, http.StatusOK))
			if got := dcSpaceKeys(p); got != tt.keys {
				t.Errorf("spaces %q, want %q", got, tt.keys)
			}
			if p.Results == nil || p.Size != len(p.Results) || p.Start != 0 || p.Limit != datacenter.DefaultLimit {
				t.Errorf("envelope %+v", p)
			}
			if p.Links["base"] != h.url || p.Links["self"] != h.url+"/rest/api/space" || p.Links["next"] != "" {
				t.Errorf("links %v", p.Links)
			}
		})
	}
	docs := decode[dcSpacePage](t, h.get(dcAsTerraform, "/rest/api/space?spaceKey=DOCS")).Results[0]
	if sp, _ := h.sim.Space("DOCS"); docs.ID != sp.ID || docs.Name != "Documentation" || docs.Type != "global" || docs.Status != "current" ||
		docs.Links["webui"] != "/display/DOCS" || docs.Links["self"] != h.url+"/rest/api/space/DOCS" {
		t.Errorf("space %+v", docs)
	}
	for _, q := range []string{"type=collaboration", "status=deleted", "start=-1", "limit=0", "limit=x"} {
		t.Run("bad "+q, func(t *testing.T) {
			h.get(dcAsTerraform, "/rest/api/space?"+q).expect(t, http.StatusBadRequest).dcMessage(t)
		})
	}
}

// Paging follows _links.next from _links.base; a limit above the cap is
// lowered silently and reported, and next advances by what was returned
// (contributing/confluence-api.md#data-center-spaces-and-paging).
func TestDCGetSpacesPaging(t *testing.T) {
	const prefix = "/confluence"
	h := newDCHarness(t, withDCOptions(Options{PathPrefix: prefix}))
	for i := range 150 {
		if _, err := h.sim.CreateSpace(SeedSpace{Key: fmt.Sprintf("S%03d", i), Name: fmt.Sprintf("Space %d", i), Labels: []string{"bulk"},
			Grants: []SeedGrant{{Principal: SeedPrincipal{Type: "user", ID: bobID}, Operations: []string{"read/space", "administer/space"}}}}); err != nil {
			t.Fatal(err)
		}
	}
	var want []string
	for i := range 150 {
		want = append(want, fmt.Sprintf("S%03d", i))
	}
	for _, tc := range []struct {
		limit, effective, pages int
	}{{1000, 100, 2}, {100, 100, 2}, {7, 7, 22}, {150, 100, 2}} {
		t.Run(fmt.Sprintf("limit=%d", tc.limit), func(t *testing.T) {
			next := fmt.Sprintf("%s/rest/api/space?label=bulk&limit=%d", prefix, tc.limit)
			var got []string
			pages := 0
			for next != "" {
				p := decode[dcSpacePage](t, h.get(dcAsBob, next).expect(t, http.StatusOK))
				if p.Limit != tc.effective || p.Start != len(got) || p.Links["context"] != prefix || p.Links["base"] != h.url+prefix {
					t.Fatalf("page %d: start %d, limit %d, links %v", pages, p.Start, p.Limit, p.Links)
				}
				got = append(got, strings.Split(dcSpaceKeys(p), ",")...)
				pages++
				next = ""
				if rel := p.Links["next"]; rel != "" {
					if !strings.HasPrefix(rel, "/rest/api/space?") || !strings.Contains(rel, "label=bulk") {
						t.Fatalf("next %q", rel)
					}
					next = strings.TrimPrefix(p.Links["base"], h.url) + rel
				}
			}
			if !slices.Equal(got, want) || pages != tc.pages {
				t.Errorf("%d pages of %d spaces, want %d pages of %d in order", pages, len(got), tc.pages, len(want))
			}
		})
	}
	p := decode[dcSpacePage](t, h.get(dcAsBob, prefix+"/rest/api/space?label=bulk&start=148&limit=5"))
	if dcSpaceKeys(p) != "S148,S149" || p.Size != 2 || p.Links["next"] != "" {
		t.Errorf("last page %+v", p)
	}
	if p := decode[dcSpacePage](t, h.get(dcAsBob, prefix+"/rest/api/space?label=bulk&start=500")); len(p.Results) != 0 || p.Links["next"] != "" {
		t.Errorf("past the end %+v", p)
	}
}

func TestDCGetSpace(t *testing.T) {
	h := newDCHarness(t, withDCOptions(Options{PathPrefix: "/wiki-dc"}))
	sp := decode[datacenter.Space](t, h.get(dcAsAlice, "/wiki-dc/rest/api/space/DOCS").expect(t, http.StatusOK))
	if sp.Key != "DOCS" || sp.Links["base"] != h.url+"/wiki-dc" || sp.Links["context"] != "/wiki-dc" || sp.Links["self"] != h.url+"/wiki-dc/rest/api/space/DOCS" {
		t.Errorf("space %+v", sp)
	}
	if msg := h.get(dcAsAlice, "/wiki-dc/rest/api/space/HR").expect(t, http.StatusNotFound).dcMessage(t); msg != "No space with key : HR" {
		t.Errorf("message %q", msg)
	}
	h.get(dcAsAlice, "/wiki-dc/rest/api/space/NOPE").expect(t, http.StatusNotFound).dcMessage(t)
	// Without the context path nothing answers.
	h.get(dcAsAlice, "/rest/api/space/DOCS").expect(t, http.StatusNotFound).dcXMLMessage(t)
}
