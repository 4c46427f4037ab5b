// Package cloud is Confluence Cloud's wire format over the simulator's
// state: the routes (v2 reads of spaces, permission assignments, users and
// the role mode, v2 space roles, v1 permission writes, users and groups)
// with their OpenAPI path templates, the JSON shapes of their bodies, named
// after the schemas they follow, and the two error envelopes, v1's
// {statusCode, data, message} and v2's {errors: [...]}. Handlers parse and
// check what the documents say a request must be, ask the state, and word
// its refusals as Cloud does; every state change goes through the state's
// exported methods. The wire types are exported so that the simulator's
// tests can decode answers into them.
package cloud
