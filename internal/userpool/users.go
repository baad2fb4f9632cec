package userpool

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/federa/federa/internal/store"
	"github.com/google/uuid"
)

// Attribute is a user attribute.
type Attribute struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// User is a user as AdminGetUser and ListUsers describe it.
type User struct {
	Username             string
	Attributes           []Attribute
	CreatedAt, UpdatedAt time.Time
	Enabled              bool
	Status               string
	// MFASettings lists the user's MFA methods (SOFTWARE_TOKEN_MFA);
	// PreferredMFA names the preferred one.
	MFASettings  []string
	PreferredMFA string
}

func describeUser(u store.User) User {
	attrs := make([]Attribute, 0, len(u.Attributes))
	for _, k := range attributeOrder(u.Attributes) {
		attrs = append(attrs, Attribute{k, u.Attributes[k]})
	}
	out := User{Username: u.Username, Attributes: attrs, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, Enabled: u.Enabled, Status: u.Status}
	if t := readSpec(u).TOTP; t.Enabled {
		out.MFASettings = []string{"SOFTWARE_TOKEN_MFA"}
		if t.Preferred {
			out.PreferredMFA = "SOFTWARE_TOKEN_MFA"
		}
	}
	return out
}

// attributeOrder lists attribute names sorted, with sub first, as Cognito
// lists them.
func attributeOrder(m map[string]string) []string {
	keys := slices.Sorted(maps.Keys(m))
	if i := slices.Index(keys, "sub"); i > 0 {
		keys = append(append([]string{"sub"}, keys[:i]...), keys[i+1:]...)
	}
	return keys
}

// userKey is the lookup form of a username in the pool.
func userKey(set PoolSettings, username string) string {
	if set.caseSensitive() {
		return username
	}
	return strings.ToLower(username)
}

func checkUsername(u string) error {
	if u == "" || utf8.RuneCountInString(u) > 128 || strings.ContainsAny(u, " \t\r\n") {
		return ErrInvalidParameter.New("1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+ and have length between 1 and 128")
	}
	return nil
}

// readOnlyAttributes cannot be set by callers.
var readOnlyAttributes = map[string]bool{"sub": true, "cognito:username": true, "cognito:user_status": true}

// AdminCreateUserInput are AdminCreateUser's parameters.
type AdminCreateUserInput struct {
	PoolID, Username, TemporaryPassword, MessageAction string
	Attributes                                         []Attribute
}

// AdminCreateUser creates a user who must change the temporary password at
// first sign-in. The temporary password goes to the outbox unless
// MessageAction is SUPPRESS.
func (s *Service) AdminCreateUser(ctx context.Context, in AdminCreateUserInput) (User, error) {
	_, set, err := s.pool(ctx, in.PoolID)
	if err != nil {
		return User{}, err
	}
	switch in.MessageAction {
	case "", "SUPPRESS", "RESEND":
	default:
		return User{}, ErrInvalidParameter.New("1 validation error detected: Value '%s' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]", in.MessageAction)
	}
	if in.MessageAction == "RESEND" {
		return User{}, ErrUnsupportedOperation.New("RESEND re-sends an invitation to an existing user; create the user without MessageAction first.")
	}
	pw := in.TemporaryPassword
	if pw == "" {
		pw = randomString(12, alnum) + "a1A!"
	}
	u, err := s.createUser(ctx, in.PoolID, set, nil, in.Username, in.Attributes, pw, "FORCE_CHANGE_PASSWORD")
	if err != nil {
		return User{}, err
	}
	if in.MessageAction != "SUPPRESS" {
		if _, err := s.deliver(ctx, u, "AdminCreateUser", "Your temporary password",
			"Your username is "+u.Username+" and temporary password is "+pw+"."); err != nil {
			return User{}, err
		}
	}
	return describeUser(u), nil
}

