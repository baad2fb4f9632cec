package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	ciptypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// op is one operation of a scenario, as one worker makes it. It adds the
// bytes it moved to t.bytes and times its requests with t.step.
type op func(ctx context.Context, t *tally) error

// prepared is a scenario ready to run: one op per worker.
type prepared struct {
	ops       []op
	populated int
}

// prepare sets up what scenario name needs and returns its workers' ops.
func prepare(ctx context.Context, e *env, name string) (prepared, error) {
	switch name {
	case "vend":
		return prepareVend(ctx, e)
	case "signin-password", "signin-srp", "refresh":
		return prepareSignIn(ctx, e, name)
	case "s3-put":
		return preparePut(ctx, e)
	case "s3-get", "s3-list":
		return prepareRead(ctx, e, name)
	}
	return prepared{}, fmt.Errorf("unknown scenario %q", name)
}

// workerUser names worker i's own user.
func workerUser(i int) string { return fmt.Sprintf("bench-%d", i) }

// prepareVend: each worker's user is signed in once; an operation is what
// an app does when a session starts, GetId then GetCredentialsForIdentity.
func prepareVend(ctx context.Context, e *env) (prepared, error) {
	n, err := e.populateIdentities(ctx)
	if err != nil {
		return prepared{}, err
	}
	p := prepared{populated: n}
	for i := range e.opts.Concurrency {
		u, err := e.signedIn(ctx, workerUser(i), false)
		if err != nil {
			return prepared{}, err
		}
		logins := map[string]string{e.providerName(): u.idToken}
		client := e.ci()
		p.ops = append(p.ops, func(ctx context.Context, t *tally) error {
			var id *ci.GetIdOutput
			err := t.step("GetId", func() (err error) {
				id, err = client.GetId(ctx, &ci.GetIdInput{IdentityPoolId: &e.idPoolID, Logins: logins})
				return err
			})
			if err != nil {
				return err
			}
			return t.step("GetCredentialsForIdentity", func() error {
				_, err := client.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: id.IdentityId, Logins: logins})
				return err
			})
		})
	}
	return p, nil
}

// prepareSignIn: an operation is one whole sign-in (two requests for SRP)
// or one token refresh. With --populate the workers sign in as users
// picked at random among the populated ones.
func prepareSignIn(ctx context.Context, e *env, name string) (prepared, error) {
	n, err := e.populateUsers(ctx)
	if err != nil {
		return prepared{}, err
	}
	p := prepared{populated: n}
	for i := range e.opts.Concurrency {
		u, err := e.signedIn(ctx, workerUser(i), false)
		if err != nil {
			return prepared{}, err
		}
		pick := func() string {
			if n == 0 {
				return u.name
			}
			return populatedUser(mrand.IntN(n))
		}
		idp := e.idp()
		switch name {
		case "signin-password":
			p.ops = append(p.ops, func(ctx context.Context, t *tally) error {
				return t.step("InitiateAuth", func() error {
					_, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &e.clientID, AuthFlow: ciptypes.AuthFlowTypeUserPasswordAuth,
						AuthParameters: map[string]string{"USERNAME": pick(), "PASSWORD": userPassword}})
					return err
				})
			})
		case "signin-srp":
			p.ops = append(p.ops, func(ctx context.Context, t *tally) error {
				return signInSRP(ctx, t, idp, e.poolID, e.clientID, pick())
			})
		case "refresh":
			p.ops = append(p.ops, func(ctx context.Context, t *tally) error {
				return t.step("InitiateAuth", func() error {
					_, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &e.clientID, AuthFlow: ciptypes.AuthFlowTypeRefreshTokenAuth,
						AuthParameters: map[string]string{"REFRESH_TOKEN": u.refreshToken}})
					return err
				})
			})
		}
	}
	return p, nil
}

// payload is size random bytes, shared read-only by every worker.
func payload(size int64) []byte {
	b := make([]byte, size)
	_, _ = rand.Read(b)
	return b
}

// preparePut: each worker writes new keys under its own identity's folder
// with that identity's credentials, as seed 004's app does.
func preparePut(ctx context.Context, e *env) (prepared, error) {
	data := payload(e.opts.Size)
	var seq atomic.Int64
	var p prepared
	for i := range e.opts.Concurrency {
		u, err := e.signedIn(ctx, workerUser(i), true)
		if err != nil {
			return prepared{}, err
		}
		c := e.s3For(u.creds)
		p.ops = append(p.ops, func(ctx context.Context, t *tally) error {
			key := fmt.Sprintf("%s/put/%d", u.identityID, seq.Add(1))
			err := t.step("PutObject", func() error {
				_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucketName), Key: &key, Body: bytes.NewReader(data)})
				return err
			})
			if err == nil {
				t.bytes += int64(len(data))
			}
			return err
		})
	}
	return p, nil
}

// readPrefix is the folder of the objects the read scenarios use, in the
// first worker's identity folder, one per size.
func readPrefix(identityID string, size int64) string {
	return fmt.Sprintf("%s/objects-%d/", identityID, size)
}

// prepareRead: every worker reads, with the first worker's identity
// credentials, objects of the given size picked at random (s3-get) or
// lists a page of them from a random place (s3-list).
func prepareRead(ctx context.Context, e *env, name string) (prepared, error) {
	owner, err := e.signedIn(ctx, workerUser(0), true)
	if err != nil {
		return prepared{}, err
	}
	prefix := readPrefix(owner.identityID, e.opts.Size)
	n, err := e.populateObjects(ctx, prefix)
	if err != nil {
		return prepared{}, err
	}
	p := prepared{populated: n}
	for range e.opts.Concurrency {
		c := e.s3For(owner.creds)
		switch name {
		case "s3-get":
			p.ops = append(p.ops, func(ctx context.Context, t *tally) error {
				key := objectKey(prefix, mrand.IntN(n))
				return t.step("GetObject", func() error {
					out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucketName), Key: &key})
					if err != nil {
						return err
					}
					defer out.Body.Close()
					got, err := io.Copy(io.Discard, out.Body)
					if err == nil && got != e.opts.Size {
						err = fmt.Errorf("GetObject %s: %d bytes, want %d", key, got, e.opts.Size)
					}
					if err == nil {
						t.bytes += got
					}
					return err
				})
			})
		case "s3-list":
			p.ops = append(p.ops, func(ctx context.Context, t *tally) error {
				after := objectKey(prefix, mrand.IntN(n))
				return t.step("ListObjectsV2", func() error {
					_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucketName), Prefix: &prefix, StartAfter: &after})
					return err
				})
			})
		}
	}
	return p, nil
}

// objectKey is the i-th read object; zero-padded so listings go in order.
func objectKey(prefix string, i int) string { return fmt.Sprintf("%s%09d", prefix, i) }
