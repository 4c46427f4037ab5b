//go:build live

package provider

// The live tier: acceptance tests against a real Confluence site, for a
// user who has one, compiled only with -tags live (make test-live) and run
// only with CONFLUENCE_LIVE=1. They confirm on a real site what the
// simulator assumes where Atlassian's record is silent
// (contributing/testing.md#the-live-tier):
//
//	CONFLUENCE_LIVE=1
//	CONFLUENCE_URL, and CONFLUENCE_USER with CONFLUENCE_API_TOKEN or CONFLUENCE_TOKEN
//	CONFLUENCE_LIVE_SPACES=KEY[,KEY]  sandbox spaces: the only ones the tests and sweepers touch
//	CONFLUENCE_LIVE_USER=ID           optional: a user (accountId, or username on Data Center) the tests may grant to
//	CONFLUENCE_DEPLOYMENT             optional, as for the provider
//
// Every test and the sweeper change only the grants of anonymous and of
// CONFLUENCE_LIVE_USER, and only in the listed spaces.

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence"
	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/setup"
	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

const (
	envLive       = "CONFLUENCE_LIVE"
	envLiveSpaces = "CONFLUENCE_LIVE_SPACES"
	envLiveUser   = "CONFLUENCE_LIVE_USER"
)

// liveSite is the real site the live tier runs against.
type liveSite struct {
	client *confluence.Client
	spaces []string
	user   string // "" when CONFLUENCE_LIVE_USER is unset
}

// live returns the live site, or fails the test when the tier was asked
// for (CONFLUENCE_LIVE=1) but is not configured. Without CONFLUENCE_LIVE the
// test fails too: the file is compiled only with -tags live, which is how a
// user asks for this tier.
func live(t *testing.T) *liveSite {
	t.Helper()
	if os.Getenv(envLive) != "1" {
		t.Fatalf("the live tier needs %s=1 and a site (contributing/testing.md#the-live-tier)", envLive)
	}
	l, err := openLive(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func openLive(ctx context.Context) (*liveSite, error) {
	var spaces []string
	for _, k := range strings.Split(os.Getenv(envLiveSpaces), ",") {
		if k = strings.TrimSpace(k); k != "" {
			spaces = append(spaces, k)
		}
	}
	if len(spaces) == 0 {
		return nil, fmt.Errorf("%s must list the sandbox spaces the live tests may change, for example %s=TFSANDBOX", envLiveSpaces, envLiveSpaces)
	}
	for _, k := range spaces {
		if err := permissions.ValidateSpaceKey(k); err != nil {
			return nil, fmt.Errorf("%s: %w", envLiveSpaces, err)
		}
	}
	// The settings the provider reads, from the environment, as it does.
	settings, problems := setup.Resolve(setup.Given{}, os.Getenv)
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s: %s", problems[0].Summary, problems[0].Detail)
	}
	client, err := setup.Open(ctx, settings, setup.Options{UserAgent: "terraform-provider-confluence live tests"})
	if err != nil {
		return nil, err
	}
	return &liveSite{client: client, spaces: spaces, user: os.Getenv(envLiveUser)}, nil
}

// providerBlock configures the provider from the environment, as a user
// would.
func (l *liveSite) providerBlock() string {
	return `
terraform {
  required_providers {
    confluence = { source = "spacekeeper/confluence" }
  }
}

provider "confluence" {}
`
}

// operations reads what Confluence holds for a principal, as configured.
func (l *liveSite) operations(space string, p permissions.Principal) ([]string, error) {
	ctx := context.Background()
	fresh, err := openLive(ctx) // a new client: nothing cached from the provider's writes
	if err != nil {
		return nil, err
	}
	ops, _, err := fresh.client.PrincipalOperations(ctx, space, p, nil)
	if err != nil {
		return nil, err
	}
	return ops.Strings(), nil
}

func (l *liveSite) expectOperations(space string, p permissions.Principal, ops ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		got, err := l.operations(space, p)
		if err != nil {
			return err
		}
		want := slices.Sorted(slices.Values(ops))
		slices.Sort(got)
		if !slices.Equal(got, want) {
			return fmt.Errorf("%s in %s holds %v, want %v", p, space, got, want)
		}
		return nil
	}
}

