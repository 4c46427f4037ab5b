package transport

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// maxPages stops a list that never ends (a server that keeps answering with
// new cursors, or ignores start): no space has 10,000 pages of anything.
const maxPages = 10000

// page is the part of a list envelope that paging needs; Cloud v2, Cloud v1
// and Data Center all name it so.
type page[T any] struct {
	Results []T `json:"results"`
	Links   struct {
		Next string `json:"next"`
	} `json:"_links"`
}

// ListCursor reads every page of a cursor-paged list (Cloud v2): it GETs path
// with query, then follows `_links.next`, or the Link header's rel="next"
// when the body has none, until there is no next link. Links are joined as
// NextRequest documents.
func ListCursor[T any](ctx context.Context, c *API, path string, query url.Values) ([]T, error) {
	var all []T
	req := Request{Path: path, Query: query}
	seen := map[string]bool{}
	for range maxPages {
		res, err := c.Do(ctx, req)
		if err != nil {
			return nil, err
		}
		var p page[T]
		if err := res.DecodeJSON(&p); err != nil {
			return nil, err
		}
		all = append(all, p.Results...)
		next := p.Links.Next
		if next == "" {
			next = nextFromLinkHeader(res.Header)
		}
		if next == "" {
			return all, nil
		}
		if seen[next] {
			return nil, fmt.Errorf("Confluence returned the same next-page link twice while listing %s", res.Path)
		}
		seen[next] = true
		if req, err = c.NextRequest(next); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("listing %s did not end after %d pages", path, maxPages)
}

// ListOffset reads every page of a start/limit-paged list (Data Center REST,
// Cloud v1). It advances start by the number of results actually returned, not
// by limit, because servers cap limit silently
// (contributing/confluence-api.md#data-center-spaces-and-paging), and stops on
// an empty page, or when a page without `_links.next` is shorter than limit.
// It does not follow `_links.next` itself: those links are relative to
// `_links.base`, and recomputing start is simpler and safer.
func ListOffset[T any](ctx context.Context, c *API, path string, query url.Values, limit int) ([]T, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("listing %s: limit must be positive, got %d", path, limit)
	}
	var all []T
	start := 0
	for range maxPages {
		q := cloneValues(query)
		q.Set("start", strconv.Itoa(start))
		q.Set("limit", strconv.Itoa(limit))
		var p page[T]
		if err := c.GetJSON(ctx, path, q, &p); err != nil {
			return nil, err
		}
		n := len(p.Results)
		if n == 0 {
			return all, nil
		}
		all = append(all, p.Results...)
		start += n
		if p.Links.Next == "" && n < limit {
			return all, nil
		}
	}
	return nil, fmt.Errorf("listing %s did not end after %d pages", path, maxPages)
}

func cloneValues(v url.Values) url.Values {
	c := make(url.Values, len(v)+2)
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}
