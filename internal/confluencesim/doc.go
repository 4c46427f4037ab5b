// Package confluencesim is an in-memory Confluence that speaks the real wire
// format and enforces the real rules, so that the provider's client, its
// acceptance tests, the demo and the benchmarks run without a Confluence.
//
// The package is split into a flavour-independent core and one route set per
// deployment flavour:
//
//   - the core (model.go, site*.go, identity.go, rules.go, access.go,
//     seed*.go) holds the site: spaces, users, groups, credentials and
//     grants, and applies the permission rules: those every flavour shares
//     (the operation and the principal exist, anonymous cannot administer)
//     and those a flavour switches on in the flavours table (read/space
//     first, the Cloud cascade on removing read/space, last admin);
//   - the server (server.go, router.go, faults.go, counts.go) routes requests,
//     authenticates them, injects faults and latency and counts requests;
//   - Cloud's space roles (roles.go, role_book.go, site_role*.go) are kept
//     beside the grants: the four default roles and custom ones, their
//     assignments per space, which give access like grants do and show in
//     the permission list as principals of type role, and the asynchronous
//     application of role updates and deletions;
//   - a flavour supplies the routes, the JSON shapes and the error envelopes
//     of one deployment: Confluence Cloud (cloud_*.go) and Confluence Data
//     Center (dc_*.go: the 9.1+ REST permission API, the REST reads the
//     provider needs and the legacy JSON-RPC remote API).
//
// Every path, status code, body shape and error envelope comes from the
// research notes in shared/reference/: confluence-cloud-api.md (cited as
// "reference §n") with Atlassian's OpenAPI documents next to it, and
// confluence-dc-api.md (cited as "dc §n"). Where the notes mark a behaviour
// UNVERIFIED and the simulator still needs one, the code says so in a
// comment starting "UNVERIFIED (reference §n): chose ..." or "UNVERIFIED
// (dc §n): chose ...". The conformance test validates every Cloud exchange
// against the OpenAPI documents with internal/openapicheck; Data Center has
// no published document to check against, so its tests pin the shapes of
// dc §1 and §2 themselves.
package confluencesim
