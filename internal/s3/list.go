package s3

import (
	"context"
	"strconv"
	"strings"

	"github.com/federa/federa/internal/awserr"
)

// MaxKeys is the most entries one listing page returns, and the default.
const MaxKeys = 1000

// ListParams are a listing's inputs. The Has flags record whether the
// parameter was sent at all, because the s3:prefix, s3:delimiter and
// s3:max-keys condition keys exist only when it was.
type ListParams struct {
	Prefix       string
	HasPrefix    bool
	Delimiter    string
	HasDelimiter bool
	// MaxKeys is the page size; it is clamped to [0, MaxKeys].
	MaxKeys    int
	HasMaxKeys bool
	// After lists only keys greater than it (marker, start-after or the
	// decoded continuation token).
	After string
}

// ListResult is one page of a listing.
type ListResult struct {
	Objects        []Object
	CommonPrefixes []string
	IsTruncated    bool
	// Next is the last key or common prefix returned: the marker that
	// resumes the listing after this page.
	Next string
}

// ParseMaxKeys parses the max-keys parameter; absent means MaxKeys and values
// above MaxKeys are clamped, as S3 does.
func ParseMaxKeys(v string, present bool) (int, error) {
	if !present {
		return MaxKeys, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, ErrInvalidArgument.New("Provided max-keys not an integer or within integer range")
	}
	return min(n, MaxKeys), nil
}

// skipPast is appended to a common prefix to form a marker after every key
// under it: 0xff never occurs in UTF-8, and keys must be UTF-8.
const skipPast = "\xff"

// ListObjects lists req.Bucket. Keys that contain Delimiter after Prefix are
// rolled up into common prefixes, each counted once against MaxKeys.
func (s *Service) ListObjects(ctx context.Context, req Request, p ListParams) (ListResult, error) {
	for name, v := range map[string]string{"prefix": p.Prefix, "delimiter": p.Delimiter, "marker or start-after": p.After} {
		if err := checkListText(name, v); err != nil {
			return ListResult{}, err
		}
	}
	extra := map[string][]string{}
	if p.HasPrefix {
		extra["s3:prefix"] = []string{p.Prefix}
	}
	if p.HasDelimiter {
		extra["s3:delimiter"] = []string{p.Delimiter}
	}
	if p.HasMaxKeys {
		extra["s3:max-keys"] = []string{strconv.Itoa(p.MaxKeys)}
	}
	if _, err := s.bucketFor(ctx, req, "s3:ListBucket", bucketARN(req.Bucket), extra); err != nil {
		return ListResult{}, err
	}
	return s.list(ctx, req.Bucket, p)
}

// list reads the store in batches. With a delimiter, the keys under a
// common prefix already returned are skipped: inside the batch at hand, and
// by resuming the store after the prefix's last possible key. The batch
// size adapts: a batch mostly skipped (a folder with many keys) makes the
// next one small, since the next query jumps past the folder anyway; a batch
// fully used makes the next one larger. A root listing of a bucket with a
// thousand big folders thus costs a thousand tiny queries, not a thousand
// full pages.
func (s *Service) list(ctx context.Context, bucket string, p ListParams) (ListResult, error) {
	var res ListResult
	limit := min(max(p.MaxKeys, 0), MaxKeys)
	after := p.After
	// Resuming after a common prefix must skip the keys it rolled up.
	if p.Delimiter != "" && strings.HasPrefix(after, p.Prefix) {
		rest := after[len(p.Prefix):]
		if i := strings.Index(rest, p.Delimiter); i >= 0 && i+len(p.Delimiter) == len(rest) {
			after += skipPast
		}
	}
	count := 0
	skip := "" // the common prefix whose keys are being skipped
	// One row beyond the page tells whether the listing is truncated.
	batch := limit + 1
	for {
		objs, err := s.st.ListObjects(ctx, bucket, p.Prefix, after, batch)
		if err != nil {
			return ListResult{}, awserr.Internal(err)
		}
		used := 0
		for _, o := range objs {
			if skip != "" && strings.HasPrefix(o.Key, skip) {
				continue
			}
			if count >= limit {
				res.IsTruncated = true
				return res, nil
			}
			used++
			count++
			if p.Delimiter != "" {
				rest := o.Key[len(p.Prefix):]
				if i := strings.Index(rest, p.Delimiter); i >= 0 {
					cp := p.Prefix + rest[:i+len(p.Delimiter)]
					res.CommonPrefixes = append(res.CommonPrefixes, cp)
					res.Next = cp
					skip, after = cp, cp+skipPast
					continue
				}
			}
			res.Objects = append(res.Objects, o)
			res.Next = o.Key
			after = o.Key
		}
		if len(objs) < batch {
			return res, nil
		}
		need := limit - count + 1
		switch {
		case used < batch/2:
			batch = max(2, used*2)
		case used == batch:
			batch *= 2
		}
		batch = min(batch, need, MaxKeys+1)
	}
}
