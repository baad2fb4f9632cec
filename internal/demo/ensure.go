package demo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// These find-or-create steps serve the load generator (package bench),
// which sets up its own example call by call; demo itself applies seed
// 004's setup file.

// EnsureUserPool returns the id of the user pool named name, creating the
// pool when there is none.
func EnsureUserPool(ctx context.Context, idp *cip.Client, name string) (string, error) {
	pools, err := idp.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil {
		return "", fmt.Errorf("list user pools: %w", err)
	}
	for _, p := range pools.UserPools {
		if aws.ToString(p.Name) == name {
			return aws.ToString(p.Id), nil
		}
	}
	out, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(name)})
	if err != nil {
		return "", fmt.Errorf("create user pool: %w", err)
	}
	return aws.ToString(out.UserPool.Id), nil
}

// FindAppClient returns the id of the pool's app client named name, or ""
// when it has none.
func FindAppClient(ctx context.Context, idp *cip.Client, poolID, name string) (string, error) {
	clients, err := idp.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: &poolID, MaxResults: aws.Int32(60)})
	if err != nil {
		return "", fmt.Errorf("list app clients: %w", err)
	}
	for _, c := range clients.UserPoolClients {
		if aws.ToString(c.ClientName) == name {
			return aws.ToString(c.ClientId), nil
		}
	}
	return "", nil
}

// EnsureRole makes role roleName exist with the trust policy trust and the
// customer managed policy policyName (created from policyDoc when missing)
// attached, and returns the role's ARN.
func EnsureRole(ctx context.Context, c *iam.Client, account, roleName, trust, policyName, policyDoc string) (string, error) {
	var roleARN string
	role, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: &roleName})
	switch {
	case IsCode(err, "NoSuchEntity"):
		var out *iam.CreateRoleOutput
		if out, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: &roleName, AssumeRolePolicyDocument: &trust}); err == nil {
			roleARN = aws.ToString(out.Role.Arn)
		}
	case err == nil:
		roleARN = aws.ToString(role.Role.Arn)
		_, err = c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: &roleName, PolicyDocument: &trust})
	}
	if err != nil {
		return "", fmt.Errorf("role %s: %w", roleName, err)
	}
	policyARN := "arn:aws:iam::" + account + ":policy/" + policyName
	if _, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: &policyARN}); IsCode(err, "NoSuchEntity") {
		if _, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: &policyName, PolicyDocument: &policyDoc}); err != nil {
			return "", fmt.Errorf("create policy: %w", err)
		}
	} else if err != nil {
		return "", fmt.Errorf("get policy: %w", err)
	}
	if _, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: &roleName, PolicyArn: &policyARN}); err != nil {
		return "", fmt.Errorf("attach policy: %w", err)
	}
	return roleARN, nil
}
