-- Reconciliation with a shop's REST API (issue 17): one row per platform, written by
-- `rekindle sync` and its schedule. `status`: never, running (`lease_until` set: another
-- process may not start one before it), succeeded, failed. The cursors are the platform's
-- modification times of the newest record applied (where the next run starts).
CREATE TABLE shop_syncs (
  source            TEXT PRIMARY KEY,
  status            TEXT NOT NULL DEFAULT 'never'
                      CHECK (status IN ('never', 'running', 'succeeded', 'failed')),
  trigger_name      TEXT NOT NULL DEFAULT '',
  started_at        INTEGER,
  finished_at       INTEGER,
  last_success_at   INTEGER,
  lease_until       INTEGER,
  error             TEXT NOT NULL DEFAULT '',
  field             TEXT NOT NULL DEFAULT '',
  orders_cursor     TEXT NOT NULL DEFAULT '',
  customers_cursor  TEXT NOT NULL DEFAULT '',
  pages             INTEGER NOT NULL DEFAULT 0,
  fetched           INTEGER NOT NULL DEFAULT 0,
  imported          INTEGER NOT NULL DEFAULT 0,
  updated           INTEGER NOT NULL DEFAULT 0,
  unchanged         INTEGER NOT NULL DEFAULT 0,
  rejected          INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
