package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// payload decodes a JWT's claims (the signature is checked elsewhere).
func payload(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	must(t, err)
	var m map[string]any
	must(t, json.Unmarshal(raw, &m))
	return m
}

// TestGroupsAndClaims manages groups through the SDK and checks what a
// member's tokens say: cognito:groups by precedence, cognito:roles and the
// preferred role, which an identity pool can map to credentials.
func TestGroupsAndClaims(t *testing.T) {
	ctx := context.Background()
	p := newSRPPool(t)
	c := p.c
	const adminRole, readerRole = "arn:aws:iam::123456789012:role/admins", "arn:aws:iam::123456789012:role/readers"
	for _, g := range []struct {
		name, role string
		precedence int32
	}{{"readers", readerRole, 10}, {"admins", adminRole, 1}, {"beta", "", 5}} {
		in := &cip.CreateGroupInput{UserPoolId: &p.poolID, GroupName: aws.String(g.name), Precedence: aws.Int32(g.precedence), Description: aws.String(g.name + " group")}
		if g.role != "" {
			in.RoleArn = aws.String(g.role)
		}
		_, err := c.CreateGroup(ctx, in)
		must(t, err)
	}
	if _, err := c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &p.poolID, GroupName: aws.String("admins")}); !isCode(err, "GroupExistsException") {
		t.Errorf("duplicate group: %v", err)
	}
	if _, err := c.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &p.poolID, GroupName: aws.String("x"), RoleArn: aws.String("not-an-arn")}); !isCode(err, "InvalidParameterException") {
		t.Errorf("bad RoleArn: %v", err)
	}
	for _, g := range []string{"readers", "admins", "beta"} {
		_, err := c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &p.poolID, Username: aws.String("alice"), GroupName: aws.String(g)})
		must(t, err)
	}
	if _, err := c.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &p.poolID, Username: aws.String("alice"), GroupName: aws.String("nope")}); !isCode(err, "ResourceNotFoundException") {
		t.Errorf("unknown group: %v", err)
	}

	out, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &p.client, AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": password}})
	must(t, err)
	id := payload(t, aws.ToString(out.AuthenticationResult.IdToken))
	access := payload(t, aws.ToString(out.AuthenticationResult.AccessToken))
	if got, _ := json.Marshal(id["cognito:groups"]); string(got) != `["admins","beta","readers"]` {
		t.Errorf("cognito:groups = %s, want precedence order", got)
	}
	if got, _ := json.Marshal(id["cognito:roles"]); string(got) != `["`+adminRole+`","`+readerRole+`"]` {
		t.Errorf("cognito:roles = %s", got)
	}
	if id["cognito:preferred_role"] != adminRole {
		t.Errorf("cognito:preferred_role = %v", id["cognito:preferred_role"])
	}
	if _, ok := access["cognito:groups"]; !ok || access["cognito:roles"] != nil {
		t.Errorf("access token groups/roles: %v %v", access["cognito:groups"], access["cognito:roles"])
	}

	// Lists, update, removal and deletion.
	groups, err := c.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: &p.poolID, Username: aws.String("alice")})
	must(t, err)
	if len(groups.Groups) != 3 || aws.ToString(groups.Groups[0].GroupName) != "admins" {
		t.Errorf("AdminListGroupsForUser = %d groups, first %s", len(groups.Groups), aws.ToString(groups.Groups[0].GroupName))
	}
	page, err := c.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: &p.poolID, Limit: aws.Int32(2)})
	must(t, err)
	rest, err := c.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: &p.poolID, NextToken: page.NextToken})
	must(t, err)
	if len(page.Groups) != 2 || page.NextToken == nil || len(rest.Groups) != 1 {
		t.Errorf("ListGroups pages: %d then %d", len(page.Groups), len(rest.Groups))
	}
	members, err := c.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: &p.poolID, GroupName: aws.String("admins")})
	must(t, err)
	if len(members.Users) != 1 || aws.ToString(members.Users[0].Username) != "alice" {
		t.Errorf("ListUsersInGroup = %+v", members.Users)
	}
	up, err := c.UpdateGroup(ctx, &cip.UpdateGroupInput{UserPoolId: &p.poolID, GroupName: aws.String("admins"), Precedence: aws.Int32(20)})
	must(t, err)
	if aws.ToString(up.Group.RoleArn) != adminRole || aws.ToInt32(up.Group.Precedence) != 20 || aws.ToString(up.Group.Description) != "admins group" {
		t.Errorf("UpdateGroup changed what it was not given: %+v", up.Group)
	}
	_, err = c.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: &p.poolID, Username: aws.String("alice"), GroupName: aws.String("readers")})
	must(t, err)
	_, err = c.DeleteGroup(ctx, &cip.DeleteGroupInput{UserPoolId: &p.poolID, GroupName: aws.String("beta")})
	must(t, err)
	out, err = c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &p.client, AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": password}})
	must(t, err)
	id = payload(t, aws.ToString(out.AuthenticationResult.IdToken))
	if got, _ := json.Marshal(id["cognito:groups"]); string(got) != `["admins"]` || id["cognito:preferred_role"] != adminRole {
		t.Errorf("after changes: groups %s, preferred %v", got, id["cognito:preferred_role"])
	}
	if _, err := c.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: &p.poolID, GroupName: aws.String("beta")}); !isCode(err, "ResourceNotFoundException") {
		t.Errorf("deleted group: %v", err)
	}
}
