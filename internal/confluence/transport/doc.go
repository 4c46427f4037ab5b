// Package transport is the HTTP layer shared by the Confluence Cloud and Data
// Center backends: it joins paths under the configured base URL, adds
// credentials, retries what is safe to retry, paces every request of the
// process to the site together (a 429 pauses them all, and a limit on the
// requests in flight adapts to the 429s: pace.go), turns every failed answer
// into a *confluence.Error, and follows cursor and offset pagination.
//
// It knows URLs and envelopes, not space permissions: the backends decide
// which paths to call and what the bodies mean.
//
// No credential ever leaves this package in an error or a log line: requests
// are logged by method, path, status, duration and attempt only, and every
// message taken from a response body is scrubbed of the configured secrets.
package transport
