package openapicheck

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// Document file names in the reference directory.
const (
	V1File = "confluence-v1.json"
	V2File = "confluence-v2.json"
)

// Documents are the two Confluence Cloud API documents with an index of
// their operations by site path.
type Documents struct {
	V1, V2 *openapi3.T
	ops    []*operation
}

// ReferenceDir locates the reference directory: ../shared/reference next to
// the module root, the directory holding go.mod found by walking up from the
// working directory (a package directory under go test).
func ReferenceDir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared", "reference"), nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("no go.mod above %s, so the reference directory (../shared/reference next to the module root) cannot be located", wd)
		}
	}
}

var cache sync.Map // dir → *loading

type loading struct {
	once sync.Once
	docs *Documents
	err  error
}

// Load reads both documents from dir. Documents are read once per directory
// and process and shared: they are never modified after loading.
func Load(dir string) (*Documents, error) {
	v, _ := cache.LoadOrStore(dir, &loading{})
	l, _ := v.(*loading) // the cache only ever holds *loading
	l.once.Do(func() { l.docs, l.err = load(dir) })
	return l.docs, l.err
}

// LoadReference loads the documents from ReferenceDir.
func LoadReference() (*Documents, error) {
	dir, err := ReferenceDir()
	if err != nil {
		return nil, err
	}
	return Load(dir)
}

func load(dir string) (*Documents, error) {
	docs := &Documents{}
	var missing []string
	for _, f := range []string{V1File, V2File} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			missing = append(missing, filepath.Join(dir, f))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the Confluence OpenAPI documents are missing: %v. They are Atlassian's published specs; they live in the shared reference directory "+
			"next to the checkout (../shared/reference from the module root) and are never copied into the project; "+
			"without them the simulator's fidelity cannot be checked", missing)
	}
	var err error
	if docs.V1, err = loadDocument(filepath.Join(dir, V1File)); err != nil {
		return nil, err
	}
	if docs.V2, err = loadDocument(filepath.Join(dir, V2File)); err != nil {
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

// loadDocument reads one document. It is not passed through the loader's
// document validation, which the published documents fail (see quirks.go).
func loadDocument(path string) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", path, err)
	}
	if len(doc.Servers) == 0 {
		return nil, errors.New(path + " declares no servers, so its paths cannot be placed on the site")
	}
	return doc, nil
}
