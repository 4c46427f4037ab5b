package cloud

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/openapicheck"
	"github.com/spacekeeper/terraform-provider-confluence/internal/testutil/scriptedhttp"
)

// backendOperations are the operations the Cloud backend calls. The
// documents internal/openapicheck keeps hold more (those the simulator
// serves and those work on space roles is about to need), so that a call to
// one the backend is not meant to use is reported.
var backendOperations = []string{
	"GET /wiki/api/v2/spaces",
	"GET /wiki/api/v2/spaces/{id}/permissions",
	"GET /wiki/api/v2/space-role-mode",
	"GET /wiki/api/v2/space-permissions",
	"GET /wiki/api/v2/space-roles",
	"POST /wiki/api/v2/space-roles",
	"GET /wiki/api/v2/space-roles/{id}",
	"PUT /wiki/api/v2/space-roles/{id}",
	"DELETE /wiki/api/v2/space-roles/{id}",
	"GET /wiki/api/v2/spaces/{id}/role-assignments",
	"POST /wiki/api/v2/spaces/{id}/role-assignments",
	"POST /wiki/rest/api/space/{spaceKey}/permission",
	"DELETE /wiki/rest/api/space/{spaceKey}/permission/{id}",
	"GET /wiki/rest/api/user",
	"GET /wiki/rest/api/group/by-id",
	"GET /wiki/rest/api/group/picker",
}

// specCheck checks every request the backend sends, and the answer the
// script gives it, against Atlassian's OpenAPI documents with
// internal/openapicheck's rules, limited to backendOperations.
//
// offSpec lists what a script departs from the documents on purpose, to
// pin how the backend takes an answer they do not describe: each entry is
// part of a violation that must be reported, once or more, and is not a
// failure. An entry nothing reports fails the test, so that none outlives
// its reason.
func specCheck(t *testing.T, offSpec []string) func(testing.TB, scriptedhttp.Served) {
	t.Helper()
	checker := openapicheck.NewForTest(t, openapicheck.Options{Operations: backendOperations})
	var mu sync.Mutex
	reported := make([]bool, len(offSpec))
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for i, departure := range offSpec {
			if !reported[i] {
				t.Errorf("openapicheck reported nothing like %q, which the script was to do on purpose", departure)
			}
		}
	})
	return func(t testing.TB, s scriptedhttp.Served) {
		x := openapicheck.Exchange{Request: s.Request, RequestBody: s.RequestBody,
			StatusCode: s.Status, Header: s.Header, ResponseBody: []byte(s.Want.Answer)}
		for _, v := range checker.Check(x) {
			i := slices.IndexFunc(offSpec, func(departure string) bool { return strings.Contains(v.String(), departure) })
			if i < 0 {
				t.Errorf("%s: openapicheck: %s", s, v)
				continue
			}
			mu.Lock()
			reported[i] = true
			mu.Unlock()
		}
	}
}
