package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// Cloud API paths (contributing/confluence-api.md#cloud-addresses-and-credentials).
const (
	cloudSpaces      = "/wiki/api/v2/spaces"
	cloudRoleMode    = "/wiki/api/v2/space-role-mode"
	cloudCatalogue   = "/wiki/api/v2/space-permissions"
	cloudRoles       = "/wiki/api/v2/space-roles"
	cloudV1Space     = "/wiki/rest/api/space/"
	cloudPageLimit   = "250" // the v2 lists' maximum
	anonymousRoleID  = "ANONYMOUS"
	anonymousUserID  = "anonymous"
	anonymousTypeTag = "anonymous"
)

// v2PermRow is one row of GET /wiki/api/v2/spaces/{id}/permissions
// (contributing/confluence-api.md#reading-grants-v2).
type v2PermRow struct {
	ID        flexString `json:"id"`
	Principal struct {
		Type string     `json:"type"`
		ID   flexString `json:"id"`
	} `json:"principal"`
	Operation struct {
		Key        string `json:"key"`
		TargetType string `json:"targetType"`
	} `json:"operation"`
}

func (p v2PermRow) operation() string { return p.Operation.Key + "/" + p.Operation.TargetType }

// anonymousForm names the form of a row that is anonymous access in any
// of the forms the provider reads (contributing/confluence-api.md#anonymous-in-the-v2-permission-list),
// compared without regard to case; "" for any other row.
func (p v2PermRow) anonymousForm() string {
	t, id := p.Principal.Type, p.Principal.ID.text
	switch {
	case strings.EqualFold(t, "role") && strings.EqualFold(id, anonymousRoleID):
		return "role/ANONYMOUS"
	case strings.EqualFold(t, "user") && strings.EqualFold(id, anonymousUserID):
		return "user/anonymous"
	case strings.EqualFold(t, anonymousTypeTag):
		return "type anonymous"
	}
	return ""
}

// spelling is the row's principal as the site wrote it, for anonymous
// rows only (their ids are not user data).
func (p v2PermRow) spelling() string {
	return fmt.Sprintf(`{type: %q, id: %q}`, p.Principal.Type, p.Principal.ID.text)
}

// permList is a space's v2 permission list.
type permList struct {
	space space
	rows  []v2PermRow
	list  listResult
}

// setupCloudSpaces looks up the named spaces one key at a time, or lists
// the first global spaces.
func (r *run) setupCloudSpaces(ctx context.Context) {
	ctx = withCheck(ctx, "setup")
	if len(r.cfg.Spaces) == 0 {
		found, fail := r.listCloudSpaces(ctx)
		r.spaces, r.setupFailure = found, fail
		return
	}
	r.lookUpNamedSpaces(ctx, cloudLookup)
}

// listCloudSpaces lists the first DefaultSpaceCount global spaces; the
// second result says why it could not. An answer that is not a list shows
// no space, and the checks that need one say so.
func (r *run) listCloudSpaces(ctx context.Context) ([]space, string) {
	found, fail, _ := r.listFirstSpaces(ctx, cloudSpaces)
	return found, fail
}

// cloudPermissions reads (once) the whole v2 permission list of a space.
func (r *run) cloudPermissions(ctx context.Context, s space) *permList {
	if l, ok := r.permLists[s.key]; ok {
		return l
	}
	l := &permList{space: s}
	l.list = r.listCursor(ctx, cloudSpaces+"/"+url.PathEscape(s.id)+"/permissions", url.Values{"limit": {cloudPageLimit}})
	for _, raw := range l.list.items {
		var row v2PermRow
		if json.Unmarshal(raw, &row) == nil {
			l.rows = append(l.rows, row)
		}
	}
	r.permLists[s.key] = l
	return l
}

// needSpaces fails or skips a check that has no space to look at.
func (r *run) needSpaces(res *Result) bool {
	switch {
	case r.setupFailure != "":
		res.failed("could not look up the spaces: %s", r.setupFailure)
		return false
	case len(r.spaces) == 0:
		res.skipped("no space to look at: the account sees none of the spaces named (or none at all)")
		res.mean("Name a space the account can view with -space KEY.")
		return false
	}
	return true
}

