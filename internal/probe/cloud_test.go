package probe

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

const (
	routeV1Post   = "POST /wiki/rest/api/space/{spaceKey}/permission"
	routeV1Delete = "DELETE /wiki/rest/api/space/{spaceKey}/permission/{id}"
	routeRoleMode = "GET /wiki/api/v2/space-role-mode"
	routeRoles    = "GET /wiki/api/v2/space-roles"
)

func TestCloudDefaultSite(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{})
	rep := probeEveryCheck(t, s)
	wantAnswer(t, result(t, rep, "role-mode"), Answered, "PRE_ROLES")
	wantAnswer(t, result(t, rep, "space-keys"), Answered, "comma-joined only")
	wantAnswer(t, result(t, rep, "anonymous-form"), Answered, "role/ANONYMOUS")
	wantAnswer(t, result(t, rep, "error-bodies"), Answered, "space 0: 404 v2 list; v1 permission GET: 405 v2 list")
	wantAnswer(t, result(t, rep, "anonymous-write"), Skipped, "not requested")
	wantAnswer(t, result(t, rep, "credentials"), Answered, "no 401")
	wantAnswer(t, result(t, rep, "rate-limit-headers"), Answered, "none seen")
	if v, _ := factValue(result(t, rep, "anonymous-form"), "id forms"); !strings.HasPrefix(v, "decimal string=") || strings.Contains(v, ",") {
		t.Errorf("id forms %q, want decimal strings only", v)
	}
	if len(rep.Spaces) != 4 || rep.Spaces[0].Key != "DOCS" || !rep.Spaces[0].Found {
		t.Errorf("spaces %+v, want the demo site's four, DOCS first", rep.Spaces)
	}
	// A read-only run writes nothing.
	for route, n := range s.sim.RequestCounts() {
		if !strings.HasPrefix(route, "GET ") && n > 0 {
			t.Errorf("a read-only run sent %d %s", n, route)
		}
	}
}

func TestAnonymousFormTellsTheFormsApart(t *testing.T) {
	for _, tc := range []struct {
		form     confluencesim.AnonymousForm
		answer   string
		spelling string
	}{
		{confluencesim.AnonymousAsRole, "role/ANONYMOUS", `{type: "role", id: "ANONYMOUS"}`},
		{confluencesim.AnonymousAsUser, "user/anonymous", `{type: "user", id: "anonymous"}`},
	} {
		t.Run(string(tc.form), func(t *testing.T) {
			s := cloudSite(t, confluencesim.Options{CloudAnonymous: tc.form})
			res := result(t, probeSite(t, s.config(func(c *Config) { c.Spaces = []string{"DOCS"} })), "anonymous-form")
			wantAnswer(t, res, Answered, tc.answer)
			if v, _ := factValue(res, "anonymous row"); !strings.Contains(v, tc.spelling) || !strings.Contains(v, "read/space") {
				t.Errorf("anonymous row %q, want %s read/space", v, tc.spelling)
			}
		})
	}
}

func TestAnonymousFormWithoutAnonymousAccessSaysSo(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{})
	res := result(t, probeSite(t, s.config(func(c *Config) { c.Spaces = []string{"ENG", "HR"} })), "anonymous-form")
	wantAnswer(t, res, Answered, "no anonymous row")
}

func TestSpaceKeysTellsTheFormsApart(t *testing.T) {
	for _, tc := range []struct {
		parsing confluencesim.KeysParsing
		answer  string
	}{
		{confluencesim.KeysCommaJoined, "comma-joined only"},
		{confluencesim.KeysRepeated, "repeated only"},
		{confluencesim.KeysEither, "both"},
	} {
		t.Run(string(tc.parsing), func(t *testing.T) {
			s := cloudSite(t, confluencesim.Options{SpaceKeysParam: tc.parsing})
			res := result(t, probeSite(t, s.config()), "space-keys")
			if res.Answer != tc.answer {
				t.Errorf("answer %q, want %q\n%s", res.Answer, tc.answer, describe(res))
			}
		})
	}
}

