package provider

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/datacenter"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// The acceptance tests run the real terraform binary (TF_ACC_TERRAFORM_PATH,
// set by `make test`) against the simulator: they need no credentials and
// no network. Like any provider's acceptance tests they are named TestAcc...
// and run only when TF_ACC is set (`make acceptance`, `make test`).

var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"confluence": providerserver.NewProtocol6WithError(New("test")()),
}

// skipUnlessAcc skips a test that starts Terraform through internal/tfrun
// unless TF_ACC is set, as resource.Test does for the others.
func skipUnlessAcc(t *testing.T) {
	t.Helper()
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: runs only when %s is set (make acceptance)", resource.EnvTfAcc)
	}
}

func TestMain(m *testing.M) {
	// Terraform must not read the developer's own CLI configuration.
	_ = os.Setenv("TF_CLI_CONFIG_FILE", os.DevNull)
	// Configurations name the provider by its real source address.
	_ = os.Setenv("TF_ACC_PROVIDER_NAMESPACE", "spacekeeper")
	// resource.TestMain runs the tests, or with -sweep the sweepers of the
	// live tier (live_test.go, built with -tags live).
	resource.TestMain(m)
}

// site is one simulated Confluence the tests run against, with the
// vocabulary to name its people in configuration.
type site struct {
	t          *testing.T
	target     string
	sim        *confluencesim.Server
	url        string
	deployment permissions.Deployment
	dcAPI      string // "rest" or "rpc" on Data Center, "" to let the provider choose
	api        string // the API the provider speaks: "cloud", "rest" or "rpc"
	detect     bool   // configure no deployment: the provider infers it from the URL
	login      string
	token      string
	bearer     bool              // send token as a bearer token (Data Center PAT)
	users      map[string]string // person → principal id in configuration
	groups     map[string]string // group name → principal id in configuration
	// internal maps a principal as configured to the simulator's own
	// identity (accountId and group id), which its Go API speaks.
	internal map[permissions.Principal]permissions.Principal
}

// target is a deployment the acceptance tests run against.
type target struct {
	name  string
	start func(t *testing.T) *site
}

// restart returns a fresh site of the same target, for subtests that each
// need the seed untouched.
func (s *site) restart(t *testing.T) *site {
	for _, tg := range targets {
		if tg.name == s.target {
			fresh := tg.start(t)
			fresh.target = s.target
			return fresh
		}
	}
	t.Fatalf("unknown target %q", s.target)
	return nil
}

// targets are the APIs the provider speaks, and for each the answers
// Confluence may give where its record is silent or contradictory
// (contributing/simulator.md): every acceptance test that runs on every
// target runs against each of them, so the client is shown correct under
// all of them, not only under the simulator's defaults.
var targets = []target{
	// Cloud as recorded: anonymous listed as role/ANONYMOUS, space keys
	// read from one comma-joined value.
	{"cloud", func(t *testing.T) *site { return cloudSiteWith(t, confluencesim.Options{}) }},
	{"cloud-anonymous-as-user", func(t *testing.T) *site {
		return cloudSiteWith(t, confluencesim.Options{CloudAnonymous: confluencesim.AnonymousAsUser})
	}},
	{"cloud-keys-repeated", func(t *testing.T) *site {
		return cloudSiteWith(t, confluencesim.Options{SpaceKeysParam: confluencesim.KeysRepeated})
	}},
	{"cloud-keys-either", func(t *testing.T) *site {
		return cloudSiteWith(t, confluencesim.Options{SpaceKeysParam: confluencesim.KeysEither})
	}},
	// Data Center with neither deployment nor data_center_api set: the
	// provider tells the APIs apart by GET /rest/api/server-information,
	// which exists from 9.1 and answers 404 before.
	{"dc-rest", func(t *testing.T) *site { return dataCenterSite(t, "", "9.2.1") }},
	{"dc-rpc", func(t *testing.T) *site { return dataCenterSite(t, "", "8.5.16") }},
}

// dataCenterTargets are the targets that are Data Center.
func dataCenterTargets() []target {
	var dc []target
	for _, tg := range targets {
		if strings.HasPrefix(tg.name, "dc-") {
			dc = append(dc, tg)
		}
	}
	return dc
}

// onEveryTarget runs a test against every target, in parallel.
func onEveryTarget(t *testing.T, test func(t *testing.T, s *site)) {
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			t.Parallel()
			s := tg.start(t)
			s.target = tg.name
			test(t, s)
		})
	}
}

