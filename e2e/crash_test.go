package e2e

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	mrand "math/rand/v2"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// TestCrashDuringUploads kills the server with SIGKILL while several clients
// upload, overwrite and delete objects, restarts it on the same data
// directory, and checks what a user would see, many times over:
//   - every acknowledged write is there, byte for byte, with its ETag —
//     unless a later write to the same key replaced it;
//   - a key written concurrently holds one whole write (acknowledged, or in
//     flight at the kill), never a mix of two, and never a torn body;
//   - listing and GET agree on which keys exist and on their sizes;
//   - no temporary file of an interrupted upload is left behind.
func TestCrashDuringUploads(t *testing.T) {
	rounds := 15
	if testing.Short() {
		rounds = 3
	}
	p := newFederaProc(t, buildFedera(t))
	p.start()
	p.createBucket(crashBucket)
	m := newCrashModel()
	rng := mrand.New(mrand.NewPCG(uint64(time.Now().UnixNano()), 6))
	var acked, inFlight int
	for round := range rounds {
		if round > 0 {
			p.start()
		}
		m.verify(t, p, round)
		if t.Failed() {
			t.Fatalf("round %d failed; server log:\n%s", round, tail(p.log(), 4000))
		}
		a, f := m.writeUntilKilled(t, p, rng)
		acked, inFlight = acked+a, inFlight+f
	}
	p.start()
	m.verify(t, p, rounds)
	t.Logf("%d rounds: %d writes acknowledged, %d in flight at a kill; %d orphaned blobs left", rounds, acked, inFlight, m.orphans)
}

const crashBucket = "crash"

// crashKeys are few, so that writers often race on one key; some have
// spaces and non-ASCII letters, as users' file names do.
var crashKeys = []string{
	"a", "b", "c", "d/e", "d/f", "g h/i j.txt", "über/naïve file.bin", "日本/ファイル", "z/z/z/z", "0",
	"k1", "k2", "k3", "k4", "k5", "k6",
}

// crashSizes mix empty and tiny bodies with ones large enough that a kill
// often lands while the body is still streaming.
var crashSizes = []int{0, 1, 1000, 4 << 10, 64 << 10, 300 << 10, 1 << 20, 3 << 20, 9 << 20}

// crashWrite is one PUT (size >= 0) or DELETE (size -1) of a key. start and
// end are ticks of one logical clock taken before sending and after the
// answer arrived; end is 0 while not acknowledged.
type crashWrite struct {
	seed       uint64
	size       int
	md5        string
	start, end int64
}

type crashModel struct {
	clock   atomic.Int64
	mu      sync.Mutex
	writes  map[string][]*crashWrite
	seeds   atomic.Uint64
	orphans int
}

func newCrashModel() *crashModel {
	m := &crashModel{writes: map[string][]*crashWrite{}}
	for _, k := range crashKeys {
		m.writes[k] = []*crashWrite{{size: -1, start: m.clock.Add(1), end: m.clock.Add(1)}}
	}
	return m
}

// content is the body of the write with this seed: pseudo-random, so that
// bytes out of place or from another write cannot match by accident.
func content(seed uint64, size int) []byte {
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	b := make([]byte, size)
	_, _ = mrand.NewChaCha8(s).Read(b)
	return b
}

// possible reports the writes whose result the key may hold after a crash:
// those not superseded, i.e. with no acknowledged write that started after
// they were acknowledged. A write in flight at the kill may or may not have
// happened, so it supersedes nothing yet is never superseded by an earlier one.
func possible(ws []*crashWrite) []*crashWrite {
	var out []*crashWrite
	for _, w := range ws {
		superseded := false
		for _, w2 := range ws {
			if w2.end != 0 && w.end != 0 && w2.start > w.end {
				superseded = true
				break
			}
		}
		if !superseded {
			out = append(out, w)
		}
	}
	return out
}

// writeUntilKilled runs writers against p and SIGKILLs it at a random moment;
// it returns how many writes were acknowledged and how many were in flight.
func (m *crashModel) writeUntilKilled(t *testing.T, p *federaProc, rng *mrand.Rand) (acked, inFlight int) {
	t.Helper()
	c := p.s3Client(nil)
	var killed atomic.Bool
	var wg sync.WaitGroup
	var nAcked, nFlight atomic.Int64
	const writers = 6
	for i := range writers {
		wrng := mrand.New(mrand.NewPCG(rng.Uint64(), uint64(i)))
		wg.Go(func() {
			for !killed.Load() {
				key := crashKeys[wrng.IntN(len(crashKeys))]
				w := &crashWrite{seed: m.seeds.Add(1), size: -1}
				var body []byte
				if wrng.IntN(10) > 0 {
					w.size = crashSizes[wrng.IntN(len(crashSizes))]
					body = content(w.seed, w.size)
					sum := md5.Sum(body)
					w.md5 = hex.EncodeToString(sum[:])
				}
				m.mu.Lock()
				m.writes[key] = append(m.writes[key], w)
				m.mu.Unlock()
				w.start = m.clock.Add(1)
				var err error
				if w.size >= 0 {
					var out *s3.PutObjectOutput
					out, err = c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(crashBucket), Key: aws.String(key), Body: bytes.NewReader(body)})
					if err == nil && aws.ToString(out.ETag) != `"`+w.md5+`"` {
						t.Errorf("PUT %q: ETag %s, want %q", key, aws.ToString(out.ETag), w.md5)
					}
				} else {
					_, err = c.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String(crashBucket), Key: aws.String(key)})
				}
				switch {
				case err == nil:
					w.end = m.clock.Add(1)
					nAcked.Add(1)
				case killed.Load():
					nFlight.Add(1) // the kill cut it off: it may or may not have happened
				default:
					t.Errorf("write %q (%d bytes) failed before the kill: %v", key, w.size, err)
					killed.Store(true)
				}
			}
		})
	}
	time.Sleep(time.Duration(50+rng.IntN(1500)) * time.Millisecond)
	killed.Store(true)
	p.kill()
	wg.Wait()
	return int(nAcked.Load()), int(nFlight.Load())
}

