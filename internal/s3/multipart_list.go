package s3

import (
	"context"
	"strconv"
	"strings"

	"github.com/federa/federa/internal/awserr"
)

// PartsPage is one page of ListParts.
type PartsPage struct {
	Upload      Upload
	Parts       []UploadPart
	IsTruncated bool
	// NextMarker is the last part number returned (the marker that resumes
	// the listing), 0 when the page is empty.
	NextMarker int
}

// ParseMaxParts parses max-parts (or max-uploads, named by param): absent
// means def, values above def are clamped to it, as S3 does.
func ParseMaxParts(param, v string, present bool, def int) (int, error) {
	if !present {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, ErrInvalidArgument.New("Argument %s must be an integer between 0 and 2147483647", param)
	}
	return min(n, def), nil
}

// ParsePartNumberMarker parses part-number-marker; absent or empty is 0.
func ParsePartNumberMarker(v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, ErrInvalidArgument.New("Argument part-number-marker must be an integer between 0 and 2147483647")
	}
	return n, nil
}

// ListParts lists an upload's parts numbered above marker, at most max.
func (s *Service) ListParts(ctx context.Context, req Request, uploadID string, marker, max int) (PartsPage, error) {
	if _, err := s.bucketFor(ctx, req, "s3:ListMultipartUploadParts", objectARN(req.Bucket, req.Key), nil); err != nil {
		return PartsPage{}, err
	}
	u, err := s.upload(ctx, req, uploadID)
	if err != nil {
		return PartsPage{}, err
	}
	max = min(max, MaxParts)
	parts, err := s.st.ListUploadParts(ctx, req.Bucket, req.Key, uploadID, marker, max+1)
	if err != nil {
		return PartsPage{}, awserr.Internal(err)
	}
	page := PartsPage{Upload: u}
	if len(parts) > max {
		parts, page.IsTruncated = parts[:max], true
	}
	page.Parts = parts
	if len(parts) > 0 {
		page.NextMarker = parts[len(parts)-1].PartNumber
	}
	return page, nil
}

// UploadsParams are ListMultipartUploads' inputs.
type UploadsParams struct {
	Prefix    string
	Delimiter string
	// KeyMarker and UploadIDMarker resume a listing after the upload they
	// name; without UploadIDMarker every upload of KeyMarker is skipped.
	KeyMarker      string
	UploadIDMarker string
	// MaxUploads is the page size, clamped to [0, MaxUploads].
	MaxUploads int
}

// UploadsPage is one page of ListMultipartUploads.
type UploadsPage struct {
	Uploads        []Upload
	CommonPrefixes []string
	IsTruncated    bool
	// NextKeyMarker and NextUploadIDMarker resume the listing: the last
	// upload (or common prefix, with no upload id) returned.
	NextKeyMarker      string
	NextUploadIDMarker string
}

// ListMultipartUploads lists a bucket's uploads in progress by key, and by
// initiation within a key. As in ListObjects, keys that contain Delimiter
// after Prefix are rolled up into common prefixes.
func (s *Service) ListMultipartUploads(ctx context.Context, req Request, p UploadsParams) (UploadsPage, error) {
	for name, v := range map[string]string{"prefix": p.Prefix, "delimiter": p.Delimiter, "key-marker": p.KeyMarker, "upload-id-marker": p.UploadIDMarker} {
		if err := checkListText(name, v); err != nil {
			return UploadsPage{}, err
		}
	}
	if _, err := s.bucketFor(ctx, req, "s3:ListBucketMultipartUploads", bucketARN(req.Bucket), nil); err != nil {
		return UploadsPage{}, err
	}
	limit := min(max(p.MaxUploads, 0), MaxUploads)
	afterKey, afterID := p.KeyMarker, p.UploadIDMarker
	if afterKey == "" {
		afterID = "" // S3 ignores upload-id-marker without key-marker
	}
	// Resuming after a common prefix must skip the keys it rolled up.
	if afterID == "" && p.Delimiter != "" && strings.HasPrefix(afterKey, p.Prefix) {
		rest := afterKey[len(p.Prefix):]
		if i := strings.Index(rest, p.Delimiter); i >= 0 && i+len(p.Delimiter) == len(rest) {
			afterKey += skipPast
		}
	}
	var page UploadsPage
	count := 0
	const batch = MaxUploads + 1
	for {
		us, err := s.st.ListUploads(ctx, req.Bucket, p.Prefix, afterKey, afterID, batch)
		if err != nil {
			return UploadsPage{}, awserr.Internal(err)
		}
		restart := false
		for _, u := range us {
			if count >= limit {
				page.IsTruncated = true
				return page, nil
			}
			if p.Delimiter != "" {
				rest := u.Key[len(p.Prefix):]
				if i := strings.Index(rest, p.Delimiter); i >= 0 {
					cp := p.Prefix + rest[:i+len(p.Delimiter)]
					page.CommonPrefixes = append(page.CommonPrefixes, cp)
					page.NextKeyMarker, page.NextUploadIDMarker = cp, ""
					count++
					// Jump past every upload under cp.
					afterKey, afterID, restart = cp+skipPast, "", true
					break
				}
			}
			page.Uploads = append(page.Uploads, u)
			page.NextKeyMarker, page.NextUploadIDMarker = u.Key, u.UploadID
			afterKey, afterID = u.Key, u.UploadID
			count++
		}
		if !restart && len(us) < batch {
			return page, nil
		}
	}
}