// checkRoleMode asks GET /wiki/api/v2/space-role-mode
// (contributing/confluence-api.md#space-roles).
func checkRoleMode(ctx context.Context, r *run, res *Result) {
	a := r.get(ctx, cloudRoleMode, nil)
	if !res.record(a) {
		return
	}
	if a.res == nil {
		res.answered("%s", statusLine(a.Status))
		if a.Status == http.StatusNotFound {
			res.mean("The documentation answers 404 when the caller is not allowed to read the mode: the provider cannot tell this site's mode either, and its plan-time check of roles-only sites cannot help.")
		} else {
			res.mean("An answer the documentation does not list for this operation: please report it.")
		}
		return
	}
	var body struct {
		Mode string `json:"mode"`
	}
	if err := a.res.DecodeJSON(&body); err != nil || body.Mode == "" {
		res.failed("the answer names no mode (shape %s)", a.Shape)
		return
	}
	r.roleMode = body.Mode
	res.answered("%s", body.Mode)
	res.fact("mode", "%s", body.Mode)
	switch body.Mode {
	case "PRE_ROLES":
		res.mean("Legacy space permissions only: the provider's legacy permission resources apply, and the site has no space roles yet.")
	case "ROLES_TRANSITION":
		res.mean("Legacy permissions and space roles side by side: both kinds of resource apply. The role-rows check tells whether role assignments show in the legacy permission list.")
	case "ROLES":
		res.mean("Roles only: legacy grant writes are refused (reported: 400 \"not supported in roles-only mode\"), so the provider's legacy permission resources stop at plan time and the anonymous-write check cannot add a grant here (contributing/confluence-api.md#roles-only-sites).")
	default:
		res.mean("A mode the documentation does not list (it lists PRE_ROLES, ROLES_TRANSITION and ROLES): please report it.")
	}
}

// checkSpaceKeys asks which form of the keys parameter GET
// /wiki/api/v2/spaces reads (contributing/confluence-api.md#space-keys-in-one-request).
func checkSpaceKeys(ctx context.Context, r *run, res *Result) {
	if !r.needSpaces(res) {
		return
	}
	pair := slices.Clone(r.spaces)
	if len(pair) < 2 {
		more, fail := r.listCloudSpaces(ctx)
		res.Exchanges = append(res.Exchanges, r.setup[len(r.setup)-1])
		if fail != "" {
			res.failed("could not list a second space: %s", fail)
			return
		}
		for _, s := range more {
			if !slices.ContainsFunc(pair, func(p space) bool { return p.key == s.key }) {
				pair = append(pair, s)
			}
		}
	}
	if len(pair) < 2 {
		res.skipped("needs two spaces the account can see; it sees only %s", pair[0].key)
		res.mean("Run it with an account that can view two spaces, or name two with -space A,B.")
		return
	}
	a, b := pair[0].key, pair[1].key
	res.fact("keys", "%s and %s", a, b)
	joined := r.get(ctx, cloudSpaces, url.Values{"keys": {a + "," + b}})
	repeated := r.get(ctx, cloudSpaces, url.Values{"keys": {a, b}})
	res.Exchanges = append(res.Exchanges, joined.Exchange, repeated.Exchange)
	for _, x := range []*answer{joined, repeated} {
		if f := x.blocked(); f != "" {
			res.failed("%s", f)
			return
		}
	}
	both := func(x *answer) bool {
		found := map[string]bool{}
		for _, s := range decodeSpaces(x) {
			found[s.key] = true
		}
		return found[a] && found[b]
	}
	describe := func(x *answer) string {
		if x.res == nil {
			return describeFailure(x)
		}
		var keys []string
		for _, s := range decodeSpaces(x) {
			keys = append(keys, s.key)
		}
		if len(keys) == 0 {
			return "no space"
		}
		return strings.Join(keys, ", ")
	}
	res.fact("comma-joined (keys="+a+","+b+")", "%s", describe(joined))
	res.fact("repeated (keys="+a+"&keys="+b+")", "%s", describe(repeated))
	j, p := both(joined), both(repeated)
	switch {
	case j && p:
		res.answered("both")
		res.mean("The site reads both forms: the provider's first request (comma-joined) finds the spaces, and the simulator's SpaceKeysParam = KeysEither plays this site.")
	case j:
		res.answered("comma-joined only")
		res.mean("The site reads one comma-joined value, as go-atlassian and onyx send it: the provider's first request finds the spaces. This is the simulator's default (KeysCommaJoined).")
	case p:
		res.answered("repeated only")
		res.mean("The site reads the form the OpenAPI document declares (one keys= per value): the provider's comma-joined request finds nothing and it falls back to the repeated form, once per process. The simulator plays this with SpaceKeysParam = KeysRepeated.")
	default:
		res.answered("neither")
		res.mean("Neither form returned both spaces although each key was found on its own: batched key lookups cannot work on this site. Please report it.")
	}
}

