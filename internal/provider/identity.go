package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12 and later) lets an import block name a
// resource by attributes, `identity = { space_key = "DOCS", ... }`, and is
// what `terraform query` hands back for every object it finds
// (https://developer.hashicorp.com/terraform/plugin/framework/resources/identity).
// A resource's identity attributes are exactly the parts of its import id,
// in the same order, so that the two import forms share one parser and
// always name the same object: an identity is joined with "/" into the id
// and parsed like one. Older Terraform never asks for an identity; the
// provider still returns it, and they ignore it.

// identityPart is one attribute of an identity, one part of the import id.
type identityPart struct {
	name        string
	description string
	// optional parts may be left out of an import block: the principal id
	// of anonymous, which has none.
	optional bool
}

// identityKind is the identity of one resource type.
type identityKind struct {
	resource string // the resource type, for messages
	parts    []identityPart
	example  string // an identity = { ... } for messages
}

// identified is a resource's model that can name its identity: the values
// of the kind's parts, in order, "" for a part it has not.
type identified interface {
	identity() []string
}

var (
	identitySpaceKey = identityPart{name: "space_key", description: "Key of the space, such as `DOCS`. Keys are case-sensitive."}

	identityGrantPrincipalType = identityPart{name: "principal_type", description: "`user`, `group` or `anonymous`."}
	identityGrantPrincipalID   = identityPart{name: "principal_id", optional: true,
		description: "The user's accountId or the group's groupId on Cloud, the username or group name on Data Center; left out for anonymous."}

	identityRolePrincipalType = identityPart{name: "principal_type", description: "`user`, `group` or `access_class`."}
	identityRolePrincipalID   = identityPart{name: "principal_id",
		description: "The user's accountId, the group's groupId, or the access class (such as `anonymous-users`)."}

	grantIdentity = identityKind{
		resource: "confluence_space_permission",
		parts: []identityPart{identitySpaceKey, identityGrantPrincipalType, identityGrantPrincipalID,
			{name: "operation", description: "The permission as `key/target`, such as `read/space`."}},
		example: `{ space_key = "DOCS", principal_type = "group", principal_id = "8f2d9c0e-4a1b-4c3d-9e8f-0a1b2c3d4e5f", operation = "create/page" }`,
	}
	principalIdentity = identityKind{
		resource: "confluence_space_permission_set",
		parts:    []identityPart{identitySpaceKey, identityGrantPrincipalType, identityGrantPrincipalID},
		example:  `{ space_key = "DOCS", principal_type = "anonymous" }`,
	}
	spacePermissionsIdentity = identityKind{
		resource: "confluence_space_permissions",
		parts:    []identityPart{identitySpaceKey},
		example:  `{ space_key = "DOCS" }`,
	}
	roleAssignmentIdentity = identityKind{
		resource: "confluence_space_role_assignment",
		parts:    []identityPart{identitySpaceKey, identityRolePrincipalType, identityRolePrincipalID},
		example:  `{ space_key = "DOCS", principal_type = "access_class", principal_id = "anonymous-users" }`,
	}
	roleAssignmentsIdentity = identityKind{
		resource: "confluence_space_role_assignments",
		parts:    []identityPart{identitySpaceKey},
		example:  `{ space_key = "HR" }`,
	}
	roleIdentity = identityKind{
		resource: "confluence_space_role",
		parts: []identityPart{{name: "role_id",
			description: "Id of the custom role, as the `confluence_space_roles` data source lists it."}},
		example: `{ role_id = "2f1c9a4e-7b3d-4e8a-9c1f-5d6e7f8a9b0c" }`,
	}
)

// schema is the identity schema Terraform asks for.
func (k identityKind) schema() identityschema.Schema {
	attrs := make(map[string]identityschema.Attribute, len(k.parts))
	for _, p := range k.parts {
		attrs[p.name] = identityschema.StringAttribute{
			RequiredForImport: !p.optional,
			OptionalForImport: p.optional,
			Description:       p.description,
		}
	}
	return identityschema.Schema{Attributes: attrs}
}

// identitySchema answers IdentitySchema for every resource.
func identitySchema(k identityKind, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = k.schema()
}

// keepIdentity records the identity of m. Every CRUD method calls it, Read
// first of all: Read must return an identity even when it removes the
// resource from state, and state written before the provider had
// identities has none to start from (the framework refuses a read without
// one, hashicorp/terraform-provider-tfe#2022 shows the failure).
func keepIdentity(ctx context.Context, k identityKind, identity *tfsdk.ResourceIdentity, m identified, diags *diag.Diagnostics) {
	if identity == nil {
		return
	}
	for i, v := range m.identity() {
		value := types.StringNull()
		if v != "" {
			value = types.StringValue(v)
		}
		diags.Append(identity.SetAttribute(ctx, path.Root(k.parts[i].name), value)...)
	}
}

// importState imports by the id given to terraform import or an import
// block, or by an import block's identity: parse reads the id into the
// resource's model, and Read fills in the rest.
func importState(ctx context.Context, k identityKind, req resource.ImportStateRequest, resp *resource.ImportStateResponse, parse func(id string) (identified, error)) {
	id, byIdentity := req.ID, req.ID == "" && req.Identity != nil
	if byIdentity {
		var ok bool
		if id, ok = k.importID(ctx, req.Identity, &resp.Diagnostics); !ok {
			return
		}
	}
	m, err := parse(id)
	if err != nil {
		if byIdentity {
			resp.Diagnostics.AddError("Invalid import identity",
				fmt.Sprintf("The identity of %s, read as the import id %q, names nothing it can import: %s.", k.resource, id, err))
			return
		}
		resp.Diagnostics.AddError("Invalid import id", err.Error()+".")
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	keepIdentity(ctx, k, resp.Identity, m, &resp.Diagnostics)
}

// importID joins an import block's identity into the import id it stands
// for, and refuses one that lacks a part the id needs.
func (k identityKind) importID(ctx context.Context, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) (string, bool) {
	values := make([]string, 0, len(k.parts))
	for _, p := range k.parts {
		var v types.String
		diags.Append(identity.GetAttribute(ctx, path.Root(p.name), &v)...)
		switch {
		case diags.HasError():
			return "", false
		case v.ValueString() != "":
			values = append(values, v.ValueString())
		case !p.optional:
			diags.AddError("Incomplete import identity",
				fmt.Sprintf("The identity of %s has no %s: set it in the import block, for example identity = %s.", k.resource, p.name, k.example))
			return "", false
		}
	}
	return strings.Join(values, "/"), true
}
