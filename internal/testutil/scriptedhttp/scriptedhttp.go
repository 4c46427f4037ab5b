// Package scriptedhttp is a scripted HTTP fake for the unit tests of HTTP
// clients, such as the Confluence backends in internal/confluence/cloud and
// internal/confluence/datacenter.
//
// Only tests import it: it takes a testing.TB and fails the test, so it has
// no place in the provider binary. Nothing enforces that but this comment and
// review, as for hashicorp/terraform-provider-tls's internal/provider/testutils.
//
// A test lists the exchanges the client must make, in order: each request
// (method, escaped path, exact query, JSON body compared structurally) and
// the answer the fake gives it (status, headers, body, sent as written, so
// that an answer may be HTML, XML, empty or broken). Start serves the script
// and fails the test on any difference, on a request beyond the script, and,
// when the test ends, on requests the client never sent. What differs
// between clients is an Option: a path prefix the client must keep (the
// Cloud API gateway's /ex/confluence/{cloudId}, a Data Center context path)
// and a Check run on every request (a header a server insists on, a check
// against the API's OpenAPI documents).
package scriptedhttp

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sync"
	"testing"
)

// Exchange is one request the client must send, exactly, and the answer the
// fake gives it.
type Exchange struct {
	Method string
	// Path is escaped (as url.URL.EscapedPath gives it), below Options.Prefix.
	Path string
	// Query is exact; nil means none.
	Query url.Values
	// Body is the expected JSON body, compared structurally; "" means none.
	// A request with a body must say Content-Type: application/json.
	Body string

	// Status of the answer; 0 means 200.
	Status int
	// ContentType of the answer; "" means application/json.
	ContentType string
	// Header holds further answer headers; a Content-Type here overrides
	// ContentType.
	Header http.Header
	// Answer is the answer body, sent as written.
	Answer string
}

func (x Exchange) String() string { return x.Method + " " + x.Path }

// Served is a request the fake received with the answer it is about to give,
// as a Check sees it.
type Served struct {
	// N is the request's position in the script, from 1.
	N int
	// Request is the request as received, its Body already read into
	// RequestBody. Its path still carries Options.Prefix.
	Request     *http.Request
	RequestBody []byte
	// Want is the exchange scripted at N.
	Want Exchange
	// Status and Header are the answer's, defaults applied; its body is
	// Want.Answer.
	Status int
	Header http.Header
}

func (s Served) String() string { return fmt.Sprintf("request %d (%s)", s.N, s.Want) }

// Options are what differs between the clients under test.
type Options struct {
	// Prefix is a path below the server's root that every request must carry
	// before the exchanges' paths, such as a Data Center context path
	// "/confluence" or the Cloud gateway's "/ex/confluence/{cloudId}".
	Prefix string
	// Check, when set, runs on every scripted request after the fake's own
	// comparisons and before the answer is written; it reports problems with
	// t.Errorf (never t.Fatal: it runs on the server's goroutine). Checks run
	// concurrently when the client sends requests concurrently.
	Check func(t testing.TB, s Served)
}

// Server is a running fake.
type Server struct {
	// URL is where the client should point: the test server's address
	// followed by Options.Prefix.
	URL string

	t      testing.TB
	opts   Options
	mu     sync.Mutex
	script []Exchange
	served int
}

// Start serves the script until the test ends, then fails the test unless
// every exchange was requested. It is safe for concurrent requests, which
// take the script's exchanges in the order they arrive.
func Start(t testing.TB, opts Options, script ...Exchange) *Server {
	t.Helper()
	s := &Server{t: t, opts: opts, script: script}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = srv.URL + opts.Prefix
	t.Cleanup(func() {
		srv.Close() // waits for requests in flight, so that they are counted
		s.checkAllServed()
	})
	return s
}

// Served is how many requests the fake has received.
func (s *Server) Served() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served
}

func (s *Server) checkAllServed() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.served < len(s.script) {
		s.t.Errorf("the client sent %d of the %d expected requests; next expected: %s",
			s.served, len(s.script), s.script[s.served])
	}
}

// next takes the next exchange of the script and its position from 1; ok is
// false when the script is exhausted.
func (s *Server) next() (x Exchange, n int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.served >= len(s.script) {
		s.served++
		return Exchange{}, s.served, false
	}
	x = s.script[s.served]
	s.served++
	return x, s.served, true
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	t := s.t
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Errorf("%s %s: reading the body: %v", r.Method, r.URL, err)
	}
	want, n, ok := s.next()
	if !ok {
		t.Errorf("unexpected request %d: %s %s", n, r.Method, r.URL)
		w.WriteHeader(http.StatusTeapot)
		return
	}
	served := Served{N: n, Request: r, RequestBody: body, Want: want, Status: want.Status, Header: answerHeader(want)}
	if served.Status == 0 {
		served.Status = http.StatusOK
	}

	if got, wantPath := r.URL.EscapedPath(), s.opts.Prefix+want.Path; r.Method != want.Method || got != wantPath {
		t.Errorf("request %d: got %s %s, want %s %s", n, r.Method, got, want.Method, wantPath)
	}
	if got := r.URL.Query(); (len(got) != 0 || len(want.Query) != 0) && !reflect.DeepEqual(got, want.Query) {
		t.Errorf("%s: query %v, want %v", served, got, want.Query)
	}
	checkBody(t, served)
	if s.opts.Check != nil {
		s.opts.Check(t, served)
	}

	maps.Copy(w.Header(), served.Header)
	w.WriteHeader(served.Status)
	_, _ = io.WriteString(w, want.Answer)
}

func answerHeader(x Exchange) http.Header {
	h := http.Header{"Content-Type": {"application/json"}}
	if x.ContentType != "" {
		h.Set("Content-Type", x.ContentType)
	}
	for k, v := range x.Header {
		h[http.CanonicalHeaderKey(k)] = v
	}
	return h
}

// checkBody compares the request body with the expected JSON structurally:
// member order and spacing do not matter, values and types do.
func checkBody(t testing.TB, s Served) {
	t.Helper()
	body := s.RequestBody
	if s.Want.Body == "" {
		if len(body) != 0 {
			t.Errorf("%s: unexpected body %s", s, body)
		}
		return
	}
	if ct := s.Request.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q, want application/json", s, ct)
	}
	var got, expected any
	if err := json.Unmarshal([]byte(s.Want.Body), &expected); err != nil {
		t.Errorf("%s: the script's body is not JSON (%v): %s", s, err, s.Want.Body)
		return
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Errorf("%s: body is not JSON: %s", s, body)
		return
	}
	if !reflect.DeepEqual(got, expected) {
		t.Errorf("%s: body\n%s\nwant\n%s", s, body, s.Want.Body)
	}
}
