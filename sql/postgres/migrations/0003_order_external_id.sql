-- The shop's own order number (the idempotency key of POST /api/orders and the identity
-- an import matches orders by). Unique across the store; NULL (none given) repeats freely.
ALTER TABLE orders ADD COLUMN external_id TEXT COLLATE "C";
CREATE UNIQUE INDEX orders_by_external_id ON orders (external_id);
