package confluencesim

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim/internal/state"
)

// A seed is the initial content of a simulated site, written as JSON (see
// seeds/demo.json) or built in Go. Its types are the state's, which builds
// sites from seeds and checks them against the flavour's rules; what is
// here reads them from JSON.
type (
	// Seed is the initial content of a simulated site. Validate reports
	// every problem at once, naming where it is.
	Seed = state.Seed
	// SeedUser is a user account.
	SeedUser = state.SeedUser
	// SeedGroup is a group; Members are accountIds.
	SeedGroup = state.SeedGroup
	// SeedCredential lets requests act as an account, on either flavour.
	SeedCredential = state.SeedCredential
	// SeedSpace is a space with its initial grants.
	SeedSpace = state.SeedSpace
	// SeedGrant gives one principal a list of operations ("key/target").
	SeedGrant = state.SeedGrant
	// SeedPrincipal names a user (by accountId), a group (by id) or
	// anonymous (no id).
	SeedPrincipal = state.SeedPrincipal
	// SeedRole is a custom space role of a Cloud site with space roles.
	SeedRole = state.SeedRole
	// SeedRoleAssignment gives one principal a role in a space.
	SeedRoleAssignment = state.SeedRoleAssignment
	// SeedRolePrincipal is a role assignment's principal, written as the
	// API writes it.
	SeedRolePrincipal = state.SeedRolePrincipal
	// SeedError lists every problem found in a seed.
	SeedError = state.SeedError
)

// ParseSeed decodes a JSON seed strictly (unknown fields are errors) and
// validates it.
func ParseSeed(r io.Reader) (Seed, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var s Seed
	if err := dec.Decode(&s); err != nil {
		return Seed{}, fmt.Errorf("seed is not valid JSON for confluencesim: %w", err)
	}
	if dec.More() {
		return Seed{}, fmt.Errorf("seed has content after its JSON object")
	}
	if err := s.Validate(); err != nil {
		return Seed{}, err
	}
	return s, nil
}

// LoadSeed reads and validates a JSON seed file.
func LoadSeed(path string) (Seed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Seed{}, fmt.Errorf("reading seed: %w", err)
	}
	s, err := ParseSeed(bytes.NewReader(data))
	if err != nil {
		return Seed{}, fmt.Errorf("seed %s: %w", path, err)
	}
	return s, nil
}

//go:embed seeds/demo.json
var seedFiles embed.FS

// DemoSeed returns the demo site of seeds/demo.json: spaces DOCS, ENG, HR
// and OPS; users alice, bob and carol; a site-admin account "terraform"
// (terraform@example.com on Cloud, username terraform on Data Center, API
// token or password "demo-token", OAuth token or PAT "demo-oauth-token");
// groups confluence-users, engineering and hr-team. It uses only operations
// both flavours offer.
func DemoSeed() Seed {
	data, err := seedFiles.ReadFile("seeds/demo.json")
	if err != nil {
		panic(err) // embedded at build time
	}
	s, err := ParseSeed(bytes.NewReader(data))
	if err != nil {
		panic(fmt.Sprintf("confluencesim: embedded demo seed is invalid: %v", err))
	}
	return s
}
