package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// List resources serve `terraform query` (Terraform 1.14 and later): a
// `list` block in a .tfquery.hcl file names spaces, and the provider
// reports every object in them that a resource type could manage, with its
// identity, so that `terraform query -generate-config-out` can write the
// resource and import blocks that adopt them
// (https://developer.hashicorp.com/terraform/language/block/tfquery/list).
//
// Every list resource is one listKind on one mechanism: the spaces are
// resolved first (one listing, 250 spaces or keys a request), then read
// one at a time through the client, which shares each space's grants with
// every resource of the process as a plan does, and results stream as each
// space is read. Principals the provider cannot manage (Cloud "role" rows)
// are never listed.

// listKind is what one list resource lists.
type listKind struct {
	identity    identityKind // also names the resource type
	description string
	roles       bool // lists space role assignments instead of grants
	// read turns one space into results.
	read func(ctx context.Context, l *listing, space confluence.Space) ([]listed, diag.Diagnostics)
}

// listed is one object found: its resource model (state and identity) and
// a line for people.
type listed struct {
	display string
	model   identified
}

var listKinds = []*listKind{
	{identity: grantIdentity, read: listGrants,
		description: "Every grant in the spaces named, one result per principal and operation."},
	{identity: principalIdentity, read: listPrincipalSets,
		description: "Every principal with grants in the spaces named, one result per principal and space."},
	{identity: spacePermissionsIdentity, read: listSpacePermissions,
		description: "The spaces named, one result per space with all its grants. With `principal_type`, only spaces where such a principal holds something."},
	{identity: roleAssignmentIdentity, read: listRoleAssignments, roles: true,
		description: "Every space role assignment in the spaces named, one result per principal and space."},
	{identity: roleAssignmentsIdentity, read: listSpaceRoleAssignments, roles: true,
		description: "The spaces named, one result per space with all its role assignments. With `principal_type`, only spaces where such a principal has a role."},
}

// listResources are the provider's list resources, one per kind.
func listResources() []func() list.ListResource {
	out := make([]func() list.ListResource, len(listKinds))
	for i, k := range listKinds {
		out[i] = func() list.ListResource { return &listResource{kind: k} }
	}
	return out
}

var (
	_ list.ListResourceWithConfigure      = (*listResource)(nil)
	_ list.ListResourceWithValidateConfig = (*listResource)(nil)
)

type listResource struct {
	resourceBase
	kind *listKind
}

func (r *listResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.kind.identity.resource
}

// listConfigModel is the config block of every list resource.
type listConfigModel struct {
	SpaceKeys     types.List   `tfsdk:"space_keys"`
	SpaceType     types.String `tfsdk:"space_type"`
	SpaceStatus   types.String `tfsdk:"space_status"`
	SpaceLabels   types.List   `tfsdk:"space_labels"`
	PrincipalType types.String `tfsdk:"principal_type"`
	PrincipalID   types.String `tfsdk:"principal_id"`
}

// principalTypes are what principal_type takes: the types the listed
// resource manages.
func (k *listKind) principalTypes() []string {
	if k.roles {
		return rolePrincipalTypeNames()
	}
	return principalTypeNames()
}

func (r *listResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	typeNames := r.kind.principalTypes()
	resp.Schema = listschema.Schema{
		MarkdownDescription: r.kind.description,
		Attributes: map[string]listschema.Attribute{
			"space_keys": listschema.ListAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "Only these spaces, in this order. A key no space has, or one the provider's account cannot view, is an error. " +
					"Not together with `space_type`, `space_status` or `space_labels`; with none of the four, every space the account can view is listed.",
				Validators: []validator.List{listvalidator.ValueStringsAre(spaceKeyValidator{})},
			},
			"space_type":   spaceFilters["type"].listAttribute(),
			"space_status": spaceFilters["status"].listAttribute(),
			"space_labels": spaceFilters["labels"].listAttribute(),
			"principal_type": listschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only principals of this type: `" + strings.Join(typeNames, "`, `") + "`.",
				Validators:          []validator.String{stringvalidator.OneOf(typeNames...)},
			},
			"principal_id": listschema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only this principal (needs `principal_type`): one user or group everywhere. Written as the resource's " +
					"`principal.id` is, exactly as Confluence spells it: the `confluence_user` and `confluence_group` data sources give it.",
			},
		},
	}
}

func (f spaceFilter) listAttribute() listschema.Attribute {
	if f.oneOf == nil {
		return listschema.ListAttribute{ElementType: types.StringType, Optional: true, MarkdownDescription: f.description}
	}
	return listschema.StringAttribute{Optional: true, MarkdownDescription: f.description, Validators: []validator.String{stringvalidator.OneOf(f.oneOf...)}}
}

func (r *listResource) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	var m listConfigModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(r.kind.check(m)...)
	}
}

