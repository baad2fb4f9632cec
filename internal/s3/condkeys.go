package s3

// HeaderConditionKeys are the request headers S3 turns into condition keys
// of the same name under "s3:" (Service Authorization Reference, "Condition
// keys for Amazon S3"): s3:x-amz-acl, s3:x-amz-server-side-encryption, …. The
// wire adapter copies each one present into Request.Headers. The key exists
// only when the header was sent, so {"Null": {"s3:x-amz-…": "true"}} finds
// requests without it, as bucket policies that require encryption do.
//
// s3:x-amz-copy-source and s3:x-amz-metadata-directive are not here:
// CopyObject sets them from the parsed copy request. There is no
// s3:x-amz-tagging key; tags are s3:RequestObjectTag/<key> and
// s3:RequestObjectTagKeys.
var HeaderConditionKeys = []string{
	"x-amz-acl",
	"x-amz-content-sha256",
	"x-amz-grant-full-control",
	"x-amz-grant-read",
	"x-amz-grant-read-acp",
	"x-amz-grant-write",
	"x-amz-grant-write-acp",
	"x-amz-server-side-encryption",
	"x-amz-server-side-encryption-aws-kms-key-id",
	"x-amz-server-side-encryption-customer-algorithm",
	"x-amz-storage-class",
	"x-amz-website-redirect-location",
}

// addRequestKeys adds the keys that describe how the request was made:
// s3:authType, s3:TlsVersion and the header keys.
func (r Request) addRequestKeys(c map[string][]string) {
	if r.AuthType != "" {
		c["s3:authType"] = []string{r.AuthType}
	}
	if r.TLSVersion != "" {
		c["s3:TlsVersion"] = []string{r.TLSVersion}
	}
	for k, v := range r.Headers {
		c["s3:"+k] = []string{v}
	}
}
