package openapicheck

import (
	"errors"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// Documents are the subsets of the two Confluence Cloud API documents with
// an index of their operations by site path.
type Documents struct {
	V1, V2 *openapi3.T
	ops    []*operation
}

var loaded struct {
	once sync.Once
	docs *Documents
	err  error
}

// Load parses the subsets compiled into the package (see subset.go). They
// are parsed once per process and shared: they are never modified after
// loading.
func Load() (*Documents, error) {
	loaded.once.Do(func() { loaded.docs, loaded.err = load() })
	return loaded.docs, loaded.err
}

func load() (*Documents, error) {
	docs := &Documents{}
	var err error
	if docs.V1, err = loadSubset(V1File); err != nil {
		return nil, err
	}
	if docs.V2, err = loadSubset(V2File); err != nil {
		return nil, err
	}
	applyQuirks(docs)
	for _, d := range []*openapi3.T{docs.V1, docs.V2} {
		ops, err := indexOperations(d)
		if err != nil {
			return nil, err
		}
		docs.ops = append(docs.ops, ops...)
	}
	sortOperations(docs.ops)
	return docs, nil
}

// loadSubset parses one subset. kin-openapi's document validation is left
// to TestSubsetsAreCurrent: the subsets are compiled in, so one run of it
// covers every load.
func loadSubset(file string) (*openapi3.T, error) {
	data, err := SubsetJSON(file)
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("openapicheck: loading the subset of %s: %w", file, err)
	}
	if len(doc.Servers) == 0 {
		return nil, errors.New("openapicheck: the subset of " + file + " declares no servers, so its paths cannot be placed on the site")
	}
	return doc, nil
}
