package s3

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Object tag limits (S3 user guide, "Categorizing your objects using
// tags"): up to 10 tags with unique keys; keys up to 128 and values up to
// 256 Unicode characters, counted as S3 stores them, in UTF-16 code units.
const (
	MaxTags        = 10
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

// Tag is one object tag.
type Tag struct {
	Key   string
	Value string
}

// Messages S3 answers bad tags with.
const (
	msgTooManyTags   = "Object tags cannot be greater than 10"
	msgTagKeyInvalid = "The TagKey you have provided is invalid"
	msgTagValInvalid = "The TagValue you have provided is invalid"
	msgTagKeyLong    = "The TagKey you have provided is too long, max 128"
	msgTagValLong    = "The TagValue you have provided is too long, max 256"
	msgTagAWSPrefix  = "Your TagKey cannot be prefixed with aws:"
	msgTagDuplicate  = "Cannot provide multiple Tags with the same key"
	msgTaggingHeader = "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates."
)

// CheckTags validates a tag set as S3 does and returns it as a map (nil for
// an empty set). Too many tags is BadRequest, as S3 answers; every other
// problem is InvalidTag.
func CheckTags(tags []Tag) (map[string]string, error) {
	if len(tags) > MaxTags {
		return nil, ErrBadRequest.New(msgTooManyTags)
	}
	if len(tags) == 0 {
		return nil, nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		if err := checkTag(t); err != nil {
			return nil, err
		}
		if _, dup := m[t.Key]; dup {
			return nil, ErrInvalidTag.New(msgTagDuplicate)
		}
		m[t.Key] = t.Value
	}
	return m, nil
}

func checkTag(t Tag) error {
	switch {
	case t.Key == "" || !tagText(t.Key):
		return ErrInvalidTag.New(msgTagKeyInvalid)
	case utf16Len(t.Key) > maxTagKeyLen:
		return ErrInvalidTag.New(msgTagKeyLong)
	case len(t.Key) >= 4 && strings.EqualFold(t.Key[:4], "aws:"):
		// The prefix is reserved for tags AWS itself sets.
		return ErrInvalidTag.New(msgTagAWSPrefix)
	case !tagText(t.Value):
		return ErrInvalidTag.New(msgTagValInvalid)
	case utf16Len(t.Value) > maxTagValueLen:
		return ErrInvalidTag.New(msgTagValLong)
	}
	return nil
}

// tagText reports whether s uses only the characters AWS allows in tags:
// Unicode letters, numbers and space separators, and _ . : / = + - @
// (the pattern [\p{L}\p{Z}\p{N}_.:/=+\-@]* of AWS's tag references).
func tagText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.IsNumber(r), unicode.Is(unicode.Z, r):
		case strings.ContainsRune("_.:/=+-@", r):
		default:
			return false
		}
	}
	return true
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// maxTaggingHeader bounds the x-amz-tagging header: ten tags of maximal
// length, each character percent-encoded, fit well below it.
const maxTaggingHeader = 16 << 10

// ParseTaggingHeader reads the x-amz-tagging header of PutObject and
// CopyObject: tags as URL query parameters ("k1=v1&k2=v2"), percent-encoded,
// '+' meaning a space as in a form. A key without '=' has the empty value.
// A malformed encoding, a second '=' or a repeated key is InvalidArgument
// with S3's message; the tags themselves are then checked by CheckTags.
func ParseTaggingHeader(v string) (map[string]string, error) {
	bad := ErrInvalidArgument.New(msgTaggingHeader)
	if len(v) > maxTaggingHeader {
		return nil, bad
	}
	var tags []Tag
	seen := map[string]bool{}
	for _, pair := range strings.Split(v, "&") {
		if pair == "" {
			continue
		}
		rawKey, rawValue, _ := strings.Cut(pair, "=")
		if strings.Contains(rawValue, "=") {
			return nil, bad
		}
		key, err1 := url.QueryUnescape(rawKey)
		value, err2 := url.QueryUnescape(rawValue)
		if err1 != nil || err2 != nil || !utf8.ValidString(key) || !utf8.ValidString(value) {
			return nil, bad
		}
		if seen[key] {
			return nil, bad
		}
		seen[key] = true
		if len(tags) > MaxTags {
			break // CheckTags refuses the set; no need to read on
		}
		tags = append(tags, Tag{Key: key, Value: value})
	}
	return CheckTags(tags)
}
