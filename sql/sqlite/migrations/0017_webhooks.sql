-- Outgoing webhooks (issue 17): endpoints that hear what Rekindle does, and one delivery
-- per event and subscribed endpoint. The triggers below write a delivery in the same
-- transaction as the change it reports (an email recorded SENT, opened, clicked or
-- converted; an address suppressed; a client found at risk; an episode ended), so no
-- event is lost between the change and its webhook, and nothing is written while no
-- endpoint wants that event. The webhook sender (integrations/webhook_sender.h) posts
-- the pending ones, signed, and retries with backoff for a day before it gives up.
--
-- `events`: the event types an endpoint receives, comma-fenced (",email.sent,email.opened,").
-- `secret`: the signing key, "whsec_" + base64 (Standard Webhooks); never read back by the API.
CREATE TABLE webhook_endpoints (
  endpoint_id TEXT PRIMARY KEY,
  url         TEXT NOT NULL,
  secret      TEXT NOT NULL,
  events      TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  disabled_at INTEGER
) WITHOUT ROWID;

-- `delivery_id` is the webhook-id a receiver deduplicates by: the same on every attempt;
-- "msg_" + the event's time in hex + 80 random bits, so new rows append to the B-tree
-- (random ids made marking 100,000 emails sent 4.5 times slower: bench/README.md), and the
-- newest-first list reads the primary key backwards.
-- `status`: pending (to send at `next_attempt_at`; `lease_until` while a process sends
-- it), delivered (a 2xx answer), dead (no 2xx within the retry window, or its endpoint
-- deleted; a replay makes it pending again).
CREATE TABLE webhook_deliveries (
  delivery_id     TEXT PRIMARY KEY,
  endpoint_id     TEXT NOT NULL,
  type            TEXT NOT NULL,
  payload         TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER,
  last_status     INTEGER,
  last_error      TEXT NOT NULL DEFAULT '',
  delivered_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, delivery_id) WHERE status = 'pending';

CREATE TRIGGER webhook_email_sent AFTER UPDATE OF status ON emails
WHEN new.status = 'SENT' AND old.status NOT IN ('SENT', 'OPENED', 'CLICKED')
BEGIN
  INSERT INTO webhook_deliveries (delivery_id, endpoint_id, type, payload, created_at, next_attempt_at)
  SELECT printf('msg_%012x', COALESCE(new.sent_at, new.created_at)) || lower(hex(randomblob(10))),
         endpoint_id, 'email.sent',
         json_object('emailId', new.email_id, 'userId', new.user_id, 'subject', new.subject, 'step', new.step,
                     'targetingRule', new.targeting_rule),
         COALESCE(new.sent_at, new.created_at), COALESCE(new.sent_at, new.created_at)
  FROM webhook_endpoints WHERE disabled_at IS NULL AND instr(events, ',email.sent,') > 0;
END;

CREATE TRIGGER webhook_email_opened AFTER UPDATE OF opened_at ON emails
WHEN old.opened_at IS NULL AND new.opened_at IS NOT NULL
BEGIN
  INSERT INTO webhook_deliveries (delivery_id, endpoint_id, type, payload, created_at, next_attempt_at)
  SELECT printf('msg_%012x', new.opened_at) || lower(hex(randomblob(10))),
         endpoint_id, 'email.opened',
         json_object('emailId', new.email_id, 'userId', new.user_id), new.opened_at, new.opened_at
  FROM webhook_endpoints WHERE disabled_at IS NULL AND instr(events, ',email.opened,') > 0;
END;

CREATE TRIGGER webhook_email_clicked AFTER UPDATE OF clicked_at ON emails
WHEN old.clicked_at IS NULL AND new.clicked_at IS NOT NULL
BEGIN
  INSERT INTO webhook_deliveries (delivery_id, endpoint_id, type, payload, created_at, next_attempt_at)
  SELECT printf('msg_%012x', new.clicked_at) || lower(hex(randomblob(10))),
         endpoint_id, 'email.clicked',
         json_object('emailId', new.email_id, 'userId', new.user_id), new.clicked_at, new.clicked_at
  FROM webhook_endpoints WHERE disabled_at IS NULL AND instr(events, ',email.clicked,') > 0;
END;

CREATE TRIGGER webhook_email_converted AFTER UPDATE OF converted_at ON emails
WHEN old.converted_at IS NULL AND new.converted_at IS NOT NULL
BEGIN
  INSERT INTO webhook_deliveries (delivery_id, endpoint_id, type, payload, created_at, next_attempt_at)
  SELECT printf('msg_%012x', new.converted_at) || lower(hex(randomblob(10))),
         endpoint_id, 'email.converted',
         json_object('emailId', new.email_id, 'userId', new.user_id, 'orderId', new.conversion_order_id,
                     'revenue', new.conversion_revenue),
         new.converted_at, new.converted_at
  FROM webhook_endpoints WHERE disabled_at IS NULL AND instr(events, ',email.converted,') > 0;
END;

