package openapicheck

import (
	"embed"
	"fmt"
)

// Names of Atlassian's two Confluence Cloud documents, as `make openapi`
// and CONFLUENCE_OPENAPI_DIR expect to find them.
const (
	V1File = "confluence-v1.json"
	V2File = "confluence-v2.json"
)

// Source is one of Atlassian's documents and what the project keeps of it.
type Source struct {
	// File is the document's name in the directory `make openapi` reads.
	File string
	// SubsetFile is the subset's name in testdata/.
	SubsetFile string
	// URL is where Atlassian publishes the document.
	URL string
	// Operations are the operations kept, "METHOD PATH" with the path as the
	// document writes it (v1 paths start /wiki/rest/api, v2 paths are
	// relative to the server's /wiki/api/v2).
	Operations []string
}

// Sources is the one list of the operations the project checks traffic
// against: the ones the Cloud backend (internal/confluence/cloud) calls, the
// ones the simulator (internal/confluencesim/cloud_api.go and
// cloud_roles.go) serves, and the ones work on space roles is about to
// need. A request to any other operation is reported as undeclared, so a
// new call or route starts here: add it, then run `make openapi`.
var Sources = []Source{
	{
		File:       V1File,
		SubsetFile: "confluence-v1.subset.json",
		URL:        "https://dac-static.atlassian.com/cloud/confluence/swagger.v3.json",
		Operations: []string{
			// Grants are written with v1: v2 has no write for them.
			"POST /wiki/rest/api/space/{spaceKey}/permission",
			"DELETE /wiki/rest/api/space/{spaceKey}/permission/{id}",
			// Neither caller uses it, but it is the literal sibling of
			// .../permission/{id}: keeping it keeps a request to it from being
			// taken for that parameterised path.
			"POST /wiki/rest/api/space/{spaceKey}/permission/custom-content",
			// Principal lookups.
			"GET /wiki/rest/api/user",
			"GET /wiki/rest/api/group/by-id",
			"GET /wiki/rest/api/group/picker",
		},
	},
	{
		File:       V2File,
		SubsetFile: "confluence-v2.subset.json",
		URL:        "https://dac-static.atlassian.com/cloud/confluence/openapi-v2.v3.json",
		Operations: []string{
			"GET /spaces",
			"GET /spaces/{id}",
			"GET /spaces/{id}/permissions",
			"POST /users-bulk",
			"GET /space-role-mode",
			// The role permission catalogue.
			"GET /space-permissions",
			"GET /space-roles",
			"POST /space-roles",
			"GET /space-roles/{id}",
			"PUT /space-roles/{id}",
			"DELETE /space-roles/{id}",
			"GET /spaces/{id}/role-assignments",
			"POST /spaces/{id}/role-assignments",
			// Moving a site from grants to roles.
			"GET /space-permissions/transition/combinations",
			"POST /space-permissions/transition/combinations",
			"POST /space-permissions/transition/role-assignments",
			"POST /space-permissions/transition/access-removals",
			"GET /space-permissions/transition/tasks/{taskId}",
		},
	},
}

// The subsets are compiled in, so that every test that checks traffic runs
// on a bare clone.
//
//go:embed testdata/*.subset.json
var subsets embed.FS

// SubsetJSON returns the subset of the document named file (V1File or
// V2File) as stored in testdata/.
func SubsetJSON(file string) ([]byte, error) {
	for _, s := range Sources {
		if s.File == file {
			return subsets.ReadFile("testdata/" + s.SubsetFile)
		}
	}
	return nil, fmt.Errorf("openapicheck: no subset of %q", file)
}
