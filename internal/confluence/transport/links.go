package transport

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// NextRequest turns a pagination link (a v2 `_links.next`, a Link header
// target, or a Data Center `_links.next`) into a GET request for Do.
//
// The joining rule. A site-relative link ("/...") is resolved against the
// BaseURL origin, and the BaseURL path prefix is put in front of it unless the
// link already starts with that prefix:
//
//	BaseURL                                          link                              request
//	https://x.atlassian.net                          /wiki/api/v2/spaces?cursor=c      https://x.atlassian.net/wiki/api/v2/spaces?cursor=c
//	https://api.atlassian.com/ex/confluence/ID       /wiki/api/v2/spaces?cursor=c      https://api.atlassian.com/ex/confluence/ID/wiki/api/v2/spaces?cursor=c
//	https://dc.example.com/confluence                /rest/api/space?start=25          https://dc.example.com/confluence/rest/api/space?start=25
//	https://dc.example.com/confluence                /confluence/rest/api/space?...    https://dc.example.com/confluence/rest/api/space?...
//
// Why: Cloud v2 links are relative to the site origin (they start with /wiki,
// while `_links.base` already ends in /wiki, so base+next doubles it), and
// behind the api.atlassian.com gateway the /ex/confluence/{cloudId} prefix
// must be kept or the gateway answers 404
// (contributing/confluence-api.md#cursor-paging). Data Center links are
// documented as relative to `_links.base`, which includes the context path
// (developer.atlassian.com "Pagination in the REST API"), but are sometimes
// described as already carrying it; the "unless it already starts with the
// prefix" clause makes both forms work, and no Confluence API path begins with
// a context path or with /ex/.
//
// An absolute link is followed only if it names the BaseURL's own scheme,
// host and port, so that credentials never go to another host and never
// over plain HTTP when the site uses HTTPS; its path is used as given.
// The query is kept byte for byte, because cursors are opaque.
func (c *API) NextRequest(link string) (Request, error) {
	link = strings.TrimSpace(link)
	u, err := url.Parse(link)
	if err != nil || link == "" {
		return Request{}, fmt.Errorf("Confluence returned a next-page link that is not a URL: %q", link)
	}
	target := &url.URL{Scheme: c.base.Scheme, Host: c.base.Host, RawQuery: u.RawQuery}
	switch {
	case u.Scheme != "" || u.Host != "":
		if !c.sameOrigin(u) {
			return Request{}, fmt.Errorf("refusing to follow a next-page link to %s://%s: it is not the configured Confluence site %s",
				u.Scheme, u.Host, c.origin())
		}
		err = setEscapedPath(target, u.EscapedPath())
	case strings.HasPrefix(u.Path, "/"):
		err = setEscapedPath(target, c.joinLinkPath(u.EscapedPath()))
	default:
		return Request{}, fmt.Errorf("Confluence returned a next-page link that is neither absolute nor site-relative: %q", link)
	}
	if err != nil {
		return Request{}, err
	}
	return Request{Method: http.MethodGet, link: target}, nil
}

// joinLinkPath applies the joining rule to an escaped site-relative path.
func (c *API) joinLinkPath(path string) string {
	if _, hasPrefix := cutPathPrefix(path, c.prefix); hasPrefix {
		return path
	}
	return c.prefix + path
}

func setEscapedPath(u *url.URL, escaped string) error {
	path, err := url.PathUnescape(escaped)
	if err != nil {
		return fmt.Errorf("Confluence returned a next-page link with an invalid path: %w", err)
	}
	u.Path, u.RawPath = path, escaped
	return nil
}

func (c *API) sameOrigin(u *url.URL) bool {
	return strings.EqualFold(u.Scheme, c.base.Scheme) &&
		strings.EqualFold(u.Hostname(), c.base.Hostname()) &&
		effectivePort(u) == effectivePort(c.base)
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "http") {
		return "80"
	}
	return "443"
}

// nextFromLinkHeader returns the target of the rel="next" entry of RFC 8288
// Link headers, which Cloud v2 list operations send besides `_links.next`:
//
//	Link: </wiki/api/v2/spaces?cursor=...>; rel="next", <https://x.atlassian.net/wiki>; rel="base"
func nextFromLinkHeader(h http.Header) string {
	for _, value := range h.Values("Link") {
		rest := value
		for {
			open := strings.IndexByte(rest, '<')
			if open < 0 {
				break
			}
			end := strings.IndexByte(rest[open:], '>')
			if end < 0 {
				break
			}
			target := rest[open+1 : open+end]
			params, after := cutLinkParams(rest[open+end+1:])
			if linkRelIncludes(params, "next") {
				return strings.TrimSpace(target)
			}
			rest = after
		}
	}
	return ""
}

// cutLinkParams splits the parameters of one link-value from the rest of the
// header at the first comma outside a quoted string.
func cutLinkParams(s string) (params, rest string) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if quoted {
				i++
			}
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				return s[:i], s[i+1:]
			}
		}
	}
	return s, ""
}

// linkRelIncludes reports whether a rel parameter lists the relation type
// (rel may list several, separated by spaces; names are case-insensitive).
func linkRelIncludes(params, relation string) bool {
	for _, param := range strings.Split(params, ";") {
		name, value, ok := strings.Cut(param, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "rel") {
			continue
		}
		for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(value), `"`)) {
			if strings.EqualFold(rel, relation) {
				return true
			}
		}
	}
	return false
}