// verify checks the restarted server against the model, then makes what it
// found the starting state of the next round.
func (m *crashModel) verify(t *testing.T, p *federaProc, round int) {
	t.Helper()
	ctx := context.Background()
	c := p.s3Client(nil)
	listed := map[string]int64{}
	pg := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(crashBucket), MaxKeys: aws.Int32(5)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			t.Errorf("round %d: list: %v", round, err)
			return
		}
		for _, o := range page.Contents {
			listed[aws.ToString(o.Key)] = aws.ToInt64(o.Size)
		}
	}
	for k := range listed {
		if _, ok := m.writes[k]; !ok {
			t.Errorf("round %d: listing shows %q, which no one wrote", round, k)
		}
	}
	for _, key := range crashKeys {
		got := m.read(t, c, round, key)
		if size, ok := listed[key]; ok != (got.size >= 0) || ok && size != int64(got.size) {
			t.Errorf("round %d: %q: listing says present=%v size=%d, GET says size %d", round, key, ok, size, got.size)
		}
		cands := possible(m.writes[key])
		found := false
		for _, w := range cands {
			if w.size == got.size && w.md5 == got.md5 {
				found, got.seed = true, w.seed
			}
		}
		if !found {
			t.Errorf("round %d: %q holds %s, not one of the possible writes %s", round, key, got, describe(cands))
		}
		got.start = m.clock.Add(1)
		got.end = m.clock.Add(1)
		m.writes[key] = []*crashWrite{got}
	}
	// The one file that stays is the lock of the running server.
	if left := countFiles(filepath.Join(p.dataDir, "objects", ".tmp")) - 1; left > 0 {
		t.Errorf("round %d: %d temporary files of interrupted uploads left after restart", round, left)
	}
	m.orphans = countFiles(filepath.Join(p.dataDir, "objects", "obj")) - len(listed)
}

// read GETs key and checks that the body is whole: its MD5 is the ETag and
// its bytes are exactly those of the write with that MD5.
func (m *crashModel) read(t *testing.T, c *s3.Client, round int, key string) *crashWrite {
	t.Helper()
	out, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(crashBucket), Key: aws.String(key)})
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "NoSuchKey" {
		return &crashWrite{size: -1}
	}
	if err != nil {
		t.Errorf("round %d: GET %q: %v", round, key, err)
		return &crashWrite{size: -2}
	}
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	if err != nil {
		t.Errorf("round %d: GET %q: reading body: %v", round, key, err)
		return &crashWrite{size: -2}
	}
	sum := md5.Sum(body)
	w := &crashWrite{size: len(body), md5: hex.EncodeToString(sum[:])}
	if etag := aws.ToString(out.ETag); etag != `"`+w.md5+`"` {
		t.Errorf("round %d: GET %q: ETag %s but the body's MD5 is %s (a torn or mixed object)", round, key, etag, w.md5)
	}
	if n := aws.ToInt64(out.ContentLength); n != int64(len(body)) {
		t.Errorf("round %d: GET %q: Content-Length %d, body %d bytes", round, key, n, len(body))
	}
	for _, cand := range m.writes[key] {
		if cand.md5 == w.md5 && cand.size == w.size && !bytes.Equal(content(cand.seed, cand.size), body) {
			t.Errorf("round %d: GET %q: body differs from the write it claims to be", round, key)
		}
	}
	return w
}

func (w *crashWrite) String() string {
	if w.size < 0 {
		return "nothing"
	}
	return w.md5[:8] + "/" + strconv.Itoa(w.size)
}

func describe(ws []*crashWrite) string {
	var s []string
	for _, w := range ws {
		st := "acked"
		if w.end == 0 {
			st = "in flight"
		}
		s = append(s, w.String()+" ("+st+")")
	}
	sort.Strings(s)
	return "[" + strings.Join(s, ", ") + "]"
}

// countFiles counts regular files below dir (0 when it does not exist).
func countFiles(dir string) int {
	n := 0
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return nil
	})
	return n
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
