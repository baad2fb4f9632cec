package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"time"

	"github.com/federa/federa/internal/store"
)

// PoolPolicies is a pool's Policies setting.
type PoolPolicies struct {
	PasswordPolicy *PasswordPolicy  `json:"PasswordPolicy,omitempty"`
	SignInPolicy   *json.RawMessage `json:"SignInPolicy,omitempty"`
}

// PoolSettings are the settings CreateUserPool accepts, stored as given.
// Fields federa acts on are typed; the rest are kept verbatim for
// DescribeUserPool.
type PoolSettings struct {
	Policies                    *PoolPolicies     `json:"Policies,omitempty"`
	DeletionProtection          string            `json:"DeletionProtection,omitempty"`
	LambdaConfig                json.RawMessage   `json:"LambdaConfig,omitempty"`
	AutoVerifiedAttributes      []string          `json:"AutoVerifiedAttributes,omitempty"`
	AliasAttributes             []string          `json:"AliasAttributes,omitempty"`
	UsernameAttributes          []string          `json:"UsernameAttributes,omitempty"`
	SmsVerificationMessage      string            `json:"SmsVerificationMessage,omitempty"`
	EmailVerificationMessage    string            `json:"EmailVerificationMessage,omitempty"`
	EmailVerificationSubject    string            `json:"EmailVerificationSubject,omitempty"`
	VerificationMessageTemplate json.RawMessage   `json:"VerificationMessageTemplate,omitempty"`
	SmsAuthenticationMessage    string            `json:"SmsAuthenticationMessage,omitempty"`
	MfaConfiguration            string            `json:"MfaConfiguration,omitempty"`
	SoftwareTokenMfaEnabled     bool              `json:"SoftwareTokenMfaEnabled,omitempty"`
	UserAttributeUpdateSettings json.RawMessage   `json:"UserAttributeUpdateSettings,omitempty"`
	DeviceConfiguration         json.RawMessage   `json:"DeviceConfiguration,omitempty"`
	EmailConfiguration          json.RawMessage   `json:"EmailConfiguration,omitempty"`
	SmsConfiguration            json.RawMessage   `json:"SmsConfiguration,omitempty"`
	UserPoolTags                map[string]string `json:"UserPoolTags,omitempty"`
	AdminCreateUserConfig       json.RawMessage   `json:"AdminCreateUserConfig,omitempty"`
	Schema                      json.RawMessage   `json:"Schema,omitempty"`
	UserPoolAddOns              json.RawMessage   `json:"UserPoolAddOns,omitempty"`
	UsernameConfiguration       *struct {
		CaseSensitive *bool `json:"CaseSensitive,omitempty"`
	} `json:"UsernameConfiguration,omitempty"`
	AccountRecoverySetting json.RawMessage `json:"AccountRecoverySetting,omitempty"`
	UserPoolTier           string          `json:"UserPoolTier,omitempty"`
}

// Pool is a user pool as DescribeUserPool returns it.
type Pool struct {
	ID, Name, ARN        string
	CreatedAt, UpdatedAt time.Time
	Settings             PoolSettings
	// Domain is the pool's prefix domain, "" when none.
	Domain string
	// EstimatedNumberOfUsers is a count of the pool's users.
	EstimatedNumberOfUsers int
}

var poolNamePattern = regexp.MustCompile(`^[\w\s+=,.@-]+$`)

// passwordPolicy returns the pool's effective password policy.
func (p PoolSettings) passwordPolicy() PasswordPolicy {
	if p.Policies != nil && p.Policies.PasswordPolicy != nil {
		return *p.Policies.PasswordPolicy
	}
	return defaultPasswordPolicy()
}

// caseSensitive reports whether usernames are case sensitive. New pools
// created through the API are case-insensitive unless they say otherwise.
func (p PoolSettings) caseSensitive() bool {
	return p.UsernameConfiguration != nil && p.UsernameConfiguration.CaseSensitive != nil && *p.UsernameConfiguration.CaseSensitive
}

