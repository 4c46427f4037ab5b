package setup

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/cloud"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/datacenter"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// fakeSite answers server-information as told and records every request.
type fakeSite struct {
	infoStatus int
	infoType   string
	infoBody   string

	mu       sync.Mutex
	requests []*http.Request
}

func (f *fakeSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r)
	f.mu.Unlock()
	switch {
	case r.URL.Path == "/confluence/rest/api/server-information":
		ctype := f.infoType
		if ctype == "" {
			ctype = "application/json"
		}
		w.Header().Set("Content-Type", ctype)
		w.WriteHeader(f.infoStatus)
		_, _ = w.Write([]byte(f.infoBody))
	case r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/grant"):
		w.WriteHeader(http.StatusNoContent)
	case strings.HasPrefix(r.URL.Path, "/wiki/"):
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"code":401,"message":"Unauthorized; scope does not match"}`))
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func (f *fakeSite) paths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, len(f.requests))
	for i, r := range f.requests {
		out[i] = r.Method + " " + r.URL.Path
	}
	return out
}

// serverInformation answers as Data Center does
// (contributing/confluence-api.md#server-information-since-91).
func serverInformation(version string) *fakeSite {
	return &fakeSite{infoStatus: 200, infoBody: `{"baseUrl":"https://dc.example.com/confluence","version":"` + version + `","buildNumber":1}`}
}

func open(t *testing.T, site *fakeSite, s Settings) (*confluence.Client, error) {
	t.Helper()
	return openWith(t, site, s, Options{})
}

func openWith(t *testing.T, site *fakeSite, s Settings, o Options) (*confluence.Client, error) {
	t.Helper()
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	if s.URL == nil {
		s.URL = mustURL(t, srv.URL+"/confluence")
	}
	s.User, s.APIToken = "admin", "s3cret-password"
	return Open(context.Background(), s, o)
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestOpenDiscoversDataCenterAndChoosesTheAPIByVersion(t *testing.T) {
	tests := []struct {
		version string
		rest    bool
	}{
		{"9.1.0", true},
		{"9.2.1", true},
		{"9.10.2", true},
		{"10.0.1", true},
		{"9.0.3", false},
		{"8.5.16", false},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			for _, deployment := range []permissions.Deployment{"", permissions.DataCenter} {
				site := serverInformation(tt.version)
				client, err := open(t, site, Settings{Deployment: deployment})
				if err != nil {
					t.Fatal(err)
				}
				_, isREST := client.Backend().(*datacenter.RESTBackend)
				_, isRPC := client.Backend().(*datacenter.RPCBackend)
				if isREST != tt.rest || isRPC == tt.rest {
					t.Errorf("deployment %q: backend %T", deployment, client.Backend())
				}
				if got := site.paths(); len(got) != 1 || got[0] != "GET /confluence/rest/api/server-information" {
					t.Errorf("deployment %q: requests %v, want the version read once", deployment, got)
				}
			}
		})
	}
}

func TestInferDeployment(t *testing.T) {
	for url, want := range map[string]permissions.Deployment{
		"https://example.atlassian.net":                          permissions.Cloud,
		"https://EXAMPLE.Atlassian.NET/wiki":                     permissions.Cloud,
		"https://api.atlassian.com/ex/confluence/0a1b2c3d-cloud": permissions.Cloud,
		"https://api.atlassian.com/other":                        permissions.DataCenter,
		"https://confluence.example.com/confluence":              permissions.DataCenter,
		"http://127.0.0.1:8090":                                  permissions.DataCenter,
		"https://atlassian.net.example.com":                      permissions.DataCenter,
	} {
		if got := InferDeployment(url); got != want {
			t.Errorf("InferDeployment(%q) = %q, want %q", url, got, want)
		}
	}
}

// An address that is not Atlassian Cloud's is Data Center, and asking it for
// server-information tells the REST API (9.1 and later) from the remote API.
// Older versions have no server-information: their 404 (Jersey's XML for an
// unknown route) means the remote API, not "cannot tell".
func TestOpenOlderDataCenterWithoutDeploymentUsesTheRemoteAPI(t *testing.T) {
	unknownRoute := `<status><status-code>404</status-code><message>null for uri: /confluence/rest/api/server-information</message></status>`
	site := &fakeSite{infoStatus: 404, infoType: "application/xml", infoBody: unknownRoute}
	client, err := open(t, site, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := client.Backend().(*datacenter.RPCBackend); !ok {
		t.Errorf("backend %T, want the remote API", client.Backend())
	}
	if got := site.paths(); len(got) != 1 || got[0] != "GET /confluence/rest/api/server-information" {
		t.Errorf("requests %v, want the version asked once", got)
	}
}

func TestOpenReportsWhatServerInformationAnswered(t *testing.T) {
	tests := []struct {
		name string
		site *fakeSite
		want []string
	}{
		{"login page", &fakeSite{infoStatus: 200, infoType: "text/html", infoBody: `<html><head><title>Log in</title></head></html>`}, []string{"HTML page"}},
		{"no version", &fakeSite{infoStatus: 200, infoBody: `{}`}, []string{"without a version"}},
		{"credentials refused", &fakeSite{infoStatus: 401, infoBody: ``}, []string{"401", "did not accept the provider's credentials"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := open(t, tt.site, Settings{})
			if err == nil {
				t.Fatal("Open succeeded")
			}
			for _, want := range append(tt.want, "cannot read the Confluence Data Center version", `Set the Data Center API to "rest"`) {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err = %v, want it to contain %q", err, want)
				}
			}
			if strings.Contains(err.Error(), "s3cret-password") {
				t.Errorf("err = %v shows the password", err)
			}
		})
	}
}

func TestOpenDataCenterWithoutServerInformation(t *testing.T) {
	// Very old versions: no server-information, so the remote API.
	client, err := open(t, &fakeSite{infoStatus: 404}, Settings{Deployment: permissions.DataCenter})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := client.Backend().(*datacenter.RPCBackend); !ok {
		t.Errorf("backend %T, want the remote API", client.Backend())
	}
	// Any other failure is reported with what to do.
	_, err = open(t, &fakeSite{infoStatus: 401}, Settings{Deployment: permissions.DataCenter})
	if !confluence.IsUnauthorized(err) || !strings.Contains(err.Error(), "did not accept the provider's credentials") ||
		!strings.Contains(err.Error(), `Set the Data Center API to "rest"`) {
		t.Errorf("err = %v", err)
	}
}

func TestOpenWithAnExplicitDataCenterAPISendsNothing(t *testing.T) {
	for api, want := range map[DataCenterAPI]string{DataCenterAPIREST: "*datacenter.RESTBackend", DataCenterAPIRPC: "*datacenter.RPCBackend"} {
		site := serverInformation("8.5.16") // not asked
		client, err := open(t, site, Settings{Deployment: permissions.DataCenter, DataCenterAPI: api})
		if err != nil {
			t.Fatal(err)
		}
		if got := typeName(client.Backend()); got != want {
			t.Errorf("%q: backend %s, want %s", api, got, want)
		}
		if got := site.paths(); len(got) != 0 {
			t.Errorf("%q: requests %v, want none", api, got)
		}
	}
}

func TestOpenRejectsAnUnknownDataCenterAPI(t *testing.T) {
	_, err := open(t, serverInformation("9.2.1"), Settings{Deployment: permissions.DataCenter, DataCenterAPI: "soap"})
	if err == nil || !strings.Contains(err.Error(), `"soap"`) {
		t.Errorf("err = %v", err)
	}
}

func TestOpenCloudSendsNothingAndKeepsCredentialErrors(t *testing.T) {
	site := &fakeSite{}
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	// A Data Center personal access token sent to Cloud.
	client, err := Open(context.Background(), Settings{URL: mustURL(t, srv.URL), Token: "dc-personal-access-token", Deployment: permissions.Cloud}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := client.Backend().(*cloud.Backend); !ok || len(site.paths()) != 0 {
		t.Fatalf("backend %T, requests %v", client.Backend(), site.paths())
	}
	_, err = client.AddGrant(context.Background(), "DOCS", permissions.Grant{Principal: permissions.AnonymousPrincipal, Operation: permissions.ReadSpace}, nil)
	if !confluence.IsUnauthorized(err) || !strings.Contains(err.Error(), "credentials") {
		t.Errorf("err = %v, want the 401 with advice to check the credentials", err)
	}

	_, err = open(t, &fakeSite{}, Settings{Deployment: permissions.Cloud, DataCenterAPI: DataCenterAPIREST})
	if err == nil || !strings.Contains(err.Error(), "Confluence Cloud") {
		t.Errorf("err = %v", err)
	}
}

func TestDataCenterWritesCarryTheXSRFHeaderAndKeepTheContextPath(t *testing.T) {
	site := serverInformation("9.2.1")
	var logged []string
	client, err := openWith(t, site, Settings{Deployment: permissions.DataCenter}, Options{Logger: logFunc(func(msg string) { logged = append(logged, msg) })})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.Backend().AddGrant(context.Background(), confluence.Space{Key: "PROJ"},
		permissions.Grant{Principal: permissions.AnonymousPrincipal, Operation: permissions.ReadSpace})
	if err != nil {
		t.Fatal(err)
	}
	site.mu.Lock()
	defer site.mu.Unlock()
	get, put := site.requests[0], site.requests[len(site.requests)-1]
	if put.Method != http.MethodPut || put.URL.Path != "/confluence/rest/api/space/PROJ/permissions/anonymous/grant" {
		t.Fatalf("last request %s %s", put.Method, put.URL.Path)
	}
	if got := put.Header.Get("X-Atlassian-Token"); got != "no-check" {
		t.Errorf("X-Atlassian-Token = %q on the write", got)
	}
	if got := get.Header.Get("X-Atlassian-Token"); got != "" {
		t.Errorf("X-Atlassian-Token = %q on a read", got)
	}
	if user, pass, ok := put.BasicAuth(); !ok || user != "admin" || pass != "s3cret-password" {
		t.Errorf("basic auth = %q, %q, %v", user, pass, ok)
	}
	if !containsString(logged, "Confluence Data Center 9.1 or later: using the REST API") {
		t.Errorf("debug lines %v", logged)
	}
}

func TestOpenNeedsResolvedSettings(t *testing.T) {
	if _, err := Open(context.Background(), Settings{User: "a", APIToken: "b", Deployment: permissions.DataCenter}, Options{}); err == nil {
		t.Error("Open without an address succeeded")
	}
}
