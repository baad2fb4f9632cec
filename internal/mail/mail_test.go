package mail

import (
	"strings"
	"testing"

	"github.com/federa/federa/internal/mail/mailtest"
)

func TestSend(t *testing.T) {
	srv := mailtest.New(t)
	s, err := New("smtp://" + srv.Addr + "?from=no-reply@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send("ana@example.com", "Your code\r\nBcc: evil@example.com", "Your code is 123456."); err != nil {
		t.Fatal(err)
	}
	msg := <-srv.Messages
	for _, want := range []string{"MAIL FROM:<no-reply@example.com>", "RCPT TO:<ana@example.com>", "Subject: Your code  Bcc: evil@example.com\r\n", "Your code is 123456."} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "\r\nBcc:") {
		t.Errorf("a header was injected:\n%s", msg)
	}
	if err := s.Send("not an address", "s", "b"); err == nil {
		t.Error("a bad recipient was accepted")
	}
}

func TestNew(t *testing.T) {
	for _, tt := range []struct {
		url string
		ok  bool
	}{
		{"smtp://mail.example.com?from=a@example.com", true},
		{"smtps://u:p@mail.example.com?from=a@example.com", true},
		{"http://mail.example.com?from=a@example.com", false},
		{"smtp://mail.example.com", false},
		{"smtp://?from=a@example.com", false},
	} {
		if _, err := New(tt.url); (err == nil) != tt.ok {
			t.Errorf("New(%q): %v", tt.url, err)
		}
	}
}
