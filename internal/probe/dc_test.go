package probe

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

const (
	routeDCAnonGrant  = "PUT /rest/api/space/{spaceKey}/permissions/anonymous/grant"
	routeDCAnonRevoke = "PUT /rest/api/space/{spaceKey}/permissions/anonymous/revoke"
	routeDCServerInfo = "GET /rest/api/server-information"
)

func TestDCSiteReportsEveryCheck(t *testing.T) {
	s := dcSite(t, confluencesim.Options{})
	rep := probeEveryCheck(t, s)
	if rep.Account != demoUsername || rep.Deployment != "datacenter" {
		t.Errorf("account %q, deployment %q", rep.Account, rep.Deployment)
	}
}

func TestDCServerInformationTellsVersionsApart(t *testing.T) {
	for _, tc := range []struct{ version, answer string }{
		{"8.5.4", "404: no server information"},
		{"9.2.1", "version 9.2.1"},
	} {
		t.Run(tc.version, func(t *testing.T) {
			wantCleanAnswer(t, dcSite(t, confluencesim.Options{DCVersion: tc.version}), "server-information", tc.answer)
		})
	}
}

func TestDCRemoteAPIOffTellsStatusesApart(t *testing.T) {
	for _, tc := range []struct {
		status int
		answer string
	}{
		{0, "401: switched off"},
		{http.StatusNotFound, "404: switched off, or no remote API"},
	} {
		t.Run(http.StatusText(max(tc.status, 401)), func(t *testing.T) {
			// A switched-off remote API is an answer, not a failure.
			wantCleanAnswer(t, dcSite(t, confluencesim.Options{RemoteAPIOffStatus: tc.status}), "remote-api", tc.answer)
		})
	}
}

func TestDCRemoteAPIOnTellsTheVersion(t *testing.T) {
	s := dcSite(t, confluencesim.Options{DCVersion: "8.5.4", RemoteAPI: true})
	rep := probeSite(t, s.config())
	res := result(t, rep, "remote-api")
	wantAnswer(t, res, Answered, "on: version 8.5.4")
	if v, _ := factValue(res, "getSpacePermissionSets(DOCS)"); !strings.HasPrefix(v, "JSON") {
		t.Errorf("getSpacePermissionSets %q, want JSON", v)
	}
	wantAnswer(t, result(t, rep, "credentials"), Answered, "no 401")
}

func TestDCRemoteAPIUnderWebSudo(t *testing.T) {
	s := dcSite(t, confluencesim.Options{RemoteAPI: true, WebSudo: true})
	res := result(t, probeSite(t, s.config()), "remote-api")
	// The simulator exempts getServerInfo from WebSudo; the permission
	// read shows it.
	wantAnswer(t, res, Answered, "on: version")
	if v, _ := factValue(res, "getSpacePermissionSets(DOCS)"); !strings.Contains(v, "HTML page") {
		t.Errorf("getSpacePermissionSets %q, want an HTML page\n%s", v, describe(res))
	}
	if !strings.Contains(strings.Join(res.Interpretation, " "), "WebSudo") {
		t.Errorf("WebSudo is not named\n%s", describe(res))
	}
}

func TestDCRemoteAPIBehindALoginPage(t *testing.T) {
	login := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/rpc/") {
				w.Header().Set("Content-Type", "text/html;charset=UTF-8")
				_, _ = io.WriteString(w, "<!DOCTYPE html><html><head><title>Log in - Confluence</title></head><body>form</body></html>")
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	s := startWrapped(t, confluencesim.DemoSeed(), confluencesim.Options{Flavour: confluencesim.DataCenter}, login)
	s.dep = permissions.DataCenter
	res := result(t, probeSite(t, s.config()), "remote-api")
	wantAnswer(t, res, Answered, `an HTML page (HTML page titled "Log in - Confluence")`)
}

func TestDCPermissionsShape(t *testing.T) {
	s := dcSite(t, confluencesim.Options{})
	res := result(t, probeSite(t, s.config(func(c *Config) { c.Spaces = []string{"DOCS"} })), "permissions-shape")
	for _, want := range []string{"flat array", "user {type, userKey}", "group {name, type}", "anonymous {type}"} {
		wantAnswer(t, res, Answered, want)
	}
	if v, _ := factValue(res, "anonymous read"); v != "flat array" {
		t.Errorf("anonymous read %q, want flat array", v)
	}
}

