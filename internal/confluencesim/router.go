package confluencesim

import (
	"net/http"
	"net/url"
	"strings"
)

// UnmatchedRoute stands in for the route template of requests to paths the
// simulator does not serve, in request counts and fault rules.
const UnmatchedRoute = "(unmatched)"

// route is one operation a flavour serves. The template is the OpenAPI path
// (v1 paths as written in the spec, v2 paths with /wiki/api/v2 in front), so
// request counts read like the spec.
type route struct {
	method   string
	template string
	handle   func(*exchange)
}

// exchange is one authenticated request being served.
type exchange struct {
	w      http.ResponseWriter
	r      *http.Request
	params map[string]string
	caller *caller
	// origin is scheme://host as the client reached the simulator.
	origin string
}

func (x *exchange) param(name string) string { return x.params[name] }

// router matches paths against route templates. Literal segments win over
// {parameters}, as in every REST framework.
type router struct {
	patterns []*pattern
}

type pattern struct {
	template string
	segments []string
	literals int
	methods  map[string]func(*exchange)
}

// match is the outcome of routing: the template (UnmatchedRoute when no path
// matched), the handler (nil when the path is known but not the method).
type match struct {
	template string
	handle   func(*exchange)
	params   map[string]string
}

func (m match) pathKnown() bool { return m.template != UnmatchedRoute }

func newRouter(routes []route) *router {
	rt := &router{}
	byTemplate := map[string]*pattern{}
	for _, r := range routes {
		p := byTemplate[r.template]
		if p == nil {
			p = &pattern{template: r.template, segments: strings.Split(r.template, "/"), methods: map[string]func(*exchange){}}
			for _, s := range p.segments {
				if !isParam(s) {
					p.literals++
				}
			}
			byTemplate[r.template] = p
			rt.patterns = append(rt.patterns, p)
		}
		p.methods[r.method] = r.handle
	}
	return rt
}

// hasTemplate reports whether a template is served (with any method).
func (rt *router) hasTemplate(template string) bool {
	for _, p := range rt.patterns {
		if p.template == template {
			return true
		}
	}
	return template == UnmatchedRoute
}

// match routes an escaped path.
func (rt *router) match(method, escapedPath string) match {
	segments := strings.Split(escapedPath, "/")
	var best *pattern
	var bestParams map[string]string
	for _, p := range rt.patterns {
		if params, ok := p.bind(segments); ok && (best == nil || p.literals > best.literals) {
			best, bestParams = p, params
		}
	}
	if best == nil {
		return match{template: UnmatchedRoute}
	}
	return match{template: best.template, handle: best.methods[method], params: bestParams}
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
