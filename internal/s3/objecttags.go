package s3

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Object tag limits, from "Categorizing your storage using tags" in the S3
// user guide: at most 10 tags, keys of 1–128 and values of 0–256 Unicode
// characters, each key once.
const (
	maxObjectTags  = 10
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

// CheckTags validates an object's tag set as S3 does before storing it.
func CheckTags(tags map[string]string) error {
	if len(tags) > maxObjectTags {
		return ErrInvalidTag.New("Object tags cannot be greater than %d", maxObjectTags)
	}
	for k, v := range tags {
		switch {
		case utf8.RuneCountInString(k) > maxTagKeyLen:
			return ErrInvalidTag.New("The TagKey you have provided is too long, max %d", maxTagKeyLen)
		case utf8.RuneCountInString(v) > maxTagValueLen:
			return ErrInvalidTag.New("The TagValue you have provided is too long, max %d", maxTagValueLen)
		case k == "" || !tagText(k) || strings.HasPrefix(k, "aws:"):
			return ErrInvalidTag.New("The TagKey you have provided is invalid")
		case !tagText(v):
			return ErrInvalidTag.New("The TagValue you have provided is invalid")
		}
	}
	return nil
}

// tagText reports whether s uses only the characters tags allow: letters,
// digits, spaces and + - = . _ : / @.
func tagText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsSpace(r) && !strings.ContainsRune("+-=._:/@", r) {
			return false
		}
	}
	return true
}
