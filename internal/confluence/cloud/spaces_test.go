package cloud

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

func spaceJSONText(id int, key string) string {
	return fmt.Sprintf(`{"id":"%d","key":%q,"name":"Space %s","type":"global","status":"current","authorId":"5b10ac8d82e05b22cc7d4ef5",`+
		`"createdAt":"2024-03-01T10:15:30.000Z","homepageId":"1","_links":{"webui":"/spaces/%s"}}`, id, key, key, key)
}

func spacesPage(next string, spaces ...string) string {
	links := `{"base":"https://example.atlassian.net/wiki"}`
	if next != "" {
		links = fmt.Sprintf(`{"next":%q,"base":"https://example.atlassian.net/wiki"}`, next)
	}
	return fmt.Sprintf(`{"results":[%s],"_links":%s}`, strings.Join(spaces, ","), links)
}

func TestListSpacesSendsFiltersAndFollowsNextLinks(t *testing.T) {
	for _, prefix := range []string{"", "/ex/confluence/0a1b2c3d-cloud"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			first := url.Values{"limit": {"250"}, "type": {"global"}, "status": {"current"}, "labels": {"team,docs"}}
			next := "/wiki/api/v2/spaces?cursor=eyJpZCI6OTgzMDd9&limit=250&labels=team%2Cdocs&status=current&type=global"
			second, _ := url.ParseQuery(strings.SplitN(next, "?", 2)[1])
			b := newBackendOn(t, site{prefix: prefix},
				exchange{Method: "GET", Path: "/wiki/api/v2/spaces", Query: first,
					Answer: spacesPage(next, spaceJSONText(98306, "DOCS"), spaceJSONText(98307, "ENG"))},
				exchange{Method: "GET", Path: "/wiki/api/v2/spaces", Query: second,
					Answer: spacesPage("", spaceJSONText(98308, "OPS"))},
			)
			got, err := b.ListSpaces(context.Background(), confluence.SpaceFilter{Type: "global", Status: "current", Labels: []string{"team", "docs", "team", ""}})
			if err != nil {
				t.Fatal(err)
			}
			want := []confluence.Space{
				{ID: "98306", Key: "DOCS", Name: "Space DOCS", Type: "global", Status: "current"},
				{ID: "98307", Key: "ENG", Name: "Space ENG", Type: "global", Status: "current"},
				{ID: "98308", Key: "OPS", Name: "Space OPS", Type: "global", Status: "current"},
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("ListSpaces = %+v, want %+v", got, want)
			}
		})
	}
}

func TestListSpacesFollowsLinkHeader(t *testing.T) {
	b := newBackend(t,
		exchange{Method: "GET", Path: "/wiki/api/v2/spaces", Query: url.Values{"limit": {"250"}},
			Header: http.Header{"Link": {`</wiki/api/v2/spaces?cursor=c2&limit=250>; rel="next", <https://example.atlassian.net/wiki>; rel="base"`}},
			Answer: `{"results":[` + spaceJSONText(1, "A") + `],"_links":{"base":"https://example.atlassian.net/wiki"}}`},
		exchange{Method: "GET", Path: "/wiki/api/v2/spaces", Query: url.Values{"limit": {"250"}, "cursor": {"c2"}},
			Answer: spacesPage("", spaceJSONText(2, "B"))},
	)
	got, err := b.ListSpaces(context.Background(), confluence.SpaceFilter{})
	if err != nil || len(got) != 2 || got[1].Key != "B" {
		t.Errorf("ListSpaces = %+v, %v", got, err)
	}
}

func TestListSpacesWithKeysSendsThemJoined(t *testing.T) {
	b := newBackend(t, exchange{Method: "GET", Path: "/wiki/api/v2/spaces",
		Query:  url.Values{"limit": {"250"}, "keys": {"DOCS,ENG"}, "type": {"personal"}},
		Answer: spacesPage("", spaceJSONText(3, "DOCS"))})
	got, err := b.ListSpaces(context.Background(), confluence.SpaceFilter{Keys: []string{"DOCS", "ENG"}, Type: "personal"})
	if err != nil || len(got) != 1 {
		t.Errorf("ListSpaces = %+v, %v", got, err)
	}
}

// keysSite answers GET /wiki/api/v2/spaces?keys=... as a site that reads the
// keys parameter one way: only a comma-joined value (a repeated parameter
// is read as its first value, as a servlet's getParameter does), only
// repeated parameters (a joined value is one key), or both. It counts
// requests.
type keysSite struct {
	reads    string // "joined", "repeated" or "both"
	spaces   []string
	requests int
}