// checkAnonymousForm reads the permission lists of the spaces and asks how
// anonymous access is named in them
// (contributing/confluence-api.md#anonymous-in-the-v2-permission-list), and
// what the ids look like (contributing/confluence-api.md#v1-and-v2-permission-ids).
func checkAnonymousForm(ctx context.Context, r *run, res *Result) {
	if !r.needSpaces(res) {
		return
	}
	types := map[string]int{}
	idForms := map[string]int{}
	forms := map[string]int{}
	var anonRows, problems []string
	read := 0
	for _, s := range r.spaces {
		l := r.cloudPermissions(ctx, s)
		res.Exchanges = append(res.Exchanges, l.list.exchanges...)
		if !l.list.complete() {
			if l.list.fail != nil && l.list.fail.blocked() != "" {
				res.failed("%s", l.list.fail.blocked())
				return
			}
			problems = append(problems, s.key+": "+l.list.reason)
			if len(l.rows) == 0 {
				continue
			}
		}
		read++
		res.fact("rows in "+s.key, "%d (%d page(s))", len(l.rows), l.list.pages)
		for _, row := range l.rows {
			types[row.Principal.Type]++
			idForms[row.ID.idForm()]++
			if f := row.anonymousForm(); f != "" {
				forms[f]++
				anonRows = append(anonRows, fmt.Sprintf("%s: %s %s, id %s", s.key, row.spelling(), row.operation(), row.ID.idForm()))
			}
		}
	}
	for _, p := range problems {
		res.fact("not read", "%s", p)
	}
	if read == 0 {
		res.failed("no permission list could be read")
		return
	}
	res.fact("principal types", "%s", countList(types))
	res.fact("id forms", "%s", countList(idForms))
	for _, row := range anonRows {
		res.fact("anonymous row", "%s", row)
	}
	if len(forms) == 0 {
		res.answered("no anonymous row in the spaces read")
		res.mean("None of these spaces grants anonymous access, so the question stays open: name a space that allows anonymous access with -space KEY.")
	} else {
		names := sortedKeys(forms)
		res.answered("%s", strings.Join(names, " and "))
		for _, f := range names {
			switch f {
			case "role/ANONYMOUS":
				res.mean("Anonymous access is the principal {type: role, id: ANONYMOUS}, as recorded on a real site in May 2026 and as the simulator answers by default (CloudAnonymous = AnonymousAsRole).")
			case "user/anonymous":
				res.mean("Anonymous access is the principal {type: user, id: anonymous}, the form of the v1 write subject; not on record for v2 reads before. The simulator plays it with CloudAnonymous = AnonymousAsUser.")
			case "type anonymous":
				res.mean("Anonymous access has a principal type anonymous, which the v2 document does not list and no record shows; the provider reads it, the simulator does not play it. Please report it.")
			}
		}
		if len(names) > 1 {
			res.mean("Several forms on one site: please report it; the provider reads all of them.")
		}
	}
	if idForms["decimal string"] == sum(idForms) {
		res.mean("Every row id is a decimal string, consistent with v1's int64 ids (whether they are the same ids only the anonymous-write check can tell).")
	} else {
		res.mean("Some row ids are not decimal strings: the provider's DELETE by v2 id cannot work for them. Please report it.")
	}
	for t := range types {
		if !slices.Contains([]string{"user", "group", "role"}, t) {
			res.mean("Principal type %q is not one the v2 document lists (user, group, role).", t)
		}
	}
}

