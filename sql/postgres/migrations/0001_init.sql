-- Users, orders, emails, the change stream and the pipeline's tables (docs/design.md, "The data"):
-- the same schema as sql/sqlite/migrations/0001..0004, in one step. Times are BIGINT
-- milliseconds since the epoch (UTC); money is DOUBLE PRECISION (as SQLite's REAL).
-- Text keys use COLLATE "C" so that sorting and keyset cursors compare bytes, exactly
-- as SQLite's BINARY collation does, whatever the database's locale.

CREATE TABLE users (
  user_id              TEXT COLLATE "C" PRIMARY KEY,
  email                TEXT NOT NULL,
  name                 TEXT COLLATE "C" NOT NULL,
  last_order_date      BIGINT,
  order_count          BIGINT NOT NULL DEFAULT 0,
  average_order_value  DOUBLE PRECISION NOT NULL DEFAULT 0,
  preferred_categories TEXT NOT NULL DEFAULT '[]',
  engagement_score     DOUBLE PRECISION NOT NULL,
  last_email_date      BIGINT,
  created_at           BIGINT NOT NULL,
  updated_at           BIGINT NOT NULL
);
-- Email uniqueness is case-insensitive (SQLite: COLLATE NOCASE); citext is an extension.
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

-- Keyset pagination: one index per sort, the user id breaking ties.
CREATE INDEX users_by_created ON users (created_at, user_id);
CREATE INDEX users_by_score ON users (engagement_score, user_id);
CREATE INDEX users_by_name ON users (name, user_id);
CREATE INDEX users_by_last_order ON users ((COALESCE(last_order_date, -1)), user_id);

CREATE TABLE orders (
  order_id    TEXT COLLATE "C" PRIMARY KEY,
  user_id     TEXT COLLATE "C" NOT NULL,
  order_date  BIGINT NOT NULL,
  total_value DOUBLE PRECISION NOT NULL,
  items       TEXT NOT NULL,
  status      TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
CREATE INDEX orders_by_user ON orders (user_id, order_date, order_id);

CREATE TABLE emails (
  email_id                 TEXT COLLATE "C" PRIMARY KEY,
  user_id                  TEXT COLLATE "C" NOT NULL,
  subject                  TEXT NOT NULL,
  content                  TEXT NOT NULL,
  html                     TEXT NOT NULL,
  generated_at             BIGINT NOT NULL,
  engagement_score_at_time DOUBLE PRECISION NOT NULL,
  status                   TEXT NOT NULL,
  writer                   TEXT NOT NULL,
  sent_at                  BIGINT,
  error                    TEXT NOT NULL DEFAULT '',
  created_at               BIGINT NOT NULL,
  trigger_id               TEXT NOT NULL DEFAULT '',
  prompt_tokens            BIGINT NOT NULL DEFAULT 0,
  completion_tokens        BIGINT NOT NULL DEFAULT 0,
  opened_at                BIGINT,
  clicked_at               BIGINT,
  converted_at             BIGINT,
  conversion_order_id      TEXT,
  conversion_revenue       DOUBLE PRECISION
);
CREATE INDEX emails_by_user ON emails (user_id, created_at, email_id);
CREATE INDEX emails_by_created ON emails (created_at, email_id);
CREATE INDEX emails_by_user_sent ON emails (user_id, sent_at);

-- The change stream (transactional outbox): written in the same transaction as the
-- user row. An identity column never reuses a seq. Seqs become visible in seq order
-- because every writer takes the outbox advisory lock before drawing its seq and holds
-- it until commit (see PgStore::AppendChange), so a reader never skips a late commit.
CREATE TABLE user_changes (
  seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    TEXT NOT NULL,
  op         TEXT NOT NULL CHECK (op IN ('INSERT', 'MODIFY', 'REMOVE')),
  old_image  TEXT,
  new_image  TEXT,
  changed_at BIGINT NOT NULL
);

CREATE TABLE checkpoints (
  name       TEXT PRIMARY KEY,
  seq        BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE suppressions (
  email      TEXT NOT NULL,
  reason     TEXT NOT NULL,   -- unsubscribed, bounced, complained, manual
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX suppressions_email_lower ON suppressions (lower(email));

CREATE TABLE email_events (
  id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email_id TEXT NOT NULL,
  type     TEXT NOT NULL CHECK (type IN ('open', 'click')),
  url      TEXT NOT NULL DEFAULT '',
  at       BIGINT NOT NULL
);
CREATE INDEX email_events_by_email ON email_events (email_id, at);

CREATE TABLE holdouts (
  user_id             TEXT NOT NULL,
  trigger_id          TEXT NOT NULL,
  score               DOUBLE PRECISION NOT NULL,
  at                  BIGINT NOT NULL,
  converted_at        BIGINT,
  conversion_order_id TEXT,
  conversion_revenue  DOUBLE PRECISION,
  PRIMARY KEY (user_id, trigger_id)
);
CREATE INDEX holdouts_by_user ON holdouts (user_id, at);
CREATE INDEX holdouts_by_at ON holdouts (at);
