package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestRoleMappings chooses roles from login tokens: a Token mapping takes
// the user pool group's preferred role or the CustomRoleArn the token
// grants; a Rules mapping matches claims; ambiguity falls back to the
// authenticated role or denies.
func TestRoleMappings(t *testing.T) {
	ctx := context.Background()
	w := setupWorld(t)
	root := w.srv.RootConfig()
	iamc, idp, idc := iam.NewFromConfig(root), cip.NewFromConfig(root), ci.NewFromConfig(root)
	role := func(name string, trusted bool) string {
		trust := trustPolicy(w.identityPoolID)
		if !trusted {
			trust = trustPolicy("us-east-1:00000000-0000-0000-0000-000000000000")
		}
		out, err := iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
		must(t, err)
		return aws.ToString(out.Role.Arn)
	}
	editors, viewers, rules, untrusted := role("editors", true), role("viewers", true), role("rules", true), role("untrusted", false)
	for _, g := range []struct {
		name, role string
		prec       int32
	}{{"editors", editors, 1}, {"viewers", viewers, 2}} {
		_, err := idp.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &w.userPoolID, GroupName: aws.String(g.name), RoleArn: aws.String(g.role), Precedence: aws.Int32(g.prec)})
		must(t, err)
		_, err = idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &w.userPoolID, Username: aws.String("alice"), GroupName: aws.String(g.name)})
		must(t, err)
	}
	key := w.provider() + ":" + w.clientID
	setMapping := func(m citypes.RoleMapping) {
		t.Helper()
		_, err := idc.SetIdentityPoolRoles(ctx, &ci.SetIdentityPoolRolesInput{IdentityPoolId: &w.identityPoolID,
			Roles:        map[string]string{"authenticated": "arn:aws:iam::123456789012:role/Cognito_notesAuth_Role"},
			RoleMappings: map[string]citypes.RoleMapping{key: m}})
		must(t, err)
	}
	roleOf := func(user, custom string) (string, error) {
		t.Helper()
		anon := ci.NewFromConfig(w.srv.Config(aws.AnonymousCredentials{}))
		logins := map[string]string{w.provider(): w.signIn(t, user)}
		id, err := anon.GetId(ctx, &ci.GetIdInput{IdentityPoolId: &w.identityPoolID, Logins: logins})
		must(t, err)
		in := &ci.GetCredentialsForIdentityInput{IdentityId: id.IdentityId, Logins: logins}
		if custom != "" {
			in.CustomRoleArn = aws.String(custom)
		}
		out, err := anon.GetCredentialsForIdentity(ctx, in)
		if err != nil {
			return "", err
		}
		c := out.Credentials
		who, err := sts.NewFromConfig(w.sessionConfig(aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretKey, SessionToken: *c.SessionToken})).
			GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		must(t, err)
		arn := aws.ToString(who.Arn) // arn:aws:sts::ACCT:assumed-role/ROLE/SESSION
		return strings.Split(arn, "/")[1], nil
	}
	check := func(name, user, custom, want string) {
		t.Helper()
		got, err := roleOf(user, custom)
		if want[0] == '!' {
			if !isCode(err, want[1:]) {
				t.Errorf("%s: got %q %v, want %s", name, got, err, want[1:])
			}
			return
		}
		if err != nil || got != want {
			t.Errorf("%s: got %q %v, want %s", name, got, err, want)
		}
	}

	check("no mapping: the authenticated role", "alice", "", "Cognito_notesAuth_Role")
	setMapping(citypes.RoleMapping{Type: "Token", AmbiguousRoleResolution: "AuthenticatedRole"})
	check("token: preferred role", "alice", "", "editors")
	check("token: CustomRoleArn the token grants", "alice", viewers, "viewers")
	check("token: CustomRoleArn the token does not grant", "alice", rules, "!NotAuthorizedException")
	check("token: no groups, ambiguous, authenticated role", "bob", "", "Cognito_notesAuth_Role")
	setMapping(citypes.RoleMapping{Type: "Token", AmbiguousRoleResolution: "Deny"})
	check("token: no groups, ambiguous, deny", "bob", "", "!NotAuthorizedException")

	setMapping(citypes.RoleMapping{Type: "Rules", AmbiguousRoleResolution: "AuthenticatedRole", RulesConfiguration: &citypes.RulesConfigurationType{
		Rules: []citypes.MappingRule{
			{Claim: aws.String("cognito:username"), MatchType: "Equals", Value: aws.String("bob"), RoleARN: aws.String(rules)},
			{Claim: aws.String("cognito:groups"), MatchType: "Contains", Value: aws.String("view"), RoleARN: aws.String(viewers)},
		}}})
	check("rules: equals", "bob", "", "rules")
	check("rules: a list claim contains", "alice", "", "viewers")
	_, err := idp.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: &w.userPoolID, Username: aws.String("alice"), GroupName: aws.String("viewers")})
	must(t, err)
	check("rules: none matches, authenticated role", "alice", "", "Cognito_notesAuth_Role")

	setMapping(citypes.RoleMapping{Type: "Rules", AmbiguousRoleResolution: "Deny", RulesConfiguration: &citypes.RulesConfigurationType{
		Rules: []citypes.MappingRule{{Claim: aws.String("cognito:username"), MatchType: "StartsWith", Value: aws.String("al"), RoleARN: aws.String(untrusted)}}}})
	check("rules: a role whose trust policy names another pool", "alice", "", "!InvalidIdentityPoolConfigurationException")
	check("rules: none matches, deny", "bob", "", "!NotAuthorizedException")

	for name, m := range map[string]map[string]citypes.RoleMapping{
		"unknown provider":   {"cognito-idp.us-east-1.amazonaws.com/us-east-1_Nope:x": {Type: "Token", AmbiguousRoleResolution: "Deny"}},
		"no resolution":      {key: {Type: "Token"}},
		"rules without rule": {key: {Type: "Rules", AmbiguousRoleResolution: "Deny"}},
	} {
		_, err := idc.SetIdentityPoolRoles(ctx, &ci.SetIdentityPoolRolesInput{IdentityPoolId: &w.identityPoolID, Roles: map[string]string{}, RoleMappings: m})
		if !isCode(err, "InvalidParameterException") {
			t.Errorf("%s: %v", name, err)
		}
	}
	got, err := idc.GetIdentityPoolRoles(ctx, &ci.GetIdentityPoolRolesInput{IdentityPoolId: &w.identityPoolID})
	must(t, err)
	if m := got.RoleMappings[key]; m.Type != "Rules" || m.AmbiguousRoleResolution != "Deny" || len(m.RulesConfiguration.Rules) != 1 {
		t.Errorf("GetIdentityPoolRoles = %+v", got.RoleMappings)
	}
}