func TestDCPermissionsShapeBefore91(t *testing.T) {
	s := dcSite(t, confluencesim.Options{DCVersion: "8.5.4"})
	res := result(t, probeSite(t, s.config()), "permissions-shape")
	wantAnswer(t, res, Answered, "no REST permission API (404)")
	if len(res.Exchanges) != 1 {
		t.Errorf("%d requests, want one (an unknown route is unknown for every space)", len(res.Exchanges))
	}
}

func TestDCErrorBodies(t *testing.T) {
	for _, tc := range []struct{ version, answer string }{
		{"9.2.1", "missing space: 404 Data Center envelope; unknown route: 404 XML <status>"},
		{"8.5.4", "missing space: 404 XML <status>; unknown route: 404 XML <status>"},
	} {
		t.Run(tc.version, func(t *testing.T) {
			s := dcSite(t, confluencesim.Options{DCVersion: tc.version})
			wantAnswer(t, result(t, probeSite(t, s.config()), "error-bodies"), Answered, tc.answer)
		})
	}
}

func TestDCWriteGrantsRevokesAndRestores(t *testing.T) {
	s := dcSite(t, confluencesim.Options{})
	_, res := probeWrite(t, s, "ENG")
	wantAnswer(t, res, Answered, "grant 204, revoke 204")
	if v, _ := factValue(res, "anonymous in the whole-space list"); v != "anonymous {type} read/space=1" {
		t.Errorf("anonymous in the list %q", v)
	}
	wantNoAnonymousGrants(t, s, "ENG", res)
	if s.sim.RequestCount(routeDCAnonGrant) != 1 {
		t.Errorf("%d grants, want 1", s.sim.RequestCount(routeDCAnonGrant))
	}
}

func TestDCWriteRestoresWhenTheRevokeFails(t *testing.T) {
	s := dcSite(t, confluencesim.Options{})
	s.inject(t, confluencesim.ServerError(routeDCAnonRevoke, 1+transport.DefaultMaxRetries, http.StatusInternalServerError))
	_, res := probeWrite(t, s, "ENG")
	wantNoAnonymousGrants(t, s, "ENG", res)
	if !strings.Contains(describe(res), "restore: revoke read/space") {
		t.Errorf("no restore step\n%s", describe(res))
	}
}

func TestDCWriteLeavesASpaceWithAnonymousAlone(t *testing.T) {
	s := dcSite(t, confluencesim.Options{})
	_, res := probeWrite(t, s, "DOCS")
	wantAnswer(t, res, Skipped, "already allows anonymous access")
	if n := s.sim.RequestCount(routeDCAnonGrant) + s.sim.RequestCount(routeDCAnonRevoke); n != 0 {
		t.Errorf("%d writes on a space that allows anonymous access", n)
	}
}

func TestDCWriteBefore91IsSkipped(t *testing.T) {
	s := dcSite(t, confluencesim.Options{DCVersion: "8.5.4"})
	_, res := probeWrite(t, s, "ENG")
	wantAnswer(t, res, Skipped, "no REST permission API")
}

func TestDCContextPath(t *testing.T) {
	s := dcSite(t, confluencesim.Options{PathPrefix: "/confluence"})
	rep := probeSite(t, s.config(func(c *Config) { c.URL = s.ts.URL + "/confluence"; c.WriteSpace = "ENG" }))
	if rep.Failed() {
		t.Fatalf("a check failed under a context path:\n%s", render(t, rep, FormatText))
	}
	wantAnswer(t, result(t, rep, "anonymous-write"), Answered, "grant 204")
}

func TestDCRateLimitHeaders(t *testing.T) {
	s := dcSite(t, confluencesim.Options{})
	s.inject(t, confluencesim.DataCenterRateLimited(routeDCServerInfo, 1))
	rep := probeSite(t, s.config())
	wantAnswer(t, result(t, rep, "server-information"), Answered, "version")
	res := result(t, rep, "rate-limit-headers")
	wantAnswer(t, res, Answered, "header(s) on 1 answer(s)")
	for _, h := range []string{"X-RateLimit-FillRate", "X-RateLimit-Interval-Seconds", "Retry-After"} {
		if _, ok := factValue(res, h); !ok {
			t.Errorf("header %s not reported\n%s", h, describe(res))
		}
	}
}

func TestDCWrongPasswordFails(t *testing.T) {
	s := dcSite(t, confluencesim.Options{})
	probeWrongSecret(t, s, "wrong-password")
}
