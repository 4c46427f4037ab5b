package confluencesim

import (
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

// site is the state of one simulated Confluence site. Its methods lock mu,
// except those named ...Locked, whose callers hold it. Values handed out are
// copies, so callers never race with later changes.
type site struct {
	mu sync.RWMutex

	deployment permissions.Deployment
	rules      ruleSet
	// freeEdition: a Cloud Free edition site refuses legacy grant writes
	// (Options.FreeEdition).
	freeEdition bool
	// requiredPolicy is what role definitions lacking required
	// permissions get (Options.RequiredPermissions).
	requiredPolicy RequiredPolicy

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

// basicCredential is what Basic authentication sends: the login (the email
// on Cloud, the username on Data Center), which compares without case, and
// the API token or password.
type basicCredential struct{ login, token string }

func newSite(seed Seed, d permissions.Deployment, rules ruleSet, now time.Time) *site {
	s := &site{
		deployment:     d,
		rules:          rules,
		roleMode:       seed.RoleMode,
		requiredPolicy: RequiredAdded,
		roles:          newRoleBook(),
		users:          map[string]*User{},
		groups:         map[string]*Group{},
		memberOf:       map[string][]string{},
		apiTokens:      map[basicCredential]string{},
		oauthTokens:    map[string]string{},
		spacesByID:     map[int64]*spaceState{},
		spacesByKey:    map[string]*spaceState{},
		nextSpaceID:    firstSpaceID,
		nextGrantID:    firstGrantID,
	}
	if s.roleMode == "" {
		s.roleMode = PreRoles
	}
	for _, u := range seed.Users {
		s.addUserLocked(u)
	}
	for _, g := range seed.Groups {
		s.addGroupLocked(g)
	}
	for _, c := range seed.Credentials {
		s.addCredentialLocked(c)
	}
	// Seeded ids are taken first so that assigned ids never collide with them.
	taken := map[int64]bool{}
	for _, sp := range seed.Spaces {
		taken[sp.ID] = sp.ID != 0
	}
	for _, sp := range seed.Spaces {
		if sp.ID == 0 {
			sp.ID = s.freeSpaceIDLocked(taken)
		}
		s.addSpaceLocked(sp, now)
	}
	s.seedRolesLocked(seed)
	return s
}

// freeSpaceIDLocked hands out the next space id that is neither in use nor
// in taken.
func (s *site) freeSpaceIDLocked(taken map[int64]bool) int64 {
	for s.spacesByID[s.nextSpaceID] != nil || taken[s.nextSpaceID] {
		s.nextSpaceID++
	}
	id := s.nextSpaceID
	s.nextSpaceID++
	return id
}

func (s *site) addUserLocked(su SeedUser) {
	u := &User{
		AccountID:     su.AccountID,
		DisplayName:   su.DisplayName,
		Email:         su.Email,
		AccountType:   orDefault(su.AccountType, "atlassian"),
		AccountStatus: orDefault(su.AccountStatus, "active"),
		SiteAdmin:     su.SiteAdmin,
	}
	u.Username, u.UserKey = su.dcIdentity()
	s.users[u.AccountID] = u
}

func (s *site) addGroupLocked(sg SeedGroup) {
	s.groups[sg.ID] = &Group{ID: sg.ID, Name: sg.Name, Members: slices.Clone(sg.Members)}
	for _, m := range sg.Members {
		s.memberOf[m] = append(s.memberOf[m], sg.ID)
	}
}

func (s *site) addCredentialLocked(c SeedCredential) {
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
func (s *site) basicLogin(u *User) string {
	if s.deployment == permissions.DataCenter {
		return u.Username
	}
	return u.Email
}

// addSpaceLocked adds a validated seed space whose id is set.
func (s *site) addSpaceLocked(sp SeedSpace, now time.Time) *spaceState {
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
			st.insertLocked(s.newGrantIDLocked(), permissions.Grant{Principal: p, Operation: op})
		}
	}
	s.spacesByID[st.ID] = st
	s.spacesByKey[st.Key] = st
	return st
}

func (s *site) newGrantIDLocked() int64 {
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
