package s3api

import (
	"net"
	"strings"
)

// route splits a request into bucket and key. A Host of the form
// <bucket>.<base domain>[:port] names the bucket (virtual-host style) and the
// whole path is the key; otherwise the first path segment is the bucket
// (path style). path is the unescaped URL path, so keys keep every byte the
// client encoded, including "//" runs.
func route(host, path string, bases []string) (bucket, key string) {
	path = strings.TrimPrefix(path, "/")
	if b := hostBucket(host, bases); b != "" {
		return b, path
	}
	bucket, key, _ = strings.Cut(path, "/")
	return bucket, key
}

// hostBucket returns the bucket a virtual-host style Host names, or "".
func hostBucket(host string, bases []string) string {
	if len(bases) == 0 {
		return ""
	}
	// Only a Host with a port is split: SplitHostPort's error for one
	// without would cost an allocation on every request.
	if strings.IndexByte(host, ':') >= 0 {
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, base := range bases {
		if b, ok := strings.CutSuffix(host, "."+base); ok && b != "" {
			return b
		}
	}
	return ""
}