// createUser validates a new user's name, attributes (against the pool's
// schema and, for a client's SignUp, its WriteAttributes) and password
// (against the pool's policy) and stores the user. In pools whose users
// sign in with email or phone, the name given is that alias and the
// username is the sub.
func (s *Service) createUser(ctx context.Context, poolID string, set PoolSettings, c *Client, username string, given []Attribute, password, status string) (store.User, error) {
	if err := checkUsername(username); err != nil {
		return store.User{}, err
	}
	attrs := map[string]string{}
	for _, a := range given {
		if readOnlyAttributes[a.Name] || a.Name == "" {
			return store.User{}, ErrInvalidParameter.New("Attribute %q cannot be set: it is read-only or empty.", a.Name)
		}
		attrs[a.Name] = a.Value
	}
	if err := set.checkAttributes(c, given, true); err != nil {
		return store.User{}, err
	}
	if len(set.UsernameAttributes) > 0 {
		attr := "email"
		if !strings.Contains(username, "@") {
			attr = "phone_number"
		}
		if !slices.Contains(set.UsernameAttributes, attr) {
			return store.User{}, ErrInvalidParameter.New("Username should be either an email or a phone number.")
		}
		attrs[attr] = username
	}
	if err := set.passwordPolicy().check(password); err != nil {
		return store.User{}, err
	}
	sub := uuid.NewString()
	attrs["sub"] = sub
	if len(set.UsernameAttributes) > 0 {
		username = sub
		if u, err := s.findByAttribute(ctx, poolID, set, attrs); err != nil {
			return store.User{}, err
		} else if u != nil {
			return store.User{}, ErrUsernameExists.New("An account with the given email already exists.")
		}
	}
	secrets, err := newPasswordSecrets(poolID, username, password)
	if err != nil {
		return store.User{}, err
	}
	now := s.clock()
	u := store.User{PoolID: poolID, Key: userKey(set, username), Username: username, Sub: sub, Enabled: true,
		Status: status, Attributes: attrs, CreatedAt: now, UpdatedAt: now}
	secrets.apply(&u)
	if err := s.st.CreateUser(ctx, u); err != nil {
		if errors.Is(err, store.ErrExists) {
			return store.User{}, ErrUsernameExists.New("User account already exists")
		}
		return store.User{}, err
	}
	return u, nil
}

// findByAttribute finds the user whose username attribute (email or phone)
// equals the one in attrs.
func (s *Service) findByAttribute(ctx context.Context, poolID string, set PoolSettings, attrs map[string]string) (*store.User, error) {
	return s.findUser(ctx, poolID, func(u *store.User) bool {
		for _, a := range set.UsernameAttributes {
			if v := attrs[a]; v != "" && strings.EqualFold(u.Attributes[a], v) {
				return true
			}
		}
		return false
	})
}

// findUser scans a pool's users for the first that match accepts. Pools
// hold at most some thousands of users, and these lookups run at sign-up
// and alias sign-in, not on every request.
func (s *Service) findUser(ctx context.Context, poolID string, match func(*store.User) bool) (*store.User, error) {
	after := ""
	for {
		page, err := s.st.ListUsers(ctx, poolID, after, 500)
		if err != nil {
			return nil, err
		}
		for i := range page {
			if match(&page[i]) {
				return &page[i], nil
			}
		}
		if len(page) < 500 {
			return nil, nil
		}
		after = page[len(page)-1].Key
	}
}

// user finds a user by username, or by email/phone in pools that sign in
// with them.
func (s *Service) user(ctx context.Context, poolID string, set PoolSettings, username string) (store.User, error) {
	if err := checkUsername(username); err != nil {
		return store.User{}, err
	}
	u, err := s.st.GetUser(ctx, poolID, userKey(set, username))
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return u, err
	}
	if len(set.UsernameAttributes) > 0 {
		attrs := map[string]string{}
		for _, a := range set.UsernameAttributes {
			attrs[a] = username
		}
		found, err := s.findByAttribute(ctx, poolID, set, attrs)
		if err != nil {
			return store.User{}, err
		}
		if found != nil {
			return *found, nil
		}
	}
	if len(set.AliasAttributes) > 0 {
		found, err := s.findByAlias(ctx, poolID, set.AliasAttributes, username, "")
		if err != nil {
			return store.User{}, err
		}
		if found != nil {
			return *found, nil
		}
	}
	return store.User{}, ErrUserNotFound.New("User does not exist.")
}

// findByAlias finds the user whose alias (a verified email or phone
// number, or preferred_username) is value, other than the user with key
// except. Aliases compare ignoring case, as Cognito's do.
func (s *Service) findByAlias(ctx context.Context, poolID string, aliases []string, value, except string) (*store.User, error) {
	return s.findUser(ctx, poolID, func(u *store.User) bool {
		if u.Key == except {
			return false
		}
		for _, a := range aliases {
			v := u.Attributes[a]
			usable := a == "preferred_username" || u.Attributes[a+"_verified"] == "true"
			if v != "" && usable && strings.EqualFold(v, value) {
				return true
			}
		}
		return false
	})
}

