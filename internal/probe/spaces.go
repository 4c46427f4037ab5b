package probe

import (
	"context"
	"net/url"
	"strconv"
)

// noSuchKey is a space key no site has, for the error-bodies checks.
const noSuchKey = "NOSUCHKEY0"

// spaceBody is the part of a space the probe reads; Cloud's v2 API and
// Data Center's REST API write both fields alike.
type spaceBody struct {
	ID  flexString `json:"id"`
	Key string     `json:"key"`
}

// spaceLookup is how a deployment looks one space up by its key: the
// request, and the space that a successful answer shows.
type spaceLookup struct {
	ask  func(ctx context.Context, r *run, key string) *answer
	find func(a *answer, key string) (space, bool)
}

// cloudLookup asks the v2 list for one key, which reads the same in both
// parameter forms (contributing/confluence-api.md#space-keys-in-one-request).
var cloudLookup = spaceLookup{
	ask: func(ctx context.Context, r *run, key string) *answer {
		return r.get(ctx, cloudSpaces, url.Values{"keys": {key}})
	},
	find: func(a *answer, key string) (space, bool) {
		for _, s := range decodeSpaces(a) {
			if s.key == key {
				return s, true
			}
		}
		return space{}, false
	},
}

// dcLookup asks GET /rest/api/space/{key}.
var dcLookup = spaceLookup{
	ask: func(ctx context.Context, r *run, key string) *answer {
		return r.get(ctx, dcSpace+"/"+url.PathEscape(key), nil)
	},
	find: func(a *answer, _ string) (space, bool) {
		var s spaceBody
		if a.res == nil || a.res.DecodeJSON(&s) != nil || s.Key == "" {
			return space{}, false
		}
		return space{key: s.Key, id: s.ID.text}, true
	},
}

// lookUpNamedSpaces looks the spaces named with -space up one at a time. An
// answer that no later request would get past either (no answer,
// credentials refused) ends the lookups as the setup's failure.
func (r *run) lookUpNamedSpaces(ctx context.Context, l spaceLookup) {
	for _, k := range r.cfg.Spaces {
		a := l.ask(ctx, r, k)
		r.setup = append(r.setup, a.Exchange)
		if a.res == nil {
			if b := a.blocked(); b != "" {
				r.setupFailure = b
				return
			}
			continue
		}
		if s, ok := l.find(a, k); ok {
			r.spaces = append(r.spaces, s)
		}
	}
}

// listFirstSpaces lists the first DefaultSpaceCount global spaces of the
// list at path, which takes the same parameters on both deployments. fail
// says why there was no list; err that the answer was not one.
func (r *run) listFirstSpaces(ctx context.Context, path string) (found []space, fail string, err error) {
	a := r.get(ctx, path, url.Values{"type": {"global"}, "limit": {strconv.Itoa(DefaultSpaceCount)}})
	r.setup = append(r.setup, a.Exchange)
	if a.res == nil {
		return nil, describeFailure(a), nil
	}
	found, err = readSpaces(a)
	return found[:min(len(found), DefaultSpaceCount)], "", err
}

// readSpaces reads the spaces with a key of a list answer, {results: [...]}.
func readSpaces(a *answer) ([]space, error) {
	var page struct {
		Results []spaceBody `json:"results"`
	}
	if err := a.res.DecodeJSON(&page); err != nil {
		return nil, err
	}
	var out []space
	for _, s := range page.Results {
		if s.Key != "" {
			out = append(out, space{key: s.Key, id: s.ID.text})
		}
	}
	return out, nil
}

// decodeSpaces is readSpaces for answers that may have failed: what cannot
// be read shows no space.
func decodeSpaces(a *answer) []space {
	if a.res == nil {
		return nil
	}
	out, _ := readSpaces(a)
	return out
}
