package s3blob

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// AbortUploadsBefore aborts the multipart uploads under the store's prefix
// that were started before before, and returns how many it aborted. They
// are what a process killed in the middle of a large Put leaves: parts no
// object will ever use, invisible but taking space. It is the counterpart
// of fsblob's sweep of temporary files, for servers without lifecycle
// rules (federa itself among them); where the bucket has an
// AbortIncompleteMultipartUpload rule it has nothing to do.
//
// Other nodes may be uploading under the same prefix, so before must leave
// room for the longest upload (a day is safe). The caller passes the time
// rather than s3blob reading a clock. It needs s3:ListBucketMultipartUploads
// on the bucket besides the permissions Put needs.
func (s *Store) AbortUploadsBefore(ctx context.Context, before time.Time) (int, error) {
	in := &s3.ListMultipartUploadsInput{Bucket: &s.cfg.Bucket, Prefix: &s.cfg.Prefix}
	aborted := 0
	for {
		page, err := s.client.ListMultipartUploads(ctx, in)
		if err != nil {
			return aborted, fmt.Errorf("s3blob: list uploads: %w", err)
		}
		for _, u := range page.Uploads {
			if u.Initiated == nil || !u.Initiated.Before(before) {
				continue
			}
			if err := s.abort(ctx, aws.ToString(u.Key), u.UploadId); err != nil {
				return aborted, err
			}
			aborted++
		}
		if !aws.ToBool(page.IsTruncated) {
			break
		}
		in.KeyMarker, in.UploadIdMarker = page.NextKeyMarker, page.NextUploadIdMarker
	}
	return aborted, nil
}
