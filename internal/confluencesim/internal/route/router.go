package route

import (
	"net/url"
	"strings"
)

// UnmatchedRoute stands in for the route template of requests to paths the
// simulator does not serve, in request counts and fault rules.
const UnmatchedRoute = "(unmatched)"

// Router matches paths against route templates. Literal segments win over
// {parameters}, as in every REST framework: of the templates that match, the
// one with the most literal segments.
//
// It is not http.ServeMux, whose patterns (Go 1.22+) would take the same
// templates and keep the encoded slash of a Data Center group name
// ("team%2Fplatform" is one segment, "team/platform"), but change what the
// simulator answers elsewhere (servemux_test.go pins each difference):
//   - a literal segment matches when escaped ("spac%65s" is "spaces"),
//     where Confluence's routing is not on record and the simulator answers
//     404;
//   - a path with "//", "." or ".." segments is redirected to its
//     cleaned form, where the simulator routes it as written (to the
//     flavour's 404 unless a parameter takes the segment);
//   - a GET pattern serves HEAD, where the simulator answers 405;
//   - a wrong method gets ServeMux's own 405 with an Allow header (Cloud is
//     recorded answering its own envelope without one), unless every
//     template is registered again without a method.
//
// Working around them would take a method-less and a HEAD pattern per
// template, a catch-all for the unmatched route and a check of the path
// before routing, more code than this router, and the first difference
// would remain.
type Router struct {
	patterns []*pattern
}

type pattern struct {
	template string
	segments []string
	literals int
	methods  map[string]func(*Exchange)
}

// Match is the outcome of routing: the template (UnmatchedRoute when no path
// matched), the handler (nil when the path is known but not the method) and
// the template's parameters.
type Match struct {
	Template string
	Handle   func(*Exchange)
	Params   map[string]string
}

// PathKnown reports whether a route serves the path, with any method.
func (m Match) PathKnown() bool { return m.Template != UnmatchedRoute }

// NewRouter routes to routes.
func NewRouter(routes []Route) *Router {
	rt := &Router{}
	byTemplate := map[string]*pattern{}
	for _, r := range routes {
		p := byTemplate[r.Template]
		if p == nil {
			p = &pattern{template: r.Template, segments: strings.Split(r.Template, "/"), methods: map[string]func(*Exchange){}}
			for _, s := range p.segments {
				if !isParam(s) {
					p.literals++
				}
			}
			byTemplate[r.Template] = p
			rt.patterns = append(rt.patterns, p)
		}
		p.methods[r.Method] = r.Handle
	}
	return rt
}

// HasTemplate reports whether a template is served (with any method).
func (rt *Router) HasTemplate(template string) bool {
	for _, p := range rt.patterns {
		if p.template == template {
			return true
		}
	}
	return template == UnmatchedRoute
}

// Match routes an escaped path: segments are split at "/" before a
// parameter's segment is unescaped, so an encoded slash stays in its
// parameter.
func (rt *Router) Match(method, escapedPath string) Match {
	segments := strings.Split(escapedPath, "/")
	var best *pattern
	var bestParams map[string]string
	for _, p := range rt.patterns {
		if params, ok := p.bind(segments); ok && (best == nil || p.literals > best.literals) {
			best, bestParams = p, params
		}
	}
	if best == nil {
		return Match{Template: UnmatchedRoute}
	}
	return Match{Template: best.template, Handle: best.methods[method], Params: bestParams}
}

func (p *pattern) bind(segments []string) (map[string]string, bool) {
	if len(segments) != len(p.segments) {
		return nil, false
	}
	var params map[string]string
	for i, s := range p.segments {
		if !isParam(s) {
			if s != segments[i] {
				return nil, false
			}
			continue
		}
		v, err := url.PathUnescape(segments[i])
		if err != nil || v == "" {
			return nil, false
		}
		if params == nil {
			params = map[string]string{}
		}
		params[s[1:len(s)-1]] = v
	}
	return params, true
}

func isParam(segment string) bool {
	return strings.HasPrefix(segment, "{") && strings.HasSuffix(segment, "}")
}
