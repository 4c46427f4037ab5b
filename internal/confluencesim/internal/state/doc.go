// Package state is the state of one simulated Confluence and the rules it
// keeps: spaces, users, groups, credentials and grants; Cloud's space roles,
// their assignments and the catalogue of permissions roles are made of;
// the seeds a site starts from and how they are checked; and the rules of
// Confluence, those every flavour shares (the operation and the principal
// exist, anonymous cannot administer) and those a deployment switches on
// (read/space first, the Cloud cascade on removing read/space, last admin).
// Rules decide which refusal a change meets (a RuleError or RoleError); the
// route packages decide how their API words it.
//
// A Store is safe for concurrent use: its exported methods take its one
// mutex, and everything unexported (the Store's other methods, those of
// spaceState and roleBook) expects the caller to hold it. Values handed out
// are copies, so callers never race with later changes. Route handlers call
// the exported methods with the Caller a request authenticated as; the
// out-of-band Go API calls them with Operator.
package state
