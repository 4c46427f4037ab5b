// Package datacenter holds the Confluence Data Center (and Server) backends,
// as described in contributing/confluence-api.md, whose sections are cited
// below by their anchors:
//
//   - RESTBackend speaks the space-permission REST API of Data Center 9.1
//     and later (#rest-space-permissions): grants are read in one GET per
//     space, changed with PUT …/grant and …/revoke, and replaced per
//     principal with the bulk POST, and users are addressed by their
//     immutable userKey.
//   - RPCBackend speaks the legacy JSON-RPC remote API that older versions
//     offer instead (#the-json-rpc-remote-api): grants are read with
//     getSpacePermissionSets and changed one type name at a time, and users
//     are addressed by username.
//
// Both read spaces, users and groups with the same REST endpoints
// (#data-center-users-user-keys-and-groups), which Data Center has offered
// long before 9.1; that part lives in site.
//
// Where the public record leaves a fact open
// (#what-is-not-documented-and-how-the-provider-copes), the code says so
// next to the choice it made, marked UNVERIFIED, so that a run against a
// live instance can confirm or correct it.
package datacenter