// checkRoleRows asks whether the permission list has role rows besides
// anonymous (contributing/confluence-api.md#role-assignments-in-the-permission-list).
func checkRoleRows(ctx context.Context, r *run, res *Result) {
	if !r.needSpaces(res) {
		return
	}
	roleRows, roleIDs := 0, map[string]bool{}
	ops := map[string]int{}
	assignments, readAssignments := 0, 0
	read := 0
	for _, s := range r.spaces {
		l := r.cloudPermissions(ctx, s)
		if len(l.rows) == 0 && !l.list.complete() {
			res.Exchanges = append(res.Exchanges, l.list.exchanges...)
			if l.list.fail != nil && l.list.fail.blocked() != "" {
				res.failed("%s", l.list.fail.blocked())
				return
			}
			res.fact("not read", "%s: %s", s.key, l.list.reason)
			continue
		}
		read++
		n := 0
		for _, row := range l.rows {
			if strings.EqualFold(row.Principal.Type, "role") && row.anonymousForm() == "" {
				n++
				roleIDs[row.Principal.ID.text] = true
				ops[row.operation()]++
			}
		}
		roleRows += n
		if r.roleMode == "PRE_ROLES" {
			res.fact(s.key, "%d role row(s) besides anonymous", n)
			continue
		}
		ra := r.listCursor(ctx, cloudSpaces+"/"+url.PathEscape(s.id)+"/role-assignments", url.Values{"limit": {cloudPageLimit}})
		res.Exchanges = append(res.Exchanges, ra.exchanges...)
		if ra.complete() {
			readAssignments++
			assignments += len(ra.items)
			res.fact(s.key, "%d role row(s) besides anonymous; %d role assignment(s)", n, len(ra.items))
		} else {
			res.fact(s.key, "%d role row(s) besides anonymous; role assignments not read: %s", n, ra.reason)
		}
	}
	if read == 0 {
		res.failed("no permission list could be read")
		return
	}
	if roleRows > 0 {
		res.fact("operations of role rows", "%s", countList(ops))
		res.answered("yes: %d role row(s) from %d role id(s)", roleRows, len(roleIDs))
		res.mean("The permission list shows rows of type role other than ANONYMOUS, as the simulator does with RoleRowsInPermissionList; the provider keeps them as unmanaged grants.")
		return
	}
	switch {
	case r.roleMode == "PRE_ROLES":
		res.answered("no role rows besides anonymous on a PRE_ROLES site")
		res.mean("A PRE_ROLES site has no space roles to assign, so this does not show whether assigned roles would appear: inconclusive. Run the probe on a ROLES_TRANSITION or ROLES site with role assignments.")
	case assignments > 0:
		res.answered("no: %d role assignment(s) but no role rows besides anonymous", assignments)
		res.mean("Role assignments are not listed as role rows in the permission list: the simulator's default (RoleRowsInPermissionList off) matches this site.")
	case readAssignments == 0:
		res.answered("no role rows besides anonymous; role assignments could not be read")
		res.mean("Without role assignments to compare, this does not show whether assigned roles would appear: inconclusive. On a PRE_ROLES site there are none to show.")
	default:
		res.answered("no role rows besides anonymous, and no role assignments in these spaces")
		res.mean("Inconclusive: name a space that has role assignments (a ROLES_TRANSITION or ROLES site) with -space KEY.")
	}
}

// checkCatalogue reads GET /wiki/api/v2/space-permissions
// (contributing/confluence-api.md#role-permissions-beyond-the-fourteen-pairs).
func checkCatalogue(ctx context.Context, r *run, res *Result) {
	l, ok := r.readRoleList(ctx, res, cloudCatalogue, "The catalogue is not available to this account or on this site (a PRE_ROLES site may have none).")
	if !ok {
		return
	}
	var notPair, notLegacy, required []string
	for _, raw := range l.items {
		var e struct {
			ID       string   `json:"id"`
			Required []string `json:"requiredPermissionIds"`
		}
		if json.Unmarshal(raw, &e) != nil {
			continue
		}
		switch {
		case !isKeyTarget(e.ID):
			notPair = append(notPair, e.ID)
		case !isLegacyCloudPair(e.ID):
			notLegacy = append(notLegacy, e.ID)
		}
		if len(e.Required) > 0 {
			required = append(required, e.ID+" requires "+strings.Join(e.Required, ", "))
		}
	}
	res.fact("permissions", "%d", len(l.items))
	res.fact("ids not of the form key/target", "%s", listOrNone(notPair))
	res.fact("key/target ids outside the fourteen legacy pairs", "%s", listOrNone(notLegacy))
	res.fact("with requiredPermissionIds", "%s", listOrNone(required))
	res.answered("%d permissions; %d not key/target; %d with required permissions", len(l.items), len(notPair), len(required))
	if len(notPair)+len(notLegacy) > 0 {
		res.mean("Roles can hold permissions beyond the fourteen legacy pairs on this site (listed above): role definitions must keep such ids as Confluence gives them, and the simulator's catalogue can be compared with this list (contributing/confluence-api.md#role-permissions-beyond-the-fourteen-pairs).")
	} else {
		res.mean("Every permission is one of the fourteen legacy key/target pairs: this site has none of the granular role permissions announced in 2026.")
	}
}

