package iam

import (
	"errors"
	"regexp"
	"strings"

	"github.com/federa/federa/internal/policy"
	"github.com/federa/federa/internal/store"
)

// Name and path rules from the IAM API reference (RoleName, PolicyName, Path).
var (
	namePattern = regexp.MustCompile(`^[\w+=,.@-]+$`)
	pathPattern = regexp.MustCompile(`^/([\x21-\x7e]*/)?$`)
)

// Size quotas from "IAM and AWS STS quotas".
const (
	maxTrustPolicy   = 2048
	maxManagedPolicy = 6144
	maxRoleInline    = 10240
)

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
func isExists(err error) bool   { return errors.Is(err, store.ErrExists) }

func checkName(field, v string, max int) error {
	if v == "" {
		return ErrValidation.New("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1", lowerFirst(field))
	}
	if len(v) > max {
		return ErrValidation.New("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", v, lowerFirst(field), max)
	}
	if !namePattern.MatchString(v) {
		return ErrValidation.New("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+", v, lowerFirst(field))
	}
	return nil
}

func checkPath(p string) (string, error) {
	if p == "" {
		return "/", nil
	}
	if len(p) > 512 || !pathPattern.MatchString(p) {
		return "", ErrValidation.New("The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.")
	}
	return p, nil
}

// checkDocument validates a policy document as IAM does on write.
func checkDocument(doc string, kind policy.Kind, max int) error {
	if doc == "" {
		return ErrValidation.New("1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: Member must not be null")
	}
	if n := len(strings.Join(strings.Fields(doc), "")); n > max {
		return ErrLimitExceeded.New("Cannot exceed quota for PolicySize: %d", max)
	}
	if _, err := policy.Parse(doc, kind); err != nil {
		var v *policy.ValidationError
		if errors.As(err, &v) {
			return ErrMalformedPolicy.New("%s", v.Message)
		}
		return ErrMalformedPolicy.New("%s", err.Error())
	}
	return nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
