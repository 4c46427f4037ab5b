package openapicheck

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// operation is one method + path of a document, placed on the site: its
// template is the path a request to the site carries.
type operation struct {
	route    *routers.Route
	template string // "/wiki/api/v2/spaces/{id}"
	segments []string
	literals int
}

// name is how violations and coverage name the operation.
func (o *operation) name() string { return o.route.Method + " " + o.template }

// indexOperations lists a document's operations. The site path of an
// operation is its server URL's path plus the document path: v1 declares
// server "//your-domain.atlassian.net" and paths that start /wiki/rest/api;
// v2 declares "https://{your-domain}/wiki/api/v2" and relative paths.
func indexOperations(doc *openapi3.T) ([]*operation, error) {
	base, err := serverPath(doc.Servers[0].URL)
	if err != nil {
		return nil, err
	}
	var ops []*operation
	for path, item := range doc.Paths.Map() {
		template := base + path
		segments := strings.Split(template, "/")
		literals := 0
		for _, s := range segments {
			if !isParam(s) {
				literals++
			}
		}
		for method, op := range item.Operations() {
			ops = append(ops, &operation{
				route:    &routers.Route{Spec: doc, Server: doc.Servers[0], Path: path, PathItem: item, Method: method, Operation: op},
				template: template,
				segments: segments,
				literals: literals,
			})
		}
	}
	return ops, nil
}

// sortOperations puts the most specific paths (most literal segments) first,
// then orders by name, so that lookups are deterministic.
func sortOperations(ops []*operation) {
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].literals != ops[j].literals {
			return ops[i].literals > ops[j].literals
		}
		return ops[i].name() < ops[j].name()
	})
}

// serverPath is the path part of a server URL, without variables in it.
func serverPath(raw string) (string, error) {
	rest := raw
	if i := strings.Index(rest, "//"); i >= 0 {
		rest = rest[i+2:]
		if j := strings.Index(rest, "/"); j >= 0 {
			rest = rest[j:]
		} else {
			rest = ""
		}
	}
	if strings.Contains(rest, "{") {
		return "", fmt.Errorf("server URL %q has a variable in its path", raw)
	}
	return strings.TrimSuffix(rest, "/"), nil
}

// gatewayPrefix is the API gateway's /ex/confluence/{cloudId}
// (contributing/confluence-api.md#cloud-addresses-and-credentials).
const gatewayPrefix = "/ex/confluence/"

// sitePath removes the API gateway prefix from an escaped request path.
func sitePath(escaped string) string {
	if rest, ok := strings.CutPrefix(escaped, gatewayPrefix); ok {
		if i := strings.Index(rest, "/"); i >= 0 {
			return rest[i:]
		}
	}
	return escaped
}

// find returns the operation for a request, or why there is none.
func (d *Documents) find(method, escapedPath string) (*operation, map[string]string, string) {
	segments := strings.Split(sitePath(escapedPath), "/")
	best := -1 // literal segments of the most specific matching path
	for _, op := range d.ops {
		if op.literals < best {
			break // ops are sorted most specific first: a literal beats a {parameter}
		}
		params, ok := op.bind(segments)
		if !ok {
			continue
		}
		best = op.literals
		if op.route.Method == method {
			return op, params, ""
		}
	}
	if best >= 0 {
		return nil, nil, fmt.Sprintf("method %s is not declared for this path in either document%s", method, subsetHint)
	}
	return nil, nil, "path is not declared in either document" + subsetHint
}

// subsetHint points at the list of kept operations: the operation may be in
// Atlassian's document but not in the subset.
const subsetHint = " (as cut to the operations listed in internal/openapicheck/subset.go)"

func (o *operation) bind(segments []string) (map[string]string, bool) {
	if len(segments) != len(o.segments) {
		return nil, false
	}
	params := map[string]string{}
	for i, s := range o.segments {
		if isParam(s) {
			v, err := url.PathUnescape(segments[i])
			if err != nil || v == "" {
				return nil, false
			}
			params[s[1:len(s)-1]] = v
		} else if s != segments[i] {
			return nil, false
		}
	}
	return params, true
}

func isParam(s string) bool { return strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") }
