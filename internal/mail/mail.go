// Package mail sends user pool email over SMTP, configured by one URL:
//
//	smtp://user:password@host:587?from=no-reply@example.com   (STARTTLS when offered)
//	smtps://user:password@host:465?from=no-reply@example.com  (TLS from the start)
//
// It sends plain-text messages only; federa's user pools use it for
// verification codes and temporary passwords.
package mail

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// Sender sends email through one SMTP server.
type Sender struct {
	addr, host string
	implicit   bool // smtps: TLS from the first byte
	auth       smtp.Auth
	from       string
	// TLSConfig is used for STARTTLS and smtps (nil: verify the host).
	TLSConfig *tls.Config
}

// New parses an SMTP URL.
func New(raw string) (*Sender, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("smtp url: %w", err)
	}
	s := &Sender{host: u.Hostname()}
	switch u.Scheme {
	case "smtp":
	case "smtps":
		s.implicit = true
	default:
		return nil, fmt.Errorf("smtp url: scheme must be smtp or smtps, not %q", u.Scheme)
	}
	if s.host == "" {
		return nil, errors.New("smtp url: no host")
	}
	port := u.Port()
	if port == "" {
		port = map[bool]string{false: "587", true: "465"}[s.implicit]
	}
	s.addr = net.JoinHostPort(s.host, port)
	from, err := mail.ParseAddress(u.Query().Get("from"))
	if err != nil {
		return nil, errors.New("smtp url: ?from= must be the sender's address")
	}
	s.from = from.Address
	if u.User != nil {
		pw, _ := u.User.Password()
		s.auth = smtp.PlainAuth("", u.User.Username(), pw, s.host)
	}
	return s, nil
}

// Send delivers one message. Header values are stripped of line breaks, so
// user-controlled text cannot add headers.
func (s *Sender) Send(to, subject, body string) error {
	if _, err := mail.ParseAddress(to); err != nil {
		return fmt.Errorf("mail: %q is not an address", to)
	}
	clean := func(v string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(v) }
	msg := "From: " + s.from + "\r\nTo: " + clean(to) + "\r\nSubject: " + clean(subject) +
		"\r\nDate: " + time.Now().UTC().Format(time.RFC1123Z) +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		strings.ReplaceAll(body, "\n", "\r\n") + "\r\n"
	c, err := s.dial()
	if err != nil {
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok && !s.implicit {
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return err
		}
	}
	if s.auth != nil {
		if err := c.Auth(s.auth); err != nil {
			return err
		}
	}
	if err := c.Mail(s.from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(msg)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

func (s *Sender) tlsConfig() *tls.Config {
	if s.TLSConfig != nil {
		return s.TLSConfig
	}
	return &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
}

func (s *Sender) dial() (*smtp.Client, error) {
	d := net.Dialer{Timeout: 10 * time.Second}
	if s.implicit {
		conn, err := tls.DialWithDialer(&d, "tcp", s.addr, s.tlsConfig())
		if err != nil {
			return nil, err
		}
		return smtp.NewClient(conn, s.host)
	}
	conn, err := d.Dial("tcp", s.addr)
	if err != nil {
		return nil, err
	}
	return smtp.NewClient(conn, s.host)
}