func TestSpaceKeysFindsASecondSpaceWhenOneIsNamed(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{})
	res := result(t, probeSite(t, s.config(func(c *Config) { c.Spaces = []string{"HR"} })), "space-keys")
	wantAnswer(t, res, Answered, "comma-joined only")
	if v, _ := factValue(res, "keys"); v != "HR and DOCS" {
		t.Errorf("keys %q, want HR and DOCS", v)
	}
}

// rolesSeed is the demo site in ROLES_TRANSITION mode with Viewer assigned
// to alice in DOCS.
func rolesSeed() confluencesim.Seed {
	seed := confluencesim.DemoSeed()
	seed.RoleMode = confluencesim.RolesTransition
	for i := range seed.Spaces {
		if seed.Spaces[i].Key == "DOCS" {
			seed.Spaces[i].RoleAssignments = []confluencesim.SeedRoleAssignment{{
				Principal: confluencesim.SeedRolePrincipal{Type: confluencesim.RoleUser, ID: "5b10ac8d82e05b22cc7d4ef5"},
				Role:      "Viewer",
			}}
		}
	}
	return seed
}

func TestRoleRowsTellsTheVariantsApart(t *testing.T) {
	for _, tc := range []struct {
		roleRows bool
		answer   string
	}{
		{false, "no: 1 role assignment(s) but no role rows"},
		{true, "yes: 1 role row(s) from 1 role id(s)"},
	} {
		t.Run(map[bool]string{false: "default", true: "RoleRowsInPermissionList"}[tc.roleRows], func(t *testing.T) {
			s := startSite(t, rolesSeed(), confluencesim.Options{RoleRowsInPermissionList: tc.roleRows})
			rep := probeSite(t, s.config(func(c *Config) { c.Spaces = []string{"DOCS"} }))
			wantAnswer(t, result(t, rep, "role-rows"), Answered, tc.answer)
			wantAnswer(t, result(t, rep, "role-mode"), Answered, "ROLES_TRANSITION")
		})
	}
}

func TestCatalogueAndRolesOnARolesSite(t *testing.T) {
	s := startSite(t, rolesSeed(), confluencesim.Options{})
	rep := probeSite(t, s.config())
	cat := result(t, rep, "catalogue")
	wantAnswer(t, cat, Answered, "permissions;")
	if v, _ := factValue(cat, "ids not of the form key/target"); v == "" {
		t.Errorf("the catalogue fact on ids is missing\n%s", describe(cat))
	}
	roles := result(t, rep, "roles")
	wantAnswer(t, roles, Answered, "SYSTEM=4")
}

func TestCatalogueOnAPreRolesSiteIsNotReadable(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{})
	rep := probeSite(t, s.config())
	wantAnswer(t, result(t, rep, "catalogue"), Answered, "not readable: 404")
	wantAnswer(t, result(t, rep, "roles"), Answered, "not readable: 404")
}

func TestCloudWriteTellsEqualFromDistinctIDs(t *testing.T) {
	for _, tc := range []struct {
		distinct bool
		answer   string
		ids      string
	}{
		{false, "role/ANONYMOUS; ids equal; DELETE by v2 id answered 204 and removed the grant", "equal"},
		{true, "ids differ; DELETE by v2 id answered 404 and the grant stayed; DELETE by v1 id answered 204 and removed it", "differ"},
	} {
		t.Run(tc.ids, func(t *testing.T) {
			s := cloudSite(t, confluencesim.Options{DistinctPermissionIDs: tc.distinct})
			rep, res := probeWrite(t, s, "ENG")
			wantAnswer(t, res, Answered, tc.answer)
			if v, _ := factValue(res, "ids"); !strings.HasPrefix(v, tc.ids) {
				t.Errorf("ids %q, want %s", v, tc.ids)
			}
			wantNoFailure(t, rep)
			wantNoAnonymousGrants(t, s, "ENG", res)
			last := res.Steps[len(res.Steps)-1]
			if last.Action != "restore" || !strings.Contains(last.Outcome, "as before") {
				t.Errorf("last step %+v, want the restore", last)
			}
			// Only the write space was written to.
			for _, e := range res.Exchanges {
				if !strings.HasPrefix(e.Request, "GET ") && !strings.Contains(e.Request, "/space/ENG/") {
					t.Errorf("wrote outside the write space: %s", e.Request)
				}
			}
		})
	}
}

