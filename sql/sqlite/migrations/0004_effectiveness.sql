-- Effectiveness: opens and clicks (tracking), conversions (an order within the
-- attribution window after an email), and the holdout (clients at risk who were scored
-- but, by design, not emailed) that the lift is measured against.

ALTER TABLE emails ADD COLUMN opened_at INTEGER;
ALTER TABLE emails ADD COLUMN clicked_at INTEGER;
ALTER TABLE emails ADD COLUMN converted_at INTEGER;
ALTER TABLE emails ADD COLUMN conversion_order_id TEXT;
ALTER TABLE emails ADD COLUMN conversion_revenue REAL;
CREATE INDEX emails_by_user_sent ON emails (user_id, sent_at);

CREATE TABLE email_events (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  email_id TEXT NOT NULL,
  type     TEXT NOT NULL CHECK (type IN ('open', 'click')),
  url      TEXT NOT NULL DEFAULT '',
  at       INTEGER NOT NULL
);
CREATE INDEX email_events_by_email ON email_events (email_id, at);

CREATE TABLE holdouts (
  user_id             TEXT NOT NULL,
  trigger_id          TEXT NOT NULL,
  score               REAL NOT NULL,
  at                  INTEGER NOT NULL,
  converted_at        INTEGER,
  conversion_order_id TEXT,
  conversion_revenue  REAL,
  PRIMARY KEY (user_id, trigger_id)
) WITHOUT ROWID;
CREATE INDEX holdouts_by_user ON holdouts (user_id, at);
CREATE INDEX holdouts_by_at ON holdouts (at);
