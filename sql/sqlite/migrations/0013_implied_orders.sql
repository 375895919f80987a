-- An order recorded because an update of a client's figures implied it (PUT /api/users/:id
-- with a higher orderCount, the seed dashboard's "Create Order"): 1, else 0. Such an order
-- counts and converts like any other; the flag says its items are unknown.
ALTER TABLE orders ADD COLUMN implied INTEGER NOT NULL DEFAULT 0;
