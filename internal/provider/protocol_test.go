package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/spacekeeper/terraform-provider-confluence/internal/testutil/tfvalue"
)

// Resource identity needs Terraform 1.12 and list resources 1.14; the
// acceptance suite runs older CLIs (1.11 on PATH, 1.5.7 built by make). The
// protocol tests therefore speak to the provider's own tfprotov6 server as
// Terraform would, RPC by RPC, against the simulator: they run with every
// `go test`, need no CLI, and pin exactly what Terraform would receive.

// protocol is the provider's server, configured for a site.
type protocol struct {
	t          *testing.T
	server     providerServer
	schema     *tfprotov6.GetProviderSchemaResponse
	identities map[string]*tfprotov6.ResourceIdentitySchema
}

// providerServer is the provider's server with the list resource RPCs,
// which tfprotov6 still declares apart from ProviderServer.
type providerServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
}

// protocol starts a provider server and configures it for the site, as
// terraform plan would.
func (s *site) protocol(t *testing.T) *protocol {
	t.Helper()
	p, diags := s.configuredProtocol(t)
	if hasError(diags) {
		t.Fatalf("ConfigureProvider: %s", diagnosticsText(diags))
	}
	return p
}

// configuredProtocol is protocol, with what ConfigureProvider answered.
func (s *site) configuredProtocol(t *testing.T) (*protocol, []*tfprotov6.Diagnostic) {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	p := &protocol{t: t, server: server.(providerServer)}
	ctx := context.Background()
	if p.schema, err = p.server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil || len(p.schema.Diagnostics) > 0 {
		t.Fatalf("GetProviderSchema: %v %s", err, diagnosticsText(p.schema.Diagnostics))
	}
	ids, err := p.server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || len(ids.Diagnostics) > 0 {
		t.Fatalf("GetResourceIdentitySchemas: %v %s", err, diagnosticsText(ids.Diagnostics))
	}
	p.identities = ids.IdentitySchemas
	config := map[string]any{"url": s.url, "user": s.login, "api_token": s.token}
	if s.bearer {
		config = map[string]any{"url": s.url, "token": s.token}
	}
	if !s.detect {
		config["deployment"] = string(s.deployment)
	}
	if s.dcAPI != "" {
		config["data_center_api"] = s.dcAPI
	}
	resp, err := p.server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.14.0",
		Config:           p.dynamic(p.schema.Provider.ValueType(), config),
	})
	if err != nil {
		t.Fatalf("ConfigureProvider: %v", err)
	}
	return p, resp.Diagnostics
}

// resourceType, identityType and listType are the value types Terraform
// builds from the schemas.
func (p *protocol) resourceType(name string) tftypes.Type {
	return valueType(p.t, "resource", p.schema.ResourceSchemas, name)
}

func (p *protocol) identityType(name string) tftypes.Type {
	return valueType(p.t, "identity schema", p.identities, name)
}

func (p *protocol) listType(name string) tftypes.Type {
	return valueType(p.t, "list resource", p.schema.ListResourceSchemas, name)
}

func valueType[S interface{ ValueType() tftypes.Type }](t *testing.T, what string, schemas map[string]S, name string) tftypes.Type {
	t.Helper()
	s, ok := schemas[name]
	if !ok {
		t.Fatalf("no %s %s", what, name)
	}
	return s.ValueType()
}

// imported is what ImportResourceState answers for one resource.
type imported struct {
	state, identity map[string]any
	private         []byte
	diags           []*tfprotov6.Diagnostic
}

// importByID imports as `terraform import` or an import block's id does.
func (p *protocol) importByID(typeName, id string) imported {
	return p.importResource(&tfprotov6.ImportResourceStateRequest{TypeName: typeName, ID: id})
}

// importByIdentity imports as an import block's identity does.
func (p *protocol) importByIdentity(typeName string, identity map[string]any) imported {
	return p.importResource(&tfprotov6.ImportResourceStateRequest{TypeName: typeName,
		Identity: &tfprotov6.ResourceIdentityData{IdentityData: p.dynamic(p.identityType(typeName), identity)}})
}

func (p *protocol) importResource(req *tfprotov6.ImportResourceStateRequest) imported {
	p.t.Helper()
	resp, err := p.server.ImportResourceState(context.Background(), req)
	if err != nil {
		p.t.Fatal(err)
	}
	out := imported{diags: resp.Diagnostics}
	if len(resp.ImportedResources) == 1 {
		r := resp.ImportedResources[0]
		out.state = p.decode(r.State, p.resourceType(req.TypeName))
		out.private = r.Private
		if r.Identity != nil {
			out.identity = p.decode(r.Identity.IdentityData, p.identityType(req.TypeName))
		}
	}
	return out
}

