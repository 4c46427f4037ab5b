package cloud

import (
	"context"
	"net/url"
	"strconv"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

const spacesPath = "/wiki/api/v2/spaces"

// maxKeysPerRequest is the most keys the v2 spaces filter takes (§3.1).
const maxKeysPerRequest = 250

// spaceJSON is the part of v2 SpaceBulk the provider uses (§3.1).
type spaceJSON struct {
	ID     jsonID `json:"id"`
	Key    string `json:"key"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Status string `json:"status"`
}

func (s spaceJSON) space() confluence.Space {
	return confluence.Space{ID: string(s.ID), Key: s.Key, Name: s.Name, Type: s.Type, Status: s.Status}
}

// ListSpaces returns the spaces the caller can see that match the filter.
// A Keys filter with more than 250 keys is split into several requests.
func (b *Backend) ListSpaces(ctx context.Context, f confluence.SpaceFilter) ([]confluence.Space, error) {
	if len(f.Keys) == 0 {
		return b.listSpaces(ctx, spacesQuery(f, nil))
	}
	return confluence.SpacesByKeyInChunks(ctx, f.Keys, maxKeysPerRequest, func(ctx context.Context, keys []string) ([]confluence.Space, error) {
		return b.listSpaces(ctx, spacesQuery(f, keys))
	})
}

// SpacesByKey returns the spaces with these keys, 250 keys per request.
// Unknown keys, and spaces the caller cannot see, are simply absent: the v2
// filter answers them with no result rather than an error (§3.1).
func (b *Backend) SpacesByKey(ctx context.Context, keys []string) ([]confluence.Space, error) {
	return confluence.SpacesByKeyInChunks(ctx, keys, maxKeysPerRequest, func(ctx context.Context, keys []string) ([]confluence.Space, error) {
		return b.listSpaces(ctx, spacesQuery(confluence.SpaceFilter{}, keys))
	})
}

func (b *Backend) listSpaces(ctx context.Context, query url.Values) ([]confluence.Space, error) {
	rows, err := transport.ListCursor[spaceJSON](ctx, b.api, spacesPath, query)
	if err != nil {
		return nil, err
	}
	spaces := make([]confluence.Space, len(rows))
	for i, row := range rows {
		spaces[i] = row.space()
	}
	return spaces, nil
}

// spacesQuery builds the v2 spaces query. The spec declares keys and labels
// as arrays with no style, so OpenAPI's default applies (style form, explode
// true): one keys=... pair per key, not a comma-separated value.
func spacesQuery(f confluence.SpaceFilter, keys []string) url.Values {
	q := url.Values{"limit": {strconv.Itoa(pageLimit)}}
	if len(keys) > 0 {
		q["keys"] = keys
	}
	if f.Type != "" {
		q.Set("type", f.Type)
	}
	if f.Status != "" {
		q.Set("status", f.Status)
	}
	if labels := confluence.UniqueNonEmpty(f.Labels); len(labels) > 0 {
		q["labels"] = labels
	}
	return q
}
