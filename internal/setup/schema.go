package setup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// schema returns a pool's schema attributes. DescribeUserPool answers them
// as SchemaAttributes, which the SDK reads; federa so far answers them under
// the name CreateUserPool takes them, Schema, which the SDK drops. When the
// SDK found none, the pool is described again by hand and both are read.
func (a *applier) schema(ctx context.Context, up *types.UserPoolType) ([]types.SchemaAttributeType, error) {
	if len(up.SchemaAttributes) > 0 {
		return up.SchemaAttributes, nil
	}
	var out struct {
		UserPool struct {
			Schema, SchemaAttributes []struct {
				Name, AttributeDataType    string
				Mutable, Required          *bool
				StringAttributeConstraints *struct{ MinLength, MaxLength *string }
				NumberAttributeConstraints *struct{ MinValue, MaxValue *string }
			}
		}
	}
	body, _ := json.Marshal(map[string]string{"UserPoolId": aws.ToString(up.Id)})
	if err := a.rawJSON(ctx, "cognito-idp", "AWSCognitoIdentityProviderService.DescribeUserPool", body, &out); err != nil {
		return nil, fmt.Errorf("describe schema: %w", err)
	}
	var list []types.SchemaAttributeType
	for _, s := range append(out.UserPool.SchemaAttributes, out.UserPool.Schema...) {
		t := types.SchemaAttributeType{Name: aws.String(s.Name), AttributeDataType: types.AttributeDataType(s.AttributeDataType),
			Mutable: s.Mutable, Required: s.Required}
		if c := s.StringAttributeConstraints; c != nil {
			t.StringAttributeConstraints = &types.StringAttributeConstraintsType{MinLength: c.MinLength, MaxLength: c.MaxLength}
		}
		if c := s.NumberAttributeConstraints; c != nil {
			t.NumberAttributeConstraints = &types.NumberAttributeConstraintsType{MinValue: c.MinValue, MaxValue: c.MaxValue}
		}
		list = append(list, t)
	}
	return list, nil
}

// rawJSON makes one signed AWS JSON 1.1 call and decodes its answer.
func (a *applier) rawJSON(ctx context.Context, service, target string, body []byte, out any) error {
	endpoint := "https://" + service + "." + a.region + ".amazonaws.com"
	if a.cfg.BaseEndpoint != nil {
		endpoint = *a.cfg.BaseEndpoint
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	creds, err := a.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), service, a.region, time.Now()); err != nil {
		return err
	}
	var client aws.HTTPClient = http.DefaultClient
	if a.cfg.HTTPClient != nil {
		client = a.cfg.HTTPClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s: %s", target, resp.Status, raw)
	}
	return json.Unmarshal(raw, out)
}
