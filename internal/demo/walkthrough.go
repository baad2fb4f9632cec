package demo

import (
	"fmt"
	"io"
	"strings"
)

// PrintWalkthrough prints how to use the demo setup: in a browser, seed
// 004's upload app and the hosted UI; from a terminal, the seed 003
// walkthrough (sign in, exchange the ID token for an identity and
// credentials, and use S3 within, and outside, the per-identity policy).
func PrintWalkthrough(w io.Writer, r *Result) {
	provider := ProviderName(r.Region, r.UserPoolID)
	browser := `Open {ORIGIN}/ and sign in (as {USERNAME}, or sign up a new user).`
	if !r.AppServed {
		browser = `The upload app is not served here; an app of your own at {ORIGIN} signs in with:`
	}
	text := `
The seed 004 example is ready:
  user pool       {USERPOOL}   (app client {CLIENT}, domain {DOMAIN})
  identity pool   {IDPOOL}
  role            {ROLEARN}   (policy {POLICYARN})
  bucket          s3://{BUCKET}   (CORS for {ORIGIN})
  demo user       {USERNAME} / {PASSWORD}

` + browser + `
  hosted UI       {AUTHBASE}/login?response_type=token&client_id={CLIENT}&redirect_uri={ORIGIN}
  sign-up codes   AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test federa outbox --pool {USERPOOL} --endpoint {ENDPOINT}

Walk through it with the AWS CLI (a second terminal):

  export AWS_DEFAULT_REGION={REGION} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
  E="--endpoint-url {ENDPOINT}"

  TOKEN=$(aws $E cognito-idp initiate-auth --auth-flow USER_PASSWORD_AUTH --client-id {CLIENT} \
    --auth-parameters 'USERNAME={USERNAME},PASSWORD={PASSWORD}' --query AuthenticationResult.IdToken --output text)
  ID=$(aws $E cognito-identity get-id --identity-pool-id {IDPOOL} \
    --logins {PROVIDER}=$TOKEN --query IdentityId --output text)
  aws $E cognito-identity get-credentials-for-identity --identity-id $ID --logins {PROVIDER}=$TOKEN

  export AWS_ACCESS_KEY_ID=<AccessKeyId> AWS_SECRET_ACCESS_KEY=<SecretKey> AWS_SESSION_TOKEN=<SessionToken>
  echo hello > hello.txt
  aws $E s3 cp hello.txt s3://{BUCKET}/$ID/hello.txt     # allowed: your own folder
  aws $E s3 ls s3://{BUCKET}/$ID/                        # allowed
  aws $E s3 cp hello.txt s3://{BUCKET}/someone-else/x    # AccessDenied: another identity's folder
  aws $E sts get-caller-identity                       # assumed-role/{ROLENAME}/CognitoIdentityCredentials
`
	rep := strings.NewReplacer("{USERPOOL}", r.UserPoolID, "{CLIENT}", r.ClientID, "{DOMAIN}", DomainPrefix,
		"{IDPOOL}", r.IdentityPoolID, "{ROLEARN}", r.AuthRoleARN, "{POLICYARN}", r.PolicyARN, "{BUCKET}", Bucket,
		"{ORIGIN}", r.AppOrigin, "{AUTHBASE}", r.AuthBase, "{USERNAME}", Username, "{PASSWORD}", Password, "{REGION}", r.Region,
		"{ENDPOINT}", r.Endpoint, "{PROVIDER}", provider, "{ROLENAME}", AuthRoleName)
	fmt.Fprint(w, rep.Replace(text))
}
