// Package confluencesim is an in-memory Confluence that speaks the real wire
// format and enforces the real rules, so that the provider's client, its
// acceptance tests, the demo and the benchmarks run without a Confluence.
//
// The package is split into a flavour-independent core and one route set per
// deployment flavour:
//
//   - the core (model.go, site*.go, rules.go, access.go, seed*.go) holds the
//     site: spaces, users, groups, credentials and grants, and applies the
//     permission rules every flavour shares (read/space first, duplicate
//     grants, last admin, anonymous cannot administer, roles-only sites);
//   - the server (server.go, router.go, faults.go, counts.go) routes requests,
//     authenticates them, injects faults and latency and counts requests;
//   - a flavour (cloud_*.go) supplies the routes, the JSON shapes and the
//     error envelopes of one deployment. Only Confluence Cloud exists today;
//     Data Center (REST 9.1+ and JSON-RPC) adds its own cloud_*.go sibling.
//
// Every path, status code, body shape and error envelope comes from the
// research notes in shared/reference/confluence-cloud-api.md (cited as
// "reference §n") or from Atlassian's OpenAPI documents next to it. Where the
// notes mark a behaviour UNVERIFIED and the simulator still needs one, the
// code says so in a comment starting "UNVERIFIED (reference §n): chose ...".
// The conformance test validates every exchange against the OpenAPI
// documents with internal/openapicheck.
package confluencesim
