package cloud

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

const spacesPath = "/wiki/api/v2/spaces"

// maxKeysPerRequest is the most keys the v2 spaces filter takes
// (contributing/confluence-api.md#spaces-and-key-lookups).
const maxKeysPerRequest = 250

// spaceJSON is the part of v2 SpaceBulk the provider uses
// (contributing/confluence-api.md#spaces-and-key-lookups).
type spaceJSON struct {
	ID     jsonID `json:"id"`
	Key    string `json:"key"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Status string `json:"status"`
}

func (s spaceJSON) Space() confluence.Space {
	return confluence.Space{ID: string(s.ID), Key: s.Key, Name: s.Name, Type: s.Type, Status: s.Status}
}

// ListSpaces returns the spaces the caller can see that match the filter.
// A Keys filter with more than 250 keys is split into several requests.
func (b *Backend) ListSpaces(ctx context.Context, f confluence.SpaceFilter) ([]confluence.Space, error) {
	if len(f.Keys) == 0 {
		return b.listSpaces(ctx, f, nil)
	}
	return confluence.SpacesByKeyInChunks(ctx, f.Keys, maxKeysPerRequest, func(ctx context.Context, keys []string) ([]confluence.Space, error) {
		return b.listSpaces(ctx, f, keys)
	})
}

// SiteSpaces lists every space the caller can see, 250 per page.
func (b *Backend) SiteSpaces() confluence.SpacePager {
	query := url.Values{"limit": {strconv.Itoa(pageLimit)}}
	return transport.MapPager(transport.NewCursorPager[spaceJSON](b.api, spacesPath, query), spaceJSON.Space)
}

// SpacesByKey returns the spaces with these keys, 250 keys per request.
// Unknown keys, and spaces the caller cannot see, are simply absent: the v2
// filter answers them with no result rather than an error.
func (b *Backend) SpacesByKey(ctx context.Context, keys []string) ([]confluence.Space, error) {
	return confluence.SpacesByKeyInChunks(ctx, keys, maxKeysPerRequest, func(ctx context.Context, keys []string) ([]confluence.Space, error) {
		return b.listSpaces(ctx, confluence.SpaceFilter{}, keys)
	})
}

// Array parameters (keys, labels) of GET /spaces can be sent in two forms,
// and which one Cloud reads is contested: the OpenAPI document declares
// arrays in the default form style (one keys=... pair per value) but
// describes a "comma-separated list", and clients used against real sites
// send one comma-joined value
// (contributing/confluence-api.md#space-keys-in-one-request). The backend
// sends the comma-joined form until an answer shows which form the site
// reads, and then keeps to that form:
//
//   - a site that does not read joined values takes "A,B" for one key, which
//     no space has (keys hold no commas): any result proves the joined form;
//   - when the joined form finds nothing, the repeated form is tried, and any
//     result from it proves that form (a site reading joined values would
//     have answered the first request);
//   - nothing found either way means no space matches, whichever form the
//     site reads.
const (
	arrayFormUnknown int32 = iota
	arrayFormJoined
	arrayFormRepeated
)

// listSpaces reads every page of spaces matching the filter and keys.
func (b *Backend) listSpaces(ctx context.Context, f confluence.SpaceFilter, keys []string) ([]confluence.Space, error) {
	labels := confluence.UniqueNonEmpty(f.Labels)
	form := b.arrayForm.Load()
	if len(keys) < 2 && len(labels) < 2 {
		// One value reads the same in both forms.
		return b.spacesPage(ctx, spacesQuery(f, keys, labels, arrayFormRepeated))
	}
	if form != arrayFormUnknown {
		return b.spacesPage(ctx, spacesQuery(f, keys, labels, form))
	}
	spaces, err := b.spacesPage(ctx, spacesQuery(f, keys, labels, arrayFormJoined))
	if err != nil || len(spaces) > 0 {
		if err == nil {
			b.arrayForm.CompareAndSwap(arrayFormUnknown, arrayFormJoined)
		}
		return spaces, err
	}
	spaces, err = b.spacesPage(ctx, spacesQuery(f, keys, labels, arrayFormRepeated))
	if err == nil && len(spaces) > 0 {
		b.arrayForm.CompareAndSwap(arrayFormUnknown, arrayFormRepeated)
	}
	return spaces, err
}

func (b *Backend) spacesPage(ctx context.Context, query url.Values) ([]confluence.Space, error) {
	rows, err := transport.ListCursor[spaceJSON](ctx, b.api, spacesPath, query)
	if err != nil {
		return nil, err
	}
	return confluence.SpacesOf(rows), nil
}

// spacesQuery builds the v2 spaces query with its array parameters in the
// given form.
func spacesQuery(f confluence.SpaceFilter, keys, labels []string, form int32) url.Values {
	q := url.Values{"limit": {strconv.Itoa(pageLimit)}}
	setArray(q, "keys", keys, form)
	setArray(q, "labels", labels, form)
	if f.Type != "" {
		q.Set("type", f.Type)
	}
	if f.Status != "" {
		q.Set("status", f.Status)
	}
	return q
}

func setArray(q url.Values, name string, values []string, form int32) {
	switch {
	case len(values) == 0:
	case form == arrayFormJoined:
		q.Set(name, strings.Join(values, ","))
	default:
		q[name] = values
	}
}
