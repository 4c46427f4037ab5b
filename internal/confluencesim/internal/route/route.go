package route

import (
	"net/http"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// Route is one operation a flavour serves. The template is the documented
// path (Cloud's v1 paths as written in the spec, v2 paths with
// /wiki/api/v2 in front, Data Center's relative to the context path), so
// request counts and fault rules read like the documents.
type Route struct {
	Method   string
	Template string
	Handle   func(*Exchange)
}

// Exchange is one authenticated request being served.
type Exchange struct {
	W http.ResponseWriter
	R *http.Request
	// Params are the template's parameters, unescaped.
	Params map[string]string
	// Caller is who the request authenticated as.
	Caller *state.Caller
	// Origin is scheme://host as the client reached the simulator.
	Origin string
}

// Param returns a parameter of the route's template.
func (x *Exchange) Param(name string) string { return x.Params[name] }