func TestCloudWriteLeavesASpaceWithAnonymousAlone(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{})
	before := anonymousGrants(t, s, "DOCS")
	_, res := probeWrite(t, s, "DOCS")
	wantAnswer(t, res, Skipped, "already allows anonymous access")
	if n := s.sim.RequestCount(routeV1Post) + s.sim.RequestCount(routeV1Delete); n != 0 {
		t.Errorf("%d writes on a space that allows anonymous access", n)
	}
	if after := anonymousGrants(t, s, "DOCS"); len(after) != len(before) {
		t.Errorf("anonymous grants changed: %+v, then %+v", before, after)
	}
}

func TestCloudWriteRestoresWhenTheRemovalFails(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{})
	// Every attempt of the first DELETE fails (one try and every retry).
	s.inject(t, confluencesim.ServerError(routeV1Delete, 1+transport.DefaultMaxRetries, http.StatusInternalServerError))
	_, res := probeWrite(t, s, "OPS")
	wantAnswer(t, res, Answered, "DELETE by v2 id answered 500 but the grant stayed")
	wantNoAnonymousGrants(t, s, "OPS", res)
	if !strings.Contains(describe(res), "restore: remove read/space by v2 id") {
		t.Errorf("the restore did not remove the grant\n%s", describe(res))
	}
}

func TestCloudWriteRestoresAGrantWhoseAnswerWasLost(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{})
	// The grant is made, but its answer is a 500: a POST is not retried.
	f := confluencesim.ServerError(routeV1Post, 1, http.StatusInternalServerError)
	f.AfterApply = true
	s.inject(t, f)
	_, res := probeWrite(t, s, "OPS")
	wantAnswer(t, res, Answered, "the grant was refused: 500")
	wantNoAnonymousGrants(t, s, "OPS", res)
}

func TestCloudWriteOnAFreeSiteIsRefused(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{FreeEdition: true})
	_, res := probeWrite(t, s, "ENG")
	wantAnswer(t, res, Answered, "the grant was refused: 403")
	if !strings.Contains(strings.Join(res.Interpretation, " "), "Free edition") {
		t.Errorf("the refusal is not explained as the Free edition's\n%s", describe(res))
	}
}

func TestCloudWriteOnARolesOnlySiteIsRefused(t *testing.T) {
	seed := confluencesim.DemoSeed()
	seed.RoleMode = confluencesim.RolesOnly
	s := startSite(t, seed, confluencesim.Options{})
	rep, res := probeWrite(t, s, "ENG")
	wantAnswer(t, result(t, rep, "role-mode"), Answered, "ROLES")
	wantAnswer(t, res, Answered, "the grant was refused: 400")
	if !strings.Contains(strings.Join(res.Interpretation, " "), "roles only") {
		t.Errorf("the refusal is not explained as roles-only\n%s", describe(res))
	}
}

func TestCloudWriteSpaceThatDoesNotExistFails(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{})
	_, res := probeWrite(t, s, "NOPE")
	wantAnswer(t, res, Failed, "does not exist")
}

func TestRateLimitHeadersOfABurstLimit(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{})
	s.inject(t, confluencesim.CloudBurstLimited(routeRoleMode, 1))
	rep := probeSite(t, s.config())
	// The transport waited and retried, as the provider's does.
	mode := result(t, rep, "role-mode")
	wantAnswer(t, mode, Answered, "PRE_ROLES")
	if got := mode.Exchanges[0].Statuses; len(got) != 2 || got[0] != 429 || got[1] != 200 {
		t.Errorf("role-mode answers %v, want [429 200]", got)
	}
	res := result(t, rep, "rate-limit-headers")
	wantAnswer(t, res, Answered, "X-RateLimit-Reset in minute precision")
	if v, _ := factValue(res, "RateLimit-Reason"); !strings.HasPrefix(v, confluencesim.BurstReason) {
		t.Errorf("RateLimit-Reason %q, want %s", v, confluencesim.BurstReason)
	}
	if v, _ := factValue(res, "429 answers"); v != "1" {
		t.Errorf("429 answers %q, want 1", v)
	}
	if rep.Failed() {
		t.Errorf("a retried burst limit failed the run")
	}
}

