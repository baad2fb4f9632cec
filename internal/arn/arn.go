// Package arn parses and formats Amazon Resource Names:
// arn:partition:service:region:account:resource.
//
// arn is a leaf: it imports only the standard library.
package arn

import (
	"errors"
	"strings"
)

// ARN is a parsed Amazon Resource Name. Resource keeps everything after the
// fifth colon, including further colons and slashes.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// ErrMalformed is returned for strings that are not ARNs.
var ErrMalformed = errors.New("arn: malformed; want arn:partition:service:region:account:resource")

// Parse splits s into its six parts.
func Parse(s string) (ARN, error) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" {
		return ARN{}, ErrMalformed
	}
	return ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}, nil
}

// String formats the ARN.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}