// CreateUserPool creates a pool and its first signing key.
func (s *Service) CreateUserPool(ctx context.Context, name string, set PoolSettings) (Pool, error) {
	if name == "" || len(name) > 128 || !poolNamePattern.MatchString(name) {
		return Pool{}, ErrInvalidParameter.New("1 validation error detected: Value '%s' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+ and have length between 1 and 128", name)
	}
	if err := set.normalize(); err != nil {
		return Pool{}, err
	}
	if _, err := validateSchema(set.Schema); err != nil {
		return Pool{}, err
	}
	if set.MfaConfiguration != "OFF" {
		return Pool{}, ErrInvalidParameter.New("Create the pool with MfaConfiguration OFF, then enable software-token MFA with SetUserPoolMfaConfig: federa sends no SMS codes.")
	}
	spec, err := json.Marshal(set)
	if err != nil {
		return Pool{}, err
	}
	now := s.clock()
	p := store.UserPool{ID: s.region + "_" + randomString(9, alnum), Name: name, CreatedAt: now, UpdatedAt: now, Spec: spec}
	if err := s.keys.Ensure(ctx, keyPurpose(p.ID)); err != nil {
		return Pool{}, err
	}
	if err := s.st.CreateUserPool(ctx, p); err != nil {
		return Pool{}, err
	}
	return s.describe(p, set, "", 0), nil
}

// UpdateUserPool replaces a pool's settings, as Cognito does: what the
// request leaves out returns to its default. How users sign in (username
// attributes, aliases, case sensitivity, schema) cannot change, and the
// pool's TOTP setting belongs to SetUserPoolMfaConfig.
func (s *Service) UpdateUserPool(ctx context.Context, id string, set PoolSettings) error {
	_, old, err := s.pool(ctx, id)
	if err != nil {
		return err
	}
	set.UsernameAttributes, set.AliasAttributes, set.UsernameConfiguration, set.Schema =
		old.UsernameAttributes, old.AliasAttributes, old.UsernameConfiguration, old.Schema
	set.SoftwareTokenMfaEnabled = old.SoftwareTokenMfaEnabled
	if err := set.normalize(); err != nil {
		return err
	}
	if set.MfaConfiguration != "OFF" && !set.SoftwareTokenMfaEnabled {
		return ErrInvalidParameter.New("Turn on software-token MFA with SetUserPoolMfaConfig before setting MfaConfiguration to %s.", set.MfaConfiguration)
	}
	spec, err := json.Marshal(set)
	if err != nil {
		return err
	}
	_, err = s.st.UpdateUserPool(ctx, id, func(p *store.UserPool) error {
		p.Spec, p.UpdatedAt = spec, s.clock()
		return nil
	})
	return err
}

// normalize validates settings and fills Cognito's defaults.
func (set *PoolSettings) normalize() error {
	if set.Policies == nil {
		set.Policies = &PoolPolicies{}
	}
	if set.Policies.PasswordPolicy == nil {
		pp := defaultPasswordPolicy()
		set.Policies.PasswordPolicy = &pp
	} else if pp := set.Policies.PasswordPolicy; pp.MinimumLength < 6 || pp.MinimumLength > 99 {
		return ErrInvalidParameter.New("Password policy MinimumLength must be between 6 and 99.")
	}
	for _, a := range set.UsernameAttributes {
		if a != "email" && a != "phone_number" {
			return ErrInvalidParameter.New("UsernameAttributes may contain only email and phone_number, not %q.", a)
		}
	}
	for _, a := range set.AliasAttributes {
		if a != "email" && a != "phone_number" && a != "preferred_username" {
			return ErrInvalidParameter.New("AliasAttributes may contain only email, phone_number and preferred_username, not %q.", a)
		}
	}
	if len(set.UsernameAttributes) > 0 && len(set.AliasAttributes) > 0 {
		return ErrInvalidParameter.New("Only one of UsernameAttributes or AliasAttributes can be set in a User Pool.")
	}
	for _, a := range set.AutoVerifiedAttributes {
		if a != "email" && a != "phone_number" {
			return ErrInvalidParameter.New("AutoVerifiedAttributes may contain only email and phone_number, not %q.", a)
		}
	}
	switch set.MfaConfiguration {
	case "":
		set.MfaConfiguration = "OFF"
	case "OFF", "ON", "OPTIONAL":
	default:
		return ErrInvalidParameter.New("1 validation error detected: Value '%s' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]", set.MfaConfiguration)
	}
	if set.DeletionProtection == "" {
		set.DeletionProtection = "INACTIVE"
	}
	return nil
}