// claimAliases refuses, as AliasExistsException, a user's alias that
// another user already signs in with.
func (s *Service) claimAliases(ctx context.Context, set PoolSettings, u store.User) error {
	for _, a := range set.AliasAttributes {
		v := u.Attributes[a]
		if v == "" || (a != "preferred_username" && u.Attributes[a+"_verified"] != "true") {
			continue
		}
		other, err := s.findByAlias(ctx, u.PoolID, []string{a}, v, u.Key)
		if err != nil {
			return err
		}
		if other != nil {
			return ErrAliasExists.New("An account with the %s already exists.", a)
		}
	}
	return nil
}

// AdminGetUser returns a user.
func (s *Service) AdminGetUser(ctx context.Context, poolID, username string) (User, error) {
	_, set, err := s.pool(ctx, poolID)
	if err != nil {
		return User{}, err
	}
	u, err := s.user(ctx, poolID, set, username)
	if err != nil {
		return User{}, err
	}
	return describeUser(u), nil
}

// AdminSetUserPassword sets a user's password, permanent (CONFIRMED) or
// temporary (FORCE_CHANGE_PASSWORD).
func (s *Service) AdminSetUserPassword(ctx context.Context, poolID, username, password string, permanent bool) error {
	_, set, err := s.pool(ctx, poolID)
	if err != nil {
		return err
	}
	u, err := s.user(ctx, poolID, set, username)
	if err != nil {
		return err
	}
	if err := set.passwordPolicy().check(password); err != nil {
		return err
	}
	secrets, err := newPasswordSecrets(poolID, u.Username, password)
	if err != nil {
		return err
	}
	_, err = s.st.UpdateUser(ctx, poolID, u.Key, func(u *store.User) error {
		secrets.apply(u)
		u.Status = "FORCE_CHANGE_PASSWORD"
		if permanent {
			u.Status = "CONFIRMED"
		}
		u.UpdatedAt = s.clock()
		return nil
	})
	return err
}

// AdminDeleteUser deletes a user and revokes its refresh tokens.
func (s *Service) AdminDeleteUser(ctx context.Context, poolID, username string) error {
	_, set, err := s.pool(ctx, poolID)
	if err != nil {
		return err
	}
	u, err := s.user(ctx, poolID, set, username)
	if err != nil {
		return err
	}
	return s.st.DeleteUser(ctx, poolID, u.Key)
}

// ListUsers lists a pool's users in username order. Filter supports
// Cognito's `attribute = "value"` and `attribute ^= "prefix"` forms.
func (s *Service) ListUsers(ctx context.Context, poolID, filter, token string, limit int) ([]User, string, error) {
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return nil, "", err
	}
	if limit == 0 {
		limit = 60
	}
	if limit < 1 || limit > 60 {
		return nil, "", ErrInvalidParameter.New("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 0 and 60", limit)
	}
	match, err := parseFilter(filter)
	if err != nil {
		return nil, "", err
	}
	var out []User
	after := token
	for {
		page, err := s.st.ListUsers(ctx, poolID, after, 200)
		if err != nil {
			return nil, "", err
		}
		for _, u := range page {
			if !match(u) {
				continue
			}
			if len(out) == limit {
				return out, after, nil
			}
			out = append(out, describeUser(u))
			after = u.Key
		}
		if len(page) < 200 {
			return out, "", nil
		}
		after = page[len(page)-1].Key
	}
}

// filterable maps the names ListUsers filters on to how they are read.
var filterable = map[string]func(store.User) string{
	"username":            func(u store.User) string { return u.Username },
	"cognito:user_status": func(u store.User) string { return u.Status },
	"status": func(u store.User) string {
		if u.Enabled {
			return "Enabled"
		}
		return "Disabled"
	},
}

func parseFilter(f string) (func(store.User) bool, error) {
	f = strings.TrimSpace(f)
	if f == "" {
		return func(store.User) bool { return true }, nil
	}
	bad := ErrInvalidParameter.New("Error while parsing filter: use attribute = \"value\" or attribute ^= \"prefix\".")
	op := "="
	i := strings.Index(f, "^=")
	if i >= 0 {
		op = "^="
	} else if i = strings.Index(f, "="); i < 0 {
		return nil, bad
	}
	name := strings.TrimSpace(f[:i])
	val := strings.TrimSpace(f[i+len(op):])
	if len(val) < 2 || val[0] != '"' || val[len(val)-1] != '"' || name == "" {
		return nil, bad
	}
	val = val[1 : len(val)-1]
	get, ok := filterable[name]
	if !ok {
		get = func(u store.User) string { return u.Attributes[name] }
		if name == "sub" {
			get = func(u store.User) string { return u.Sub }
		}
	}
	return func(u store.User) bool {
		v := get(u)
		if op == "^=" {
			return strings.HasPrefix(v, val)
		}
		return v == val
	}, nil
}
