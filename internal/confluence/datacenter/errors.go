package datacenter

import (
	"fmt"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// hintedError adds what to do to an error, keeping the error reachable for
// errors.As (so IsNotFound, IsUnauthorized, ... still answer).
type hintedError struct {
	err  error
	hint string
}

func withHint(err error, hint string) error { return &hintedError{err: err, hint: hint} }

func (e *hintedError) Error() string { return e.err.Error() + ": " + e.hint }
func (e *hintedError) Unwrap() error { return e.err }

// PartialReplaceError reports a ReplacePrincipals that stopped part way:
// Confluence takes at most 40 principals per call
// (contributing/confluence-api.md#rest-space-permissions), so a larger
// replacement is several calls, and one of them failed.
type PartialReplaceError struct {
	SpaceKey string
	// Applied are the principals whose grants were replaced.
	Applied []permissions.Principal
	// Failed are the principals of the call that failed and of the calls
	// not made after it. For those of the failed call, what Confluence
	// holds is unknown: re-read the space.
	Failed []permissions.Principal
	Err    error
}

func (e *PartialReplaceError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "replacing the grants of %d principals in space %s stopped after %d: %v",
		len(e.Applied)+len(e.Failed), e.SpaceKey, len(e.Applied), e.Err)
	if len(e.Applied) > 0 {
		fmt.Fprintf(&b, "; applied: %s", joinPrincipals(e.Applied))
	}
	fmt.Fprintf(&b, "; not applied: %s", joinPrincipals(e.Failed))
	return b.String()
}

func (e *PartialReplaceError) Unwrap() error { return e.Err }

// AppliedPrincipals says which principals were replaced: the
// confluence.PartialReplacement capability.
func (e *PartialReplaceError) AppliedPrincipals() []permissions.Principal { return e.Applied }

func joinPrincipals(ps []permissions.Principal) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.String()
	}
	return strings.Join(names, ", ")
}

// RESTUnavailableError says that the server has no space-permission REST
// API although the space exists: the API came with Data Center 9.1, and
// older versions answer its paths with 404
// (contributing/confluence-api.md#data-center-error-statuses). It deliberately does
// not unwrap to that 404, which would read as "the space does not exist".
type RESTUnavailableError struct {
	SpaceKey string
	Path     string
}

func (e *RESTUnavailableError) Error() string {
	return fmt.Sprintf("Confluence answered 404 to GET %s although space %s exists: this Confluence is older than Data Center 9.1, "+
		"which introduced the space permission REST API. Use the legacy remote API instead (the provider chooses it by itself "+
		"for versions before 9.1 unless configured to use REST); an administrator must enable it under "+
		"General Configuration → Further Configuration → Remote API", e.Path, e.SpaceKey)
}
