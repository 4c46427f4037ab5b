package openapicheck

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Every place where the checker is more lenient than the documents say is in
// this file, with the quirk that makes it necessary.
//
// Not a relaxation but worth knowing: Atlassian's full documents do not pass
// kin-openapi's own document validation (v1: an example of ConnectModules
// lacks its required "modules" and two paths differ only in a parameter
// name, /contentbody/convert/async/{to} and .../{id}; v2: the "prefix"
// parameter of GET /spaces/{id}/content/labels has default "my, team"
// outside its enum). None of that is in the subsets, which do pass it
// (TestSubsetsAreCurrent); a subset that kept one of those parts would have
// to relax the validation there, not here.

// anyOperationStatuses are answers any operation may give although many
// operation entries omit them.
var anyOperationStatuses = map[int]string{
	// Most operations list 401 for missing or wrong credentials, some do not
	// (GET /group/by-id, GET /group/picker, POST /users-bulk); every endpoint
	// answers it all the same (contributing/confluence-api.md#cloud-addresses-and-credentials).
	http.StatusUnauthorized: "credentials missing or wrong",
	// Any endpoint may answer 429, and some transient 5xx carry Retry-After
	// too (contributing/confluence-api.md#rate-limits); 500 and the
	// gateway's answers are in #cloud-error-bodies there.
	http.StatusTooManyRequests:     "rate limited",
	http.StatusInternalServerError: "server error",
	http.StatusBadGateway:          "gateway error",
	http.StatusServiceUnavailable:  "unavailable",
	http.StatusGatewayTimeout:      "gateway timeout",
}

// stringPathIDs are path parameters declared as integers that carry string
// ids: GET /space-roles/{id} declares an integer id while role ids are
// strings (UUIDs), and PUT/DELETE on the same path declare a string
// (contributing/confluence-api.md#space-roles: the string is passed
// unchanged).
var stringPathIDs = []struct{ doc, method, path, param string }{
	{V2File, http.MethodGet, "/space-roles/{id}", "id"},
}

func applyQuirks(docs *Documents) {
	for _, q := range stringPathIDs {
		doc := docs.V2
		if q.doc == V1File {
			doc = docs.V1
		}
		item := doc.Paths.Find(q.path)
		if item == nil {
			continue // the documents changed; nothing to relax
		}
		op := item.GetOperation(q.method)
		if op == nil {
			continue
		}
		if p := op.Parameters.GetByInAndName(openapi3.ParameterInPath, q.param); p != nil {
			p.Schema = openapi3.NewStringSchema().NewRef()
		}
	}
}

// commaSeparatedQuery splits query arrays written "a,b" into separate values
// before validation. The v2 document declares its query arrays with the
// default form style with explode (ids=1&ids=2), while their descriptions
// say the values may be given as a comma-separated list; Confluence takes
// both spellings, so both are valid requests. The subsets keep no
// descriptions: Trim marks those parameters x-comma-separated instead.
func commaSeparatedQuery(op *openapi3.Operation, q url.Values) url.Values {
	out := url.Values{}
	for name, values := range q {
		out[name] = values
		p := op.Parameters.GetByInAndName(openapi3.ParameterInQuery, name)
		if p == nil || p.Schema == nil || p.Schema.Value == nil || !p.Schema.Value.Type.Is(openapi3.TypeArray) ||
			p.Extensions[commaSeparated] != true {
			continue
		}
		var split []string
		for _, v := range values {
			split = append(split, strings.Split(v, ",")...)
		}
		out[name] = split
	}
	return out
}
