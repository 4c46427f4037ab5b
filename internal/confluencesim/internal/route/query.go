package route

import (
	"net/url"
	"strings"
)

// ListValues reads a query array in both spellings, repeated (ids=1&ids=2)
// and comma-joined (ids=1,2): how Data Center reads spaceKey and label, and
// how Cloud reads the arrays of GET /spaces with KeysEither.
func ListValues(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// SetOf makes a set of values; nil when there are none, so that an empty
// filter does not filter.
func SetOf(values []string) map[string]bool {
	if len(values) == 0 {
		return nil
	}
	m := make(map[string]bool, len(values))
	for _, v := range values {
		m[v] = true
	}
	return m
}

// OffsetPage is the page of items that start and limit select, as v1 and
// Data Center lists page: empty when start is past the end.
func OffsetPage[T any](items []T, start, limit int) []T {
	return items[min(start, len(items)):min(start+limit, len(items))]
}
