package gateway

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"time"

	"github.com/federa/federa/internal/store"
)

// Store is what the gateway persists: REST APIs, each kept whole.
type Store interface {
	store.RestAPIs
}

// Options configure the service.
type Options struct {
	// Region and AccountID appear in ARNs and in messages.
	Region, AccountID string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Service manages REST APIs (the API Gateway management operations) and
// serves the definition the invocation path reads.
type Service struct {
	st      Store
	region  string
	account string
	now     func() time.Time
}

// New returns the service over st.
func New(st Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{st: st, region: o.Region, account: o.AccountID, now: o.Now}
}

// Get returns the decoded API id. A missing API is ErrNotFound (wrapping
// store.ErrNotFound), so the invocation path can tell it from a failure.
func (s *Service) Get(ctx context.Context, id string) (*API, error) {
	rec, err := s.st.GetRestAPI(ctx, id)
	if err != nil {
		return nil, s.apiErr(id, err)
	}
	return decode(rec)
}

// apiErr turns the store's "not found" into API Gateway's, with the
// message AWS gives.
func (s *Service) apiErr(id string, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return ErrNotFound.Wrap(err, "Invalid API identifier specified %s:%s", s.account, id)
	}
	return err
}

func decode(rec store.RestAPI) (*API, error) {
	var a API
	if err := json.Unmarshal(rec.Spec, &a); err != nil {
		return nil, err
	}
	a.ensureMaps()
	return &a, nil
}

func (a *API) ensureMaps() {
	if a.Resources == nil {
		a.Resources = map[string]*Resource{}
	}
	if a.Authorizers == nil {
		a.Authorizers = map[string]*Authorizer{}
	}
	if a.Deployments == nil {
		a.Deployments = map[string]*Deployment{}
	}
	if a.Stages == nil {
		a.Stages = map[string]*Stage{}
	}
}

// update is the compare-and-swap of one API: fn changes the decoded model,
// which is stored back whole. The API after the change is returned.
func (s *Service) update(ctx context.Context, id string, fn func(*API) error) (*API, error) {
	var out *API
	_, err := s.st.UpdateRestAPI(ctx, id, func(rec *store.RestAPI) error {
		a, err := decode(*rec)
		if err != nil {
			return err
		}
		if err := fn(a); err != nil {
			return err
		}
		spec, err := json.Marshal(a)
		if err != nil {
			return err
		}
		rec.Spec, rec.Name = spec, a.Name
		out = a
		return nil
	})
	if err != nil {
		return nil, s.apiErr(id, err)
	}
	return out, nil
}

// idChars are the characters of API Gateway's ids: lower-case letters and
// digits (an API id looks like "a1b2c3d4e5").
const idChars = "abcdefghijklmnopqrstuvwxyz0123456789"

// newID returns n random id characters, each equally likely: bytes from
// 252 up are drawn again, since 252 is the largest multiple of 36 below 256.
func newID(n int) string {
	out := make([]byte, 0, n)
	buf := make([]byte, n)
	for len(out) < n {
		rand.Read(buf) // never fails (crypto/rand, Go 1.24)
		for _, b := range buf {
			if int(b) < 256/len(idChars)*len(idChars) && len(out) < n {
				out = append(out, idChars[int(b)%len(idChars)])
			}
		}
	}
	return string(out)
}

// clone deep-copies v through JSON, which is how the model is stored
// anyway; deployments snapshot resources and authorizers this way.
func clone[T any](v T) T {
	var out T
	if err := json.Unmarshal(mustJSON(v), &out); err != nil {
		panic(err)
	}
	return out
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // the model is plain strings, maps and times
	}
	return b
}

// ARN is the IAM resource of a management path, as AWS names it for the
// apigateway:<METHOD> actions: arn:aws:apigateway:<region>::/restapis/….
func (s *Service) ARN(path string) string { return "arn:aws:apigateway:" + s.region + "::" + path }
