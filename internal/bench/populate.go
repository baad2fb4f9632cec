package bench

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// populatedUser names the i-th user --populate creates.
func populatedUser(i int) string { return fmt.Sprintf("pop-%d", i) }

// populateUsers makes sure --populate users exist; each costs the server
// one password hash, so a million of them take hours.
func (e *env) populateUsers(ctx context.Context) (int, error) {
	n := e.opts.Populate
	if n == 0 || e.opts.Floor {
		return n, nil
	}
	idp := cip.NewFromConfig(e.root)
	return n, e.populate(ctx, "users", "", n, func(ctx context.Context, i int) error {
		return e.ensureUser(ctx, idp, populatedUser(i))
	})
}

// populateIdentities makes sure --populate identities exist in the
// identity pool: developer-authenticated ones, which GetId's lookup of a
// login searches among like any other (a developer identity has a login,
// as a user pool identity does).
func (e *env) populateIdentities(ctx context.Context) (int, error) {
	n := e.opts.Populate
	if n == 0 || e.opts.Floor {
		return n, nil
	}
	c := ci.NewFromConfig(e.root)
	return n, e.populate(ctx, "identities", "", n, func(ctx context.Context, i int) error {
		_, err := c.GetOpenIdTokenForDeveloperIdentity(ctx, &ci.GetOpenIdTokenForDeveloperIdentityInput{IdentityPoolId: &e.idPoolID,
			Logins: map[string]string{developerProvider: fmt.Sprintf("pop-%d", i)}})
		return err
	})
}

// populateObjects makes sure the read scenarios' objects exist under
// prefix: --populate of them, or by default 1000 small ones (8 above 64 KiB).
func (e *env) populateObjects(ctx context.Context, prefix string) (int, error) {
	n := e.opts.Populate
	if n == 0 {
		n = 1000
		if e.opts.Size > 64<<10 {
			n = 8
		}
	}
	if e.opts.Floor {
		return n, nil
	}
	data := payload(e.opts.Size)
	c := e.rootS3()
	return n, e.populate(ctx, "objects", prefix, n, func(ctx context.Context, i int) error {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucketName), Key: aws.String(objectKey(prefix, i)), Body: bytes.NewReader(data)})
		return err
	})
}

// populate runs create for 0..n-1 with the run's concurrency, unless an
// earlier run finished the same population: a marker object written at the
// end says so, and makes a second run with the same --populate start at once.
func (e *env) populate(ctx context.Context, kind, scope string, n int, create func(context.Context, int) error) error {
	marker := fmt.Sprintf("federa-bench-populated/%s/%s%d", kind, strings.ReplaceAll(scope, "/", "_"), n)
	c := e.rootS3()
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucketName), Key: &marker}); err == nil {
		return nil
	} else if !isCode(err, "NotFound", "NoSuchKey") {
		return fmt.Errorf("look for %s: %w", marker, err)
	}
	var next, done atomic.Int64
	var wg sync.WaitGroup
	var firstErr error
	var once sync.Once
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := e.progress(func(elapsed time.Duration) string {
		return fmt.Sprintf("populating %s: %d/%d (%.0f/s)", kind, done.Load(), n, float64(done.Load())/elapsed.Seconds())
	})
	for range max(e.opts.Concurrency, 8) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := create(ctx, i); err != nil {
					once.Do(func() { firstErr = fmt.Errorf("populate %s #%d: %w", kind, i, err); cancel() })
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	stop()
	if firstErr != nil {
		return firstErr
	}
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucketName), Key: &marker, Body: strings.NewReader(time.Now().UTC().Format(time.RFC3339))})
	return err
}