func (s *Service) describe(p store.UserPool, set PoolSettings, domain string, users int) Pool {
	return Pool{ID: p.ID, Name: p.Name, ARN: "arn:aws:cognito-idp:" + s.region + ":" + s.account + ":userpool/" + p.ID,
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, Settings: set, Domain: domain, EstimatedNumberOfUsers: users}
}

// pool loads a pool and its settings.
func (s *Service) pool(ctx context.Context, id string) (store.UserPool, PoolSettings, error) {
	var set PoolSettings
	if id == "" || len(id) > 55 {
		return store.UserPool{}, set, ErrInvalidParameter.New("1 validation error detected: Value '%s' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+", id)
	}
	p, err := s.st.GetUserPool(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return p, set, ErrResourceNotFound.New("User pool %s does not exist.", id)
	}
	if err != nil {
		return p, set, err
	}
	if err := json.Unmarshal(p.Spec, &set); err != nil {
		return p, set, err
	}
	return p, set, nil
}

// DescribeUserPool returns a pool with its domain and user count.
func (s *Service) DescribeUserPool(ctx context.Context, id string) (Pool, error) {
	p, set, err := s.pool(ctx, id)
	if err != nil {
		return Pool{}, err
	}
	domain := ""
	if d, err := s.st.GetDomainByPool(ctx, id); err == nil {
		domain = d.Domain
	} else if !errors.Is(err, store.ErrNotFound) {
		return Pool{}, err
	}
	n := 0
	after := ""
	for {
		page, err := s.st.ListUsers(ctx, id, after, 1000)
		if err != nil {
			return Pool{}, err
		}
		n += len(page)
		if len(page) < 1000 {
			break
		}
		after = page[len(page)-1].Key
	}
	return s.describe(p, set, domain, n), nil
}

// ListUserPools lists pools in id order; next is the token of the next page.
func (s *Service) ListUserPools(ctx context.Context, token string, max int) ([]Pool, string, error) {
	if max < 1 || max > 60 {
		return nil, "", ErrInvalidParameter.New("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 60", max)
	}
	page, err := s.st.ListUserPools(ctx, token, max+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(page) > max {
		page = page[:max]
		next = page[max-1].ID
	}
	out := make([]Pool, 0, len(page))
	for _, p := range page {
		var set PoolSettings
		_ = json.Unmarshal(p.Spec, &set)
		out = append(out, s.describe(p, set, "", 0))
	}
	return out, next, nil
}

// DeleteUserPool deletes a pool with everything in it, unless deletion
// protection is on.
func (s *Service) DeleteUserPool(ctx context.Context, id string) error {
	_, set, err := s.pool(ctx, id)
	if err != nil {
		return err
	}
	if set.DeletionProtection == "ACTIVE" {
		return ErrInvalidParameter.New("The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.")
	}
	if err := s.st.DeleteUserPool(ctx, id); err != nil {
		return err
	}
	return s.keys.Delete(ctx, keyPurpose(id))
}

// RotateSigningKey makes a new RSA key sign the pool's tokens. The previous
// key stays in the JWKS, so tokens already issued keep verifying until they
// expire; the key before it is deleted.
func (s *Service) RotateSigningKey(ctx context.Context, poolID string) error {
	if _, _, err := s.pool(ctx, poolID); err != nil {
		return err
	}
	return s.keys.Rotate(ctx, keyPurpose(poolID))
}
