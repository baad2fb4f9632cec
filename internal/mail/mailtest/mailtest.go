// Package mailtest is an SMTP receiver on loopback for tests: it speaks
// enough of RFC 5321 (no TLS, no AUTH) to take messages and hands them over.
package mailtest

import (
	"bufio"
	"net"
	"strings"
	"testing"
)

// Server receives mail at Addr; each message arrives on Messages as the
// envelope lines followed by the data.
type Server struct {
	Addr     string
	Messages chan string
}

// New starts a receiver that stops when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &Server{Addr: ln.Addr().String(), Messages: make(chan string, 16)}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(conn)
		}
	}()
	return s
}

func (s *Server) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	say := func(line string) { _, _ = conn.Write([]byte(line + "\r\n")) }
	say("220 mailtest ESMTP")
	var b strings.Builder
	inData := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if inData {
			if line == ".\r\n" {
				inData = false
				s.Messages <- b.String()
				b.Reset()
				say("250 queued")
				continue
			}
			b.WriteString(line)
			continue
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			say("500 empty")
			continue
		}
		switch strings.ToUpper(fields[0]) {
		case "EHLO", "HELO":
			say("250 mailtest")
		case "MAIL", "RCPT":
			b.WriteString(line)
			say("250 ok")
		case "DATA":
			inData = true
			say("354 go on")
		case "RSET", "NOOP":
			say("250 ok")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}
