package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/federa/federa/internal/app"
	"github.com/federa/federa/internal/app/apptest"
)

// TestTLS serves federa over HTTPS (--tls-cert/--tls-key): the SDK talks
// to it, the discovery document names https endpoints, and the hosted UI's
// cookies are Secure.
func TestTLS(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	srv := apptest.NewServerWith(t, func(o *app.Options) { o.TLSCertFile, o.TLSKeyFile = certFile, keyFile })
	if !strings.HasPrefix(srv.URL, "https://") {
		t.Fatalf("server URL %s is not https", srv.URL)
	}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	cfg := srv.RootConfig()
	cfg.HTTPClient = hc
	ctx := context.Background()
	idp := cip.NewFromConfig(cfg)
	p, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("tls")})
	must(t, err)
	poolID := aws.ToString(p.UserPool.Id)
	c, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("web"),
		CallbackURLs: []string{"https://app.example.com/cb"}, AllowedOAuthFlows: []ciptypes.OAuthFlowType{ciptypes.OAuthFlowTypeCode},
		AllowedOAuthScopes: []string{"openid"}, AllowedOAuthFlowsUserPoolClient: true, SupportedIdentityProviders: []string{"COGNITO"}})
	must(t, err)
	_, err = idp.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: &poolID, Domain: aws.String("tls-demo")})
	must(t, err)

	q := url.Values{"response_type": {"code"}, "client_id": {aws.ToString(c.UserPoolClient.ClientId)}, "redirect_uri": {"https://app.example.com/cb"}}
	resp, err := hc.Get(srv.URL + "/_auth/tls-demo/login?" + q.Encode())
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login page over TLS: %d", resp.StatusCode)
	}
	cookies := resp.Cookies()
	if len(cookies) == 0 {
		t.Fatal("the login page set no CSRF cookie")
	}
	for _, ck := range cookies {
		if !ck.Secure || !ck.HttpOnly {
			t.Errorf("cookie %s over TLS: Secure=%v HttpOnly=%v, want both", ck.Name, ck.Secure, ck.HttpOnly)
		}
	}

	resp, err = hc.Get(srv.URL + "/" + poolID + "/.well-known/openid-configuration")
	must(t, err)
	defer resp.Body.Close()
	var doc map[string]any
	must(t, json.NewDecoder(resp.Body).Decode(&doc))
	for _, k := range []string{"issuer", "authorization_endpoint", "token_endpoint"} {
		if v, _ := doc[k].(string); !strings.HasPrefix(v, "https://") {
			t.Errorf("discovery %s = %q, want an https URL", k, v)
		}
	}
}

// selfSigned writes a certificate for 127.0.0.1 and localhost names, and
// returns the files and a pool that trusts it.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "federa test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost", "*.auth.localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	must(t, err)
	cert, err := x509.ParseCertificate(der)
	must(t, err)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	must(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	kb, err := x509.MarshalECPrivateKey(key)
	must(t, err)
	must(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600))
	return certFile, keyFile, pool
}
