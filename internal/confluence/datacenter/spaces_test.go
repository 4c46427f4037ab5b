package datacenter

import (
	"context"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
)

func spaceText(id int, key string) string {
	return fmt.Sprintf(`{"id":%d,"key":%q,"name":"Space %s","type":"global","status":"current","_links":{"self":"x"},"_expandable":{"description":""}}`, id, key, key)
}

func spacePage(start, limit int, next bool, spaces ...string) string {
	links := `{"base":"https://dc.example.com/confluence","context":"/confluence"}`
	if next {
		links = fmt.Sprintf(`{"base":"https://dc.example.com/confluence","context":"/confluence","next":"/rest/api/space?limit=%d&start=%d"}`, limit, start+len(spaces))
	}
	return fmt.Sprintf(`{"results":[%s],"start":%d,"limit":%d,"size":%d,"_links":%s}`, strings.Join(spaces, ","), start, limit, len(spaces), links)
}

func TestListSpacesFiltersAndAdvancesByWhatWasReturned(t *testing.T) {
	// The server caps limit at 2 whatever is asked
	// (contributing/confluence-api.md#data-center-spaces-and-paging): start
	// must advance by 2, not by 100.
	q := func(start string) url.Values {
		return url.Values{"type": {"global"}, "status": {"current"}, "label": {"docs", "team"}, "start": {start}, "limit": {"100"}}
	}
	b := newREST(t,
		exchange{Method: "GET", Path: "/rest/api/space", Query: q("0"), Answer: spacePage(0, 2, true, spaceText(1, "A"), spaceText(2, "B"))},
		exchange{Method: "GET", Path: "/rest/api/space", Query: q("2"), Answer: spacePage(2, 2, false, spaceText(3, "C"))},
	)
	got, err := b.ListSpaces(context.Background(), confluence.SpaceFilter{Type: "global", Status: "current", Labels: []string{"docs", "team", "docs", ""}})
	if err != nil {
		t.Fatal(err)
	}
	want := []confluence.Space{
		{ID: "1", Key: "A", Name: "Space A", Type: "global", Status: "current"},
		{ID: "2", Key: "B", Name: "Space B", Type: "global", Status: "current"},
		{ID: "3", Key: "C", Name: "Space C", Type: "global", Status: "current"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListSpaces =\n%+v\nwant\n%+v", got, want)
	}
}

func TestSpacesByKeyRepeatsSpaceKeyInChunks(t *testing.T) {
	keys := make([]string, 0, 150)
	for i := range 150 {
		keys = append(keys, fmt.Sprintf("K%03d", i))
	}
	keys = append(keys, "", "K000") // blanks and repeats are dropped
	b := newREST(t,
		exchange{Method: "GET", Path: "/rest/api/space",
			Query:  url.Values{"spaceKey": keys[:100], "start": {"0"}, "limit": {"100"}},
			Answer: spacePage(0, 100, false, spaceText(7, "K007"))},
		exchange{Method: "GET", Path: "/rest/api/space",
			Query:  url.Values{"spaceKey": keys[100:150], "start": {"0"}, "limit": {"100"}},
			Answer: spacePage(0, 100, false, `{"id":"149","key":"K149","name":"n","type":"personal","status":"archived"}`)},
	)
	got, err := b.SpacesByKey(context.Background(), keys)
	if err != nil {
		t.Fatal(err)
	}
	want := []confluence.Space{
		{ID: "7", Key: "K007", Name: "Space K007", Type: "global", Status: "current"},
		{ID: "149", Key: "K149", Name: "n", Type: "personal", Status: "archived"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SpacesByKey = %+v, want %+v", got, want)
	}
}

func TestSpacesByKeyWithoutKeysSendsNothing(t *testing.T) {
	b := newRPC(t)
	if got, err := b.SpacesByKey(context.Background(), []string{"", ""}); err != nil || len(got) != 0 {
		t.Errorf("SpacesByKey = %v, %v", got, err)
	}
}

func TestListSpacesReportsErrors(t *testing.T) {
	b := newREST(t, exchange{Method: "GET", Path: "/rest/api/space", Query: url.Values{"start": {"0"}, "limit": {"100"}},
		Status: 401, ContentType: "application/xml",
		Answer: `<status><status-code>401</status-code><message>Client must be authenticated to access this resource.</message></status>`})
	_, err := b.ListSpaces(context.Background(), confluence.SpaceFilter{})
	if !confluence.IsUnauthorized(err) || !strings.Contains(err.Error(), "Client must be authenticated") {
		t.Errorf("err = %v", err)
	}
}

// The site walk reads the space list a page at a time, advancing by what
// each page returned.
func TestSiteSpacesReadsOnePageAtATime(t *testing.T) {
	q := func(start string) url.Values { return url.Values{"start": {start}, "limit": {"100"}} }
	b := newREST(t,
		exchange{Method: "GET", Path: "/rest/api/space", Query: q("0"), Answer: spacePage(0, 2, true, spaceText(1, "A"), spaceText(2, "B"))},
		exchange{Method: "GET", Path: "/rest/api/space", Query: q("2"), Answer: spacePage(2, 2, false, spaceText(3, "C"))},
	)
	pager := b.SiteSpaces()
	ctx := context.Background()
	first, more, err := pager.Next(ctx)
	if err != nil || !more || len(first) != 2 || first[0] != (confluence.Space{ID: "1", Key: "A", Name: "Space A", Type: "global", Status: "current"}) {
		t.Fatalf("first page = %+v, %v, %v", first, more, err)
	}
	second, more, err := pager.Next(ctx)
	if err != nil || more || len(second) != 1 || second[0].Key != "C" {
		t.Fatalf("second page = %+v, %v, %v", second, more, err)
	}
}
