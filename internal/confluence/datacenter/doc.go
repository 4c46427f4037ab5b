// Package datacenter holds the Confluence Data Center (and Server) backends,
// as described in reference/confluence-dc-api.md (cited below by section):
//
//   - RESTBackend speaks the space-permission REST API of Data Center 9.1
//     and later (§1): grants are read in one GET per space, changed with
//     PUT …/grant and …/revoke, and replaced per principal with the bulk
//     POST, and users are addressed by their immutable userKey.
//   - RPCBackend speaks the legacy JSON-RPC remote API that older versions
//     offer instead (§2): grants are read with getSpacePermissionSets and
//     changed one type name at a time, and users are addressed by username.
//
// Both read spaces, users and groups with the same REST endpoints (§6), which
// Data Center has offered long before 9.1; that part lives in site.
//
// Where the reference marks a fact UNVERIFIED, the code says so next to the
// choice it made, so that a run against a live instance can confirm or
// correct it.
package datacenter
