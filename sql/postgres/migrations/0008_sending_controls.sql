-- Sending controls (issue 16): the shop's settings, the send budget's counters and each
-- client's time zone (as sql/sqlite/migrations/0010_sending_controls.sql).
--
-- settings: one row per setting (the API's names: senderName, quietHours, …, and
-- "sending", the pause switch), its value as JSON text, who set it and when.
CREATE TABLE settings (
  key        TEXT COLLATE "C" PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT ''
);

-- send_counts: emails admitted by the send gate per period ("day:2026-03-29" in the
-- shop's time zone, "hour:<hours since the epoch>"), so the daily cap and the hourly rate
-- hold across every worker process sharing the store (a period's row is locked while its
-- budget is taken). Old periods are pruned as new ones start (period_start).
CREATE TABLE send_counts (
  period       TEXT COLLATE "C" PRIMARY KEY,
  sent         BIGINT NOT NULL DEFAULT 0,
  period_start BIGINT NOT NULL
);

-- A client's IANA time zone ("Europe/Berlin"); NULL: the shop's. Quiet hours are kept in it.
ALTER TABLE users ADD COLUMN time_zone TEXT;
