package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/federa/federa/internal/app/apptest"
)

// TestAssumeRole lets the administrator and role sessions assume roles as
// their trust policies say, and revokes a role's older sessions with an
// aws:TokenIssueTime deny, as the IAM console's "Revoke active sessions" does.
func TestAssumeRole(t *testing.T) {
	ctx := context.Background()
	srv := apptest.NewServer(t)
	root := srv.RootConfig()
	iamc := iam.NewFromConfig(root)
	acct := "arn:aws:iam::" + apptest.Account
	mkRole := func(name, principal string, policy string) string {
		out, err := iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":"sts:AssumeRole"}}`)})
		must(t, err)
		if policy != "" {
			_, err := iamc.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(policy)})
			must(t, err)
		}
		return aws.ToString(out.Role.Arn)
	}
	const listBuckets = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}}`
	ops := mkRole("ops", acct+":root", listBuckets)
	auditor := mkRole("auditor", ops, listBuckets)                 // trusts the ops role itself
	reports := mkRole("reports", apptest.Account, listBuckets)     // trusts the account: needs an identity allow
	other := mkRole("other", "arn:aws:iam::999999999999:root", "") // another account's

	assume := func(cfg aws.Config, role string) (aws.Config, error) {
		out, err := sts.NewFromConfig(cfg).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("tests")})
		if err != nil {
			return aws.Config{}, err
		}
		c := out.Credentials
		return srv.Config(credentialsProvider(aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken})), nil
	}
	opsCfg, err := assume(root, ops)
	must(t, err)
	who, err := sts.NewFromConfig(opsCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	must(t, err)
	if !strings.HasSuffix(aws.ToString(who.Arn), ":assumed-role/ops/tests") {
		t.Errorf("caller %s", aws.ToString(who.Arn))
	}
	if _, err := assume(root, other); !isCode(err, "AccessDenied") {
		t.Errorf("root into a role that trusts another account: %v", err)
	}
	if _, err := assume(opsCfg, auditor); err != nil {
		t.Errorf("ops into auditor, which trusts ops: %v", err)
	}
	if _, err := assume(opsCfg, reports); !isCode(err, "AccessDenied") {
		t.Errorf("ops into reports without an identity allow: %v", err)
	}
	_, err = iamc.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("ops"), PolicyName: aws.String("assume"), PolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"` + reports + `"}}`)})
	must(t, err)
	if _, err := assume(opsCfg, reports); err != nil {
		t.Errorf("ops into reports with an identity allow: %v", err)
	}

	// Revoke the ops sessions issued so far.
	list := func(cfg aws.Config) error {
		_, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).ListBuckets(ctx, &s3.ListBucketsInput{})
		return err
	}
	must(t, list(opsCfg))
	cutoff := srv.Clock.Now().Add(time.Second).UTC().Format(time.RFC3339)
	_, err = iamc.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("ops"), PolicyName: aws.String("AWSRevokeOlderSessions"), PolicyDocument: aws.String(
		`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"` + cutoff + `"}}}}`)})
	must(t, err)
	if err := list(opsCfg); !isCode(err, "AccessDenied") {
		t.Errorf("a revoked session: %v", err)
	}
	srv.Clock.Advance(2 * time.Second)
	fresh, err := assume(root, ops)
	must(t, err)
	if err := list(fresh); err != nil {
		t.Errorf("a session issued after the revocation: %v", err)
	}
}
