// Package datacenter is Confluence Data Center's wire format over the
// simulator's state: the 9.1+ REST space permission resource, the REST
// reads the provider needs (server information, spaces, users, groups) and
// the legacy JSON-RPC remote API, both of which address people as Data
// Center does (users by user key or username, groups by name); how the two
// APIs spell each space permission (operations.go); the JSON shapes of
// their bodies; and the two kinds of error body, the REST resources' JSON
// envelope and the XML status body of what no resource answers. Handlers
// check the request, ask the state, and word its refusals as Data Center
// does; every state change goes through the state's exported methods. The
// wire types are exported so that the simulator's tests can decode answers
// into them.
package datacenter
