package edge

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// Sign-ins are operations too: InitiateAuth, RespondToAuthChallenge and
// their Admin forms on the JSON API, the hosted UI's sign-in form and its
// token endpoint. Their flow is in the request body, which the edge reads
// for them (bounded, and given back to the service unchanged); their
// outcome is in the status and, for the JSON API, in the first bytes of the
// answer: {"AuthenticationResult"… when tokens were issued (userpoolapi's
// output type declares it first), {"ChallengeName"… otherwise.

// signInOps are the JSON sign-in operations and the body member naming
// their flow.
var signInOps = map[string]string{
	"InitiateAuth": "AuthFlow", "AdminInitiateAuth": "AuthFlow",
	"RespondToAuthChallenge": "ChallengeName", "AdminRespondToAuthChallenge": "ChallengeName",
}

// signInFlows are the label values a flow may take; anything else is OTHER.
var signInFlows = map[string]bool{
	// AuthFlow values.
	"USER_SRP_AUTH": true, "REFRESH_TOKEN_AUTH": true, "REFRESH_TOKEN": true, "CUSTOM_AUTH": true,
	"ADMIN_NO_SRP_AUTH": true, "USER_PASSWORD_AUTH": true, "ADMIN_USER_PASSWORD_AUTH": true, "USER_AUTH": true,
	// ChallengeName values.
	"SMS_MFA": true, "EMAIL_OTP": true, "SOFTWARE_TOKEN_MFA": true, "SELECT_MFA_TYPE": true, "MFA_SETUP": true,
	"PASSWORD_VERIFIER": true, "CUSTOM_CHALLENGE": true, "SELECT_CHALLENGE": true, "DEVICE_SRP_AUTH": true,
	"DEVICE_PASSWORD_VERIFIER": true, "NEW_PASSWORD_REQUIRED": true, "SMS_OTP": true, "PASSWORD": true,
	"PASSWORD_SRP": true, "WEB_AUTHN": true,
	// The hosted UI's.
	"HOSTED_UI": true, "HOSTED_UI_CHALLENGE": true,
	"OAUTH2_AUTHORIZATION_CODE": true, "OAUTH2_REFRESH_TOKEN": true, "OAUTH2_CLIENT_CREDENTIALS": true,
}

// successPrefix starts a JSON sign-in answer that carries tokens.
var successPrefix = []byte(`{"AuthenticationResult"`)

// signInKind says whether a request is a sign-in, so that the edge keeps
// what it needs to describe it: the body and the answer's first bytes.
func signInKind(svc Service, op string, r *http.Request) bool {
	switch svc {
	case CognitoIDP:
		return signInOps[op] != ""
	case HostedUI:
		return r.Method == http.MethodPost && (op == "login" || op == "challenge" || op == "oauth2/token")
	}
	return false
}

// describeSignIn names the flow and the outcome of a sign-in once answered.
func describeSignIn(svc Service, op string, body []byte, status int, head []byte) *SignIn {
	s := &SignIn{Result: "failure"}
	switch {
	case svc == CognitoIDP:
		var in struct{ AuthFlow, ChallengeName string }
		_ = json.Unmarshal(body, &in)
		s.Flow = in.AuthFlow
		if signInOps[op] == "ChallengeName" {
			s.Flow = in.ChallengeName
		}
		if status < 300 {
			s.Result = "challenge"
			if bytes.HasPrefix(head, successPrefix) {
				s.Result = "success"
			}
		}
	case op == "oauth2/token":
		s.Flow = "OAUTH2_" + strings.ToUpper(formValue(string(body), "grant_type"))
		if status < 300 {
			s.Result = "success"
		}
	default:
		// The form answers 302 to the client with a code, 200 with the
		// next step's page, 4xx with the form again.
		s.Flow = "HOSTED_UI"
		if op == "challenge" {
			s.Flow = "HOSTED_UI_CHALLENGE"
		}
		switch {
		case status >= 300 && status < 400:
			s.Result = "success"
		case status < 300:
			s.Result = "challenge"
		}
	}
	if !signInFlows[s.Flow] {
		s.Flow = "OTHER"
	}
	return s
}
