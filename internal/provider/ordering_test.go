package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
	"github.com/spacekeeper/terraform-provider-confluence/internal/tfrun"
)

// workspace returns a Terraform working directory whose commands talk to a
// provider served from this test process.
func workspace(t *testing.T) *tfrun.Workspace {
	t.Helper()
	skipUnlessAcc(t)
	w, err := tfrun.NewWorkspace(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := w.ServeInProcess(ctx, providerserver.NewProtocol6(New("test")())); err != nil {
		t.Fatal(err)
	}
	return w
}

// Confluence refuses every grant to a principal that cannot view the space.
// Grants declared side by side, with no depends_on, must still apply and
// destroy cleanly whatever order Terraform runs them in.
func TestAccSidebySideGrantsAtAnyParallelism(t *testing.T) {
	skipUnlessAcc(t)
	ops := []string{"read/space", "create/page", "delete/page", "create/comment", "export/space", "restrict_content/space"}
	onEveryTarget(t, func(t *testing.T, s *site) {
		for _, parallelism := range []int{1, 10} {
			for _, style := range []string{"for_each", "separate"} {
				t.Run(fmt.Sprintf("%s/parallelism=%d", style, parallelism), func(t *testing.T) {
					// Each run starts from the same seed: its own site.
					s := s.restart(t)
					bob, hr := s.user("bob"), s.group("hr-team")
					var config string
					if style == "for_each" {
						config = s.providerBlock() + forEachGrants("bob", "HR", bob, ops) + forEachGrants("hr", "HR", hr, ops)
					} else {
						config = grantsConfig(s, "HR", bob, ops...)
					}
					w := workspace(t)
					ctx := context.Background()
					if err := w.WriteFile("main.tf", config); err != nil {
						t.Fatal(err)
					}
					if err := w.Apply(ctx, parallelism); err != nil {
						t.Fatalf("apply at -parallelism=%d: %v", parallelism, err)
					}
					if err := s.expectOperations("HR", bob, ops...)(); err != nil {
						t.Fatal(err)
					}
					plan, err := w.Plan(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if changes := tfrun.Changes(plan); len(changes) > 0 {
						t.Fatalf("the plan after apply is not empty: %v", changes)
					}
					if err := w.Destroy(ctx, parallelism); err != nil {
						t.Fatalf("destroy at -parallelism=%d: %v", parallelism, err)
					}
					if err := s.expectOperations("HR", bob)(); err != nil {
						t.Fatal(err)
					}
					if style == "for_each" {
						// hr-team's existing grants were adopted, so destroy
						// removes them. create/attachment, which Terraform did
						// not manage, goes too on Cloud, where removing
						// read/space removes everything with it.
						var left []string
						if !s.cascades() {
							left = []string{"create/attachment"}
						}
						if err := s.expectOperations("HR", hr, left...)(); err != nil {
							t.Fatal(err)
						}
					}
				})
			}
		}
	})
}

func forEachGrants(name, space string, p permissions.Principal, ops []string) string {
	return fmt.Sprintf(`
resource "confluence_space_permission" %q {
  for_each  = toset(["%s"])
  space_key = %q
  principal = %s
  operation = each.value
}
`, name, strings.Join(ops, `", "`), space, principalHCL(p))
}

// A grant whose principal cannot view the space yet brings read/space with
// it, and Terraform shows the user a warning saying so.
func TestAccMissingReadSpaceIsGrantedWithAWarning(t *testing.T) {
	skipUnlessAcc(t)
	t.Parallel()
	s := cloudSite(t)
	bob := s.user("bob") // holds nothing in HR
	w := workspace(t)
	config := s.providerBlock() + `
resource "confluence_space_permission" "comment" {
  space_key = "HR"
  principal = ` + principalHCL(bob) + `
  operation = "create/comment"
}
`
	if err := w.WriteFile("main.tf", config); err != nil {
		t.Fatal(err)
	}
	w.Output()
	if err := w.Apply(context.Background(), 10); err != nil {
		t.Fatal(err)
	}
	stdout, stderr := w.Output()
	out := strings.Join(strings.Fields(stdout+stderr), " ")
	for _, want := range []string{"Warning: Granted read/space as well", "could not view space HR, so read/space was granted too"} {
		if !strings.Contains(out, want) {
			t.Errorf("terraform did not show %q; output:\n%s", want, stdout+stderr)
		}
	}
	if err := s.expectOperations("HR", bob, "read/space", "create/comment")(); err != nil {
		t.Fatal(err)
	}
}
