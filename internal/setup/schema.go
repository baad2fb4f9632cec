package setup

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// schema returns a pool's schema attributes, as DescribeUserPool answers
// them (SchemaAttributes).
func (a *applier) schema(_ context.Context, up *types.UserPoolType) ([]types.SchemaAttributeType, error) {
	return up.SchemaAttributes, nil
}
