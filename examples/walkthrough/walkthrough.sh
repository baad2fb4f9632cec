#!/usr/bin/env bash
# The README walkthrough (seed 003 with seed 004's policy) as a script, run by
# e2e/cli_test.go against the built binary with the real aws CLI. It expects
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY to be federa's root key and
# FEDERA_ENDPOINT to be the server's URL, and fails on the first surprise.
set -euo pipefail
cd "$(dirname "$0")"
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1} AWS_PAGER=""
E="--endpoint-url ${FEDERA_ENDPOINT:-http://127.0.0.1:4566}"
ACCOUNT=$(aws $E sts get-caller-identity --query Account --output text)
ROOT_KEY=$AWS_ACCESS_KEY_ID ROOT_SECRET=$AWS_SECRET_ACCESS_KEY
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# --- set up, as root (what seeds 003 and 004 do in the console) ---
POOL=$(aws $E cognito-idp create-user-pool --pool-name notes --query UserPool.Id --output text)
CLIENT=$(aws $E cognito-idp create-user-pool-client --user-pool-id "$POOL" --client-name notes-app \
  --explicit-auth-flows ALLOW_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH \
  --query UserPoolClient.ClientId --output text)
aws $E cognito-idp admin-create-user --user-pool-id "$POOL" --username alice --message-action SUPPRESS > /dev/null
aws $E cognito-idp admin-set-user-password --user-pool-id "$POOL" --username alice \
  --password 'Corr3ct-horse!' --permanent
IDPOOL=$(aws $E cognito-identity create-identity-pool --identity-pool-name notes \
  --no-allow-unauthenticated-identities \
  --cognito-identity-providers "ProviderName=cognito-idp.$AWS_DEFAULT_REGION.amazonaws.com/$POOL,ClientId=$CLIENT" \
  --query IdentityPoolId --output text)
sed "s/IDENTITY_POOL_ID/$IDPOOL/" trust-policy.json > "$work/trust.json"
aws $E iam create-role --role-name identitypools3access \
  --assume-role-policy-document "file://$work/trust.json" > /dev/null
aws $E iam create-policy --policy-name notes-per-identity \
  --policy-document file://per-identity-policy.json > /dev/null
aws $E iam attach-role-policy --role-name identitypools3access \
  --policy-arn "arn:aws:iam::$ACCOUNT:policy/notes-per-identity"
aws $E iam attach-role-policy --role-name identitypools3access \
  --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess
aws $E cognito-identity set-identity-pool-roles --identity-pool-id "$IDPOOL" \
  --roles "authenticated=arn:aws:iam::$ACCOUNT:role/identitypools3access"
aws $E s3 mb s3://notes-uploads

# --- ask IAM's policy simulator what the role allows, before anyone signs in ---
SUBCTX="ContextKeyName=cognito-identity.amazonaws.com:sub,ContextKeyValues=us-east-1:abc,ContextKeyType=string"
aws $E iam simulate-principal-policy --policy-source-arn "arn:aws:iam::$ACCOUNT:role/identitypools3access" \
  --action-names s3:PutObject --resource-arns arn:aws:s3:::notes-uploads/us-east-1:abc/x.txt \
  --context-entries "$SUBCTX" --query 'EvaluationResults[0].EvalDecision' --output text | grep -qx allowed
aws $E iam simulate-custom-policy --policy-input-list "$(cat per-identity-policy.json)" \
  --action-names s3:PutObject --resource-arns arn:aws:s3:::notes-uploads/top-level.txt \
  --context-entries "$SUBCTX" --query 'EvaluationResults[0].EvalDecision' --output text | grep -qx implicitDeny

# --- sign in and get credentials (seed 003's commands) ---
TOKEN=$(aws $E cognito-idp initiate-auth --auth-flow USER_PASSWORD_AUTH --client-id "$CLIENT" \
  --auth-parameters 'USERNAME=alice,PASSWORD=Corr3ct-horse!' \
  --query AuthenticationResult.IdToken --output text)
