package policy_test

import (
	"testing"

	"github.com/federa/federa/internal/policy"
)

// TestIsPublic classifies statements as S3 Block Public Access does ("The
// meaning of public"): public unless every grant is to fixed principals or
// pinned by a positive condition on a fixing key with fixed values.
func TestIsPublic(t *testing.T) {
	const res = `"Resource":"arn:aws:s3:::b/*"`
	tests := []struct {
		name      string
		statement string // one or more statements, comma-separated
		public    bool
	}{
		// Principals.
		{"star", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `}`, true},
		{"AWS star", `{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject",` + res + `}`, true},
		{"AWS star among ARNs", `{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root","*"]},"Action":"s3:GetObject",` + res + `}`, true},
		{"account id", `{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"s3:*",` + res + `}`, false},
		{"role ARN", `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/app"},"Action":"s3:*",` + res + `}`, false},
		{"other account", `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"s3:GetObject",` + res + `}`, false},
		{"wildcard in principal ARN", `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/*"},"Action":"s3:GetObject",` + res + `}`, true},
		{"service principal", `{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",` + res + `}`, false},
		{"wildcard service", `{"Effect":"Allow","Principal":{"Service":"*.amazonaws.com"},"Action":"s3:PutObject",` + res + `}`, true},
		{"canonical user", `{"Effect":"Allow","Principal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:GetObject",` + res + `}`, false},
		{"NotPrincipal allow", `{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject",` + res + `}`, true},
		{"deny to everyone", `{"Effect":"Deny","Principal":"*","Action":"s3:*",` + res + `}`, false},
		{"deny to everyone over HTTP", `{"Effect":"Deny","Principal":"*","Action":"s3:*",` + res + `,"Condition":{"Bool":{"aws:SecureTransport":"false"}}}`, false},
		{"write only", `{"Effect":"Allow","Principal":"*","Action":"s3:PutObject",` + res + `}`, true},
		{"NotAction", `{"Effect":"Allow","Principal":"*","NotAction":"s3:DeleteObject",` + res + `}`, true},

		// Conditions that pin the grant.
		{"fixed SourceVpc", `{"Effect":"Allow","Principal":"*","Action":"s3:PutObject",` + res + `,"Condition":{"StringEquals":{"aws:SourceVpc":"vpc-91237329"}}}`, false},
		{"wildcard SourceVpc", `{"Effect":"Allow","Principal":"*","Action":"s3:PutObject",` + res + `,"Condition":{"StringLike":{"aws:SourceVpc":"vpc-*"}}}`, true},
		{"star literal under StringEquals", `{"Effect":"Allow","Principal":"*","Action":"s3:PutObject",` + res + `,"Condition":{"StringEquals":{"aws:SourceVpc":"vpc-*"}}}`, true},
		{"StringLike without wildcard", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringLike":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}`, false},
		{"fixed SourceAccount", `{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject",` + res + `,"Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}}`, false},
		{"star with SourceAccount", `{"Effect":"Allow","Principal":"*","Action":"s3:PutObject",` + res + `,"Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}}`, false},
		{"SourceArn fixed", `{"Effect":"Allow","Principal":"*","Action":"s3:PutObject",` + res + `,"Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:cloudfront::123456789012:distribution/E1"}}}`, false},
		{"SourceArn wildcard", `{"Effect":"Allow","Principal":"*","Action":"s3:PutObject",` + res + `,"Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:cloudfront::123456789012:distribution/*"}}}`, true},
		{"SourceOwner fixed", `{"Effect":"Allow","Principal":"*","Action":"s3:PutObject",` + res + `,"Condition":{"StringEquals":{"aws:SourceOwner":"123456789012"}}}`, false},
		{"PrincipalOrgID fixed", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}`, false},
		{"PrincipalOrgID variable", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringEquals":{"aws:PrincipalOrgID":"${aws:PrincipalTag/org}"}}}`, true},
		{"PrincipalAccount fixed", `{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject",` + res + `,"Condition":{"StringEquals":{"aws:PrincipalAccount":["123456789012","210987654321"]}}}`, false},
		{"PrincipalAccount one wildcard among fixed", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringLike":{"aws:PrincipalAccount":["123456789012","2109*"]}}}`, true},
		{"PrincipalArn fixed", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/app"}}}`, false},
		{"userid fixed", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringEquals":{"aws:userid":"AIDAEXAMPLEUSERID"}}}`, false},
		{"userid every session of a role", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringLike":{"aws:userid":"AROAEXAMPLEROLEID:*"}}}`, false},
		{"userid other wildcard", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringLike":{"aws:userid":"AROA*"}}}`, true},
		{"access points of one account", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-west-2:123456789012:accesspoint/*"}}}`, false},
		{"access points of any account", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-west-2:*:accesspoint/*"}}}`, true},
		{"DataAccessPointAccount", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringEquals":{"s3:DataAccessPointAccount":"123456789012"}}}`, false},
		{"ForAnyValue fixed", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"ForAnyValue:StringEquals":{"aws:SourceVpce":["vpce-1","vpce-2"]}}}`, false},

		// Conditions that do not pin it.
		{"negated operator", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringNotEquals":{"aws:SourceVpc":"vpc-1"}}}`, true},
		{"IfExists", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringEqualsIfExists":{"aws:SourceAccount":"123456789012"}}}`, true},
		{"ForAllValues", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"ForAllValues:StringEquals":{"aws:SourceVpce":"vpce-1"}}}`, true},
		{"Null", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"Null":{"aws:SourceVpc":"false"}}}`, true},
		{"SecureTransport", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"Bool":{"aws:SecureTransport":"true"}}}`, true},
		{"Referer", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringEquals":{"aws:Referer":"https://example.com/"}}}`, true},
		{"UserAgent", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"StringEquals":{"aws:UserAgent":"app/1.0"}}}`, true},
		{"s3 prefix", `{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringEquals":{"s3:prefix":"public/"}}}`, true},
		{"one fixing condition among others", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:SourceVpce":"vpce-1"}}}`, false},

		// aws:SourceIp ranges.
		{"private range", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`, false},
		{"narrow ranges", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.7","2001:db8::/32"]}}}`, false},
		{"slash one", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}}`, true},
		{"everything", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}`, true},
		{"slash seven", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/7"}}}`, true},
		{"broad IPv6", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"IpAddress":{"aws:SourceIp":"2001:db8::/31"}}}`, true},
		{"one broad range among narrow", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","0.0.0.0/0"]}}}`, true},
		{"NotIpAddress", `{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `,"Condition":{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}`, true},

		// A policy is public when any of its statements is.
		{"public among private", `{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",` + res + `},` +
			`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"s3:GetObject",` + res + `},` +
			`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",` + res + `}`, true},
		{"private statements", `{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject",` + res + `},` +
			`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"s3:GetObject",` + res + `}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := policy.Parse(`{"Version":"2012-10-17","Statement":[`+tt.statement+`]}`, policy.Resource)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.IsPublic(); got != tt.public {
				t.Errorf("IsPublic = %v, want %v", got, tt.public)
			}
			if st := p.PublicStatement(); (st != nil) != tt.public || (st != nil && !st.Allow) {
				t.Errorf("PublicStatement = %+v", st)
			}
		})
	}
}

// BenchmarkIsPublic measures parsing a typical bucket policy and deciding
// whether it is public, which RestrictPublicBuckets does once per policy
// text (the s3 service caches the answer).
func BenchmarkIsPublic(b *testing.B) {
	doc := `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"Logs","Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/logs/*","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}},` +
		`{"Sid":"Office","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/48"]}}},` +
		`{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
	for b.Loop() {
		p, err := policy.Parse(doc, policy.Resource)
		if err != nil || p.IsPublic() {
			b.Fatal(err)
		}
	}
}