CREATE TRIGGER webhook_suppressed AFTER INSERT ON suppressions
WHEN new.reason IN ('unsubscribed', 'bounced', 'complained')
BEGIN
  INSERT INTO webhook_deliveries (delivery_id, endpoint_id, type, payload, created_at, next_attempt_at)
  SELECT printf('msg_%012x', new.created_at) || lower(hex(randomblob(10))),
         endpoint_id,
         CASE new.reason WHEN 'unsubscribed' THEN 'client.unsubscribed' WHEN 'bounced' THEN 'email.bounced' ELSE 'email.complained' END,
         json_object('email', new.email, 'reason', new.reason), new.created_at, new.created_at
  FROM webhook_endpoints
  WHERE disabled_at IS NULL
    AND instr(events, ',' || CASE new.reason WHEN 'unsubscribed' THEN 'client.unsubscribed' WHEN 'bounced' THEN 'email.bounced' ELSE 'email.complained' END || ',') > 0;
END;

-- A suppression's reason changed (the upsert keeps the first created_at): when, for its event.
ALTER TABLE suppressions ADD COLUMN changed_at INTEGER;

CREATE TRIGGER webhook_suppression_changed AFTER UPDATE OF reason ON suppressions
WHEN new.reason <> old.reason AND new.reason IN ('unsubscribed', 'bounced', 'complained')
BEGIN
  INSERT INTO webhook_deliveries (delivery_id, endpoint_id, type, payload, created_at, next_attempt_at)
  SELECT printf('msg_%012x', COALESCE(new.changed_at, new.created_at)) || lower(hex(randomblob(10))),
         endpoint_id,
         CASE new.reason WHEN 'unsubscribed' THEN 'client.unsubscribed' WHEN 'bounced' THEN 'email.bounced' ELSE 'email.complained' END,
         json_object('email', new.email, 'reason', new.reason),
         COALESCE(new.changed_at, new.created_at), COALESCE(new.changed_at, new.created_at)
  FROM webhook_endpoints
  WHERE disabled_at IS NULL
    AND instr(events, ',' || CASE new.reason WHEN 'unsubscribed' THEN 'client.unsubscribed' WHEN 'bounced' THEN 'email.bounced' ELSE 'email.complained' END || ',') > 0;
END;

CREATE TRIGGER webhook_episode_started AFTER INSERT ON episodes
BEGIN
  INSERT INTO webhook_deliveries (delivery_id, endpoint_id, type, payload, created_at, next_attempt_at)
  SELECT printf('msg_%012x', new.started_at) || lower(hex(randomblob(10))),
         endpoint_id, 'client.at_risk',
         json_object('userId', new.user_id, 'episodeId', new.episode_id, 'targetingRule', new.targeting_rule,
                     'holdout', json('false')),
         new.started_at, new.started_at
  FROM webhook_endpoints WHERE disabled_at IS NULL AND instr(events, ',client.at_risk,') > 0;
END;

CREATE TRIGGER webhook_holdout_recorded AFTER INSERT ON holdouts
BEGIN
  INSERT INTO webhook_deliveries (delivery_id, endpoint_id, type, payload, created_at, next_attempt_at)
  SELECT printf('msg_%012x', new.at) || lower(hex(randomblob(10))),
         endpoint_id, 'client.at_risk',
         json_object('userId', new.user_id, 'score', new.score, 'targetingRule', new.targeting_rule,
                     'holdout', json('true')),
         new.at, new.at
  FROM webhook_endpoints WHERE disabled_at IS NULL AND instr(events, ',client.at_risk,') > 0;
END;

CREATE TRIGGER webhook_episode_ended AFTER UPDATE OF ended_at ON episodes
WHEN old.ended_at IS NULL AND new.ended_at IS NOT NULL
BEGIN
  INSERT INTO webhook_deliveries (delivery_id, endpoint_id, type, payload, created_at, next_attempt_at)
  SELECT printf('msg_%012x', new.ended_at) || lower(hex(randomblob(10))),
         endpoint_id, 'episode.ended',
         json_object('userId', new.user_id, 'episodeId', new.episode_id, 'reason', new.end_reason, 'step', new.step),
         new.ended_at, new.ended_at
  FROM webhook_endpoints WHERE disabled_at IS NULL AND instr(events, ',episode.ended,') > 0;
END;

-- An episode whose one step ended it as it began.
CREATE TRIGGER webhook_episode_ended_at_start AFTER INSERT ON episodes
WHEN new.ended_at IS NOT NULL
BEGIN
  INSERT INTO webhook_deliveries (delivery_id, endpoint_id, type, payload, created_at, next_attempt_at)
  SELECT printf('msg_%012x', new.ended_at) || lower(hex(randomblob(10))),
         endpoint_id, 'episode.ended',
         json_object('userId', new.user_id, 'episodeId', new.episode_id, 'reason', new.end_reason, 'step', new.step),
         new.ended_at, new.ended_at
  FROM webhook_endpoints WHERE disabled_at IS NULL AND instr(events, ',episode.ended,') > 0;
END;

