package setup

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// validator collects every problem of a decoded file, each at the line of
// the value at fault.
type validator struct {
	f     *File
	probs Problems
}

// at returns the line of path, or of its nearest ancestor that has one.
func (f *File) at(path string) int {
	for path != "" {
		if n, ok := f.lines[path]; ok {
			return n
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

func (v *validator) bad(path, format string, args ...any) {
	v.probs = append(v.probs, Problem{File: v.f.name, Line: v.f.at(path), Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) badLine(line int, format string, args ...any) {
	v.probs = append(v.probs, Problem{File: v.f.name, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// names checks that each item has a name and no two share one; fold
// compares case-insensitively, as IAM does.
func (v *validator) names(what, list string, n int, name func(int) string, key string, fold bool) map[string]bool {
	seen := map[string]int{}
	out := map[string]bool{}
	for i := 0; i < n; i++ {
		p := fmt.Sprintf("%s[%d]", list, i)
		s := name(i)
		if s == "" {
			v.bad(p, "%s needs a %s", what, key)
			continue
		}
		k := s
		if fold {
			k = strings.ToLower(s)
		}
		if first, dup := seen[k]; dup {
			v.bad(p+"."+key, "duplicate %s %q (first at line %d)", what, s, v.f.at(fmt.Sprintf("%s[%d]", list, first)))
			continue
		}
		seen[k] = i
		out[s] = true
	}
	return out
}

func (v *validator) oneOf(path, what, value string, allowed ...string) {
	if value != "" && !slices.Contains(allowed, value) {
		v.bad(path, "%s %q is not one of %s", what, value, strings.Join(allowed, ", "))
	}
}

func (v *validator) each(path, what string, values []string, allowed ...string) {
	for i, s := range values {
		v.oneOf(fmt.Sprintf("%s[%d]", path, i), what, s, allowed...)
	}
}

var (
	poolNameRE   = regexp.MustCompile(`^[\w\s+=,.@-]{1,128}$`)
	domainRE     = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
	roleNameRE   = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	policyNameRE = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)
	bucketRE     = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	iamPathRE    = regexp.MustCompile(`^/(?:[\x21-\x7e]*/)?$`)
)

// standardScopes are the scopes every pool offers.
var standardScopes = []string{"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"}

// authFlows are the ExplicitAuthFlows Cognito knows.
var authFlows = []string{"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_PASSWORD_AUTH",
	"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH", "ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"}

// standardAttributes are the attributes every pool has.
var standardAttributes = []string{"address", "birthdate", "email", "email_verified", "family_name", "gender", "given_name",
	"locale", "middle_name", "name", "nickname", "phone_number", "phone_number_verified", "picture", "preferred_username",
	"profile", "sub", "updated_at", "website", "zoneinfo"}

func (f *File) validate() Problems {
	v := &validator{f: f}
	v.names("OIDC provider", "oidcProviders", len(f.OIDCProviders), func(i int) string { return oidcKey(f.OIDCProviders[i].URL) }, "url", true)
	for i, o := range f.OIDCProviders {
		if u, err := url.Parse(o.URL); o.URL != "" && (err != nil || u.Scheme != "https" || u.Host == "") {
			v.bad(fmt.Sprintf("oidcProviders[%d].url", i), "an OIDC provider's url is https://host[/path], not %q", o.URL)
		}
	}
	v.names("user pool", "userPools", len(f.UserPools), func(i int) string { return f.UserPools[i].Name }, "name", false)
	domains := map[string]int{}
	for i := range f.UserPools {
		p := &f.UserPools[i]
		v.userPool(fmt.Sprintf("userPools[%d]", i), p)
		if p.Domain != "" {
			if first, dup := domains[p.Domain]; dup {
				v.bad(fmt.Sprintf("userPools[%d].domain", i), "domain %q is also the domain of user pool %s (line %d)", p.Domain, f.UserPools[first].Name, f.at(fmt.Sprintf("userPools[%d].domain", first)))
			}
			domains[p.Domain] = i
		}
	}
	v.names("identity pool", "identityPools", len(f.IdentityPools), func(i int) string { return f.IdentityPools[i].Name }, "name", false)
	for i := range f.IdentityPools {
		v.identityPool(fmt.Sprintf("identityPools[%d]", i), &f.IdentityPools[i])
	}
	v.names("managed policy", "policies", len(f.Policies), func(i int) string { return f.Policies[i].Name }, "name", true)
	for i, p := range f.Policies {
		path := fmt.Sprintf("policies[%d]", i)
		if p.Name != "" && !policyNameRE.MatchString(p.Name) {
			v.bad(path+".name", "policy name %q may hold only letters, digits and +=,.@_- (at most 128)", p.Name)
		}
		if p.Path != "" && !iamPathRE.MatchString(p.Path) {
			v.bad(path+".path", "path %q must begin and end with /", p.Path)
		}
		v.document(path+".document", &p.Document)
	}
	v.names("role", "roles", len(f.Roles), func(i int) string { return f.Roles[i].Name }, "name", true)
	for i := range f.Roles {
		v.role(fmt.Sprintf("roles[%d]", i), &f.Roles[i])
	}
	v.names("bucket", "buckets", len(f.Buckets), func(i int) string { return f.Buckets[i].Name }, "name", false)
	for i := range f.Buckets {
		v.bucket(fmt.Sprintf("buckets[%d]", i), &f.Buckets[i])
	}
	v.restAPIs()
	return v.probs
}

func (v *validator) userPool(path string, p *UserPool) {
	if p.Name != "" && !poolNameRE.MatchString(p.Name) {
		v.bad(path+".name", "user pool name %q may hold only letters, digits, spaces and +=,.@_- (at most 128)", p.Name)
	}
	v.each(path+".usernameAttributes", "username attribute", p.UsernameAttributes, "email", "phone_number")
	v.each(path+".aliasAttributes", "alias attribute", p.AliasAttributes, "email", "phone_number", "preferred_username")
	if len(p.UsernameAttributes) > 0 && len(p.AliasAttributes) > 0 {
		v.bad(path+".aliasAttributes", "a pool has usernameAttributes or aliasAttributes, not both")
	}
	v.each(path+".autoVerifiedAttributes", "auto-verified attribute", p.AutoVerifiedAttributes, "email", "phone_number")
	v.oneOf(path+".mfa", "mfa", p.MFA, "OFF", "OPTIONAL", "ON")
	if pp := p.PasswordPolicy; pp != nil {
		if pp.MinimumLength != nil && (*pp.MinimumLength < 6 || *pp.MinimumLength > 99) {
			v.bad(path+".passwordPolicy.minimumLength", "minimumLength is between 6 and 99, not %d", *pp.MinimumLength)
		}
		if d := pp.TemporaryPasswordValidityDays; d != nil && (*d < 0 || *d > 365) {
			v.bad(path+".passwordPolicy.temporaryPasswordValidityDays", "temporaryPasswordValidityDays is between 0 and 365, not %d", *d)
		}
		if h := pp.PasswordHistorySize; h != nil && (*h < 0 || *h > 24) {
			v.bad(path+".passwordPolicy.passwordHistorySize", "passwordHistorySize is between 0 and 24, not %d", *h)
		}
	}
	v.names("schema attribute", path+".schema", len(p.Schema), func(i int) string { return attrName(p.Schema[i].Name) }, "name", false)
	for i, a := range p.Schema {
		ap := fmt.Sprintf("%s.schema[%d]", path, i)
		v.oneOf(ap+".type", "attribute type", a.Type, "String", "Number", "DateTime", "Boolean")
		if n := strings.TrimPrefix(attrName(a.Name), "custom:"); !slices.Contains(standardAttributes, a.Name) && len(n) > 20 {
			v.bad(ap+".name", "custom attribute names are at most 20 characters: %q", n)
		}
	}
	if p.Domain != "" && !domainRE.MatchString(p.Domain) {
		v.bad(path+".domain", "domain %q may hold only lower-case letters, digits and hyphens (not first or last), at most 63", p.Domain)
	}
	v.names("resource server", path+".resourceServers", len(p.ResourceServers), func(i int) string { return p.ResourceServers[i].Identifier }, "identifier", false)
	scopes := slices.Clone(standardScopes)
	for i, rs := range p.ResourceServers {
		rp := fmt.Sprintf("%s.resourceServers[%d]", path, i)
		if rs.Name == "" {
			v.bad(rp, "resource server %s needs a name", rs.Identifier)
		}
		v.names("scope", rp+".scopes", len(rs.Scopes), func(j int) string { return rs.Scopes[j].Name }, "name", false)
		for _, s := range rs.Scopes {
			scopes = append(scopes, rs.Identifier+"/"+s.Name)
		}
	}
	v.names("app client", path+".clients", len(p.Clients), func(i int) string { return p.Clients[i].Name }, "name", false)
	for i := range p.Clients {
		v.client(fmt.Sprintf("%s.clients[%d]", path, i), &p.Clients[i], scopes)
	}
	groups := v.names("group", path+".groups", len(p.Groups), func(i int) string { return p.Groups[i].Name }, "name", false)
	for i, g := range p.Groups {
		gp := fmt.Sprintf("%s.groups[%d]", path, i)
		if g.Role != "" {
			v.roleRef(gp+".role", g.Role)
		}
		if g.Precedence != nil && *g.Precedence < 0 {
			v.bad(gp+".precedence", "precedence is 0 or more")
		}
	}
	v.names("user", path+".users", len(p.Users), func(i int) string { return p.Users[i].Username }, "username", !boolOr(p.CaseSensitiveUsernames, false))
	for i, u := range p.Users {
		up := fmt.Sprintf("%s.users[%d]", path, i)
		if u.Password != "" && u.TemporaryPassword != "" {
			v.bad(up+".temporaryPassword", "user %s has a password and a temporaryPassword; give one", u.Username)
		}
		if _, ok := u.Attributes["sub"]; ok {
			v.bad(up+".attributes.sub", "sub is assigned by the pool and cannot be set")
		}
		for j, g := range u.Groups {
			if !groups[g] {
				v.bad(fmt.Sprintf("%s.groups[%d]", up, j), "user %s: no group %q in user pool %s", u.Username, g, p.Name)
			}
		}
	}
}

func (v *validator) client(path string, c *Client, scopes []string) {
	v.each(path+".authFlows", "auth flow", c.AuthFlows, authFlows...)
	v.each(path+".oauthFlows", "OAuth flow", c.OAuthFlows, "code", "implicit", "client_credentials")
	if slices.Contains(c.OAuthFlows, "client_credentials") && !c.GenerateSecret {
		v.bad(path+".oauthFlows", "the client_credentials flow needs a client secret (generateSecret: true)")
	}
	for i, s := range c.Scopes {
		if !slices.Contains(scopes, s) {
			v.bad(fmt.Sprintf("%s.scopes[%d]", path, i), "scope %q is neither standard (%s) nor identifier/scope of a resource server of this pool", s, strings.Join(standardScopes, ", "))
		}
	}
	for _, list := range []struct {
		key  string
		urls []string
	}{{"callbackURLs", c.CallbackURLs}, {"logoutURLs", c.LogoutURLs}} {
		for i, s := range list.urls {
			if u, err := url.Parse(s); err != nil || u.Scheme == "" || u.Fragment != "" {
				v.bad(fmt.Sprintf("%s.%s[%d]", path, list.key, i), "%q is not a URL with a scheme and without a fragment", s)
			}
		}
	}
	if c.DefaultRedirect != "" && !slices.Contains(c.CallbackURLs, c.DefaultRedirect) {
		v.bad(path+".defaultRedirectURI", "defaultRedirectURI %s is not one of the callbackURLs", c.DefaultRedirect)
	}
	if tv := c.TokenValidity; tv != nil {
		for key, s := range map[string]string{"access": tv.Access, "id": tv.ID, "refresh": tv.Refresh} {
			if s == "" {
				continue
			}
			if _, _, err := parseValidity(s); err != nil {
				v.bad(path+".tokenValidity."+key, "%v", err)
			}
		}
	}
	v.oneOf(path+".preventUserExistenceErrors", "preventUserExistenceErrors", c.PreventUserExistenceErrors, "ENABLED", "LEGACY")
}

func (v *validator) identityPool(path string, p *IdentityPool) {
	if p.Name != "" && !poolNameRE.MatchString(p.Name) {
		v.bad(path+".name", "identity pool name %q may hold only letters, digits, spaces and +=,.@_- (at most 128)", p.Name)
	}
	for i, pc := range p.UserPoolClients {
		v.clientRef(fmt.Sprintf("%s.userPoolClients[%d]", path, i), pc.UserPool, pc.Client)
	}
	for i, o := range p.OIDCProviders {
		if !strings.HasPrefix(o, "arn:") && !v.hasOIDC(o) {
			v.bad(fmt.Sprintf("%s.oidcProviders[%d]", path, i), "no OIDC provider %q in oidcProviders (name one by its url, or give an ARN)", o)
		}
	}
	if r := p.Roles; r != nil {
		if r.Authenticated != "" {
			v.roleRef(path+".roles.authenticated", r.Authenticated)
		}
		if r.Unauthenticated != "" {
			v.roleRef(path+".roles.unauthenticated", r.Unauthenticated)
		}
	}
	for i, m := range p.RoleMappings {
		mp := fmt.Sprintf("%s.roleMappings[%d]", path, i)
		switch {
		case m.Provider != "" && (m.UserPool != "" || m.Client != ""):
			v.bad(mp, "a role mapping names a provider, or a userPool and client; not both")
		case m.Provider == "":
			if v.clientRef(mp, m.UserPool, m.Client) && !slices.ContainsFunc(p.UserPoolClients, func(pc PoolProvider) bool {
				return pc.UserPool == m.UserPool && pc.Client == m.Client
			}) {
				v.bad(mp, "role mapping for %s/%s, which is not one of this identity pool's userPoolClients", m.UserPool, m.Client)
			}
		}
		if m.Type == "" {
			v.bad(mp, "a role mapping needs a type: Token or Rules")
		}
		v.oneOf(mp+".type", "role mapping type", m.Type, "Token", "Rules")
		v.oneOf(mp+".ambiguousRoleResolution", "ambiguousRoleResolution", m.AmbiguousRoleResolution, "AuthenticatedRole", "Deny")
		if m.Type == "Rules" && len(m.Rules) == 0 {
			v.bad(mp, "a Rules role mapping needs rules")
		}
		for j, r := range m.Rules {
			rp := fmt.Sprintf("%s.rules[%d]", mp, j)
			if r.Claim == "" || r.Value == "" {
				v.bad(rp, "a rule needs a claim and a value")
			}
			v.oneOf(rp+".matchType", "matchType", r.MatchType, "Equals", "Contains", "StartsWith", "NotEqual")
			if r.MatchType == "" {
				v.bad(rp, "a rule needs a matchType: Equals, Contains, StartsWith or NotEqual")
			}
			v.roleRef(rp+".role", r.Role)
		}
	}
}

func (v *validator) role(path string, r *Role) {
	if r.Name != "" && !roleNameRE.MatchString(r.Name) {
		v.bad(path+".name", "role name %q may hold only letters, digits and +=,.@_- (at most 64)", r.Name)
	}
	if r.Path != "" && !iamPathRE.MatchString(r.Path) {
		v.bad(path+".path", "path %q must begin and end with /", r.Path)
	}
	if d := r.MaxSessionDuration; d != nil && (*d < 3600 || *d > 43200) {
		v.bad(path+".maxSessionDuration", "maxSessionDuration is between 3600 and 43200 seconds, not %d", *d)
	}
	switch {
	case r.AssumedBy == nil && r.TrustPolicy == nil:
		v.bad(path, "role %s needs assumedBy or a trustPolicy", r.Name)
	case r.AssumedBy != nil && r.TrustPolicy != nil:
		v.bad(path+".trustPolicy", "role %s has assumedBy and a trustPolicy; give one", r.Name)
	case r.AssumedBy != nil:
		if !slices.ContainsFunc(v.f.IdentityPools, func(p IdentityPool) bool { return p.Name == r.AssumedBy.IdentityPool }) {
			v.bad(path+".assumedBy.identityPool", "no identity pool %q in identityPools", r.AssumedBy.IdentityPool)
		}
		v.oneOf(path+".assumedBy.amr", "amr", r.AssumedBy.AMR, "authenticated", "unauthenticated")
	default:
		v.document(path+".trustPolicy", r.TrustPolicy)
	}
	v.names("inline policy", path+".policies", len(r.Policies), func(i int) string { return r.Policies[i].Name }, "name", true)
	for i := range r.Policies {
		v.document(fmt.Sprintf("%s.policies[%d].document", path, i), &r.Policies[i].Document)
	}
	for i, m := range r.ManagedPolicies {
		if !strings.HasPrefix(m, "arn:") && !slices.ContainsFunc(v.f.Policies, func(p Policy) bool { return strings.EqualFold(p.Name, m) }) {
			v.bad(fmt.Sprintf("%s.managedPolicies[%d]", path, i), "no managed policy %q in policies (name one of this file, or give an ARN)", m)
		}
	}
}

func (v *validator) bucket(path string, b *Bucket) {
	if b.Name != "" && (!bucketRE.MatchString(b.Name) || strings.Contains(b.Name, "..")) {
		v.bad(path+".name", "bucket name %q: 3 to 63 lower-case letters, digits, dots and hyphens", b.Name)
	}
	for i, r := range b.CORS {
		rp := fmt.Sprintf("%s.cors[%d]", path, i)
		if len(r.AllowedOrigins) == 0 || len(r.AllowedMethods) == 0 {
			v.bad(rp, "a CORS rule needs allowedOrigins and allowedMethods")
		}
		v.each(rp+".allowedMethods", "CORS method", r.AllowedMethods, "GET", "PUT", "POST", "DELETE", "HEAD")
	}
	if b.Policy != nil {
		v.document(path+".policy", b.Policy)
	}
}

// document checks a document's references.
func (v *validator) document(path string, d *Document) {
	if d.node == nil {
		v.bad(path, "a policy document is needed here")
		return
	}
	for _, r := range d.refs() {
		if !v.refExists(r) {
			v.badLine(r.line, "${%s:%s}: no %s %q in this file", r.kind, r.name, refWhat[r.kind], r.name)
		}
	}
}

var refWhat = map[string]string{"userPool": "user pool", "client": "app client (pool/client)", "identityPool": "identity pool",
	"role": "role", "policy": "managed policy", "oidcProvider": "OIDC provider", "restApi": "REST API"}

func (v *validator) refExists(r docRef) bool {
	f := v.f
	switch r.kind {
	case "userPool":
		return f.userPool(r.name) != nil
	case "client":
		pool, client, ok := strings.Cut(r.name, "/")
		p := f.userPool(pool)
		return ok && p != nil && slices.ContainsFunc(p.Clients, func(c Client) bool { return c.Name == client })
	case "identityPool":
		return slices.ContainsFunc(f.IdentityPools, func(p IdentityPool) bool { return p.Name == r.name })
	case "role":
		return slices.ContainsFunc(f.Roles, func(x Role) bool { return strings.EqualFold(x.Name, r.name) })
	case "policy":
		return slices.ContainsFunc(f.Policies, func(x Policy) bool { return strings.EqualFold(x.Name, r.name) })
	case "oidcProvider":
		return v.hasOIDC(r.name)
	case "restApi":
		return slices.ContainsFunc(f.RestAPIs, func(x RestAPI) bool { return x.Name == r.name })
	}
	return false
}

func (v *validator) hasOIDC(u string) bool {
	return slices.ContainsFunc(v.f.OIDCProviders, func(o OIDCProvider) bool { return oidcKey(o.URL) == oidcKey(u) })
}

// roleRef checks a reference to a role: a role of the file, or an ARN.
func (v *validator) roleRef(path, ref string) {
	if ref == "" {
		v.bad(path, "a role is needed (a role of this file by name, or an ARN)")
		return
	}
	if strings.HasPrefix(ref, "arn:") {
		if !strings.Contains(ref, ":role/") {
			v.bad(path, "%q is not a role ARN", ref)
		}
		return
	}
	if !slices.ContainsFunc(v.f.Roles, func(r Role) bool { return strings.EqualFold(r.Name, ref) }) {
		v.bad(path, "no role %q in roles (name one of this file, or give an ARN)", ref)
	}
}

// clientRef checks a user pool and client named together.
func (v *validator) clientRef(path, pool, client string) bool {
	p := v.f.userPool(pool)
	switch {
	case pool == "" || client == "":
		v.bad(path, "a userPool and a client are needed")
	case p == nil:
		v.bad(path+".userPool", "no user pool %q in userPools", pool)
	case !slices.ContainsFunc(p.Clients, func(c Client) bool { return c.Name == client }):
		v.bad(path+".client", "user pool %s has no client %q", pool, client)
	default:
		return true
	}
	return false
}

func (f *File) userPool(name string) *UserPool {
	for i := range f.UserPools {
		if f.UserPools[i].Name == name {
			return &f.UserPools[i]
		}
	}
	return nil
}

// attrName is a schema attribute's name as users see it: custom ones carry
// the custom: prefix, which the file may leave out.
func attrName(name string) string {
	if name == "" || slices.Contains(standardAttributes, name) || strings.HasPrefix(name, "custom:") {
		return name
	}
	return "custom:" + name
}

// oidcKey is an OIDC provider's URL as IAM names it: without https://.
func oidcKey(u string) string {
	return strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(u), "https://"), "/")
}

// parseValidity reads a token lifetime: a whole number of seconds (s),
// minutes (m), hours (h) or days (d).
func parseValidity(s string) (int32, string, error) {
	units := map[byte]string{'s': "seconds", 'm': "minutes", 'h': "hours", 'd': "days"}
	if len(s) < 2 || units[s[len(s)-1]] == "" {
		return 0, "", fmt.Errorf("token validity %q is a number with a unit s, m, h or d (60m, 1h, 30d)", s)
	}
	n, err := strconv.ParseInt(s[:len(s)-1], 10, 32)
	if err != nil || n <= 0 {
		return 0, "", fmt.Errorf("token validity %q is a number with a unit s, m, h or d (60m, 1h, 30d)", s)
	}
	return int32(n), units[s[len(s)-1]], nil
}

// formatValidity is parseValidity's inverse.
func formatValidity(n int32, unit string) string {
	return strconv.Itoa(int(n)) + map[string]string{"seconds": "s", "minutes": "m", "hours": "h", "days": "d"}[unit]
}

func boolOr(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}
