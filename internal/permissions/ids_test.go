package permissions

import (
	"strings"
	"testing"
)

func TestParseGrantID(t *testing.T) {
	tests := []struct {
		in      string
		want    GrantID
		wantErr string
	}{
		{in: "DOCS/user/5b10ac8d/administer/space", want: GrantID{"DOCS", Principal{User, "5b10ac8d"}, AdministerSpace}},
		{in: "DOCS/anonymous/read/space", want: GrantID{"DOCS", AnonymousPrincipal, ReadSpace}},
		{in: "ENG/group/team/platform/create/page", want: GrantID{"ENG", Principal{Group, "team/platform"}, Operation{"create", "page"}}},
		{in: "DOCS/user/557058:f5b2a1/read/space", want: GrantID{"DOCS", Principal{User, "557058:f5b2a1"}, ReadSpace}},
		{in: "DOCS", wantErr: "has no operation"},
		{in: "DOCS/read/space", wantErr: "bad principal"},
		{in: "DOCS/user//read/space", wantErr: "id after \"user/\" is empty"},
		{in: "DOCS/anonymous/x/read/space", wantErr: "takes no id"},
		{in: "DOCS/robot/r2/read/space", wantErr: `principal type "robot"`},
		{in: "/user/a/read/space", wantErr: "space key"},
		{in: "DOCS/user/a/read/", wantErr: "does not end in an operation"},
		// A principal's id given where a grant's is expected.
		{in: "DOCS/user/5b10ac8d82e05b22cc7d4ef5", wantErr: "names user 5b10ac8d82e05b22cc7d4ef5 in space DOCS but no operation: add it at the end, for example DOCS/user/5b10ac8d82e05b22cc7d4ef5/read/space"},
		{in: "DOCS/anonymous", wantErr: "names anonymous in space DOCS but no operation"},
		{in: "DOCS/group/team/platform", wantErr: "names group team/platform in space DOCS but no operation"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseGrantID(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "SPACEKEY/TYPE/ID/KEY/TARGET") {
					t.Fatalf("want error containing %q and the expected format, got %v", tt.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			if got.String() != tt.in {
				t.Fatalf("String() = %q, want the input back", got.String())
			}
		})
	}
}

func TestValidateSpaceKey(t *testing.T) {
	for _, key := range []string{"DOCS", "ds", "Team42", "~alice.smith", "~557058:f5b2a1c3-1234", "~5b10ac8d82e05b22cc7d4ef5", strings.Repeat("K", 255)} {
		if err := ValidateSpaceKey(key); err != nil {
			t.Errorf("ValidateSpaceKey(%q) = %v", key, err)
		}
	}
	for key, want := range map[string]string{
		"":                       "empty",
		"DOCS TEAM":              "letters and digits only",
		"docs-team":              "letters and digits only",
		"DÖCS":                   "letters and digits only",
		"~":                      "not a personal space key",
		"~al ice":                "not a personal space key",
		"~a/b":                   "not a personal space key",
		strings.Repeat("K", 256): "more than Confluence's 255",
	} {
		if err := ValidateSpaceKey(key); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateSpaceKey(%q) = %v, want an error mentioning %q", key, err, want)
		}
	}
}

func TestParsePrincipalID(t *testing.T) {
	for in, want := range map[string]PrincipalID{
		"DOCS/anonymous":        {"DOCS", AnonymousPrincipal},
		"DOCS/group/8f2d-9c0e":  {"DOCS", Principal{Group, "8f2d-9c0e"}},
		"HR/user/alice.smith/x": {"HR", Principal{User, "alice.smith/x"}},
	} {
		got, err := ParsePrincipalID(in)
		if err != nil || got != want || got.String() != in {
			t.Errorf("ParsePrincipalID(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "DOCS", "DOCS/", "DOCS/user", "DOCS/anonymous/bob"} {
		if _, err := ParsePrincipalID(in); err == nil || !strings.Contains(err.Error(), "SPACEKEY/TYPE/ID") {
			t.Errorf("ParsePrincipalID(%q): want an error naming the format, got %v", in, err)
		}
	}
}

// FuzzParseGrantID checks that parsing never panics and that every id it
// accepts renders back to itself.
func FuzzParseGrantID(f *testing.F) {
	for _, s := range []string{"DOCS/user/a/read/space", "DOCS/anonymous/read/space", "A/group/x/y/create/page", "//", "a/b/c/d/e/f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseGrantID(s)
		if err != nil {
			return
		}
		if id.String() != s {
			t.Fatalf("ParseGrantID(%q) renders as %q", s, id.String())
		}
		if _, err := ParseOperation(id.Operation.String()); err != nil {
			t.Fatalf("accepted operation %q does not parse: %v", id.Operation, err)
		}
	})
}

// FuzzParsePrincipalID: never panics, accepted ids round-trip.
func FuzzParsePrincipalID(f *testing.F) {
	for _, s := range []string{"DOCS/user/a", "DOCS/anonymous", "X/group/a/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParsePrincipalID(s)
		if err == nil && id.String() != s {
			t.Fatalf("ParsePrincipalID(%q) renders as %q", s, id.String())
		}
	})
}

func TestPrincipalKeys(t *testing.T) {
	for key, want := range map[string]Principal{
		"anonymous":          AnonymousPrincipal,
		"user:557058:f5b2a1": {User, "557058:f5b2a1"},
		"group:HR Team":      {Group, "HR Team"},
	} {
		got, err := ParsePrincipalKey(key)
		if err != nil || got != want || got.Key() != key {
			t.Errorf("ParsePrincipalKey(%q) = %+v, %v", key, got, err)
		}
	}
	for key, want := range map[string]string{
		"alice":       `is not "user:ID", "group:ID" or "anonymous"`,
		"user:":       "needs an id",
		"robot:r2":    `principal type "robot"`,
		"anonymous:x": `the anonymous principal takes no id`,
	} {
		if _, err := ParsePrincipalKey(key); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParsePrincipalKey(%q): want %q, got %v", key, want, err)
		}
	}
}

// FuzzParsePrincipalKey: never panics, accepted keys round-trip.
func FuzzParsePrincipalKey(f *testing.F) {
	for _, s := range []string{"user:a", "anonymous", "group:a:b", ":"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if p, err := ParsePrincipalKey(s); err == nil && p.Key() != s {
			t.Fatalf("ParsePrincipalKey(%q) renders as %q", s, p.Key())
		}
	})
}
