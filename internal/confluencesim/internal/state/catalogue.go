package state

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The catalogue of the permissions space roles are made of, served by GET
// /wiki/api/v2/space-permissions (schema SpacePermission: id, displayName,
// description, requiredPermissionIds). It holds the fourteen legacy Cloud
// permissions, with their key/target as id, and the granular permissions
// Atlassian announced for roles in 2026 (community.atlassian.com,
// "Introducing more flexibility to the Confluence roles system";
// contributing/confluence-api.md#role-permissions-beyond-the-fourteen-pairs),
// whose ids are not of the
// key/target form.

// PermissionID is the id of a catalogue permission: "read/space" and the
// like for the legacy permissions, an opaque string for the granular ones.
type PermissionID string

func (id PermissionID) String() string { return string(id) }

// CatalogueEntry is one permission of the catalogue.
type CatalogueEntry struct {
	seq         int64 // position in the catalogue, from 1: what cursors remember
	ID          PermissionID
	DisplayName string
	Description string
	Requires    []PermissionID
	// legacy is the legacy operation the permission is; zero for the
	// granular ones, which map to no operation.
	legacy permissions.Operation
}

func (e CatalogueEntry) isLegacy() bool { return e.legacy != permissions.Operation{} }

// legacyCatalogueText gives the display name and description of each
// legacy permission.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): the catalogue's
// shape is in the spec, its content is not on record; chose the permission
// screen's labels as display names and a sentence each as description.
var legacyCatalogueText = map[string][2]string{
	"read/space":             {"View space", "View the space and its content."},
	"administer/space":       {"Space admin", "Manage the space's settings and who can access it."},
	"export/space":           {"Export space", "Export the space's content."},
	"restrict_content/space": {"Add/Delete restrictions", "Add and remove restrictions on content."},
	"delete/space":           {"Delete own content", "Delete content one created oneself."},
	"create/page":            {"Add pages", "Create and edit pages."},
	"delete/page":            {"Delete pages", "Delete pages."},
	"create/blogpost":        {"Add blog posts", "Create and edit blog posts."},
	"delete/blogpost":        {"Delete blog posts", "Delete blog posts."},
	"create/comment":         {"Add comments", "Add comments."},
	"delete/comment":         {"Delete comments", "Delete comments."},
	"create/attachment":      {"Add attachments", "Add attachments."},
	"delete/attachment":      {"Delete attachments", "Delete attachments."},
	"archive/page":           {"Archive pages", "Archive pages."},
}

// granularPermissions are the permissions announced for roles in 2026, by
// the names of the announcement.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): their ids are
// not on record; chose opaque dotted ids, deliberately not key/target, so
// that clients cannot assume every permission id is a legacy pair. The
// descriptions are ours.
var granularPermissions = []struct{ id, name, description string }{
	{string(ManageFeaturesPermission), "Manage space features, automation", "Turn space features on or off and manage the space's automation rules."},
	// The announcement split this permission from the old "manage
	// everything" one, which is now the one above
	// (contributing/confluence-api.md#who-can-manage-access-on-a-roles-site).
	{string(ManageAccessPermission), "Manage access to space", "Choose who can access the space and with which role."},
	{"space.content.manage-all", "Manage all content in space", "Move, archive and delete any content in the space, whoever created it."},
	{"space.templates.create", "Create content templates", "Create and edit the space's content templates."},
	{"space.look-and-feel.manage", "Manage look and feel of space", "Change the space's theme, colours and layout."},
	{"comment.own.delete", "Delete own comments", "Delete comments one wrote oneself."},
}

// The granular permissions that decide who may manage a space's access on
// a site with roles (contributing/confluence-api.md#who-can-manage-access-on-a-roles-site).
const (
	// ManageFeaturesPermission is "Manage space features, automation",
	// formerly the permission that managed everything in the space.
	ManageFeaturesPermission PermissionID = "space.features.manage"
	// ManageAccessPermission is "Manage access to space", by the name of
	// the announcement.
	//
	// UNVERIFIED (contributing/confluence-api.md#who-can-manage-access-on-a-roles-site):
	// its id is not on record; chose an opaque dotted id like the others.
	ManageAccessPermission PermissionID = "space.access.manage"
)

func granularPermissionIDs() []string {
	ids := make([]string, len(granularPermissions))
	for i, g := range granularPermissions {
		ids[i] = g.id
	}
	return ids
}

