package confluencesim

import (
	"cmp"
	"fmt"
	"net/http"
)

// AnonymousForm is how the v2 permission list names anonymous access
// (Options.CloudAnonymous).
type AnonymousForm string

const (
	// AnonymousAsRole lists anonymous grants under the principal
	// {"type":"role","id":"ANONYMOUS"}, as a real site answered on 2026-05-19
	// (contributing/confluence-api.md#anonymous-in-the-v2-permission-list).
	AnonymousAsRole AnonymousForm = "role"
	// AnonymousAsUser lists them under {"type":"user","id":"anonymous"},
	// the form v1 writes use for their subject.
	AnonymousAsUser AnonymousForm = "user"
)

// anonymousRoleID is the principal id of anonymous grants in the v2
// permission list under AnonymousAsRole.
const anonymousRoleID = "ANONYMOUS"

// KeysParsing is how GET /wiki/api/v2/spaces reads its array parameters
// keys, ids and labels (Options.SpaceKeysParam). The v2 document declares
// them as arrays in the default form style with explode (keys=A&keys=B),
// and describes them as "comma-separated list"s
// (contributing/confluence-api.md#space-keys-in-one-request).
type KeysParsing string

const (
	// KeysCommaJoined reads one comma-joined value (keys=A,B), the form
	// go-atlassian and onyx send to real sites. A repeated parameter is
	// read as a Java servlet's getParameter reads it: the first value only.
	KeysCommaJoined KeysParsing = "comma-joined"
	// KeysRepeated reads the document's declared form: each value is one
	// key, so a comma-joined value is a single key that matches nothing.
	KeysRepeated KeysParsing = "repeated"
	// KeysEither reads both: every value, each split at commas.
	KeysEither KeysParsing = "either"
)

// RequiredPolicy is what a role definition lacking required permissions
// gets (Options.RequiredPermissions).
type RequiredPolicy string

const (
	// RequiredAdded adds the missing required permissions to the role.
	RequiredAdded RequiredPolicy = "added"
	// RequiredRefused refuses the definition with a 400 naming them.
	RequiredRefused RequiredPolicy = "refused"
)

// DistinctPermissionIDOffset is what Options.DistinctPermissionIDs adds to
// a grant's v1 id to make its id in the v2 permission list. It is far above
// any id the site hands out, so a v2 id is never a v1 id.
const DistinctPermissionIDOffset int64 = 1 << 40

// cloudOptions are the resolved Cloud-only options.
type cloudOptions struct {
	anonymous   AnonymousForm
	distinctIDs bool
	keys        KeysParsing
	roleRows    bool
	required    RequiredPolicy
}

// resolveCloudOptions checks the Cloud-only options and fills in defaults.
func resolveCloudOptions(opts Options) (cloudOptions, error) {
	c := cloudOptions{
		anonymous:   cmp.Or(opts.CloudAnonymous, AnonymousAsRole),
		distinctIDs: opts.DistinctPermissionIDs,
		keys:        cmp.Or(opts.SpaceKeysParam, KeysCommaJoined),
		roleRows:    opts.RoleRowsInPermissionList,
		required:    cmp.Or(opts.RequiredPermissions, RequiredAdded),
	}
	switch {
	case c.anonymous != AnonymousAsRole && c.anonymous != AnonymousAsUser:
		return c, fmt.Errorf("option CloudAnonymous %q is not %q (AnonymousAsRole) or %q (AnonymousAsUser)", opts.CloudAnonymous, AnonymousAsRole, AnonymousAsUser)
	case c.keys != KeysCommaJoined && c.keys != KeysRepeated && c.keys != KeysEither:
		return c, fmt.Errorf("option SpaceKeysParam %q is not %q, %q or %q", opts.SpaceKeysParam, KeysCommaJoined, KeysRepeated, KeysEither)
	case c.required != RequiredAdded && c.required != RequiredRefused:
		return c, fmt.Errorf("option RequiredPermissions %q is not %q (RequiredAdded) or %q (RequiredRefused)", opts.RequiredPermissions, RequiredAdded, RequiredRefused)
	}
	return c, nil
}

// usesCloudOptions reports whether any Cloud-only option is set.
func usesCloudOptions(opts Options) bool {
	return opts.CloudAnonymous != "" || opts.DistinctPermissionIDs || opts.SpaceKeysParam != "" ||
		opts.FreeEdition || opts.RoleRowsInPermissionList || opts.RequiredPermissions != ""
}

// usesDataCenterOptions reports whether any Data Center-only option is set.
func usesDataCenterOptions(opts Options) bool {
	return opts.DCVersion != "" || opts.RemoteAPI || opts.WebSudo || opts.RemoteAPIOffStatus != 0
}

// remoteAPIOffStatus checks Options.RemoteAPIOffStatus.
func remoteAPIOffStatus(opts Options) (int, error) {
	switch opts.RemoteAPIOffStatus {
	case 0:
		return http.StatusUnauthorized, nil
	case http.StatusUnauthorized, http.StatusNotFound:
		return opts.RemoteAPIOffStatus, nil
	}
	return 0, fmt.Errorf("option RemoteAPIOffStatus %d is not 401 or 404", opts.RemoteAPIOffStatus)
}
