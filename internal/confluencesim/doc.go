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
//   - the permission tables (permission_table.go, catalogue.go) are the
//     simulator's own, written from Atlassian's documents: the space
//     permissions and how each API names them, and the catalogue of
//     permissions roles are made of; a test checks that the provider's
//     tables agree with them;
//   - Cloud's space roles (roles.go, role_book.go, site_role*.go) are kept
//     beside the grants: the four default roles and custom ones, their
//     assignments per space, which give access like grants do (and, with
//     Options.RoleRowsInPermissionList, show in the permission list as
//     principals of type role), and the asynchronous application of role
//     updates and deletions;
//   - a flavour supplies the routes, the JSON shapes and the error envelopes
//     of one deployment: Confluence Cloud (cloud_*.go) and Confluence Data
//     Center (dc_*.go: the 9.1+ REST permission API, the REST reads the
//     provider needs and the legacy JSON-RPC remote API).
//
// Where the public record is silent or contradictory, Options offers one
// choice per plausible answer, the recorded or documented one by default,
// so that the client can be tested against each (CloudAnonymous,
// DistinctPermissionIDs, SpaceKeysParam, RoleRowsInPermissionList,
// RequiredPermissions, RemoteAPIOffStatus), and faults.go has presets for
// the answers of rate limits and scoped tokens.
//
// Every path, status code, body shape and error envelope comes from the
// public record: Atlassian's reference pages and OpenAPI documents, its
// Jira tickets and javadoc, and responses other projects recorded on real
// sites. contributing/confluence-api.md gathers those facts with their
// sources, and comments cite its sections by anchor, as in
// "(contributing/confluence-api.md#permission-writes-v1)". Where the record
// is silent or contradictory and the simulator still needs an answer, the
// code says so in a comment starting "UNVERIFIED (<section>): chose ...",
// and where more than one answer is plausible an Option offers each, the
// recorded one by default (see contributing/simulator.md). The conformance
// test validates every Cloud exchange against the OpenAPI documents with
// internal/openapicheck; Data Center has no published document to check
// against, so its tests pin the shapes of its REST and JSON-RPC APIs
// themselves.
package confluencesim
