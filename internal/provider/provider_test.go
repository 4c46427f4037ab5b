package provider

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The acceptance tests run the real terraform binary (TF_ACC_TERRAFORM_PATH,
// set by `make test`) against the simulator: they need no credentials and
// no network, so they run with the unit tests.

var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"confluence": providerserver.NewProtocol6WithError(New("test")()),
}

func TestMain(m *testing.M) {
	// Terraform must not read the developer's own CLI configuration.
	_ = os.Setenv("TF_CLI_CONFIG_FILE", os.DevNull)
	// Configurations name the provider by its real source address.
	_ = os.Setenv("TF_ACC_PROVIDER_NAMESPACE", "spacekeeper")
	os.Exit(m.Run())
}

// site is one simulated Confluence the tests run against, with the
// vocabulary to name its people in configuration.
type site struct {
	t          *testing.T
	sim        *confluencesim.Server
	url        string
	deployment permissions.Deployment
	token      string
	users      map[string]string // person → principal id in configuration
	groups     map[string]string // group name → principal id in configuration
}

// cloudSite starts a Cloud simulator seeded with the demo site: spaces DOCS,
// ENG, HR and OPS; people alice, bob, carol; groups confluence-users,
// engineering and hr-team.
func cloudSite(t *testing.T) *site {
	t.Helper()
	seed := confluencesim.DemoSeed()
	sim, srv := confluencesim.Start(t, seed, confluencesim.Options{Flavour: confluencesim.Cloud})
	s := &site{t: t, sim: sim, url: srv.URL, deployment: permissions.Cloud, token: "demo-token",
		users: map[string]string{}, groups: map[string]string{}}
	for _, u := range seed.Users {
		s.users[strings.SplitN(u.Email, "@", 2)[0]] = u.AccountID
	}
	for _, g := range seed.Groups {
		s.groups[g.Name] = g.ID
	}
	return s
}

// providerBlock configures the provider for this site.
func (s *site) providerBlock() string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}

provider "confluence" {
  url        = %q
  user       = "terraform@example.com"
  api_token  = %q
  deployment = %q
}
`, s.url, s.token, s.deployment)
}

func (s *site) user(name string) permissions.Principal {
	s.t.Helper()
	id, ok := s.users[name]
	if !ok {
		s.t.Fatalf("no user %q on the test site", name)
	}
	return permissions.Principal{Type: permissions.User, ID: id}
}

func (s *site) group(name string) permissions.Principal {
	s.t.Helper()
	id, ok := s.groups[name]
	if !ok {
		s.t.Fatalf("no group %q on the test site", name)
	}
	return permissions.Principal{Type: permissions.Group, ID: id}
}

// operations returns what Confluence holds for a principal in a space.
func (s *site) operations(spaceKey string, p permissions.Principal) []string {
	s.t.Helper()
	grants, err := s.sim.Grants(spaceKey)
	if err != nil {
		s.t.Fatalf("reading grants of %s: %v", spaceKey, err)
	}
	set := permissions.OperationSet{}
	for _, g := range grants {
		if g.Principal == p {
			set[g.Operation] = struct{}{}
		}
	}
	return set.Strings()
}

// expectOperations is a check that Confluence holds exactly ops.
func (s *site) expectOperations(spaceKey string, p permissions.Principal, ops ...string) func() error {
	return func() error {
		want := permissions.OperationSet{}
		for _, o := range ops {
			op, err := permissions.ParseOperation(o)
			if err != nil {
				return err
			}
			want[op] = struct{}{}
		}
		got := s.operations(spaceKey, p)
		if strings.Join(got, ",") != strings.Join(want.Strings(), ",") {
			return fmt.Errorf("%s in %s holds %v, want %v", p, spaceKey, got, want.Strings())
		}
		return nil
	}
}

// revoke removes a grant out of band, as a person in the Confluence UI would.
func (s *site) revoke(spaceKey string, p permissions.Principal, op string) {
	s.t.Helper()
	o, err := permissions.ParseOperation(op)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.sim.RemoveGrantOf(spaceKey, p, o); err != nil {
		s.t.Fatalf("revoking %s from %s in %s: %v", op, p, spaceKey, err)
	}
}

// grant adds a grant out of band.
func (s *site) grant(spaceKey string, p permissions.Principal, op string) {
	s.t.Helper()
	o, err := permissions.ParseOperation(op)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.sim.AddGrant(spaceKey, p, o); err != nil {
		s.t.Fatalf("granting %s to %s in %s: %v", op, p, spaceKey, err)
	}
}

// principalHCL renders a principal object for configuration.
func principalHCL(p permissions.Principal) string {
	if p.Type == permissions.Anonymous {
		return `{ type = "anonymous" }`
	}
	return fmt.Sprintf(`{ type = %q, id = %q }`, p.Type, p.ID)
}

func checks(fns ...func() error) func() error {
	return func() error {
		for _, f := range fns {
			if err := f(); err != nil {
				return err
			}
		}
		return nil
	}
}

// errorText matches an error containing text, whatever line breaks
// Terraform wrapped it with. Parts separated by "…" may have anything
// between them.
func errorText(text string) *regexp.Regexp {
	var parts []string
	for _, part := range strings.Split(text, "…") {
		words := strings.Fields(part)
		for i, w := range words {
			words[i] = regexp.QuoteMeta(w)
		}
		parts = append(parts, strings.Join(words, `\s+`))
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, ".*"))
}
