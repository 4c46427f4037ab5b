package provider

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

// TestProtocolValidateConfig: the values a configuration can get wrong
// without any request to Confluence are refused at validation, before the
// plan, with an error that names the value and what it may be instead.
func TestProtocolValidateConfig(t *testing.T) {
	p := cloudSite(t).protocol(t)
	for _, tc := range []struct {
		name, dataSource, resource string
		config                     map[string]any
		want                       []string // every one must be in the error
	}{
		{name: "space type", dataSource: "confluence_spaces", config: map[string]any{"type": "team"},
			want: []string{`"team"`, "global", "personal"}},
		{name: "space status", dataSource: "confluence_spaces", config: map[string]any{"status": "deleted"},
			want: []string{`"deleted"`, "current", "archived"}},
		{name: "key in the spaces filter", dataSource: "confluence_spaces", config: map[string]any{"keys": []string{"DO CS"}},
			want: []string{"DO CS", "Invalid space key"}},
		{name: "key of a grant", resource: "confluence_space_permission",
			config: map[string]any{"space_key": "docs-team", "operation": "read/space", "principal": map[string]any{"type": "user", "id": "5b10ac8d82e05b22cc7d4ef5"}},
			want:   []string{"docs-team", "Invalid space key"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := p.validate(tc.dataSource, tc.resource, tc.config)
			if !hasError(diags) {
				t.Fatalf("no error for %v", tc.config)
			}
			text := diagnosticsText(diags)
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("error does not say %q:\n%s", w, text)
				}
			}
		})
	}
	// The same attributes with good values pass.
	good := map[string]any{"type": "global", "status": "archived", "keys": []string{"DOCS", "~5b10ac8d82e05b22cc7d4ef5"}}
	if diags := p.validate("confluence_spaces", "", good); hasError(diags) {
		t.Errorf("%v refused: %s", good, diagnosticsText(diags))
	}
}

// validate is ValidateDataResourceConfig for a data source, or
// ValidateResourceConfig for a resource.
func (p *protocol) validate(dataSource, resource string, config map[string]any) []*tfprotov6.Diagnostic {
	p.t.Helper()
	ctx := context.Background()
	if dataSource != "" {
		typ := valueType(p.t, "data source", p.schema.DataSourceSchemas, dataSource)
		resp, err := p.server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: dataSource, Config: p.dynamic(typ, config)})
		if err != nil {
			p.t.Fatal(err)
		}
		return resp.Diagnostics
	}
	resp, err := p.server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: resource, Config: p.dynamic(p.resourceType(resource), config)})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.Diagnostics
}

// TestProtocolPlanRefusesCredentials: a token Confluence refuses (401), or
// an account it refuses (403), fails the plan of a configuration with no
// data source, where the first request is the role mode read of the plan:
// the error names the credentials to check, and nothing is written.
func TestProtocolPlanRefusesCredentials(t *testing.T) {
	config := map[string]any{"space_key": "DOCS", "operation": "create/page", "principal": map[string]any{"type": "user", "id": "5b10ac8d82e05b22cc7d4ef5"}}
	for _, tc := range []struct {
		name  string
		spoil func(*site)
	}{
		{"wrong token", func(s *site) { s.token = "not-the-token" }},
		{"account refused", func(s *site) {
			if err := s.sim.InjectFault(confluencesim.Fault{Route: "GET /wiki/api/v2/space-role-mode", Times: 1, Status: http.StatusForbidden}); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := cloudSite(t)
			tc.spoil(s)
			p := s.protocol(t)
			typ := p.resourceType("confluence_space_permission")
			resp, err := p.server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
				TypeName: "confluence_space_permission", PriorState: p.dynamic(typ, nil),
				ProposedNewState: p.dynamic(typ, config), Config: p.dynamic(typ, config),
			})
			if err != nil {
				t.Fatal(err)
			}
			text := diagnosticsText(resp.Diagnostics)
			if !hasError(resp.Diagnostics) || !strings.Contains(text, "Confluence refused the provider's credentials") {
				t.Fatalf("plan with %s: %s", tc.name, text)
			}
			if n := s.sim.RequestCounts()["POST /wiki/rest/api/space/{spaceKey}/permission"]; n != 0 {
				t.Errorf("%d grant writes", n)
			}
			t.Logf("%s: %s", tc.name, text)
		})
	}
}
