package setup

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func (a *applier) buckets(ctx context.Context) error {
	if len(a.f.Buckets) == 0 {
		return nil
	}
	list, err := a.s3.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		return fmt.Errorf("list buckets: %w", err)
	}
	for _, b := range a.f.Buckets {
		exists := slices.ContainsFunc(list.Buckets, func(x types.Bucket) bool { return aws.ToString(x.Name) == b.Name })
		if err := a.bucket(ctx, b, exists); err != nil {
			return fmt.Errorf("bucket %s: %w", b.Name, err)
		}
	}
	return nil
}

func (a *applier) bucket(ctx context.Context, b Bucket, exists bool) error {
	var d diff
	if !exists {
		in := &s3.CreateBucketInput{Bucket: aws.String(b.Name)}
		if a.region != "" && a.region != "us-east-1" {
			in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(a.region)}
		}
		if err := a.write(func() error { _, err := a.s3.CreateBucket(ctx, in); return err }); err != nil {
			return fmt.Errorf("create: %w", err)
		}
	}
	if b.CORS != nil {
		var cur []types.CORSRule
		if exists {
			out, err := a.s3.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String(b.Name)})
			if err != nil && !isCode(err, "NoSuchCORSConfiguration") {
				return fmt.Errorf("get CORS: %w", err)
			}
			if err == nil {
				cur = out.CORSRules
			}
		}
		want := corsRules(b.CORS)
		if !sameCORS(cur, want) {
			if exists {
				d.add("cors")
			}
			if err := a.write(func() error {
				_, err := a.s3.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String(b.Name), CORSConfiguration: &types.CORSConfiguration{CORSRules: want}})
				return err
			}); err != nil {
				return fmt.Errorf("put CORS: %w", err)
			}
		}
	}
	if b.Policy != nil {
		doc, err := b.Policy.JSON(a.resolve)
		if err != nil {
			return err
		}
		cur := ""
		if exists {
			out, err := a.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(b.Name)})
			if err != nil && !isCode(err, "NoSuchBucketPolicy") {
				return fmt.Errorf("get policy: %w", err)
			}
			if err == nil {
				cur = aws.ToString(out.Policy)
			}
		}
		if cur == "" || !sameJSON(cur, doc) {
			if exists {
				d.add("policy")
			}
			if err := a.write(func() error {
				_, err := a.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(b.Name), Policy: &doc})
				return err
			}); err != nil {
				return fmt.Errorf("put policy: %w", err)
			}
		}
	}
	a.record(!exists, "bucket", b.Name, d)
	return nil
}

func corsRules(rules []CORSRule) []types.CORSRule {
	out := make([]types.CORSRule, 0, len(rules))
	for _, r := range rules {
		out = append(out, types.CORSRule{ID: nonEmpty(r.ID), AllowedOrigins: r.AllowedOrigins, AllowedMethods: r.AllowedMethods,
			AllowedHeaders: r.AllowedHeaders, ExposeHeaders: r.ExposeHeaders, MaxAgeSeconds: int32p(r.MaxAgeSeconds)})
	}
	return out
}

// sameCORS compares rule lists: rules in order, each rule's lists as sets.
func sameCORS(a, b []types.CORSRule) bool {
	return slices.EqualFunc(a, b, func(x, y types.CORSRule) bool {
		return aws.ToString(x.ID) == aws.ToString(y.ID) && sameSet(x.AllowedOrigins, y.AllowedOrigins) &&
			sameSet(x.AllowedMethods, y.AllowedMethods) && sameSet(x.AllowedHeaders, y.AllowedHeaders) &&
			sameSet(x.ExposeHeaders, y.ExposeHeaders) && aws.ToInt32(x.MaxAgeSeconds) == aws.ToInt32(y.MaxAgeSeconds)
	})
}
