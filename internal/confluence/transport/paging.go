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

// CursorPager reads a cursor-paged list (Cloud v2) one page at a time: the
// first page is path with query, and each next one follows `_links.next`, or
// the Link header's rel="next" when the body has none, joined as
// NextRequest documents. It lets a caller stop early and carry on later.
type CursorPager[T any] struct {
	api   *API
	req   Request
	seen  map[string]bool
	pages int
	done  bool
}

// NewCursorPager starts a cursor-paged list at path with query.
func NewCursorPager[T any](c *API, path string, query url.Values) *CursorPager[T] {
	return &CursorPager[T]{api: c, req: Request{Path: path, Query: query}, seen: map[string]bool{}}
}

// Next reads the next page. more is false once the list has ended; a failed
// read may be tried again.
func (p *CursorPager[T]) Next(ctx context.Context) (results []T, more bool, err error) {
	if p.done {
		return nil, false, nil
	}
	if p.pages >= maxPages {
		return nil, false, fmt.Errorf("listing %s did not end after %d pages", p.req.Path, maxPages)
	}
	res, err := p.api.Do(ctx, p.req)
	if err != nil {
		return nil, true, err
	}
	var pg page[T]
	if err := res.DecodeJSON(&pg); err != nil {
		return nil, true, err
	}
	p.pages++
	next := pg.Links.Next
	if next == "" {
		next = nextFromLinkHeader(res.Header)
	}
	if next == "" {
		p.done = true
		return pg.Results, false, nil
	}
	if p.seen[next] {
		return nil, false, fmt.Errorf("Confluence returned the same next-page link twice while listing %s", res.Path)
	}
	p.seen[next] = true
	if p.req, err = p.api.NextRequest(next); err != nil {
		return nil, false, err
	}
	return pg.Results, true, nil
}

// ListCursor reads every page of a cursor-paged list (see CursorPager).
func ListCursor[T any](ctx context.Context, c *API, path string, query url.Values) ([]T, error) {
	return readAll(ctx, NewCursorPager[T](c, path, query))
}

// OffsetPager reads a start/limit-paged list (Data Center REST, Cloud v1)
// one page at a time. It advances start by the number of results actually
// returned, not by limit, because servers cap limit silently
// (contributing/confluence-api.md#data-center-spaces-and-paging), and ends
// on an empty page, or when a page without `_links.next` is shorter than
// limit. It does not follow `_links.next` itself: those links are relative
// to `_links.base`, and recomputing start is simpler and safer.
type OffsetPager[T any] struct {
	api   *API
	path  string
	query url.Values
	limit int
	start int
	pages int
	done  bool
}

// NewOffsetPager starts a start/limit-paged list at path with query.
func NewOffsetPager[T any](c *API, path string, query url.Values, limit int) *OffsetPager[T] {
	return &OffsetPager[T]{api: c, path: path, query: query, limit: limit}
}

// Next reads the next page; see CursorPager.Next.
func (p *OffsetPager[T]) Next(ctx context.Context) (results []T, more bool, err error) {
	switch {
	case p.done:
		return nil, false, nil
	case p.limit <= 0:
		return nil, false, fmt.Errorf("listing %s: limit must be positive, got %d", p.path, p.limit)
	case p.pages >= maxPages:
		return nil, false, fmt.Errorf("listing %s did not end after %d pages", p.path, maxPages)
	}
	q := cloneValues(p.query)
	q.Set("start", strconv.Itoa(p.start))
	q.Set("limit", strconv.Itoa(p.limit))
	var pg page[T]
	if err := p.api.GetJSON(ctx, p.path, q, &pg); err != nil {
		return nil, true, err
	}
	p.pages++
	n := len(pg.Results)
	p.start += n
	p.done = n == 0 || (pg.Links.Next == "" && n < p.limit)
	return pg.Results, !p.done, nil
}

// ListOffset reads every page of a start/limit-paged list (see OffsetPager).
func ListOffset[T any](ctx context.Context, c *API, path string, query url.Values, limit int) ([]T, error) {
	return readAll(ctx, NewOffsetPager[T](c, path, query, limit))
}

// Pager is a list read one page at a time.
type Pager[T any] interface {
	Next(ctx context.Context) (results []T, more bool, err error)
}

// MapPager turns a pager of T into a pager of U.
func MapPager[T, U any](p Pager[T], f func(T) U) Pager[U] { return mappedPager[T, U]{p, f} }

type mappedPager[T, U any] struct {
	p Pager[T]
	f func(T) U
}

func (m mappedPager[T, U]) Next(ctx context.Context) ([]U, bool, error) {
	results, more, err := m.p.Next(ctx)
	out := make([]U, len(results))
	for i, r := range results {
		out[i] = m.f(r)
	}
	return out, more, err
}

func readAll[T any](ctx context.Context, p Pager[T]) ([]T, error) {
	var all []T
	for {
		results, more, err := p.Next(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, results...)
		if !more {
			return all, nil
		}
	}
}

func cloneValues(v url.Values) url.Values {
	c := make(url.Values, len(v)+2)
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}