// checkRoles reads GET /wiki/api/v2/space-roles (contributing/confluence-api.md#space-roles).
func checkRoles(ctx context.Context, r *run, res *Result) {
	l, ok := r.readRoleList(ctx, res, cloudRoles, "Space roles are not available to this account or on this site (a PRE_ROLES site has none).")
	if !ok {
		return
	}
	byType := map[string]int{}
	odd := map[string]bool{}
	named, displayNamed := 0, 0
	for _, raw := range l.items {
		var role struct {
			Type        string          `json:"type"`
			Name        json.RawMessage `json:"name"`
			DisplayName json.RawMessage `json:"displayName"`
			Permissions []string        `json:"spacePermissions"`
		}
		if json.Unmarshal(raw, &role) != nil {
			continue
		}
		byType[role.Type]++
		if len(role.Name) > 0 {
			named++
		}
		if len(role.DisplayName) > 0 {
			displayNamed++
		}
		for _, p := range role.Permissions {
			if !isKeyTarget(p) {
				odd[p] = true
			}
		}
	}
	res.fact("roles by type", "%s", countList(byType))
	res.fact("roles with a name field", "%d", named)
	res.fact("roles with a displayName field", "%d", displayNamed)
	res.fact("permission ids not of the form key/target", "%s", listOrNone(sortedKeys(odd)))
	res.answered("%d role(s) (%s); %d permission id(s) not key/target", len(l.items), countList(byType), len(odd))
	if len(odd) > 0 {
		res.mean("Some roles hold permissions that are not key/target pairs (listed above): role definitions must keep such ids as Confluence gives them (contributing/confluence-api.md#role-permissions-beyond-the-fourteen-pairs).")
	}
	if displayNamed > 0 && named == 0 {
		res.mean("Roles are named in displayName, as the live documentation's sample shows, not in name as the schema says.")
	}
}

// readRoleList reads the whole of a v2 list of the space roles model, which
// a site may not offer at all. When it cannot be read the check ends here:
// it fails, or, when the site refused it, answers "not readable" with
// unavailable as the meaning; ok says whether the check goes on.
func (r *run) readRoleList(ctx context.Context, res *Result, path, unavailable string) (l listResult, ok bool) {
	l = r.listCursor(ctx, path, url.Values{"limit": {cloudPageLimit}})
	res.Exchanges = append(res.Exchanges, l.exchanges...)
	switch {
	case l.complete():
		return l, true
	case l.fail != nil && l.fail.blocked() != "":
		res.failed("%s", l.fail.blocked())
	case l.fail != nil && l.fail.res == nil:
		res.answered("not readable: %s", statusLine(l.fail.Status))
		res.mean("%s", unavailable)
	default:
		res.failed("%s", l.reason)
	}
	return l, false
}

// checkCloudErrorBodies asks for two errors whose bodies are on record
// (contributing/confluence-api.md#cloud-error-bodies).
func checkCloudErrorBodies(ctx context.Context, r *run, res *Result) {
	key := noSuchKey
	if len(r.spaces) > 0 {
		key = r.spaces[0].key
	}
	got, ok := r.askForErrors(ctx, res,
		errorRequest{label: "space 0", path: cloudSpaces + "/0"},
		errorRequest{label: "v1 permission GET", path: cloudV1Space + url.PathEscape(key) + "/permission", shown: cloudV1Space + key + "/permission"})
	if !ok {
		return
	}
	missing, v1 := got[0], got[1]
	if missing.Status == http.StatusNotFound && missing.env == envV2 {
		res.mean("A missing space answers 404 with the v2 error list, as recorded (hunyadi/md2conf#113).")
	} else {
		res.mean("A missing space does not answer 404 with the v2 error list, unlike the record: please report it.")
	}
	if v1.Status == http.StatusMethodNotAllowed && v1.env == envV2 {
		res.mean("GET on the v1 permission path answers 405 with the v2-style list, as recorded (brekkylab/backlot#190 and #233).")
	} else {
		res.mean("GET on the v1 permission path does not answer 405 with the v2-style list, unlike the record: please report it.")
	}
}

// countList writes counts as "a=2, b=1", largest first.
func countList(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := sortedKeys(m)
	sort.SliceStable(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
	parts := make([]string, len(keys))
	for i, k := range keys {
		name := k
		if name == "" {
			name = "(empty)"
		}
		parts[i] = fmt.Sprintf("%s=%d", name, m[k])
	}
	return strings.Join(parts, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// maxListed bounds the items a fact lists.
const maxListed = 40

func listOrNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	if len(items) > maxListed {
		return strings.Join(items[:maxListed], "; ") + fmt.Sprintf("; and %d more", len(items)-maxListed)
	}
	return strings.Join(items, "; ")
}
