package state

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// First ids handed out when a seed does not fix them. Real ids are large
// numbers; starting high keeps ids realistic without meaning anything.
const (
	firstSpaceID = 98305
	firstGrantID = 7405569
)

// Store is the state of one simulated Confluence site. Its exported methods
// take mu; its unexported ones expect it held (see the package comment).
type Store struct {
	mu sync.RWMutex

	deployment permissions.Deployment
	rules      rules
	// freeEdition: a Cloud Free edition site refuses legacy grant writes
	// (Config.FreeEdition).
	freeEdition bool
	// requiredPolicy is what role definitions lacking required
	// permissions get (Config.RequiredPolicy).
	requiredPolicy RequiredPolicy
	// grantPolicy limits what callers may assign (Config.GrantPolicy).
	grantPolicy GrantPolicy
	// assignmentFailure is what a refused entry of a role assignment
	// request leaves applied (Config.AssignmentFailure).
	assignmentFailure AssignmentFailure
	// transition is the roles transition tool's inventory and tasks.
	transition transitionBook

	roleMode    RoleMode
	roles       *roleBook
	users       map[string]*User           // by accountId
	groups      map[string]*Group          // by id
	memberOf    map[string][]string        // accountId → group ids
	apiTokens   map[basicCredential]string // → accountId
	oauthTokens map[string]string          // → accountId

	spacesByID  map[int64]*spaceState
	spacesByKey map[string]*spaceState
	nextSpaceID int64
	nextGrantID int64
}

// Config is what a site is besides its content: the deployment, whose rules
// it keeps, and the Cloud answers chosen where the record is silent.
type Config struct {
	Deployment permissions.Deployment
	// FreeEdition makes legacy grant writes answer RuleFreeEdition.
	FreeEdition bool
	// RequiredPolicy is what role definitions lacking required permissions
	// get; "" is RequiredAdded.
	RequiredPolicy RequiredPolicy
	// GrantPolicy limits the roles callers may assign; "" is
	// GrantWhatYouHave.
	GrantPolicy GrantPolicy
	// AssignmentFailure is what a refused entry of a role assignment
	// request leaves applied; "" is AssignmentsUpToFailure.
	AssignmentFailure AssignmentFailure
	// CombinationsNotGenerated starts the site without a transition
	// inventory: until one is generated, the list is empty and has no
	// generation time. By default the site starts with one worked out from
	// the seed.
	CombinationsNotGenerated bool
}

// basicCredential is what Basic authentication sends: the login (the email
// on Cloud, the username on Data Center), which compares without case, and
// the API token or password.
type basicCredential struct{ login, token string }

// New builds a site from a seed that passed ValidateFor(cfg.Deployment);
// now is the creation time of spaces whose seed gives none.
func New(seed Seed, cfg Config, now time.Time) *Store {
	s := &Store{
		deployment:        cfg.Deployment,
		rules:             rulesOf(cfg.Deployment),
		freeEdition:       cfg.FreeEdition,
		requiredPolicy:    cfg.RequiredPolicy,
		grantPolicy:       cmp.Or(cfg.GrantPolicy, GrantWhatYouHave),
		assignmentFailure: cmp.Or(cfg.AssignmentFailure, AssignmentsUpToFailure),
		transition:        newTransitionBook(),
		roleMode:          seed.RoleMode,
		roles:             newRoleBook(),
		users:             map[string]*User{},
		groups:            map[string]*Group{},
		memberOf:          map[string][]string{},
		apiTokens:         map[basicCredential]string{},
		oauthTokens:       map[string]string{},
		spacesByID:        map[int64]*spaceState{},
		spacesByKey:       map[string]*spaceState{},
		nextSpaceID:       firstSpaceID,
		nextGrantID:       firstGrantID,
	}
	if s.requiredPolicy == "" {
		s.requiredPolicy = RequiredAdded
	}
	if s.roleMode == "" {
		s.roleMode = PreRoles
	}
	for _, u := range seed.Users {
		s.addUser(u)
	}
	for _, g := range seed.Groups {
		s.addGroup(g)
	}
	for _, c := range seed.Credentials {
		s.addCredential(c)
	}
	// Seeded ids are taken first so that assigned ids never collide with them.
	taken := map[int64]bool{}
	for _, sp := range seed.Spaces {
		taken[sp.ID] = sp.ID != 0
	}
	for _, sp := range seed.Spaces {
		if sp.ID == 0 {
			sp.ID = s.freeSpaceID(taken)
		}
		s.addSpace(sp, now)
	}
	s.seedRoles(seed)
	if cfg.Deployment == permissions.Cloud && !cfg.CombinationsNotGenerated {
		s.generateCombinations(now)
	}
	return s
}