// check refuses config blocks whose meaning is unclear, as soon as their
// values are known.
func (k *listKind) check(m listConfigModel) diag.Diagnostics {
	var diags diag.Diagnostics
	var filters []string
	for name, v := range map[string]interface{ IsNull() bool }{"space_type": m.SpaceType, "space_status": m.SpaceStatus, "space_labels": m.SpaceLabels} {
		if !v.IsNull() {
			filters = append(filters, name)
		}
	}
	slices.Sort(filters)
	switch {
	case !m.SpaceKeys.IsNull() && len(filters) > 0:
		diags.AddAttributeError(path.Root("space_keys"), "Space keys and space filters together",
			fmt.Sprintf("The list block sets space_keys and %s. space_keys names the spaces to list; space_type, space_status and space_labels "+
				"select spaces by what they are. Keep one of the two: remove %s to list exactly the spaces named, or remove space_keys.",
				strings.Join(filters, " and "), strings.Join(filters, " and ")))
	case known(m.SpaceKeys) && len(m.SpaceKeys.Elements()) == 0:
		diags.AddAttributeError(path.Root("space_keys"), "No space keys",
			"space_keys is empty, so nothing would be listed: name at least one space, or remove space_keys to list every space the provider's account can view.")
	}
	switch typ, id := m.PrincipalType, m.PrincipalID; {
	case !id.IsNull() && typ.IsNull():
		diags.AddAttributeError(path.Root("principal_id"), "Principal id without a type",
			fmt.Sprintf("principal_id %q needs principal_type: set it to %s.", id.ValueString(), strings.Join(k.principalTypes(), ", ")))
	case known(typ) && known(id):
		if err := k.validPrincipal(typ.ValueString(), id.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("principal_id"), "Invalid principal", upperFirst(err.Error())+".")
		}
	}
	return diags
}

func (k *listKind) validPrincipal(typ, id string) error {
	if k.roles {
		_, err := rolePrincipalModel{Type: types.StringValue(typ), ID: types.StringValue(id)}.toDomain()
		return err
	}
	return permissions.ValidatePrincipal(permissions.Principal{Type: permissions.PrincipalType(typ), ID: id})
}

// listing is one run of a list resource.
type listing struct {
	client *confluence.Client
	roles  *confluence.Roles // role kinds only
	config listConfigModel
	names  *displayNames
}

func (r *listResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	stream.Results = func(push func(list.ListResult) bool) {
		l, spaces, diags := r.start(ctx, req)
		if diags.HasError() {
			push(list.ListResult{Diagnostics: diags})
			return
		}
		sent := int64(0)
		for _, space := range spaces {
			found, diags := r.kind.read(ctx, l, space)
			if len(diags) > 0 && (!push(list.ListResult{Diagnostics: diags}) || diags.HasError()) {
				return
			}
			for _, f := range found {
				if !push(r.result(ctx, req, f)) {
					return
				}
				// Terraform stops reading at the limit (100 unless the
				// block says otherwise); so does the provider, so that no
				// space is read for nothing.
				if sent++; req.Limit > 0 && sent >= req.Limit {
					return
				}
			}
		}
	}
}

// start reads and checks the config block and resolves its spaces.
func (r *listResource) start(ctx context.Context, req list.ListRequest) (*listing, []confluence.Space, diag.Diagnostics) {
	var diags diag.Diagnostics
	if r.client == nil {
		diags.AddError("Provider not configured", "The list of "+r.kind.identity.resource+" needs a configured confluence provider.")
		return nil, nil, diags
	}
	l := &listing{client: r.client, names: newDisplayNames(r.client)}
	diags.Append(req.Config.Get(ctx, &l.config)...)
	if diags.HasError() {
		return nil, nil, diags
	}
	if diags.Append(r.kind.check(l.config)...); diags.HasError() {
		return nil, nil, diags
	}
	if r.kind.roles {
		var ok bool
		if l.roles, ok = spaceRoles(ctx, r.client, &diags); !ok {
			return nil, nil, diags
		}
	}
	spaces, d := l.spaces(ctx)
	diags.Append(d...)
	return l, spaces, diags
}

// spaces resolves the block's spaces: those named, in order, or those the
// filters select, in the order Confluence lists them.
func (l *listing) spaces(ctx context.Context) ([]confluence.Space, diag.Diagnostics) {
	m := l.config
	found, diags := listSpaces(ctx, l.client, spaceSelection{keys: m.SpaceKeys, typ: m.SpaceType, status: m.SpaceStatus, labels: m.SpaceLabels}, path.Root("space_type"))
	var keys []string
	diags.Append(m.SpaceKeys.ElementsAs(ctx, &keys, true)...)
	if diags.HasError() || len(keys) == 0 {
		return found, diags
	}
	byKey := make(map[string]confluence.Space, len(found))
	for _, s := range found {
		byKey[s.Key] = s
	}
	spaces := make([]confluence.Space, 0, len(keys))
	seen := map[string]bool{}
	for _, key := range keys {
		s, ok := byKey[key]
		switch {
		case seen[key]:
			continue
		case !ok:
			diags.AddAttributeError(path.Root("space_keys"), "Unknown space "+key,
				fmt.Sprintf("No space has the key %q, or the provider's account cannot view it. Keys are case-sensitive: check the key in the space's "+
					"address, or list the spaces the account can view with the confluence_spaces data source.", key))
			continue
		}
		seen[key] = true
		spaces = append(spaces, s)
	}
	return spaces, diags
}

