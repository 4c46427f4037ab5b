// Package probe asks a real Confluence site the questions that Atlassian's
// public record leaves open or answers in contradicting ways, and writes the
// answers as a report that a user can attach to a bug report
// (contributing/probe.md).
//
// The provider and its simulator (internal/confluencesim) each pick one
// answer to those questions: how the v2 permission list names anonymous
// access, whether v2 permission ids are the ids v1 DELETE takes, how
// GET /wiki/api/v2/spaces reads several keys, which Data Center versions
// serve server information, how the remote API answers when it is off, and
// so on (contributing/confluence-api.md#what-is-not-documented-and-how-the-provider-copes).
// A probe report says which answer a given site gives.
//
// Every request goes through internal/confluence/transport, so retries,
// Retry-After and the scrubbing of secrets are the provider's own. A
// recording http.RoundTripper under the transport keeps each answer's
// status, a few headers and the body for the report, which shows the body
// as a shape (field names and JSON types), never the values, apart from the
// few the question is about (a version, a role mode, a permission id).
//
// The probe reads only, except for the anonymous-write check, which runs
// only when Config.WriteSpace names a sandbox space, changes nothing
// else, and puts the space back as it found it.
package probe