// read is ReadResource: identity nil stands for state written before the
// provider had identities, or by a Terraform without them.
func (p *protocol) read(typeName string, state, identity map[string]any, private []byte) imported {
	p.t.Helper()
	req := &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: p.dynamic(p.resourceType(typeName), state), Private: private}
	if identity != nil {
		req.CurrentIdentity = &tfprotov6.ResourceIdentityData{IdentityData: p.dynamic(p.identityType(typeName), identity)}
	}
	resp, err := p.server.ReadResource(context.Background(), req)
	if err != nil {
		p.t.Fatal(err)
	}
	out := imported{diags: resp.Diagnostics, private: resp.Private, state: p.decode(resp.NewState, p.resourceType(typeName))}
	if resp.NewIdentity != nil {
		out.identity = p.decode(resp.NewIdentity.IdentityData, p.identityType(typeName))
	}
	return out
}

// listResult is one result of ListResource, decoded.
type listResult struct {
	display            string
	identity, resource map[string]any
	diags              []*tfprotov6.Diagnostic
}

// listRequest is what a list block sends: its config, include_resource and
// limit (Terraform's default is 100; 0 here means no limit).
type listRequest struct {
	config  map[string]any
	include bool
	limit   int64
}

// validateList is ValidateListResourceConfig.
func (p *protocol) validateList(typeName string, config map[string]any) []*tfprotov6.Diagnostic {
	p.t.Helper()
	resp, err := p.server.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{
		TypeName: typeName, Config: p.dynamic(p.listType(typeName), config),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.Diagnostics
}

// list runs ListResource and collects every result; each, when given, is
// called as results arrive, before the next space is read.
func (p *protocol) list(typeName string, req listRequest, each func(listResult)) []listResult {
	p.t.Helper()
	limit := req.limit
	if limit == 0 {
		limit = 1 << 30
	}
	stream, err := p.server.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: typeName, Config: p.dynamic(p.listType(typeName), req.config), IncludeResource: req.include, Limit: limit,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	var out []listResult
	for r := range stream.Results {
		res := listResult{display: r.DisplayName, diags: r.Diagnostics}
		if r.Identity != nil {
			res.identity = p.decode(r.Identity.IdentityData, p.identityType(typeName))
		}
		if r.Resource != nil {
			res.resource = p.decode(r.Resource, p.resourceType(typeName))
		}
		if each != nil {
			each(res)
		}
		out = append(out, res)
	}
	return out
}

// dynamic encodes Go values (strings, numbers, nil, []string, and maps for
// objects and maps) as a value of typ; attributes left out are null.
func (p *protocol) dynamic(typ tftypes.Type, v map[string]any) *tfprotov6.DynamicValue {
	p.t.Helper()
	dv, err := tfvalue.Dynamic(typ, v)
	if err != nil {
		p.t.Fatal(err)
	}
	return dv
}

// decode reads a value of typ into Go values: objects and maps as
// map[string]any, lists and sets as sorted []string, strings, nil for null.
func (p *protocol) decode(dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]any {
	p.t.Helper()
	if dv == nil {
		return nil
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		p.t.Fatal(err)
	}
	m, _ := fromValue(p.t, v).(map[string]any)
	return m
}

func fromValue(t *testing.T, v tftypes.Value) any {
	t.Helper()
	if v.IsNull() {
		return nil
	}
	switch {
	case v.Type().Is(tftypes.Object{}), v.Type().Is(tftypes.Map{}):
		var m map[string]tftypes.Value
		if err := v.As(&m); err != nil {
			t.Fatal(err)
		}
		out := map[string]any{}
		for k, e := range m {
			out[k] = fromValue(t, e)
		}
		return out
	case v.Type().Is(tftypes.List{}), v.Type().Is(tftypes.Set{}):
		var l []tftypes.Value
		if err := v.As(&l); err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, e := range l {
			out = append(out, fmt.Sprint(fromValue(t, e)))
		}
		sort.Strings(out)
		return out
	case v.Type().Is(tftypes.String):
		var s string
		if err := v.As(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	return v.String()
}

func hasError(diags []*tfprotov6.Diagnostic) bool {
	return slices.ContainsFunc(diags, func(d *tfprotov6.Diagnostic) bool { return d.Severity == tfprotov6.DiagnosticSeverityError })
}

// diagnosticsText renders diagnostics for failure messages and matching.
func diagnosticsText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "[%s] %s: %s\n", d.Severity, d.Summary, d.Detail)
	}
	return b.String()
}

// show prints a decoded value compactly and deterministically, for
// comparisons and logs.
func show(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + " = " + show(v[k])
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	case []string:
		return "[" + strings.Join(v, ", ") + "]"
	case string:
		return fmt.Sprintf("%q", v)
	}
	return fmt.Sprint(v)
}