func (k *keysSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k.requests++
	values := r.URL.Query()["keys"]
	var asked []string
	switch k.reads {
	case "joined":
		if len(values) > 0 {
			asked = strings.Split(values[0], ",")
		}
	case "repeated":
		asked = values
	case "both":
		for _, v := range values {
			asked = append(asked, strings.Split(v, ",")...)
		}
	}
	var found []string
	for i, key := range k.spaces {
		for _, a := range asked {
			if a == key {
				found = append(found, spaceJSONText(100+i, key))
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, spacesPage("", found...))
}

func TestSpacesByKeyWhicheverWayTheSiteReadsKeys(t *testing.T) {
	for _, reads := range []string{"joined", "repeated", "both"} {
		t.Run(reads, func(t *testing.T) {
			site := &keysSite{reads: reads, spaces: []string{"DOCS", "ENG", "OPS", "HR"}}
			srv := httptest.NewServer(site)
			defer srv.Close()
			api, err := transport.New(transport.Config{BaseURL: srv.URL, MaxRetries: -1})
			if err != nil {
				t.Fatal(err)
			}
			b := New(api)
			for _, tt := range []struct {
				keys []string
				want []string
			}{
				{[]string{"DOCS", "ENG", "NOPE"}, []string{"DOCS", "ENG"}},
				{[]string{"OPS", "HR"}, []string{"OPS", "HR"}},
				{[]string{"NOPE", "GONE"}, nil},
				{[]string{"HR"}, []string{"HR"}},
			} {
				got, err := b.SpacesByKey(context.Background(), tt.keys)
				if err != nil {
					t.Fatal(err)
				}
				var keys []string
				for _, s := range got {
					keys = append(keys, s.Key)
				}
				if !reflect.DeepEqual(keys, tt.want) {
					t.Errorf("SpacesByKey(%v) = %v, want %v", tt.keys, keys, tt.want)
				}
			}
			// The first batch shows which form the site reads; after that
			// every batch is one request (two more when nothing matches and
			// the form is still unknown, none extra once it is known).
			want := map[string]int{"joined": 4, "repeated": 5, "both": 4}[reads]
			if site.requests != want {
				t.Errorf("%d requests, want %d", site.requests, want)
			}
		})
	}
}

func TestSpacesByKeyChunksAt250Keys(t *testing.T) {
	var keys []string
	for i := range 600 {
		keys = append(keys, fmt.Sprintf("K%03d", i))
	}
	requested := append(append([]string{""}, keys...), keys[:10]...) // blanks and repeats are dropped

	chunk := func(from, to int) url.Values {
		return url.Values{"limit": {"250"}, "keys": {strings.Join(keys[from:to], ",")}}
	}
	// Only some keys exist; the first chunk's answer spans two pages.
	b := newBackend(t,
		exchange{Method: "GET", Path: "/wiki/api/v2/spaces", Query: chunk(0, 250),
			Answer: spacesPage("/wiki/api/v2/spaces?cursor=p2&limit=250", spaceJSONText(1, "K000"))},
		exchange{Method: "GET", Path: "/wiki/api/v2/spaces", Query: url.Values{"limit": {"250"}, "cursor": {"p2"}},
			Answer: spacesPage("", spaceJSONText(2, "K249"))},
		exchange{Method: "GET", Path: "/wiki/api/v2/spaces", Query: chunk(250, 500),
			Answer: spacesPage("")},
		exchange{Method: "GET", Path: "/wiki/api/v2/spaces", Query: chunk(500, 600),
			Answer: spacesPage("", spaceJSONText(3, "K599"))},
	)
	got, err := b.SpacesByKey(context.Background(), requested)
	if err != nil {
		t.Fatal(err)
	}
	var gotKeys []string
	for _, s := range got {
		gotKeys = append(gotKeys, s.ID+"="+s.Key)
	}
	if want := []string{"1=K000", "2=K249", "3=K599"}; !reflect.DeepEqual(gotKeys, want) {
		t.Errorf("SpacesByKey = %v, want %v", gotKeys, want)
	}
}

func TestSpacesByKeyWithoutKeysSendsNothing(t *testing.T) {
	b := newBackend(t)
	for _, keys := range [][]string{nil, {}, {""}} {
		got, err := b.SpacesByKey(context.Background(), keys)
		if err != nil || len(got) != 0 {
			t.Errorf("SpacesByKey(%q) = %v, %v", keys, got, err)
		}
	}
}

func TestListSpacesReturnsAPIErrors(t *testing.T) {
	b := newBackend(t, exchange{Method: "GET", Path: "/wiki/api/v2/spaces", Query: url.Values{"limit": {"250"}},
		Status: 401, Answer: `{"errors":[{"status":401,"code":"UNAUTHORIZED","title":"Unauthorized","detail":null}]}`})
	_, err := b.ListSpaces(context.Background(), confluence.SpaceFilter{})
	if !confluence.IsUnauthorized(err) {
		t.Errorf("err = %v", err)
	}
}

// The site walk reads the whole space list a page at a time, and can stop
// between pages.
func TestSiteSpacesReadsOnePageAtATime(t *testing.T) {
	next := "/wiki/api/v2/spaces?cursor=eyJpZCI6OTgzMDd9&limit=250"
	b := newBackend(t,
		exchange{Method: "GET", Path: "/wiki/api/v2/spaces", Query: url.Values{"limit": {"250"}},
			Answer: spacesPage(next, spaceJSONText(98306, "DOCS"), spaceJSONText(98307, "ENG"))},
		exchange{Method: "GET", Path: "/wiki/api/v2/spaces", Query: url.Values{"cursor": {"eyJpZCI6OTgzMDd9"}, "limit": {"250"}},
			Answer: spacesPage("", spaceJSONText(98308, "OPS"))},
	)
	pager := b.SiteSpaces()
	ctx := context.Background()
	first, more, err := pager.Next(ctx)
	if err != nil || !more || len(first) != 2 || first[1] != (confluence.Space{ID: "98307", Key: "ENG", Name: "Space ENG", Type: "global", Status: "current"}) {
		t.Fatalf("first page = %+v, %v, %v", first, more, err)
	}
	second, more, err := pager.Next(ctx)
	if err != nil || more || len(second) != 1 || second[0].Key != "OPS" {
		t.Fatalf("second page = %+v, %v, %v", second, more, err)
	}
	if after, more, err := pager.Next(ctx); err != nil || more || len(after) != 0 {
		t.Fatalf("after the end = %+v, %v, %v", after, more, err)
	}
}
