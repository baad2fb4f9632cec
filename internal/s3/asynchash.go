package s3

import (
	"hash"
	"io"
)

// asyncMinSize is the body size from which storeBody hashes in a goroutine
// of its own. Below it the hand-over costs more than it saves.
const asyncMinSize = 1 << 20

// asyncHashes feeds the hashes of an upload (MD5 and the checksum) in a
// goroutine of their own, so that on a large upload they run beside the
// goroutine that reads the body, checks its SHA-256 and writes it to disk,
// instead of after it: one goroutine did all four at about 210 MB/s, half
// of its time in MD5. Each write is copied into one of a few fixed buffers
// (memory stays flat whatever the size) and handed over in order.
type asyncHashes struct {
	hs   []hash.Hash
	work chan []byte
	free chan []byte
	done chan struct{}
}

const (
	asyncBufSize = 64 << 10
	asyncBuffers = 8
)

func newAsyncHashes(hs ...hash.Hash) *asyncHashes {
	a := &asyncHashes{hs: hs, work: make(chan []byte, asyncBuffers), free: make(chan []byte, asyncBuffers), done: make(chan struct{})}
	for range asyncBuffers {
		a.free <- make([]byte, asyncBufSize)
	}
	go func() {
		defer close(a.done)
		for b := range a.work {
			for _, h := range a.hs {
				h.Write(b)
			}
			a.free <- b[:cap(b)]
		}
	}()
	return a
}

// Write implements io.Writer; it never fails.
func (a *asyncHashes) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		b := <-a.free
		c := copy(b, p)
		a.work <- b[:c]
		p = p[c:]
	}
	return n, nil
}

// wait returns once every byte written has been hashed. It must be called
// once, after the last Write, or the goroutine is left waiting.
func (a *asyncHashes) wait() {
	close(a.work)
	<-a.done
}

var _ io.Writer = (*asyncHashes)(nil)
