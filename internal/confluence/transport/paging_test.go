package transport

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
)

type item struct {
	N int `json:"n"`
}

// cursorServer serves `total` items in pages of `size` at listPath under
// prefix. nextLink renders the next link for a cursor; header puts it in a
// Link header instead of the body.
type cursorServer struct {
	prefix, listPath string
	total, size      int
	nextLink         func(prefix, cursor string) string
	header           bool

	mu       sync.Mutex
	requests []string
}

func (s *cursorServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.URL.RequestURI())
	s.mu.Unlock()
	if r.URL.Path != s.prefix+s.listPath {
		writeJSON(w, http.StatusNotFound, `{"errors":[{"code":"NOT_FOUND","title":"Not Found"}]}`)
		return
	}
	from, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
	var results []string
	for i := from; i < min(from+s.size, s.total); i++ {
		results = append(results, fmt.Sprintf(`{"n":%d}`, i))
	}
	links := `{"base":"https://ignored.example/wiki"}`
	if next := from + s.size; next < s.total {
		link := s.nextLink(s.prefix, strconv.Itoa(next))
		if s.header {
			w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next", <https://ignored.example/wiki>; rel="base"`, link))
		} else {
			links = fmt.Sprintf(`{"next":%q,"base":"https://ignored.example/wiki"}`, link)
		}
	}
	writeJSON(w, http.StatusOK, fmt.Sprintf(`{"results":[%s],"_links":%s}`, strings.Join(results, ","), links))
}

func wantItems(t *testing.T, got []item, total int) {
	t.Helper()
	if len(got) != total {
		t.Fatalf("%d items, want %d", len(got), total)
	}
	for i, it := range got {
		if it.N != i {
			t.Fatalf("item %d is %d", i, it.N)
		}
	}
}

func TestListCursorFollowsNextLinks(t *testing.T) {
	siteRelative := func(_, cursor string) string {
		return "/wiki/api/v2/spaces/98306/permissions?cursor=" + cursor + "&limit=2"
	}
	withContext := func(prefix, cursor string) string { return prefix + "/rest/api/space?cursor=" + cursor }
	tests := []struct {
		name   string
		server *cursorServer
	}{
		{"plain site", &cursorServer{listPath: "/wiki/api/v2/spaces/98306/permissions", nextLink: siteRelative}},
		{"gateway prefix", &cursorServer{prefix: "/ex/confluence/cloud-1", listPath: "/wiki/api/v2/spaces/98306/permissions", nextLink: siteRelative}},
		{"data center context, links relative to base", &cursorServer{prefix: "/confluence", listPath: "/rest/api/space",
			nextLink: func(_, cursor string) string { return "/rest/api/space?cursor=" + cursor }}},
		{"data center context, links carrying it", &cursorServer{prefix: "/confluence", listPath: "/rest/api/space", nextLink: withContext}},
		{"Link header only", &cursorServer{listPath: "/wiki/api/v2/spaces/98306/permissions", nextLink: siteRelative, header: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.server
			s.total, s.size = 5, 2
			c, _ := testServer(t, s.ServeHTTP, withPrefix(s.prefix+"/"))
			got, err := ListCursor[item](context.Background(), c, s.listPath, url.Values{"limit": {"2"}})
			if err != nil {
				t.Fatalf("ListCursor: %v (requests %v)", err, s.requests)
			}
			wantItems(t, got, 5)
			if len(s.requests) != 3 || s.requests[0] != s.prefix+s.listPath+"?limit=2" {
				t.Errorf("requests = %v", s.requests)
			}
		})
	}
}

func TestListCursorStopsOnRepeatedOrForeignLinks(t *testing.T) {
	for link, want := range map[string]string{
		"/wiki/api/v2/spaces?cursor=same":           "same next-page link twice",
		"https://evil.example.com/wiki/api/v2/x?c=": "refusing to follow",
	} {
		c, _ := testServer(t, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, fmt.Sprintf(`{"results":[{"n":1}],"_links":{"next":%q}}`, link))
		})
		_, err := ListCursor[item](context.Background(), c, "/wiki/api/v2/spaces", nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("next %q: err = %v, want %q", link, err, want)
		}
	}
}

func TestListCursorReturnsPageErrors(t *testing.T) {
	s := &cursorServer{listPath: "/wiki/api/v2/spaces", total: 5, size: 2,
		nextLink: func(_, cursor string) string { return "/wiki/api/v2/elsewhere?cursor=" + cursor }}
	c, _ := testServer(t, s.ServeHTTP)
	if _, err := ListCursor[item](context.Background(), c, s.listPath, nil); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("err = %v, want the 404 of the second page", err)
	}
}

// cappingServer serves `total` items with start/limit paging but never
// returns more than `max` per page, whatever limit asks for, like Data
// Center does (contributing/confluence-api.md#data-center-spaces-and-paging).
type cappingServer struct {
	total, max int
	withNext   bool
	mu         sync.Mutex
	starts     []string
}

func (s *cappingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("expand") != "status" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.starts = append(s.starts, q.Get("start")+"/"+q.Get("limit"))
	s.mu.Unlock()
	start, _ := strconv.Atoi(q.Get("start"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	limit = min(limit, s.max)
	var results []string
	for i := start; i < min(start+limit, s.total); i++ {
		results = append(results, fmt.Sprintf(`{"n":%d}`, i))
	}
	links := `{}`
	if s.withNext && start+limit < s.total {
		links = fmt.Sprintf(`{"next":"/rest/api/group?limit=%d&start=%d"}`, limit, start+limit)
	}
	writeJSON(w, http.StatusOK, fmt.Sprintf(`{"results":[%s],"start":%d,"limit":%d,"size":%d,"_links":%s}`,
		strings.Join(results, ","), start, limit, len(results), links))
}

func TestListOffsetAdvancesByWhatWasReturned(t *testing.T) {
	tests := []struct {
		name       string
		server     *cappingServer
		wantStarts []string
	}{
		{"server caps limit", &cappingServer{total: 23, max: 5, withNext: true},
			[]string{"0/10", "5/10", "10/10", "15/10", "20/10"}},
		{"full pages without next links end on an empty page", &cappingServer{total: 20, max: 10},
			[]string{"0/10", "10/10", "20/10"}},
		{"short last page without next link ends the list", &cappingServer{total: 13, max: 10},
			[]string{"0/10", "10/10"}},
		{"empty list", &cappingServer{total: 0, max: 10}, []string{"0/10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := testServer(t, tt.server.ServeHTTP, withPrefix("/confluence"))
			query := url.Values{"expand": {"status"}}
			got, err := ListOffset[item](context.Background(), c, "/rest/api/group", query, 10)
			if err != nil {
				t.Fatal(err)
			}
			wantItems(t, got, tt.server.total)
			if fmt.Sprint(tt.server.starts) != fmt.Sprint(tt.wantStarts) {
				t.Errorf("start/limit requested = %v, want %v", tt.server.starts, tt.wantStarts)
			}
			if len(query) != 1 {
				t.Errorf("the caller's query was modified: %v", query)
			}
		})
	}
}

func TestListOffsetRejectsNonPositiveLimit(t *testing.T) {
	c, _ := New(Config{BaseURL: "https://dc.example.com"})
	if _, err := ListOffset[item](context.Background(), c, "/rest/api/space", nil, 0); err == nil {
		t.Error("limit 0 accepted")
	}
}
