package demo

import "strings"

// TrustPolicy is the standard trust policy the Cognito console writes for an
// identity pool's authenticated role.
func TrustPolicy(identityPoolID string) string {
	return strings.ReplaceAll(`{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"Federated": "cognito-identity.amazonaws.com"},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {
      "StringEquals": {"cognito-identity.amazonaws.com:aud": "POOL"},
      "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}
    }
  }]
}`, "POOL", identityPoolID)
}

// PerIdentityPolicy is seed 004's policy (notes-uploads-per-identity in
// seed004.yaml), for the load generator's bucket: list the bucket's top
// level and one's own folder, and do anything under one's own identity id.
func PerIdentityPolicy(bucket string) string {
	return strings.ReplaceAll(`{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "s3:GetBucketLocation"], "Resource": "*"},
    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::BUCKET",
     "Condition": {"StringLike": {"s3:prefix": ["", "/", "${cognito-identity.amazonaws.com:sub}/*"]}}},
    {"Effect": "Allow", "Action": "s3:*", "Resource": [
      "arn:aws:s3:::BUCKET/${cognito-identity.amazonaws.com:sub}",
      "arn:aws:s3:::BUCKET/${cognito-identity.amazonaws.com:sub}/*"]}
  ]
}`, "BUCKET", bucket)
}
