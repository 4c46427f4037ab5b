// Package openapicheck validates HTTP traffic against Atlassian's published
// OpenAPI documents of Confluence Cloud (shared/reference/confluence-v1.json
// and confluence-v2.json). Tests put a Checker in front of a handler
// (Middleware) or behind a client (Transport); every exchange is checked and
// problems are recorded as Violations:
//
//   - the method and path must be an operation of one of the documents
//     (v1 paths carry /wiki/rest/api in the document, v2 paths are relative
//     to /wiki/api/v2; an API gateway prefix /ex/confluence/{cloudId} is
//     ignored);
//   - the request's parameters and body must match the operation;
//   - query parameters the operation does not declare are reported, since
//     Confluence ignores them silently;
//   - the response status must be declared (or be one any operation may
//     answer, see quirks.go), and a body must match the schema declared for
//     its status, without members the schema does not declare.
//
// The documents are read from the reference directory at test time and never
// copied into the project; see ReferenceDir.
package openapicheck
