package datacenter

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

const spacesPath = "/rest/api/space"

// spacePath is the resource of one space
// (contributing/confluence-api.md#data-center-spaces-and-paging).
func spacePath(key string) string { return spacesPath + "/" + url.PathEscape(key) }

// errNoSpaceKey guards against building a path for a space without a key.
var errNoSpaceKey = errors.New("the space has no key")

// spacePageLimit is asked for explicitly because the default differs between
// versions (contributing/confluence-api.md#data-center-spaces-and-paging); the
// server may cap it, which ListOffset copes with.
const spacePageLimit = 100

// maxKeysPerRequest bounds the spaceKey parameters of one request. The API
// sets no documented maximum; this keeps the request line well below the
// 8 KiB that Tomcat accepts by default, even for long personal space keys.
const maxKeysPerRequest = 100

// spaceJSON is the part of a Data Center space the provider uses. The
// id is a number; json.Number also accepts it quoted.
type spaceJSON struct {
	ID     json.Number `json:"id"`
	Key    string      `json:"key"`
	Name   string      `json:"name"`
	Type   string      `json:"type"`
	Status string      `json:"status"`
}

func (s spaceJSON) Space() confluence.Space {
	return confluence.Space{ID: s.ID.String(), Key: s.Key, Name: s.Name, Type: s.Type, Status: s.Status}
}

// ListSpaces returns the spaces the caller can see that match the filter,
// every page of them
// (contributing/confluence-api.md#data-center-spaces-and-paging). A Keys
// filter is split into several requests.
func (s *directory) ListSpaces(ctx context.Context, f confluence.SpaceFilter) ([]confluence.Space, error) {
	if len(f.Keys) == 0 {
		return s.listSpaces(ctx, spacesQuery(f, nil))
	}
	return confluence.SpacesByKeyInChunks(ctx, f.Keys, maxKeysPerRequest, func(ctx context.Context, keys []string) ([]confluence.Space, error) {
		return s.listSpaces(ctx, spacesQuery(f, keys))
	})
}

// SpacesByKey returns the spaces with these keys. Keys that no visible
// space has are simply absent from the answer.
func (s *directory) SpacesByKey(ctx context.Context, keys []string) ([]confluence.Space, error) {
	return confluence.SpacesByKeyInChunks(ctx, keys, maxKeysPerRequest, func(ctx context.Context, keys []string) ([]confluence.Space, error) {
		return s.listSpaces(ctx, spacesQuery(confluence.SpaceFilter{}, keys))
	})
}

// SiteSpaces lists every space the caller can see, a page at a time.
func (s *directory) SiteSpaces() confluence.SpacePager {
	return transport.MapPager(transport.NewOffsetPager[spaceJSON](s.api, spacesPath, url.Values{}, spacePageLimit), spaceJSON.Space)
}

func (s *directory) listSpaces(ctx context.Context, query url.Values) ([]confluence.Space, error) {
	rows, err := transport.ListOffset[spaceJSON](ctx, s.api, spacesPath, query, spacePageLimit)
	if err != nil {
		return nil, err
	}
	return confluence.SpacesOf(rows), nil
}

// spacesQuery builds the query of GET /rest/api/space
// (contributing/confluence-api.md#data-center-spaces-and-paging): spaceKey is
// repeatable. Sending label once per label is UNVERIFIED: the sources list
// the parameter but not whether it repeats.
func spacesQuery(f confluence.SpaceFilter, keys []string) url.Values {
	q := url.Values{}
	if len(keys) > 0 {
		q["spaceKey"] = keys
	}
	if f.Type != "" {
		q.Set("type", f.Type)
	}
	if f.Status != "" {
		q.Set("status", f.Status)
	}
	if labels := confluence.UniqueNonEmpty(f.Labels); len(labels) > 0 {
		q["label"] = labels
	}
	return q
}
