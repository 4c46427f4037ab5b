package route

import (
	"maps"
	"net/http"
	"slices"
	"testing"
)

func handlerNamed(name string, called *string) func(*Exchange) {
	return func(*Exchange) { *called = name }
}

// Of the templates that match, the one with the most literal segments wins,
// whatever order the routes come in; parameters are unescaped after the
// path is split, so an encoded slash stays in its parameter.
func TestRouterPrecedenceAndParameters(t *testing.T) {
	var called string
	routes := []Route{
		{http.MethodGet, "/a/{x}", handlerNamed("a/{x}", &called)},
		{http.MethodGet, "/a/b", handlerNamed("a/b", &called)},
		{http.MethodGet, "/{p}/b/c", handlerNamed("{p}/b/c", &called)},
		{http.MethodGet, "/x/{q}/{r}", handlerNamed("x/{q}/{r}", &called)},
		{http.MethodPut, "/rest/api/space/{spaceKey}/permissions/group/{groupName}/grant", handlerNamed("group grant", &called)},
		{http.MethodPut, "/rest/api/space/{spaceKey}/permissions/anonymous/grant", handlerNamed("anonymous grant", &called)},
	}
	backwards := slices.Clone(routes)
	slices.Reverse(backwards)
	for _, order := range [][]Route{routes, backwards} {
		rt := NewRouter(order)
		for _, tc := range []struct {
			method, path, template, handler string
			params                          map[string]string
		}{
			{"GET", "/a/b", "/a/b", "a/b", nil},
			{"GET", "/a/c", "/a/{x}", "a/{x}", map[string]string{"x": "c"}},
			{"GET", "/a/%62", "/a/{x}", "a/{x}", map[string]string{"x": "b"}}, // literals match as written
			{"GET", "/x/b/c", "/{p}/b/c", "{p}/b/c", map[string]string{"p": "x"}},
			{"GET", "/x/y/c", "/x/{q}/{r}", "x/{q}/{r}", map[string]string{"q": "y", "r": "c"}},
			{"PUT", "/rest/api/space/HR/permissions/group/team%2Fplatform/grant", "/rest/api/space/{spaceKey}/permissions/group/{groupName}/grant", "group grant",
				map[string]string{"spaceKey": "HR", "groupName": "team/platform"}},
			{"PUT", "/rest/api/space/HR/permissions/group/anonymous/grant", "/rest/api/space/{spaceKey}/permissions/group/{groupName}/grant", "group grant",
				map[string]string{"spaceKey": "HR", "groupName": "anonymous"}},
			{"PUT", "/rest/api/space/HR/permissions/anonymous/grant", "/rest/api/space/{spaceKey}/permissions/anonymous/grant", "anonymous grant",
				map[string]string{"spaceKey": "HR"}},
			{"POST", "/a/b", "/a/b", "", nil}, // a known path with an unserved method
			{"GET", "/rest/api/space/HR/permissions/group/team/platform/grant", UnmatchedRoute, "", nil},
			{"GET", "/a/", UnmatchedRoute, "", nil},    // parameters are never empty
			{"GET", "/a/%zz", UnmatchedRoute, "", nil}, // nor badly escaped
			{"GET", "//a/b", UnmatchedRoute, "", nil},
			{"GET", "/a/b/", UnmatchedRoute, "", nil},
		} {
			called = ""
			m := rt.Match(tc.method, tc.path)
			if m.Handle != nil {
				m.Handle(&Exchange{})
			}
			if m.Template != tc.template || called != tc.handler || !maps.Equal(m.Params, tc.params) {
				t.Errorf("%s %s: template %q, handler %q, params %v; want %q, %q, %v", tc.method, tc.path, m.Template, called, m.Params, tc.template, tc.handler, tc.params)
			}
			if m.PathKnown() != (tc.template != UnmatchedRoute) {
				t.Errorf("%s %s: PathKnown %v", tc.method, tc.path, m.PathKnown())
			}
		}
		if !rt.HasTemplate("/a/{x}") || !rt.HasTemplate(UnmatchedRoute) || rt.HasTemplate("/a/{y}") {
			t.Error("HasTemplate")
		}
	}
}
