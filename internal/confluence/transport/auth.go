package transport

import (
	"encoding/base64"
	"errors"
	"net/http"
	"sort"
	"strings"
)

// Auth adds credentials to a request.
type Auth interface {
	Apply(r *http.Request)
}

// Basic is HTTP basic authentication: a Cloud account email with an API
// token, or a Data Center username with a password.
type Basic struct {
	User  string
	Token string
}

// Apply sets the Authorization header.
func (b Basic) Apply(r *http.Request) { r.SetBasicAuth(b.User, b.Token) }

// String keeps the credentials out of %v and %s.
func (b Basic) String() string { return "transport.Basic{credentials redacted}" }

// GoString keeps the credentials out of %#v.
func (b Basic) GoString() string { return b.String() }

func (b Basic) validate() error {
	if b.User == "" || b.Token == "" {
		return errors.New("basic authentication needs both a user and a token")
	}
	return nil
}

func (b Basic) secrets() []string {
	return []string{b.Token, base64.StdEncoding.EncodeToString([]byte(b.User + ":" + b.Token))}
}

// Bearer is a bearer token: an OAuth 2.0 access token on Cloud, a personal
// access token on Data Center
// (contributing/confluence-api.md#data-center-authentication-and-xsrf).
type Bearer struct {
	Token string
}

// Apply sets the Authorization header.
func (b Bearer) Apply(r *http.Request) { r.Header.Set("Authorization", "Bearer "+b.Token) }

// String keeps the token out of %v and %s.
func (b Bearer) String() string { return "transport.Bearer{token redacted}" }

// GoString keeps the token out of %#v.
func (b Bearer) GoString() string { return b.String() }

func (b Bearer) validate() error {
	if b.Token == "" {
		return errors.New("bearer authentication needs a token")
	}
	return nil
}

func (b Bearer) secrets() []string { return []string{b.Token} }

// minSecretLen is the shortest value the scrubber removes: replacing every
// occurrence of a one- or two-letter string would destroy messages without
// protecting anything worth the name.
const minSecretLen = 4

const redacted = "[redacted]"

// scrubber removes credentials from text that came from a server (error
// messages) before it reaches an error or a log line, in case a server or a
// proxy echoes the request.
type scrubber struct{ secrets []string }

func newScrubber(a Auth) scrubber {
	holder, ok := a.(interface{ secrets() []string })
	if !ok {
		return scrubber{}
	}
	var s scrubber
	for _, v := range holder.secrets() {
		if len(v) >= minSecretLen {
			s.secrets = append(s.secrets, v)
		}
	}
	// Longest first, so that a secret containing another is removed whole.
	sort.Slice(s.secrets, func(i, j int) bool { return len(s.secrets[i]) > len(s.secrets[j]) })
	return s
}

func (s scrubber) clean(text string) string {
	for _, v := range s.secrets {
		text = strings.ReplaceAll(text, v, redacted)
	}
	return text
}
