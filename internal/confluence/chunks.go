package confluence

import "context"

// SpacesByKeyInChunks asks fetch for the spaces with these keys, at most
// size keys per call, for backends whose API caps the keys of one request.
// Blank and repeated keys are dropped; no keys means no spaces, never "all
// spaces".
func SpacesByKeyInChunks(ctx context.Context, keys []string, size int, fetch func(ctx context.Context, keys []string) ([]Space, error)) ([]Space, error) {
	var spaces []Space
	for _, chunk := range Chunks(UniqueNonEmpty(keys), size) {
		found, err := fetch(ctx, chunk)
		if err != nil {
			return nil, err
		}
		spaces = append(spaces, found...)
	}
	return spaces, nil
}

// Chunks splits values into slices of at most size elements.
func Chunks[T any](values []T, size int) [][]T {
	var out [][]T
	for len(values) > size {
		out = append(out, values[:size:size])
		values = values[size:]
	}
	if len(values) > 0 {
		out = append(out, values)
	}
	return out
}

// UniqueNonEmpty drops empty and repeated values, keeping the first order.
func UniqueNonEmpty(values []string) []string {
	seen := make(map[string]bool, len(values))
	var out []string
	for _, v := range values {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
