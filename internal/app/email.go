package app

import (
	"context"
	"log/slog"

	"github.com/federa/federa/internal/mail"
	"github.com/federa/federa/internal/store"
)

// emailDelivery sends the outbox's email messages by SMTP. Failures are
// logged, not returned: the message stays in the outbox for an
// administrator, and a mail server's trouble must not fail a sign-up.
func emailDelivery(s *mail.Sender, log *slog.Logger) func(context.Context, store.Message) {
	return func(ctx context.Context, m store.Message) {
		if m.Medium != "EMAIL" || m.Destination == "" {
			return
		}
		if err := s.Send(m.Destination, m.Subject, m.Body); err != nil {
			log.WarnContext(ctx, "email not sent; it is in the outbox", "pool", m.PoolID, "user", m.Username, "purpose", m.Purpose, "err", err)
		}
	}
}