// cloudSite starts a Cloud simulator with the record's defaults, seeded with
// the demo site: spaces DOCS, ENG, HR and OPS; people alice, bob, carol;
// groups confluence-users, engineering and hr-team.
func cloudSite(t *testing.T) *site {
	t.Helper()
	return cloudSiteWith(t, confluencesim.Options{})
}

// cloudSiteWith is cloudSite with simulator options.
func cloudSiteWith(t *testing.T, opts confluencesim.Options) *site {
	t.Helper()
	seed := confluencesim.DemoSeed()
	opts.Flavour = confluencesim.Cloud
	sim, srv := confluencesim.Start(t, seed, opts)
	s := newSite(t, sim, srv.URL, permissions.Cloud)
	s.login, s.api = "terraform@example.com", "cloud"
	for _, u := range seed.Users {
		s.addPerson(strings.SplitN(u.Email, "@", 2)[0], u.AccountID, u.AccountID)
	}
	for _, g := range seed.Groups {
		s.addGroup(g.Name, g.ID, g.ID)
	}
	return s
}

// dataCenterSite starts a Data Center simulator of the given version with
// the demo site, and the remote API on for versions before 9.1. api is the
// provider's data_center_api, "rest" or "rpc"; "" sets neither it nor
// deployment, so that the provider finds both out itself.
func dataCenterSite(t *testing.T, api, version string) *site {
	t.Helper()
	v, err := datacenter.ParseVersion(version)
	if err != nil {
		t.Fatal(err)
	}
	seed := confluencesim.DemoSeed()
	sim, srv := confluencesim.Start(t, seed, confluencesim.Options{
		Flavour: confluencesim.DataCenter, DCVersion: version, RemoteAPI: api == "rpc" || api == "" && !v.HasRESTPermissions(),
	})
	s := newSite(t, sim, srv.URL, permissions.DataCenter)
	s.dcAPI, s.detect, s.login = api, api == "", "terraform"
	s.api = api
	if api == "" {
		s.api = map[bool]string{true: "rest", false: "rpc"}[v.HasRESTPermissions()]
	}
	for _, u := range seed.Users {
		user, _ := sim.User(u.AccountID)
		s.addPerson(user.Username, user.Username, u.AccountID)
	}
	for _, g := range seed.Groups {
		s.addGroup(g.Name, g.Name, g.ID)
	}
	return s
}

func newSite(t *testing.T, sim *confluencesim.Server, url string, d permissions.Deployment) *site {
	return &site{t: t, sim: sim, url: url, deployment: d, token: "demo-token",
		users: map[string]string{}, groups: map[string]string{},
		internal: map[permissions.Principal]permissions.Principal{permissions.AnonymousPrincipal: permissions.AnonymousPrincipal}}
}

func (s *site) addPerson(name, configID, internalID string) {
	s.users[name] = configID
	s.internal[permissions.Principal{Type: permissions.User, ID: configID}] = permissions.Principal{Type: permissions.User, ID: internalID}
}

func (s *site) addGroup(name, configID, internalID string) {
	s.groups[name] = configID
	s.internal[permissions.Principal{Type: permissions.Group, ID: configID}] = permissions.Principal{Type: permissions.Group, ID: internalID}
}

// simPrincipal is the simulator's identity of a principal as configured.
func (s *site) simPrincipal(p permissions.Principal) permissions.Principal {
	if in, ok := s.internal[p]; ok {
		return in
	}
	return p
}

// cascades reports whether removing read/space removes a principal's other
// grants (Cloud does; Data Center is not known to).
func (s *site) cascades() bool { return s.deployment == permissions.Cloud }

// providerBlock configures the provider for this site.
func (s *site) providerBlock() string {
	credentials := fmt.Sprintf("user       = %q\n  api_token  = %q", s.login, s.token)
	if s.bearer {
		credentials = fmt.Sprintf("token      = %q", s.token)
	}
	settings := ""
	if !s.detect {
		settings = fmt.Sprintf("\n  deployment = %q", s.deployment)
	}
	if s.dcAPI != "" {
		settings += fmt.Sprintf("\n  data_center_api = %q", s.dcAPI)
	}
	return fmt.Sprintf(`
terraform {
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}

provider "confluence" {
  url        = %q
  %s%s
}
`, s.url, credentials, settings)
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
		if g.Principal == s.simPrincipal(p) {
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
	if _, err := s.sim.RemoveGrantOf(spaceKey, s.simPrincipal(p), o); err != nil {
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
	if _, err := s.sim.AddGrant(spaceKey, s.simPrincipal(p), o); err != nil {
		s.t.Fatalf("granting %s to %s in %s: %v", op, p, spaceKey, err)
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