// freeSpaceID hands out the next space id that is neither in use nor in
// taken.
func (s *Store) freeSpaceID(taken map[int64]bool) int64 {
	for s.spacesByID[s.nextSpaceID] != nil || taken[s.nextSpaceID] {
		s.nextSpaceID++
	}
	id := s.nextSpaceID
	s.nextSpaceID++
	return id
}

func (s *Store) addUser(su SeedUser) {
	u := &User{
		AccountID:     su.AccountID,
		DisplayName:   su.DisplayName,
		Email:         su.Email,
		AccountType:   orDefault(su.AccountType, "atlassian"),
		AccountStatus: orDefault(su.AccountStatus, "active"),
		SiteAdmin:     su.SiteAdmin,
	}
	u.Username, u.UserKey = su.DCIdentity()
	s.users[u.AccountID] = u
}

func (s *Store) addGroup(sg SeedGroup) {
	s.groups[sg.ID] = &Group{ID: sg.ID, Name: sg.Name, Members: slices.Clone(sg.Members)}
	for _, m := range sg.Members {
		s.memberOf[m] = append(s.memberOf[m], sg.ID)
	}
}

func (s *Store) addCredential(c SeedCredential) {
	if c.APIToken != "" {
		login := strings.ToLower(s.basicLogin(s.users[c.AccountID]))
		s.apiTokens[basicCredential{login, c.APIToken}] = c.AccountID
	}
	if c.OAuthToken != "" {
		s.oauthTokens[c.OAuthToken] = c.AccountID
	}
}

// basicLogin is the name Basic authentication pairs with the API token: the
// email on Cloud
// (contributing/confluence-api.md#cloud-addresses-and-credentials), the
// username on Data Center
// (contributing/confluence-api.md#data-center-authentication-and-xsrf).
func (s *Store) basicLogin(u *User) string {
	if s.deployment == permissions.DataCenter {
		return u.Username
	}
	return u.Email
}

// addSpace adds a validated seed space whose id is set.
func (s *Store) addSpace(sp SeedSpace, now time.Time) *spaceState {
	st := &spaceState{
		Space: Space{
			ID:        sp.ID,
			Key:       sp.Key,
			Name:      sp.Name,
			Type:      orDefault(sp.Type, "global"),
			Status:    orDefault(sp.Status, "current"),
			Labels:    slices.Clone(sp.Labels),
			AuthorID:  sp.AuthorID,
			CreatedAt: sp.CreatedAt,
		},
		byPair: map[permissions.Grant]int64{},
		roles:  s.roles,
	}
	if st.CreatedAt.IsZero() {
		st.CreatedAt = now
	}
	for _, g := range sp.Grants {
		p := g.Principal.principal()
		if st.AuthorID == "" && p.Type == permissions.User && slices.Contains(g.Operations, permissions.AdministerSpace.String()) {
			st.AuthorID = p.ID
		}
		ops := make([]permissions.Operation, 0, len(g.Operations))
		for _, o := range g.Operations {
			op, _ := permissions.ParseOperation(o) // validated with the seed
			ops = append(ops, op)
		}
		sortOperations(ops) // read/space first, as Confluence requires
		for _, op := range ops {
			st.insert(s.newGrantID(), permissions.Grant{Principal: p, Operation: op})
		}
	}
	s.spacesByID[st.ID] = st
	s.spacesByKey[st.Key] = st
	return st
}

func (s *Store) newGrantID() int64 {
	id := s.nextGrantID
	s.nextGrantID++
	return id
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