LOGIN="cognito-idp.$AWS_DEFAULT_REGION.amazonaws.com/$POOL=$TOKEN"
ID=$(aws $E cognito-identity get-id --identity-pool-id "$IDPOOL" --logins "$LOGIN" \
  --query IdentityId --output text)
read -r AKID SECRET SESSION < <(aws $E cognito-identity get-credentials-for-identity \
  --identity-id "$ID" --logins "$LOGIN" \
  --query '[Credentials.AccessKeyId,Credentials.SecretKey,Credentials.SessionToken]' --output text)
export AWS_ACCESS_KEY_ID=$AKID AWS_SECRET_ACCESS_KEY=$SECRET AWS_SESSION_TOKEN=$SESSION

# --- use S3 within the policy ---
aws $E sts get-caller-identity --query Arn --output text | grep -q 'assumed-role/identitypools3access/CognitoIdentityCredentials'
echo "hello from $ID" > "$work/hello.txt"
aws $E s3 cp "$work/hello.txt" "s3://notes-uploads/$ID/hello.txt"
aws $E s3 ls "s3://notes-uploads/$ID/" | grep -q hello.txt
aws $E s3 cp "s3://notes-uploads/$ID/hello.txt" "$work/back.txt"
cmp "$work/hello.txt" "$work/back.txt"

# --- and outside it: AccessDenied ---
expect_denied() {
  local out
  if out=$("$@" 2>&1); then echo "expected AccessDenied, but it worked: $*" >&2; exit 1; fi
  grep -q AccessDenied <<<"$out" || { echo "expected AccessDenied from: $*, got: $out" >&2; exit 1; }
}
expect_denied aws $E s3 cp "$work/hello.txt" "s3://notes-uploads/us-east-1:00000000-0000-0000-0000-000000000000/x.txt"
expect_denied aws $E s3 cp "$work/hello.txt" s3://notes-uploads/top-level.txt
expect_denied aws $E iam list-roles
# --- the classic (basic) flow: an OpenID token, then STS ---
AWS_ACCESS_KEY_ID=$ROOT_KEY AWS_SECRET_ACCESS_KEY=$ROOT_SECRET AWS_SESSION_TOKEN= \
  aws $E cognito-identity update-identity-pool --identity-pool-id "$IDPOOL" --identity-pool-name notes \
  --no-allow-unauthenticated-identities --allow-classic-flow \
  --cognito-identity-providers "ProviderName=cognito-idp.$AWS_DEFAULT_REGION.amazonaws.com/$POOL,ClientId=$CLIENT" > /dev/null
OIDC_TOKEN=$(aws $E cognito-identity get-open-id-token --identity-id "$ID" --logins "$LOGIN" --query Token --output text)
read -r AKID SECRET SESSION < <(AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= AWS_SESSION_TOKEN= aws $E sts assume-role-with-web-identity --no-sign-request \
  --role-arn "arn:aws:iam::$ACCOUNT:role/identitypools3access" --role-session-name classic \
  --web-identity-token "$OIDC_TOKEN" \
  --query '[Credentials.AccessKeyId,Credentials.SecretAccessKey,Credentials.SessionToken]' --output text)
AWS_ACCESS_KEY_ID=$AKID AWS_SECRET_ACCESS_KEY=$SECRET AWS_SESSION_TOKEN=$SESSION \
  aws $E sts get-caller-identity --query Arn --output text | grep -q 'assumed-role/identitypools3access/classic'
AWS_ACCESS_KEY_ID=$AKID AWS_SECRET_ACCESS_KEY=$SECRET AWS_SESSION_TOKEN=$SESSION \
  aws $E s3 cp "s3://notes-uploads/$ID/hello.txt" "$work/classic.txt"
cmp "$work/hello.txt" "$work/classic.txt"
echo "walkthrough OK: identity $ID"
