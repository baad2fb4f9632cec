// Package hostedui is the user pools' hosted UI and OAuth 2.0 / OpenID
// Connect endpoints: the sign-in, sign-up, confirmation, password-reset and
// MFA pages, /oauth2/authorize, /oauth2/token, /oauth2/userInfo,
// /oauth2/revoke, /logout and the domain's discovery document.
//
// A pool's domain is served at <domain>.auth.<base domain> (browsers resolve
// every *.localhost name to loopback, so <domain>.auth.localhost needs no
// DNS) and at the path form /_auth/<domain>/, which no bucket name can
// shadow because bucket names have no '_'.
//
// The pages keep no server-side state: the sign-in session is a sealed
// cookie the user pool service issues, each form carries a CSRF token that
// must match a cookie (double submit), and challenge sessions travel in the
// form as in the API.
package hostedui
