package confluencesim

import (
	"cmp"
	"fmt"
	"net/http"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/cloud"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/datacenter"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// Flavour is the deployment the simulator imitates.
type Flavour string

const (
	// Cloud is Confluence Cloud: v2 reads, v1 permission writes.
	Cloud Flavour = "cloud"
	// DataCenter is Confluence Data Center: the 9.1+ REST permission API and
	// the legacy JSON-RPC remote API
	// (contributing/confluence-api.md#confluence-data-center).
	DataCenter Flavour = "datacenter"
)

// Title names the product in messages.
func (f Flavour) Title() string {
	switch f {
	case Cloud:
		return "Confluence Cloud"
	case DataCenter:
		return "Confluence Data Center"
	}
	return "Confluence (" + string(f) + ")"
}

// Options configure a Server.
type Options struct {
	// Flavour defaults to Cloud.
	Flavour Flavour
	// PathPrefix serves the site under a prefix; requests without it answer
	// 404. On Cloud it is the API gateway's (https://api.atlassian.com/ex/
	// confluence/{cloudId}/wiki/...,
	// contributing/confluence-api.md#cloud-addresses-and-credentials): set
	// "/ex/confluence/{cloudId}"; links in bodies keep the site-relative
	// /wiki/... form, so clients must keep the prefix themselves
	// (contributing/confluence-api.md#cursor-paging). On Data Center it is the
	// context path, such as "/confluence"
	// (contributing/confluence-api.md#data-center-spaces-and-paging), which
	// links in bodies include.
	PathPrefix string
	// Latency delays every request.
	Latency time.Duration
	// RoleTaskDelay is how long Cloud takes to apply an accepted (202) update
	// or deletion of a space role
	// (contributing/confluence-api.md#space-roles), until when the role reads
	// as before, and to complete a task of the roles transition tool
	// (contributing/confluence-api.md#the-roles-transition-inventory),
	// which reads IN_PROGRESS until then. Zero means 100ms; negative applies
	// at once.
	RoleTaskDelay time.Duration
	// RateLimit, when its PerSecond is set, makes every API request draw a
	// token from one bucket for the site; a request that finds none is
	// answered 429 with Retry-After and the flavour's rate limit headers
	// (see RateLimit). Off by default. On Data Center it needs a version
	// with rate limiting, 7.5 or later
	// (contributing/confluence-api.md#data-center-rate-limiting).
	RateLimit RateLimit

	// The Cloud options below choose between plausible answers where the
	// public record is silent or contradictory; each default is the
	// recorded or documented behaviour, or the likeliest one. They are for
	// the Cloud flavour only.

	// CloudAnonymous is how the v2 permission list (GET
	// /wiki/api/v2/spaces/{id}/permissions) names anonymous access:
	// AnonymousAsRole (the default, also for "") or AnonymousAsUser. v1
	// writes name anonymous {type: user, identifier: anonymous} either way
	// (contributing/confluence-api.md#anonymous-in-the-v2-permission-list).
	CloudAnonymous AnonymousForm
	// DistinctPermissionIDs gives the rows of the v2 permission list ids
	// other than the v1 ids (the id POST answers and DELETE takes): the v2
	// id is the v1 id plus DistinctPermissionIDOffset, so DELETE with a v2
	// id answers 404 like an unknown id. False by default: ids are equal
	// (contributing/confluence-api.md#v1-and-v2-permission-ids).
	DistinctPermissionIDs bool
	// SpaceKeysParam is how GET /wiki/api/v2/spaces reads its keys, ids and
	// labels: KeysCommaJoined (the default, also for ""), KeysRepeated or
	// KeysEither (contributing/confluence-api.md#space-keys-in-one-request).
	SpaceKeysParam KeysParsing
	// FreeEdition makes the site a Free edition one: legacy grant writes
	// (v1 POST and DELETE of a space permission) answer 403, whatever the
	// caller's rights (contributing/confluence-api.md#free-edition-sites).
	FreeEdition bool
	// RoleRowsInPermissionList adds, to the v2 permission list, a row of
	// principal type role for each legacy permission of each role assigned
	// in the space. Off by default: no recorded answer shows such rows
	// (contributing/confluence-api.md#role-assignments-in-the-permission-list).
	// Role assignments give access either way.
	RoleRowsInPermissionList bool
	// RequiredPermissions is what a role definition that lacks a permission
	// another of its permissions requires gets: RequiredAdded (the default,
	// also for "": the required permissions are added) or RequiredRefused
	// (400 naming them). The catalogue, GET /wiki/api/v2/space-permissions,
	// says which permission requires which
	// (contributing/confluence-api.md#role-permissions-beyond-the-fourteen-pairs).
	RequiredPermissions RequiredPolicy
	// GrantPolicy is which roles a caller may give or take away with POST
	// /wiki/api/v2/spaces/{id}/role-assignments: GrantWhatYouHave (the
	// default, also for ""), the announced rule of roles-only sites, where
	// callers other than product admins may assign only roles whose
	// permissions they hold in the space, or GrantAnyRole, where whoever
	// may set roles in a space may assign any role
	// (contributing/confluence-api.md#who-can-manage-access-on-a-roles-site).
	// On a site in transition, GrantWhatYouHave binds only callers who hold
	// Manage access to space without Manage space features, automation and
	// without administer/space: the others manage all access there.
	GrantPolicy GrantPolicy
	// GrantRefusalStatus is the status of a role assignment that
	// GrantWhatYouHave refuses: 404 (the default, also for 0), the status
	// the operation documents for a caller without permission to set roles
	// in the space, or 403. Either way the v2 error's detail names the
	// permission the caller lacks
	// (contributing/confluence-api.md#role-assignment-requests-that-fail).
	GrantRefusalStatus int
	// RoleAssignmentFailure is what a role assignment request with a
	// refused entry leaves applied: AssignmentsUpToFailure (the default,
	// also for ""), the entries before the refused one, or
	// AssignmentsAllOrNothing, nothing. The document promises 200 only when
	// the request "succeeds in its entirety" and says no more
	// (contributing/confluence-api.md#role-assignment-requests-that-fail).
	RoleAssignmentFailure AssignmentFailure
	// CombinationsNotGenerated starts the site without a roles transition
	// inventory: GET /wiki/api/v2/space-permissions/transition/combinations
	// answers no results and no generatedAt until a POST on the same path
	// has worked it out, as the document describes a site where the audit
	// never ran. By default the site starts with the inventory of its seed,
	// generated when the site starts
	// (contributing/confluence-api.md#the-transition-inventorys-permission-ids).
	CombinationsNotGenerated bool

	// DCVersion is the Data Center version, "9.2.1" by default. Below 9.1 the
	// REST permission paths answer 404 and only the remote API manages
	// permissions
	// (contributing/confluence-api.md#choosing-the-rest-api-or-the-remote-api);
	// GET /rest/api/server-information, "Since 9.1.0" in the javadoc of
	// ServerInformation, answers 404 too, and the remote API's getServerInfo
	// tells the version on every release
	// (contributing/confluence-api.md#server-information-since-91).
	DCVersion string
	// RemoteAPI switches on Data Center's legacy remote API (JSON-RPC); when
	// off, its paths answer RemoteAPIOffStatus, as with the admin toggle
	// off (contributing/confluence-api.md#remote-api-switched-off).
	RemoteAPI bool
	// WebSudo turns on secure administrator sessions: remote API calls then
	// answer 200 with an HTML page instead of JSON, all but getServerInfo
	// (contributing/confluence-api.md#websudo).
	WebSudo bool
	// RemoteAPIOffStatus is what the remote API's paths answer when
	// RemoteAPI is off: 401 (the default, also for 0) or 404; public
	// clients report both (contributing/confluence-api.md#remote-api-switched-off).
	RemoteAPIOffStatus int
}

// AnonymousForm is how the v2 permission list names anonymous access
// (Options.CloudAnonymous).
type AnonymousForm = cloud.AnonymousForm

const (
	// AnonymousAsRole lists anonymous grants under the principal
	// {"type":"role","id":"ANONYMOUS"}, as a real site answered on 2026-05-19
	// (contributing/confluence-api.md#anonymous-in-the-v2-permission-list).
	AnonymousAsRole = cloud.AnonymousAsRole
	// AnonymousAsUser lists them under {"type":"user","id":"anonymous"},
	// the form v1 writes use for their subject.
	AnonymousAsUser = cloud.AnonymousAsUser
)

// KeysParsing is how GET /wiki/api/v2/spaces reads its array parameters
// keys, ids and labels (Options.SpaceKeysParam,
// contributing/confluence-api.md#space-keys-in-one-request).
type KeysParsing = cloud.KeysParsing

const (
	// KeysCommaJoined reads one comma-joined value (keys=A,B); a repeated
	// parameter is read as a Java servlet's getParameter reads it: the
	// first value only.
	KeysCommaJoined = cloud.KeysCommaJoined
	// KeysRepeated reads the document's declared form: each value is one
	// key.
	KeysRepeated = cloud.KeysRepeated
	// KeysEither reads both: every value, each split at commas.
	KeysEither = cloud.KeysEither
)

// RequiredPolicy is what a role definition lacking required permissions
// gets (Options.RequiredPermissions).
type RequiredPolicy = state.RequiredPolicy

const (
	// RequiredAdded adds the missing required permissions to the role.
	RequiredAdded = state.RequiredAdded
	// RequiredRefused refuses the definition with a 400 naming them.
	RequiredRefused = state.RequiredRefused
)

// GrantPolicy is which roles a caller may assign (Options.GrantPolicy).
type GrantPolicy = state.GrantPolicy

const (
	// GrantWhatYouHave: on roles-only sites, callers other than product
	// admins give or take away only roles whose permissions they hold in
	// the space.
	GrantWhatYouHave = state.GrantWhatYouHave
	// GrantAnyRole: whoever may set roles in a space assigns any role.
	GrantAnyRole = state.GrantAnyRole
)

// AssignmentFailure is what a role assignment request with a refused entry
// leaves applied (Options.RoleAssignmentFailure).
type AssignmentFailure = state.AssignmentFailure

const (
	// AssignmentsUpToFailure leaves the entries before the refused one
	// applied.
	AssignmentsUpToFailure = state.AssignmentsUpToFailure
	// AssignmentsAllOrNothing checks every entry before applying any.
	AssignmentsAllOrNothing = state.AssignmentsAllOrNothing
)

// defaultRoleTaskDelay is how long an accepted role update or deletion
// takes to apply when Options.RoleTaskDelay is zero: long enough that a
// client which reads the role straight after the 202 sees the old one, short
// enough for tests.
const defaultRoleTaskDelay = 100 * time.Millisecond

// cloudConfig checks the options of a Cloud site and fills in defaults.
func cloudConfig(opts Options) (state.Config, newAPI, error) {
	st := state.Config{
		Deployment: permissions.Cloud, FreeEdition: opts.FreeEdition, RequiredPolicy: cmp.Or(opts.RequiredPermissions, RequiredAdded),
		GrantPolicy:              cmp.Or(opts.GrantPolicy, GrantWhatYouHave),
		AssignmentFailure:        cmp.Or(opts.RoleAssignmentFailure, AssignmentsUpToFailure),
		CombinationsNotGenerated: opts.CombinationsNotGenerated,
	}
	c := cloud.Config{
		Anonymous:          cmp.Or(opts.CloudAnonymous, AnonymousAsRole),
		Keys:               cmp.Or(opts.SpaceKeysParam, KeysCommaJoined),
		View:               state.ListView{DistinctIDs: opts.DistinctPermissionIDs, RoleRows: opts.RoleRowsInPermissionList},
		RoleTaskDelay:      cmp.Or(opts.RoleTaskDelay, defaultRoleTaskDelay),
		GrantRefusalStatus: cmp.Or(opts.GrantRefusalStatus, http.StatusNotFound),
	}
	switch {
	case usesDataCenterOptions(opts):
		return st, nil, fmt.Errorf("options DCVersion, RemoteAPI, WebSudo and RemoteAPIOffStatus are for the %s flavour only", DataCenter)
	case c.Anonymous != AnonymousAsRole && c.Anonymous != AnonymousAsUser:
		return st, nil, fmt.Errorf("option CloudAnonymous %q is not %q (AnonymousAsRole) or %q (AnonymousAsUser)", opts.CloudAnonymous, AnonymousAsRole, AnonymousAsUser)
	case c.Keys != KeysCommaJoined && c.Keys != KeysRepeated && c.Keys != KeysEither:
		return st, nil, fmt.Errorf("option SpaceKeysParam %q is not %q, %q or %q", opts.SpaceKeysParam, KeysCommaJoined, KeysRepeated, KeysEither)
	case st.RequiredPolicy != RequiredAdded && st.RequiredPolicy != RequiredRefused:
		return st, nil, fmt.Errorf("option RequiredPermissions %q is not %q (RequiredAdded) or %q (RequiredRefused)", opts.RequiredPermissions, RequiredAdded, RequiredRefused)
	case st.GrantPolicy != GrantWhatYouHave && st.GrantPolicy != GrantAnyRole:
		return st, nil, fmt.Errorf("option GrantPolicy %q is not %q (GrantWhatYouHave) or %q (GrantAnyRole)", opts.GrantPolicy, GrantWhatYouHave, GrantAnyRole)
	case c.GrantRefusalStatus != http.StatusNotFound && c.GrantRefusalStatus != http.StatusForbidden:
		return st, nil, fmt.Errorf("option GrantRefusalStatus %d is not 404 or 403", opts.GrantRefusalStatus)
	case st.AssignmentFailure != AssignmentsUpToFailure && st.AssignmentFailure != AssignmentsAllOrNothing:
		return st, nil, fmt.Errorf("option RoleAssignmentFailure %q is not %q (AssignmentsUpToFailure) or %q (AssignmentsAllOrNothing)", opts.RoleAssignmentFailure, AssignmentsUpToFailure, AssignmentsAllOrNothing)
	}
	return st, func(s *state.Store) flavourAPI { return cloud.New(s, c) }, nil
}

// dataCenterConfig checks the options of a Data Center site and fills in
// defaults.
func dataCenterConfig(opts Options) (state.Config, newAPI, error) {
	st := state.Config{Deployment: permissions.DataCenter}
	if usesCloudOptions(opts) {
		return st, nil, fmt.Errorf("options CloudAnonymous, DistinctPermissionIDs, SpaceKeysParam, FreeEdition, RoleRowsInPermissionList, RequiredPermissions, "+
			"GrantPolicy, GrantRefusalStatus, RoleAssignmentFailure and CombinationsNotGenerated are for the %s flavour only", Cloud)
	}
	v, err := datacenter.ParseVersion(cmp.Or(opts.DCVersion, datacenter.DefaultVersion))
	if err != nil {
		return st, nil, fmt.Errorf("option DCVersion: %w", err)
	}
	if opts.RateLimit.enabled() && !v.HasRateLimiting() {
		return st, nil, fmt.Errorf("option RateLimit: Data Center %s has no rate limiting, which came with 7.5", opts.DCVersion)
	}
	off, err := remoteAPIOffStatus(opts)
	if err != nil {
		return st, nil, err
	}
	c := datacenter.Config{Version: v, ContextPath: opts.PathPrefix, RemoteAPI: opts.RemoteAPI, WebSudo: opts.WebSudo, RemoteAPIOffStatus: off}
	return st, func(s *state.Store) flavourAPI { return datacenter.New(s, c) }, nil
}

// usesCloudOptions reports whether any Cloud-only option is set.
func usesCloudOptions(opts Options) bool {
	return opts.CloudAnonymous != "" || opts.DistinctPermissionIDs || opts.SpaceKeysParam != "" ||
		opts.FreeEdition || opts.RoleRowsInPermissionList || opts.RequiredPermissions != "" ||
		opts.GrantPolicy != "" || opts.GrantRefusalStatus != 0 || opts.RoleAssignmentFailure != "" || opts.CombinationsNotGenerated
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
