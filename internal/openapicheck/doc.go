// Package openapicheck validates HTTP traffic against Atlassian's published
// OpenAPI documents of Confluence Cloud
// (https://dac-static.atlassian.com/cloud/confluence/swagger.v3.json for v1,
// https://dac-static.atlassian.com/cloud/confluence/openapi-v2.v3.json for
// v2). Tests put a Checker in front of a handler (Middleware) or behind a
// client (Transport); every exchange is checked and problems are recorded as
// Violations:
//
//   - the method and path must be an operation of one of the documents
//     (v1 paths carry /wiki/rest/api in the document, v2 paths are relative
//     to /wiki/api/v2; an API gateway prefix /ex/confluence/{cloudId} is
//     ignored);
//   - with Options.Operations set, it must moreover be one of those, the
//     operations a client is meant to call;
//   - the request's parameters and body must match the operation;
//   - query parameters the operation does not declare are reported, since
//     Confluence ignores them silently;
//   - the response status must be declared (or be one any operation may
//     answer, see quirks.go), and a body must match the schema declared for
//     its status, without members the schema does not declare.
//
// The checks run on subsets of the documents kept in testdata/ and compiled
// into the package, so that they need nothing beside a clone. A subset holds
// the operations listed in Sources and the components they use, and only
// facts: Trim removes all of Atlassian's prose. `make openapi SPECS=DIR`
// regenerates the subsets from the full documents, and with
// CONFLUENCE_OPENAPI_DIR set the tests fail when the subsets are stale.
package openapicheck
