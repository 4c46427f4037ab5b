// Package benchmark measures the provider against the simulator with
// injected latency: HTTP requests per plan and apply, next to the API's
// minimum for the scenario, seconds, memory. It drives the real terraform
// binary with the provider binary as its own process (its memory sampled
// from /proc) and the simulator in this process, so the simulator's
// counters see every request the provider makes. `make bench` prints the
// numbers.
package benchmark

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

// Terraform's account on every benchmark site.
const (
	adminAccountID = "63d2f0a1b2c3d4e5f6a7b8c9"
	adminEmail     = "terraform@example.com"
	adminUsername  = "terraform" // on Data Center, from the email
	adminToken     = "bench-token"
)

// accountID makes a stable 24-hex Cloud accountId for person n.
func accountID(n int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "person-%d", n))
	return hex.EncodeToString(sum[:12])
}

// siteSeed builds a site with spaces SP01..SPnn and people users, each
// space administered by Terraform's account only.
func siteSeed(spaces, people int) confluencesim.Seed {
	seed := confluencesim.Seed{
		Users:       []confluencesim.SeedUser{{AccountID: adminAccountID, DisplayName: "Terraform", Email: adminEmail, SiteAdmin: true}},
		Credentials: []confluencesim.SeedCredential{{AccountID: adminAccountID, APIToken: adminToken}},
	}
	for n := 0; n < people; n++ {
		seed.Users = append(seed.Users, confluencesim.SeedUser{
			AccountID:   accountID(n),
			DisplayName: fmt.Sprintf("Person %d", n),
			Email:       fmt.Sprintf("person%d@example.com", n),
		})
	}
	for i := 1; i <= spaces; i++ {
		seed.Spaces = append(seed.Spaces, confluencesim.SeedSpace{
			Key:  spaceKey(i),
			Name: fmt.Sprintf("Space %d", i),
			Grants: []confluencesim.SeedGrant{{
				Principal:  confluencesim.SeedPrincipal{Type: "user", ID: adminAccountID},
				Operations: []string{"read/space", "administer/space"},
			}},
		})
	}
	return seed
}

func spaceKey(i int) string { return fmt.Sprintf("SP%02d", i) }

// CloudPerson names person n as a Cloud principal id (the accountId); -1 is
// Terraform's own account.
func CloudPerson(n int) string {
	if n < 0 {
		return adminAccountID
	}
	return accountID(n)
}

// DataCenterPerson names person n as a Data Center principal id (the
// username, from the email); -1 is Terraform's own account.
func DataCenterPerson(n int) string {
	if n < 0 {
		return adminUsername
	}
	return fmt.Sprintf("person%d", n)
}

// thousands writes n with commas between thousands, as the titles do.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
