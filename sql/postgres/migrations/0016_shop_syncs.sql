-- Reconciliation with a shop's REST API (issue 17): one row per platform, written by
-- `rekindle sync` and its schedule. `status`: never, running (`lease_until` set: another
-- process may not start one before it), succeeded, failed. The cursors are the platform's
-- modification times of the newest record applied (where the next run starts).
CREATE TABLE shop_syncs (
  source            TEXT PRIMARY KEY,
  status            TEXT NOT NULL DEFAULT 'never'
                      CHECK (status IN ('never', 'running', 'succeeded', 'failed')),
  trigger_name      TEXT NOT NULL DEFAULT '',
  started_at        BIGINT,
  finished_at       BIGINT,
  last_success_at   BIGINT,
  lease_until       BIGINT,
  error             TEXT NOT NULL DEFAULT '',
  field             TEXT NOT NULL DEFAULT '',
  orders_cursor     TEXT NOT NULL DEFAULT '',
  customers_cursor  TEXT NOT NULL DEFAULT '',
  pages             BIGINT NOT NULL DEFAULT 0,
  fetched           BIGINT NOT NULL DEFAULT 0,
  imported          BIGINT NOT NULL DEFAULT 0,
  updated           BIGINT NOT NULL DEFAULT 0,
  unchanged         BIGINT NOT NULL DEFAULT 0,
  rejected          BIGINT NOT NULL DEFAULT 0
);
