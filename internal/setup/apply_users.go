package setup

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// groupsAndUsers applies each pool's groups, then its users, once the
// roles the groups name exist.
func (a *applier) groupsAndUsers(ctx context.Context) error {
	for i := range a.f.UserPools {
		p := &a.f.UserPools[i]
		id := a.res.UserPools[p.Name]
		if err := a.groups(ctx, p, id); err != nil {
			return fmt.Errorf("user pool %s: %w", p.Name, err)
		}
		for j := range p.Users {
			if err := a.user(ctx, p, id, &p.Users[j]); err != nil {
				return fmt.Errorf("user pool %s: user %s: %w", p.Name, p.Users[j].Username, err)
			}
		}
	}
	return nil
}

func (a *applier) groups(ctx context.Context, p *UserPool, poolID string) error {
	if len(p.Groups) == 0 {
		return nil
	}
	have := map[string]types.GroupType{}
	if !isPlaceholder(poolID) {
		pg := cip.NewListGroupsPaginator(a.idp, &cip.ListGroupsInput{UserPoolId: &poolID, Limit: aws.Int32(60)})
		for pg.HasMorePages() {
			page, err := pg.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("list groups: %w", err)
			}
			for _, g := range page.Groups {
				have[aws.ToString(g.GroupName)] = g
			}
		}
	}
	for _, g := range p.Groups {
		cur, exists := have[g.Name]
		var d diff
		in := &cip.UpdateGroupInput{UserPoolId: &poolID, GroupName: aws.String(g.Name), Description: cur.Description, RoleArn: cur.RoleArn, Precedence: cur.Precedence}
		if g.Description != nil && *g.Description != aws.ToString(cur.Description) {
			d.add("description")
			in.Description = g.Description
		}
		if g.Role != "" {
			if arn := a.roleARN(g.Role); arn != aws.ToString(cur.RoleArn) {
				d.add("role")
				in.RoleArn = &arn
			}
		}
		if g.Precedence != nil && (cur.Precedence == nil || int32(*g.Precedence) != *cur.Precedence) {
			d.add("precedence")
			in.Precedence = int32p(g.Precedence)
		}
		if !exists || len(d) > 0 {
			err := a.write(func() error {
				var err error
				if exists {
					_, err = a.idp.UpdateGroup(ctx, in)
				} else {
					_, err = a.idp.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &poolID, GroupName: in.GroupName,
						Description: in.Description, RoleArn: in.RoleArn, Precedence: in.Precedence})
				}
				return err
			})
			if err != nil {
				return fmt.Errorf("group %s: %w", g.Name, err)
			}
		}
		if !exists {
			d = nil
		}
		a.record(!exists, "group", p.Name+"/"+g.Name, d)
	}
	return nil
}

// user applies one user. Its password is set only when the user is created:
// a password cannot be read back to compare, and the user may have changed
// it since.
func (a *applier) user(ctx context.Context, p *UserPool, poolID string, u *User) error {
	name := p.Name + "/" + u.Username
	var cur *cip.AdminGetUserOutput
	if !isPlaceholder(poolID) {
		out, err := a.idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: &u.Username})
		switch {
		case isCode(err, "UserNotFoundException"):
		case err != nil:
			return err
		default:
			cur = out
		}
	}
	if cur == nil {
		return a.createUser(ctx, p, poolID, u)
	}
	var d diff
	have := map[string]string{}
	for _, at := range cur.UserAttributes {
		have[aws.ToString(at.Name)] = aws.ToString(at.Value)
	}
	var attrs []types.AttributeType
	for _, k := range sortedKeys(u.Attributes) {
		if v, ok := have[k]; !ok || v != u.Attributes[k] {
			attrs = append(attrs, types.AttributeType{Name: aws.String(k), Value: aws.String(u.Attributes[k])})
		}
	}
	if len(attrs) > 0 {
		d.add("attributes")
		if err := a.write(func() error {
			_, err := a.idp.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &poolID, Username: &u.Username, UserAttributes: attrs})
			return err
		}); err != nil {
			return fmt.Errorf("update attributes: %w", err)
		}
	}
	if len(u.Groups) > 0 {
		var in []string
		pg := cip.NewAdminListGroupsForUserPaginator(a.idp, &cip.AdminListGroupsForUserInput{UserPoolId: &poolID, Username: &u.Username})
		for pg.HasMorePages() {
			page, err := pg.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("list groups: %w", err)
			}
			for _, g := range page.Groups {
				in = append(in, aws.ToString(g.GroupName))
			}
		}
		for _, g := range u.Groups {
			if !slices.Contains(in, g) {
				d.add("group " + g)
				if err := a.addToGroup(ctx, poolID, u.Username, g); err != nil {
					return err
				}
			}
		}
	}
	if u.Enabled != nil && *u.Enabled != cur.Enabled {
		d.add("enabled")
		if err := a.setEnabled(ctx, poolID, u.Username, *u.Enabled); err != nil {
			return err
		}
	}
	a.record(false, "user", name, d)
	return nil
}

func (a *applier) createUser(ctx context.Context, p *UserPool, poolID string, u *User) error {
	in := &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: &u.Username, MessageAction: types.MessageActionTypeSuppress}
	for _, k := range sortedKeys(u.Attributes) {
		in.UserAttributes = append(in.UserAttributes, types.AttributeType{Name: aws.String(k), Value: aws.String(u.Attributes[k])})
	}
	if u.TemporaryPassword != "" {
		in.TemporaryPassword = &u.TemporaryPassword
	}
	if err := a.write(func() error { _, err := a.idp.AdminCreateUser(ctx, in); return err }); err != nil {
		return fmt.Errorf("create: %w", err)
	}
	if u.Password != "" {
		if err := a.write(func() error {
			_, err := a.idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: &u.Username,
				Password: &u.Password, Permanent: true})
			return err
		}); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
	}
	for _, g := range u.Groups {
		if err := a.addToGroup(ctx, poolID, u.Username, g); err != nil {
			return err
		}
	}
	if u.Enabled != nil && !*u.Enabled {
		if err := a.setEnabled(ctx, poolID, u.Username, false); err != nil {
			return err
		}
	}
	a.record(true, "user", p.Name+"/"+u.Username, nil)
	return nil
}

func (a *applier) addToGroup(ctx context.Context, poolID, username, group string) error {
	return a.write(func() error {
		_, err := a.idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &poolID, Username: &username, GroupName: &group})
		if err != nil {
			return fmt.Errorf("add to group %s: %w", group, err)
		}
		return nil
	})
}

func (a *applier) setEnabled(ctx context.Context, poolID, username string, enabled bool) error {
	return a.write(func() error {
		var err error
		if enabled {
			_, err = a.idp.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: &poolID, Username: &username})
		} else {
			_, err = a.idp.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: &poolID, Username: &username})
		}
		return err
	})
}