// catalogue is the permission catalogue, in order: the legacy permissions
// in the order of operations, then the granular ones.
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): which permission
// requires which is not documented; chose read/space as the one every other
// permission requires, since Confluence grants nothing to a principal that
// cannot view the space (contributing/confluence-api.md#permission-writes-v1).
var catalogue = func() []CatalogueEntry {
	var out []CatalogueEntry
	add := func(e CatalogueEntry) {
		e.seq = int64(len(out) + 1)
		if e.ID != PermissionID(permissions.ReadSpace.String()) {
			e.Requires = []PermissionID{PermissionID(permissions.ReadSpace.String())}
		}
		out = append(out, e)
	}
	for _, op := range Operations(permissions.Cloud) {
		text := legacyCatalogueText[op.String()]
		add(CatalogueEntry{ID: PermissionID(op.String()), DisplayName: text[0], Description: text[1], legacy: op})
	}
	for _, g := range granularPermissions {
		add(CatalogueEntry{ID: PermissionID(g.id), DisplayName: g.name, Description: g.description})
	}
	return out
}()

// catalogueEntryOf finds a permission of the catalogue by id.
func catalogueEntryOf(id PermissionID) (CatalogueEntry, bool) {
	i := slices.IndexFunc(catalogue, func(e CatalogueEntry) bool { return e.ID == id })
	if i < 0 {
		return CatalogueEntry{}, false
	}
	return catalogue[i], true
}

// CatalogueEntryOf finds a permission of the catalogue by id.
func CatalogueEntryOf(id PermissionID) (CatalogueEntry, bool) { return catalogueEntryOf(id) }

// rolePermissions checks the permission ids of a role definition against
// the catalogue and returns them as a set in catalogue order. Permissions
// that a listed one requires but that are not listed are added (policy
// RequiredAdded) or refused (RequiredRefused).
//
// UNVERIFIED (contributing/confluence-api.md#space-roles): what Confluence
// does with a definition lacking required permissions is not documented;
// RequiredAdded, the default, is the lenient answer, RequiredRefused the
// strict one. A role without any permission is refused; nothing documents
// an empty role.
func rolePermissions(ids []string, policy RequiredPolicy) ([]PermissionID, error) {
	set := map[PermissionID]bool{}
	for _, raw := range ids {
		id := PermissionID(raw)
		if _, ok := catalogueEntryOf(id); !ok {
			return nil, fmt.Errorf("%q is not a space permission id of this site; GET /wiki/api/v2/space-permissions lists them", raw)
		}
		set[id] = true
	}
	if len(set) == 0 {
		return nil, fmt.Errorf("a space role needs at least one permission")
	}
	var missing []string
	for added := true; added; {
		added = false
		for _, e := range catalogue {
			if !set[e.ID] {
				continue
			}
			for _, req := range e.Requires {
				switch {
				case set[req]:
				case policy == RequiredRefused:
					missing = append(missing, fmt.Sprintf("the permissions must include %q, which %q requires", req, e.ID))
				default:
					set[req], added = true, true
				}
			}
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(missing, "; "))
	}
	out := make([]PermissionID, 0, len(set))
	for _, e := range catalogue {
		if set[e.ID] {
			out = append(out, e.ID)
		}
	}
	return out, nil
}

// mustPermissions builds the permission set of a default role.
func mustPermissions(ids []string) []PermissionID {
	out, err := rolePermissions(ids, RequiredRefused)
	if err != nil {
		panic(err)
	}
	return out
}

// PermissionIDStrings renders permission ids for the wire and for seeds.
func PermissionIDStrings(ids []PermissionID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// Catalogue returns the permission catalogue, in order.
func Catalogue() []CatalogueEntry { return slices.Clone(catalogue) }

// CataloguePage returns the catalogue entries after the one with sequence
// number after, at most limit, and the sequence number to resume after when
// more follow (0 when none do).
func CataloguePage(after int64, limit int) ([]CatalogueEntry, int64) {
	return pageAfter(catalogue, func(e CatalogueEntry) int64 { return e.seq }, after, limit)
}

// RequiredPolicy is what a role definition lacking required permissions
// gets.
type RequiredPolicy string

const (
	// RequiredAdded adds the missing required permissions to the role.
	RequiredAdded RequiredPolicy = "added"
	// RequiredRefused refuses the definition with a 400 naming them.
	RequiredRefused RequiredPolicy = "refused"
)
