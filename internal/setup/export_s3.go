package setup

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func (e *exporter) exportBuckets(ctx context.Context) error {
	list, err := e.s3.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		return fmt.Errorf("list buckets: %w", err)
	}
	for _, lb := range list.Buckets {
		name := aws.ToString(lb.Name)
		b := Bucket{Name: name}
		cors, err := e.s3.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: &name})
		if err != nil && !isCode(err, "NoSuchCORSConfiguration") {
			return fmt.Errorf("bucket %s CORS: %w", name, err)
		}
		if err == nil {
			for _, r := range cors.CORSRules {
				rule := CORSRule{ID: aws.ToString(r.ID), AllowedOrigins: r.AllowedOrigins, AllowedMethods: r.AllowedMethods,
					AllowedHeaders: r.AllowedHeaders, ExposeHeaders: r.ExposeHeaders}
				if r.MaxAgeSeconds != nil {
					n := int(*r.MaxAgeSeconds)
					rule.MaxAgeSeconds = &n
				}
				b.CORS = append(b.CORS, rule)
			}
		}
		pol, err := e.s3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: &name})
		if err != nil && !isCode(err, "NoSuchBucketPolicy") {
			return fmt.Errorf("bucket %s policy: %w", name, err)
		}
		if err == nil && aws.ToString(pol.Policy) != "" {
			d, err := e.doc(aws.ToString(pol.Policy))
			if err != nil {
				return fmt.Errorf("bucket %s policy: %w", name, err)
			}
			b.Policy = &d
		}
		e.f.Buckets = append(e.f.Buckets, b)
	}
	slices.SortFunc(e.f.Buckets, func(a, b Bucket) int { return strings.Compare(a.Name, b.Name) })
	return nil
}