// mustHoldNothing fails a test that would start from grants it did not make.
func (l *liveSite) mustHoldNothing(t *testing.T, space string, p permissions.Principal) {
	t.Helper()
	if err := l.expectOperations(space, p)(nil); err != nil {
		t.Fatalf("the sandbox is not clean (%v): run the sweeper (make sweep-live) or clean the space by hand", err)
	}
}

// Public access in a sandbox space, through every step of its life: on
// Cloud this is the check that anonymous reads back in the form the site
// uses and that removing it by the listed id works.
func TestLive_anonymousReadSpace(t *testing.T) {
	l := live(t)
	space := l.spaces[0]
	anonymous := permissions.AnonymousPrincipal
	l.mustHoldNothing(t, space, anonymous)
	const addr = "confluence_space_permission.public"
	config := l.providerBlock() + fmt.Sprintf(`
resource "confluence_space_permission" "public" {
  space_key = %q
  principal = { type = "anonymous" }
  operation = "read/space"
}
`, space)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             l.expectOperations(space, anonymous),
		Steps: []resource.TestStep{
			{Config: config, Check: l.expectOperations(space, anonymous, "read/space")},
			{Config: config, PlanOnly: true},
			{ResourceName: addr, ImportState: true, ImportStateId: space + "/anonymous/read/space", ImportStateVerify: true},
		},
	})
}

// One principal's grants in a sandbox space, created, changed both ways,
// imported and destroyed.
func TestLive_permissionSet(t *testing.T) {
	l := live(t)
	if l.user == "" {
		t.Fatalf("%s names the user this test grants to; set it, or run only the other live tests with -run", envLiveUser)
	}
	space := l.spaces[0]
	user := permissions.Principal{Type: permissions.User, ID: l.user}
	l.mustHoldNothing(t, space, user)
	const addr = "confluence_space_permission_set.test"
	config := func(ops ...string) string {
		return l.providerBlock() + fmt.Sprintf(`
resource "confluence_space_permission_set" "test" {
  space_key  = %q
  principal  = { type = "user", id = %q }
  operations = [%s]
}
`, space, l.user, quoteList(ops))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             l.expectOperations(space, user),
		Steps: []resource.TestStep{
			{Config: config("read/space", "create/page"), Check: l.expectOperations(space, user, "read/space", "create/page")},
			{Config: config("read/space", "create/page"), PlanOnly: true},
			{
				Config:           config("read/space", "create/comment"),
				ConfigPlanChecks: planAction(addr, plancheck.ResourceActionUpdate),
				Check:            l.expectOperations(space, user, "read/space", "create/comment"),
			},
			{ResourceName: addr, ImportState: true, ImportStateId: space + "/user/" + l.user, ImportStateVerify: true},
		},
	})
}

// Every sandbox space is found by one batched lookup, whichever way the
// site reads several keys in one request.
func TestLive_spacesByKey(t *testing.T) {
	l := live(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: l.providerBlock() + fmt.Sprintf(`
data "confluence_spaces" "sandbox" { keys = [%s] }

output "found" { value = join(",", sort(data.confluence_spaces.sandbox.space_keys)) }
`, quoteList(l.spaces)),
			Check: resource.TestCheckOutput("found", strings.Join(slices.Sorted(slices.Values(l.spaces)), ",")),
		}},
	})
}

func init() {
	resource.AddTestSweepers("confluence_live_grants", &resource.Sweeper{
		Name: "confluence_live_grants",
		F:    sweepLiveGrants,
	})
}

// sweepLiveGrants removes what the live tests may have left behind: every
// grant of anonymous and of CONFLUENCE_LIVE_USER in the sandbox spaces, and
// nothing else anywhere. Run it with make sweep-live.
func sweepLiveGrants(string) error {
	ctx := context.Background()
	l, err := openLive(ctx)
	if err != nil {
		return err
	}
	principals := []permissions.Principal{permissions.AnonymousPrincipal}
	if l.user != "" {
		principals = append(principals, permissions.Principal{Type: permissions.User, ID: l.user})
	}
	for _, space := range l.spaces {
		for _, p := range principals {
			if _, err := l.client.SetPrincipal(ctx, space, p, permissions.OperationSet{}, nil); err != nil {
				return fmt.Errorf("sweeping %s in %s: %w", p, space, err)
			}
		}
	}
	return nil
}
