-- A shop's history comes in by import (issue 10).
--
-- users gain the shop's own customer id (an import matches clients by it, else by their
-- address), and the exact sum of their orders in cents: the average is derived from it
-- (total / count) instead of being re-rounded at every order, so it never drifts; and
-- the date of their first order. Existing clients start from the figures they show.
ALTER TABLE users ADD COLUMN external_id TEXT;
ALTER TABLE users ADD COLUMN total_spent_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN first_order_date INTEGER;
CREATE UNIQUE INDEX users_by_external_id ON users (external_id);
UPDATE users SET total_spent_cents = CAST(ROUND(average_order_value * order_count * 100) AS INTEGER),
                 first_order_date = (SELECT min(order_date) FROM orders WHERE orders.user_id = users.user_id);
UPDATE users SET first_order_date = last_order_date WHERE first_order_date IS NULL AND order_count > 0;

-- The clients whose orders an import wrote, until their derived fields and score are
-- refreshed from those orders (in the import's last step, or by the next import when a
-- crash came between). A marker, not a queue: each client once.
CREATE TABLE import_pending (
  user_id TEXT PRIMARY KEY
) WITHOUT ROWID;

-- Imports started through the API (POST /api/imports): where each stands. `detail` is
-- the job's JSON (its options, figures and first rejected rows), as GET /api/imports/:id
-- shows it.
CREATE TABLE imports (
  import_id   TEXT PRIMARY KEY,
  status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  detail      TEXT NOT NULL,
  created_by  TEXT NOT NULL DEFAULT '',
  started_at  INTEGER NOT NULL,
  finished_at INTEGER
) WITHOUT ROWID;
CREATE INDEX imports_by_started ON imports (started_at, import_id);
