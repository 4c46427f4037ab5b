package openapicheck

import (
	"testing"
)

// NewForTest loads the documents and returns a checker, failing the test
// with a clear message when they cannot be loaded: a fidelity test must
// never pass by skipping.
func NewForTest(t testing.TB, opts Options) *Checker {
	t.Helper()
	docs, err := Load()
	if err != nil {
		t.Fatalf("openapicheck: %v", err)
	}
	if unknown := docs.unknownOperations(opts.Operations); len(unknown) > 0 {
		t.Fatal(unknownOperationsError(unknown))
	}
	return New(docs, opts)
}

// AssertClean fails the test with every recorded violation, and when nothing
// was checked at all.
func (c *Checker) AssertClean(t testing.TB) {
	t.Helper()
	if c.Exchanges() == 0 {
		t.Errorf("openapicheck: no exchange was checked")
	}
	for _, v := range c.Violations() {
		t.Errorf("openapicheck: %s", v)
	}
}
