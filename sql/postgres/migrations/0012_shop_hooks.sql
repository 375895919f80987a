-- Deliveries from a shop's platform (issue 17): Shopify and WooCommerce webhooks, kept
-- as received, verified, once per delivery id (the platforms retry and may deliver
-- twice), and applied after the request has been answered. `status`: pending (to apply;
-- `lease_until` set while one process applies it), applied, ignored (a topic with
-- nothing to do), failed (the error says why; after `attempts` tries).
CREATE TABLE hook_deliveries (
  hook_id      TEXT PRIMARY KEY,
  source       TEXT NOT NULL,
  delivery_id  TEXT NOT NULL,
  topic        TEXT NOT NULL,
  body         TEXT NOT NULL,
  received_at  BIGINT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'ignored', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  lease_until  BIGINT,
  error        TEXT NOT NULL DEFAULT '',
  applied_at   BIGINT,
  UNIQUE (source, delivery_id)
);
CREATE INDEX hook_deliveries_pending ON hook_deliveries (status, received_at);
CREATE INDEX hook_deliveries_by_received ON hook_deliveries (received_at, hook_id);
