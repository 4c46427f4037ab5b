// Package confluencesim is an in-memory Confluence that speaks the real wire
// format and enforces the real rules, so that the provider's client, its
// acceptance tests, the demo and the benchmarks run without a Confluence.
//
// This package is the simulator's front: the Server (an http.Handler that
// routes, authenticates, injects faults and latency and counts requests),
// its Options and their checks, seeds (seeds/demo.json and the JSON they are
// read from), the fault presets, and the out-of-band Go API through which
// tests change the site as a person in the UI would. What it serves is built
// from internal packages, one job each:
//
//   - internal/state holds the site, spaces, users, groups, credentials,
//     grants, Cloud's space roles and their assignments, and applies the
//     permission rules: those every flavour shares (the operation and the
//     principal exist, anonymous cannot administer) and those a deployment
//     switches on (read/space first, the Cloud cascade on removing
//     read/space, last admin). It owns the simulator's own list of space
//     permissions and the catalogue roles are made of, written from
//     Atlassian's documents; a test checks that the provider's tables agree.
//     Its exported methods take its one lock.
//   - internal/cloud and internal/datacenter are the two flavours: the
//     routes, the JSON shapes and the error envelopes of Confluence Cloud
//     and of Confluence Data Center (the 9.1+ REST permission API, the REST
//     reads the provider needs and the legacy JSON-RPC remote API, and how
//     both spell each permission).
//   - internal/route is what the two flavours share: the route table and
//     its router, the exchange a handler serves, and the JSON writer.
//
// The names of the state's vocabulary (Space, Grant, Rule, Role, Seed, ...)
// are re-exported here as type aliases, so that code outside the simulator
// needs only this package.
//
// Where the public record is silent or contradictory, Options offers one
// choice per plausible answer, the recorded or documented one by default,
// so that the client can be tested against each (CloudAnonymous,
// DistinctPermissionIDs, SpaceKeysParam, RoleRowsInPermissionList,
// RequiredPermissions, RemoteAPIOffStatus), and the fault presets give the
// answers of rate limits and scoped tokens.
//
// Every path, status code, body shape and error envelope comes from the
// public record: Atlassian's reference pages and OpenAPI documents, its
// Jira tickets and javadoc, and responses other projects recorded on real
// sites. contributing/confluence-api.md gathers those facts with their
// sources, and comments cite its sections by anchor, as in
// "(contributing/confluence-api.md#permission-writes-v1)". Where the record
// is silent or contradictory and the simulator still needs an answer, the
// code says so in a comment starting "UNVERIFIED (<section>): chose ...",
// beside the code that makes the choice, and where more than one answer is
// plausible an Option offers each, the recorded one by default (see
// contributing/simulator.md). The conformance test validates every Cloud
// exchange against the OpenAPI documents with internal/openapicheck; Data
// Center has no published document to check against, so its tests pin the
// shapes of its REST and JSON-RPC APIs themselves.
package confluencesim