func TestRateLimitHeadersOfAnExhaustedQuota(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{})
	reset := time.Now().Add(2 * time.Hour)
	s.inject(t, confluencesim.CloudQuotaExhausted(routeRoleMode, 1, reset))
	rep := probeSite(t, s.config())
	// An exhausted quota is not retried for hours: the check cannot run.
	wantAnswer(t, result(t, rep, "role-mode"), Failed, "429")
	res := result(t, rep, "rate-limit-headers")
	wantAnswer(t, res, Answered, "minute precision")
	if !strings.Contains(strings.Join(res.Interpretation, " "), "hourly quota") {
		t.Errorf("the quota is not explained\n%s", describe(res))
	}
	if !rep.Failed() {
		t.Errorf("a check that could not run did not fail the run")
	}
}

func TestCredentialsReportsAScopeMismatch(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{})
	s.inject(t, confluencesim.ScopeMismatch(routeRoles, 1))
	rep := probeSite(t, s.config())
	wantAnswer(t, result(t, rep, "roles"), Failed, "401")
	res := result(t, rep, "credentials")
	wantAnswer(t, res, Answered, "1 with FAILURE_CLIENT_SCOPE_CHECK")
	if v, _ := factValue(res, "401"); !strings.Contains(v, "GET /wiki/api/v2/space-roles") || !strings.Contains(v, "scope does not match") {
		t.Errorf("401 fact %q, want the request and the message", v)
	}
}

func TestWrongCredentialsFailEveryCheck(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{})
	rep := probeWrongSecret(t, s, "wrong-token")
	wantAnswer(t, result(t, rep, "role-mode"), Failed, "401")
	wantAnswer(t, result(t, rep, "space-keys"), Failed, "could not look up the spaces")
}

func TestBearerTokenNamesNoAccount(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{})
	rep := probeSite(t, s.config(func(c *Config) { c.User, c.APIToken, c.Token = "", "", demoOAuth }))
	if rep.Failed() || rep.Auth != "bearer" || rep.Account != "" {
		t.Errorf("bearer run: failed %v, auth %q, account %q", rep.Failed(), rep.Auth, rep.Account)
	}
}

func TestGatewayPrefixIsKept(t *testing.T) {
	s := cloudSite(t, confluencesim.Options{PathPrefix: "/ex/confluence/0a1b2c3d"})
	rep := probeSite(t, s.config(func(c *Config) { c.URL = s.ts.URL + "/ex/confluence/0a1b2c3d" }))
	if rep.Failed() {
		t.Fatalf("a check failed behind the gateway prefix:\n%s", render(t, rep, FormatText))
	}
	if !strings.HasSuffix(rep.Site, "/ex/confluence/0a1b2c3d") {
		t.Errorf("site %q lacks the prefix", rep.Site)
	}
	// Requests are shown below the prefix, like the provider's messages.
	if e := result(t, rep, "role-mode").Exchanges[0]; e.Request != "GET /wiki/api/v2/space-role-mode" {
		t.Errorf("request shown as %q", e.Request)
	}
}

func TestPagingFollowsNextLinks(t *testing.T) {
	seed := confluencesim.DemoSeed()
	// More rows than one page of 250 holds.
	var ops []string
	for _, op := range permissions.Operations() {
		if op.Cloud {
			ops = append(ops, op.Operation.String())
		}
	}
	for i := 0; i < 20; i++ {
		id := "6000000000000000000000" + string(rune('a'+i)) + "0"
		seed.Users = append(seed.Users, confluencesim.SeedUser{AccountID: id, DisplayName: "User " + id})
		seed.Spaces[1].Grants = append(seed.Spaces[1].Grants, confluencesim.SeedGrant{
			Principal: confluencesim.SeedPrincipal{Type: "user", ID: id}, Operations: ops,
		})
	}
	s := startSite(t, seed, confluencesim.Options{})
	res := result(t, probeSite(t, s.config(func(c *Config) { c.Spaces = []string{"ENG"} })), "anonymous-form")
	v, _ := factValue(res, "rows in ENG")
	if !strings.Contains(v, "(2 page(s))") {
		t.Errorf("rows in ENG %q, want two pages\n%s", v, describe(res))
	}
}
