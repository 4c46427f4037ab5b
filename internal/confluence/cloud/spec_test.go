package cloud

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/spacekeeper/terraform-provider-confluence/internal/openapicheck"
)

// specSite is the origin requests are rewritten to before they are matched
// against the specs' servers.
const specSite = "https://example.atlassian.net"

// backendPaths are the paths the Cloud backend calls. The documents (the
// subsets of Atlassian's that internal/openapicheck keeps) are cut down to
// them, so that a call to an operation the simulator serves but the backend
// is not meant to use is reported.
var backendPaths = map[string]bool{
	"/spaces":                                         true,
	"/spaces/{id}/permissions":                        true,
	"/space-role-mode":                                true,
	"/space-permissions":                              true,
	"/space-roles":                                    true,
	"/space-roles/{id}":                               true,
	"/spaces/{id}/role-assignments":                   true,
	"/wiki/rest/api/space/{spaceKey}/permission":      true,
	"/wiki/rest/api/space/{spaceKey}/permission/{id}": true,
	"/wiki/rest/api/user":                             true,
	"/wiki/rest/api/group/by-id":                      true,
	"/wiki/rest/api/group/picker":                     true,
}

func keepPaths(spec *openapi3.T, keep map[string]bool) {
	for path := range spec.Paths.Map() {
		if !keep[path] {
			spec.Paths.Delete(path)
		}
	}
}

// acceptStringRoleIDs declares the id of GET /space-roles/{id} a string:
// role ids are UUIDs although that entry says integer, while PUT and DELETE
// on the same path say string (contributing/confluence-api.md#space-roles;
// internal/openapicheck relaxes it too).
func acceptStringRoleIDs(spec *openapi3.T) {
	if item := spec.Paths.Find("/space-roles/{id}"); item != nil && item.Get != nil {
		if p := item.Get.Parameters.GetByInAndName(openapi3.ParameterInPath, "id"); p != nil {
			p.Schema = openapi3.NewStringSchema().NewRef()
		}
	}
}

type specRouters struct {
	once    sync.Once
	routers []routers.Router
	err     error
}

var loadedSpecs specRouters

// apiSpecs returns routers for the v1 and v2 documents. They are parsed
// from the subsets' JSON rather than taken from openapicheck.Load, which
// shares its documents, because they are changed here.
func apiSpecs(t *testing.T) []routers.Router {
	t.Helper()
	loadedSpecs.once.Do(func() {
		for _, doc := range []struct{ file, server string }{
			{openapicheck.V1File, specSite},
			{openapicheck.V2File, specSite + "/wiki/api/v2"},
		} {
			data, err := openapicheck.SubsetJSON(doc.file)
			if err != nil {
				loadedSpecs.err = err
				return
			}
			spec, err := openapi3.NewLoader().LoadFromData(data)
			if err != nil {
				loadedSpecs.err = fmt.Errorf("%s: %w", doc.file, err)
				return
			}
			spec.Servers = openapi3.Servers{{URL: doc.server}}
			keepPaths(spec, backendPaths)
			acceptStringRoleIDs(spec)
			router, err := legacy.NewRouter(spec)
			if err != nil {
				loadedSpecs.err = fmt.Errorf("%s: %w", doc.file, err)
				return
			}
			loadedSpecs.routers = append(loadedSpecs.routers, router)
		}
	})
	if loadedSpecs.err != nil {
		t.Fatalf("loading Atlassian's OpenAPI documents: %v", loadedSpecs.err)
	}
	return loadedSpecs.routers
}

// checkAgainstSpec validates a request the backend sent, and the answer the
// fake server gives it, against the published OpenAPI documents.
// path is the request path below the BaseURL prefix.
func checkAgainstSpec(t *testing.T, r *http.Request, path string, reqBody []byte, status int, header http.Header, respBody []byte) {
	t.Helper()
	u, _ := url.Parse(specSite + path)
	u.RawQuery = r.URL.RawQuery
	req := r.Clone(context.Background())
	req.URL, req.Host, req.RequestURI = u, u.Host, ""
	req.Body = io.NopCloser(bytes.NewReader(reqBody))

	for _, router := range apiSpecs(t) {
		route, params, err := router.FindRoute(req)
		if err != nil {
			continue
		}
		in := &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		}
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("%s %s does not match the spec: %v", r.Method, r.URL, err)
		}
		if status < 200 || status > 299 {
			return // error answers are the transport's business, and the specs rarely describe them
		}
		out := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in, Status: status, Header: header,
			Body: io.NopCloser(bytes.NewReader(respBody)),
		}
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			t.Errorf("the fake answer to %s %s does not match the spec: %v", r.Method, r.URL.Path, err)
		}
		return
	}
	t.Errorf("%s %s is not an operation of the published specs", r.Method, r.URL)
}
