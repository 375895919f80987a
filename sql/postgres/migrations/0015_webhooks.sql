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
  created_at  BIGINT NOT NULL,
  disabled_at BIGINT
);

-- `delivery_id` is the webhook-id a receiver deduplicates by: the same on every attempt;
-- "msg_" + the event's time in hex + 80 random bits, so new rows append to the index, and
-- the newest-first list reads the primary key backwards.
-- `status`: pending (to send at `next_attempt_at`; `lease_until` while a process sends
-- it), delivered (a 2xx answer), dead (no 2xx within the retry window, or its endpoint
-- deleted; a replay makes it pending again).
CREATE TABLE webhook_deliveries (
  delivery_id     TEXT COLLATE "C" PRIMARY KEY,
  endpoint_id     TEXT NOT NULL,
  type            TEXT NOT NULL,
  payload         TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until     BIGINT,
  last_status     INTEGER,
  last_error      TEXT NOT NULL DEFAULT '',
  delivered_at    BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, delivery_id) WHERE status = 'pending';

-- One delivery of the event to each endpoint that wants it.
CREATE FUNCTION webhook_enqueue(event_type TEXT, payload JSONB, at BIGINT) RETURNS void LANGUAGE sql AS $$
  INSERT INTO webhook_deliveries (delivery_id, endpoint_id, type, payload, created_at, next_attempt_at)
  SELECT 'msg_' || lpad(to_hex(at), 12, '0') || left(replace(gen_random_uuid()::text, '-', ''), 20),
         endpoint_id, event_type, payload::text, at, at
  FROM webhook_endpoints WHERE disabled_at IS NULL AND position(',' || event_type || ',' IN events) > 0;
$$;

CREATE FUNCTION webhook_email_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'SENT' AND OLD.status NOT IN ('SENT', 'OPENED', 'CLICKED') THEN
    PERFORM webhook_enqueue('email.sent',
      jsonb_build_object('emailId', NEW.email_id, 'userId', NEW.user_id, 'subject', NEW.subject, 'step', NEW.step,
                         'targetingRule', NEW.targeting_rule),
      COALESCE(NEW.sent_at, NEW.created_at));
  END IF;
  IF OLD.opened_at IS NULL AND NEW.opened_at IS NOT NULL THEN
    PERFORM webhook_enqueue('email.opened', jsonb_build_object('emailId', NEW.email_id, 'userId', NEW.user_id),
                            NEW.opened_at);
  END IF;
  IF OLD.clicked_at IS NULL AND NEW.clicked_at IS NOT NULL THEN
    PERFORM webhook_enqueue('email.clicked', jsonb_build_object('emailId', NEW.email_id, 'userId', NEW.user_id),
                            NEW.clicked_at);
  END IF;
  IF OLD.converted_at IS NULL AND NEW.converted_at IS NOT NULL THEN
    PERFORM webhook_enqueue('email.converted',
      jsonb_build_object('emailId', NEW.email_id, 'userId', NEW.user_id, 'orderId', NEW.conversion_order_id,
                         'revenue', NEW.conversion_revenue),
      NEW.converted_at);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER webhook_email_events AFTER UPDATE ON emails FOR EACH ROW
  WHEN (NEW.status IS DISTINCT FROM OLD.status OR NEW.opened_at IS DISTINCT FROM OLD.opened_at
        OR NEW.clicked_at IS DISTINCT FROM OLD.clicked_at OR NEW.converted_at IS DISTINCT FROM OLD.converted_at)
  EXECUTE FUNCTION webhook_email_events();

-- A suppression's reason changed (the upsert keeps the first created_at): when, for its event.
ALTER TABLE suppressions ADD COLUMN changed_at BIGINT;

CREATE FUNCTION webhook_suppression_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.reason NOT IN ('unsubscribed', 'bounced', 'complained') OR (TG_OP = 'UPDATE' AND NEW.reason = OLD.reason) THEN
    RETURN NULL;
  END IF;
  PERFORM webhook_enqueue(CASE NEW.reason WHEN 'unsubscribed' THEN 'client.unsubscribed'
                                          WHEN 'bounced' THEN 'email.bounced' ELSE 'email.complained' END,
                          jsonb_build_object('email', NEW.email, 'reason', NEW.reason),
                          CASE WHEN TG_OP = 'INSERT' THEN NEW.created_at ELSE COALESCE(NEW.changed_at, NEW.created_at) END);
  RETURN NULL;
END $$;
CREATE TRIGGER webhook_suppression_events AFTER INSERT OR UPDATE OF reason ON suppressions FOR EACH ROW
  EXECUTE FUNCTION webhook_suppression_events();

CREATE FUNCTION webhook_episode_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM webhook_enqueue('client.at_risk',
      jsonb_build_object('userId', NEW.user_id, 'episodeId', NEW.episode_id, 'targetingRule', NEW.targeting_rule,
                         'holdout', false),
      NEW.started_at);
  END IF;
  IF (TG_OP = 'INSERT' OR OLD.ended_at IS NULL) AND NEW.ended_at IS NOT NULL THEN
    PERFORM webhook_enqueue('episode.ended',
      jsonb_build_object('userId', NEW.user_id, 'episodeId', NEW.episode_id, 'reason', NEW.end_reason, 'step', NEW.step),
      NEW.ended_at);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER webhook_episode_events AFTER INSERT OR UPDATE OF ended_at ON episodes FOR EACH ROW
  EXECUTE FUNCTION webhook_episode_events();

CREATE FUNCTION webhook_holdout_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM webhook_enqueue('client.at_risk',
    jsonb_build_object('userId', NEW.user_id, 'score', NEW.score, 'targetingRule', NEW.targeting_rule, 'holdout', true),
    NEW.at);
  RETURN NULL;
END $$;
CREATE TRIGGER webhook_holdout_events AFTER INSERT ON holdouts FOR EACH ROW EXECUTE FUNCTION webhook_holdout_events();