// result turns what was found into a list result.
func (r *listResource) result(ctx context.Context, req list.ListRequest, f listed) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = f.display
	keepIdentity(ctx, r.kind.identity, result.Identity, f.model, &result.Diagnostics)
	if req.IncludeResource {
		result.Diagnostics.Append(result.Resource.Set(ctx, f.model)...)
	}
	return result
}

// selects reports whether the block's principal filter takes a principal,
// its type as configuration writes it. Ids compare exactly: whether Data
// Center compares group names without case is not on record
// (contributing/confluence-api.md#data-center-group-names).
func (l *listing) selects(typ, id string) bool {
	want := l.config
	switch {
	case !want.PrincipalType.IsNull() && want.PrincipalType.ValueString() != typ:
		return false
	case want.PrincipalID.IsNull():
		return true
	}
	return want.PrincipalID.ValueString() == id
}

// spaceGone is the warning for a space that disappeared, or stopped
// answering the account, after the list began: its results are left out,
// and the list goes on (Terraform skips results that carry only warnings,
// internal/plugin6/grpc_provider.go of hashicorp/terraform v1.14).
func spaceGone(space confluence.Space, why string) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.AddWarning("Space "+space.Key+" left out",
		fmt.Sprintf("Space %s (%s) %s, so nothing of it is listed.", space.Key, space.Name, why))
	return diags
}

// unreadable sorts a failed read of a space. A space the account may list
// but not read is left out with a warning. So is a space that a fresh
// lookup no longer finds: a failure alone does not prove a space gone, and
// Data Center's remote API answers a read of a deleted space with a remote
// exception, not a 404 (contributing/confluence-api.md#the-json-rpc-remote-api,
// #a-404-is-not-proof-of-absence). Anything else ends the list.
func (l *listing) unreadable(ctx context.Context, space confluence.Space, what string, err error) diag.Diagnostics {
	if confluence.IsForbidden(err) {
		return spaceGone(space, "refused to show its "+what+" to the provider's account ("+err.Error()+")")
	}
	if now, lerr := l.client.Spaces(ctx, confluence.SpaceFilter{Keys: []string{space.Key}}); lerr == nil &&
		!slices.ContainsFunc(now, func(s confluence.Space) bool { return s.Key == space.Key }) {
		return spaceGone(space, "was deleted after the list began, or the provider's account can no longer view it")
	}
	var diags diag.Diagnostics
	diags.AddError(fmt.Sprintf("Cannot read the %s of space %s", what, space.Key), err.Error())
	return diags
}

// displayNames names principals for people. Names cost nothing extra
// where Confluence already gave them: space names come with the spaces,
// Data Center users and groups are written by name. Cloud users are named
// with the users-bulk lookup (up to 250 accountIds a request, one request
// per space that brings new users) where the backend offers it; Cloud
// groups would cost a request each, so they keep their ids.
type displayNames struct {
	bulk  usersBulk // nil: no bulk lookup on this deployment
	users map[string]string
}

// usersBulk is the Cloud backend's POST /wiki/api/v2/users-bulk
// (internal/confluence/cloud/users_bulk.go), found by assertion so that the
// provider builds without it.
type usersBulk interface {
	UsersBulk(ctx context.Context, accountIDs []string) ([]confluence.User, error)
}

func newDisplayNames(c *confluence.Client) *displayNames {
	n := &displayNames{users: map[string]string{}}
	n.bulk, _ = c.Backend().(usersBulk)
	return n
}

// learn looks up the users not named yet, once each: a failure costs only
// names.
func (n *displayNames) learn(ctx context.Context, accountIDs []string) {
	if n.bulk == nil {
		return
	}
	var ask []string
	for _, id := range accountIDs {
		if _, asked := n.users[id]; !asked {
			n.users[id] = ""
			ask = append(ask, id)
		}
	}
	if len(ask) == 0 {
		return
	}
	users, err := n.bulk.UsersBulk(ctx, ask)
	if err != nil {
		tflog.Debug(ctx, "cannot look up the display names of listed users", map[string]any{"users": len(ask), "error": err.Error()})
		return
	}
	for _, u := range users {
		n.users[u.ID] = u.DisplayName
	}
}

// of names a principal by its type as configuration writes it and its id.
func (n *displayNames) of(typ, id string) string {
	switch typ {
	case string(permissions.Anonymous):
		return "anonymous"
	case string(permissions.User):
		if name := n.users[id]; name != "" {
			return "user " + name
		}
	}
	return strings.ReplaceAll(typ, "_", " ") + " " + id
}
