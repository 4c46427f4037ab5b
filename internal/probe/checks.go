package probe

import (
	"context"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// checkDef is one check: its documentation (for -h and the report) and
// what it runs.
type checkDef struct {
	name       string
	deployment permissions.Deployment
	write      bool
	// summary is true for the checks that read the whole run's answers;
	// they run last.
	summary  bool
	question string
	// answers document what each answer means, "answer: meaning".
	answers []string
	run     func(ctx context.Context, r *run, res *Result)
}

// checks are every check, in the order they run.
var checks = []checkDef{
	{
		name: "role-mode", deployment: permissions.Cloud,
		question: "Which space role mode is the site in? (GET /wiki/api/v2/space-role-mode)",
		answers: []string{
			"PRE_ROLES: legacy space permissions only",
			"ROLES_TRANSITION: legacy permissions and space roles side by side",
			"ROLES: roles only; legacy grant writes are refused",
			"404: the account may not read the mode",
		},
		run: checkRoleMode,
	},
	{
		name: "space-keys", deployment: permissions.Cloud,
		question: "Which form of the keys parameter does GET /wiki/api/v2/spaces read: one comma-joined value (keys=A,B) or a repeated parameter (keys=A&keys=B)?",
		answers: []string{
			"comma-joined only: the form the provider sends first (simulator default)",
			"repeated only: the provider falls back to it after an empty answer",
			"both: either form works",
			"neither: batched key lookups do not work on this site",
		},
		run: checkSpaceKeys,
	},
	{
		name: "anonymous-form", deployment: permissions.Cloud,
		question: "How does GET /wiki/api/v2/spaces/{id}/permissions name anonymous access, which principal types does it list, and are its ids decimal strings?",
		answers: []string{
			"role/ANONYMOUS: {type: role, id: ANONYMOUS}, as recorded on a real site (simulator default)",
			"user/anonymous: {type: user, id: anonymous}, the v1 write form",
			"type anonymous: a principal type the v2 document does not list",
			"no anonymous row: none of the spaces read allows anonymous access; name one with -space",
		},
		run: checkAnonymousForm,
	},
	{
		name: "role-rows", deployment: permissions.Cloud,
		question: "Does the permission list carry rows of type role other than ANONYMOUS, for roles assigned in the space?",
		answers: []string{
			"yes: role assignments show as role rows (simulator option RoleRowsInPermissionList)",
			"no: the spaces have role assignments, but the list does not show them (simulator default)",
			"inconclusive: no role assignments in the spaces read",
		},
		run: checkRoleRows,
	},
	{
		name: "catalogue", deployment: permissions.Cloud,
		question: "What does GET /wiki/api/v2/space-permissions list: how many permissions, which ids are not key/target, which have requiredPermissionIds?",
		answers: []string{
			"ids beyond key/target: granular role permissions beyond the fourteen legacy pairs (listed)",
			"only key/target ids: the fourteen legacy pairs only",
			"not readable: no catalogue for this account or site",
		},
		run: checkCatalogue,
	},
	{
		name: "roles", deployment: permissions.Cloud,
		question: "What does GET /wiki/api/v2/space-roles list: roles by type, and permission ids that are not key/target?",
		answers: []string{
			"counts by type (SYSTEM, CUSTOM) and any permission id that is not key/target",
			"not readable: no space roles for this account or site",
		},
		run: checkRoles,
	},
	{
		name: "error-bodies", deployment: permissions.Cloud,
		question: "Which error envelopes answer GET /wiki/api/v2/spaces/0 (a space that does not exist) and GET /wiki/rest/api/space/{KEY}/permission (no such operation)?",
		answers: []string{
			"404 with the v2 list {errors: [{status, code, title, detail}]}: as recorded",
			"405 with the v2-style list on the v1 path: as recorded",
			"anything else: a body the record does not show",
		},
		run: checkCloudErrorBodies,
	},
	{
		name: "anonymous-write", deployment: permissions.Cloud, write: true,
		question: "On the -write-space sandbox: is the v2 id of a v1 grant the id v1 DELETE takes, and how does the v2 list name the anonymous grant? (POST anonymous read/space, read it back, DELETE by v2 id, DELETE by v1 id if needed, restore)",
		answers: []string{
			"ids equal; DELETE by v2 id removed the grant: the provider's removal works (simulator default)",
			"ids differ; DELETE by v2 id answered 404 and the grant stayed: removal must use the v1 id (simulator option DistinctPermissionIDs)",
			"the grant was refused: roles-only site (400), Free edition or no space admin (403)",
			"skipped: not requested, or the space already allows anonymous access (then nothing is changed)",
		},
		run: checkCloudAnonymousWrite,
	},
	{
		name: "server-information", deployment: permissions.DataCenter,
		question: "Does GET /rest/api/server-information answer, and with which version? (documented since 9.1)",
		answers: []string{
			"version X: 9.1 or later, the REST permission API is there",
			"404: before 9.1, or the address lacks the context path",
			"an HTML page: a login page or single sign-on in front",
		},
		run: checkServerInformation,
	},
	{
		name: "remote-api", deployment: permissions.DataCenter,
		question: "Does the JSON-RPC remote API answer getServerInfo (POST /rpc/json-rpc/confluenceservice-v2), and do its permission methods answer JSON?",
		answers: []string{
			"on: version M.m.p (majorVersion, minorVersion, patchLevel)",
			"401: switched off (as onyx reports; simulator default) or credentials refused",
			"404: switched off (as gustavebbers reports; simulator option RemoteAPIOffStatus 404) or no remote API here",
			"an HTML page: secure administrator sessions (WebSudo) or a login page",
		},
		run: checkRemoteAPI,
	},
	{
		name: "permissions-shape", deployment: permissions.DataCenter,
		question: "What do GET /rest/api/space/{KEY}/permissions and …/permissions/anonymous answer: a flat array? subjects by which fields (user by userKey, group by name, anonymous how)?",
		answers: []string{
			"flat array with subject forms such as user {type, userKey} and group {name, type}",
			"anonymous as no subject, {type: anonymous}, or a subject without names",
			"/anonymous as rows (flat array) or as {operations: [...]}",
			"no REST permission API (404): before 9.1",
		},
		run: checkPermissionsShape,
	},
	{
		name: "error-bodies", deployment: permissions.DataCenter,
		question: "Which error bodies answer GET /rest/api/space/NOSUCHKEY0/permissions and an unknown route, GET /rest/api/nosuchroute?",
		answers: []string{
			"JSON envelope {statusCode, data, message, reason} for the REST resource: as recorded",
			"XML <status> \"null for uri\" for the unknown route: as recorded",
			"anything else: a body the record does not show",
		},
		run: checkDCErrorBodies,
	},
	{
		name: "anonymous-write", deployment: permissions.DataCenter, write: true,
		question: "On the -write-space sandbox: do PUT …/permissions/anonymous/grant and …/revoke work, and how do the two reads show the anonymous grant?",
		answers: []string{
			"grant and revoke statuses, the whole-space list's anonymous form, and the /anonymous shape",
			"the grant was refused: no space admin, or anonymous access off site-wide",
			"skipped: not requested, before 9.1, or the space already allows anonymous access (then nothing is changed)",
		},
		run: checkDCAnonymousWrite,
	},
	{
		name: "rate-limit-headers", summary: true,
		question: "Which rate-limit headers (X-RateLimit-*, RateLimit-Reason, Retry-After, Beta-Retry-After) came with any answer of the run, and does X-RateLimit-Reset have minute precision (2006-01-02T15:04Z) or seconds (RFC 3339)?",
		answers: []string{
			"none seen: no limit was near",
			"the headers and values seen, and the precision of X-RateLimit-Reset",
		},
		run: checkRateLimitHeaders,
	},
	{
		name: "credentials", summary: true,
		question: "Did any answer of the run say 401, and with which X-Failure-Category?",
		answers: []string{
			"no 401: the credentials work for everything the run asked",
			"FAILURE_CLIENT_SCOPE_CHECK: a scoped token lacks a scope",
			"only the remote API: it is switched off (Data Center)",
			"every request refused: wrong credentials, or a scoped token without the gateway address",
		},
		run: checkCredentials,
	},
}

// checksFor returns the checks of a deployment in the order they run.
func checksFor(d permissions.Deployment) []checkDef {
	var out []checkDef
	for _, c := range checks {
		if c.deployment == d || c.deployment == "" {
			out = append(out, c)
		}
	}
	return out
}

// CheckNames lists the checks of a deployment in the order they run.
func CheckNames(d permissions.Deployment) []string {
	var names []string
	for _, c := range checksFor(d) {
		names = append(names, c.name)
	}
	return names
}

// ChecksHelp documents every check for the command's usage text.
func ChecksHelp() string {
	var b strings.Builder
	for _, d := range []struct {
		title string
		dep   permissions.Deployment
	}{
		{"Cloud", permissions.Cloud},
		{"Data Center", permissions.DataCenter},
	} {
		b.WriteString("Checks on " + d.title + ", in the order they run:\n")
		for _, c := range checksFor(d.dep) {
			writeCheckHelp(&b, c)
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func writeCheckHelp(b *strings.Builder, c checkDef) {
	name := c.name
	switch {
	case c.write:
		name += " (writes; only with -write-space)"
	case c.summary:
		name += " (reads the answers of all the checks before it)"
	}
	b.WriteString("\n  " + name + "\n")
	b.WriteString(wrap(c.question, "    "))
	for _, a := range c.answers {
		b.WriteString(wrap("- "+a, "      "))
	}
}

// helpWidth is the width the usage text is filled to.
const helpWidth = 78

// wrap fills text to helpWidth, indenting every line; the second and later
// lines of a "- " item line up with its text.
func wrap(text, indent string) string {
	var b strings.Builder
	line := indent
	next := indent
	if strings.HasPrefix(text, "- ") {
		line = indent[:max(len(indent)-2, 0)]
		next = indent
	}
	lineLen := len(line)
	first := true
	for _, w := range strings.Fields(text) {
		if !first && lineLen+1+len(w) > helpWidth {
			b.WriteString(line + "\n")
			line, lineLen, first = next, len(next), true
		}
		if first {
			line += w
			lineLen += len(w)
			first = false
			continue
		}
		line += " " + w
		lineLen += 1 + len(w)
	}
	b.WriteString(line + "\n")
	return b.String()
}
