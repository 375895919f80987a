-- Users, orders, emails and the change stream (docs/design.md, "The data").
-- Times are INTEGER milliseconds since the epoch (UTC); money is REAL.

CREATE TABLE users (
  user_id              TEXT PRIMARY KEY,
  email                TEXT NOT NULL COLLATE NOCASE UNIQUE,
  name                 TEXT NOT NULL,
  last_order_date      INTEGER,
  order_count          INTEGER NOT NULL DEFAULT 0,
  average_order_value  REAL NOT NULL DEFAULT 0,
  preferred_categories TEXT NOT NULL DEFAULT '[]',
  engagement_score     REAL NOT NULL,
  last_email_date      INTEGER,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
) WITHOUT ROWID;

-- Keyset pagination: one index per sort, the user id breaking ties.
CREATE INDEX users_by_created ON users (created_at, user_id);
CREATE INDEX users_by_score ON users (engagement_score, user_id);
CREATE INDEX users_by_name ON users (name, user_id);
CREATE INDEX users_by_last_order ON users (COALESCE(last_order_date, -1), user_id);

CREATE TABLE orders (
  order_id    TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL,
  order_date  INTEGER NOT NULL,
  total_value REAL NOT NULL,
  items       TEXT NOT NULL,
  status      TEXT NOT NULL,
  created_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX orders_by_user ON orders (user_id, order_date, order_id);

CREATE TABLE emails (
  email_id                 TEXT PRIMARY KEY,
  user_id                  TEXT NOT NULL,
  subject                  TEXT NOT NULL,
  content                  TEXT NOT NULL,
  html                     TEXT NOT NULL,
  generated_at             INTEGER NOT NULL,
  engagement_score_at_time REAL NOT NULL,
  status                   TEXT NOT NULL,
  writer                   TEXT NOT NULL,
  sent_at                  INTEGER,
  error                    TEXT NOT NULL DEFAULT '',
  created_at               INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX emails_by_user ON emails (user_id, created_at, email_id);
CREATE INDEX emails_by_created ON emails (created_at, email_id);

-- The change stream: AUTOINCREMENT so a seq is never reused, even after deletes.
CREATE TABLE user_changes (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id    TEXT NOT NULL,
  op         TEXT NOT NULL CHECK (op IN ('INSERT', 'MODIFY', 'REMOVE')),
  old_image  TEXT,
  new_image  TEXT,
  changed_at INTEGER NOT NULL
);

CREATE TABLE checkpoints (
  name       TEXT PRIMARY KEY,
  seq        INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
