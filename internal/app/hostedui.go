package app

import (
	"net"
	"net/url"
	"strings"
)

// authDomains are the hosted UI's host suffixes: auth.<base> for each base
// domain, as Cognito's <domain>.auth.<region>.amazoncognito.com.
func (o Options) authDomains() []string {
	if o.AuthDomains != nil {
		return o.AuthDomains
	}
	var out []string
	for _, d := range o.BaseDomains {
		if !strings.HasPrefix(d, "s3.") {
			out = append(out, "auth."+d)
		}
	}
	return out
}

// authURL builds a domain's hosted UI base URL from the public URL's
// scheme and port: http://<domain>.auth.localhost:4566 for the default.
func (o Options) authURL(authDomains []string) func(domain string) string {
	return func(domain string) string {
		u, err := url.Parse(o.PublicURL)
		if err != nil || u.Host == "" {
			return ""
		}
		if len(authDomains) == 0 {
			return strings.TrimRight(o.PublicURL, "/") + "/_auth/" + domain
		}
		host := domain + "." + authDomains[0]
		if _, port, err := net.SplitHostPort(u.Host); err == nil {
			host = net.JoinHostPort(host, port)
		}
		return u.Scheme + "://" + host
	}
}
