-- Named queries for the embedded bus. Positional parameters.

-- name: subscribe
INSERT OR IGNORE INTO subscriptions (topic, queue) VALUES (?1, ?2);

-- name: subscribers
SELECT queue FROM subscriptions WHERE topic = ?1;

-- name: enqueue
INSERT OR IGNORE INTO messages (queue, body, dedup_id, sent_at, visible_at) VALUES (?1, ?2, ?3, ?4, ?4);

-- name: ready
-- ?1 queue, ?2 now, ?3 limit.
SELECT id, body, dedup_id, receive_count, sent_at FROM messages
WHERE queue = ?1 AND dead = 0 AND visible_at <= ?2 ORDER BY visible_at, id LIMIT ?3;

-- name: mark-received
UPDATE messages SET receive_count = receive_count + 1, visible_at = ?2 WHERE id = ?1;

-- name: dead-letter
UPDATE messages SET dead = 1, last_error = CASE WHEN ?2 = '' THEN last_error ELSE ?2 END WHERE id = ?1;

-- name: ack
DELETE FROM messages WHERE id = ?1 AND receive_count = ?2 AND dead = 0;

-- name: extend
UPDATE messages SET visible_at = ?3 WHERE id = ?1 AND receive_count = ?2 AND dead = 0;

-- name: get-delivery
SELECT receive_count, COALESCE(dedup_id, '') FROM messages WHERE id = ?1 AND receive_count = ?2 AND dead = 0;

-- name: nack
UPDATE messages SET visible_at = ?3, last_error = ?4 WHERE id = ?1 AND receive_count = ?2 AND dead = 0;

-- name: redrive
UPDATE messages SET dead = 0, receive_count = 0, visible_at = ?2 WHERE queue = ?1 AND dead = 1;

-- name: peek-dead
SELECT id, body, dedup_id, receive_count, sent_at, last_error FROM messages
WHERE queue = ?1 AND dead = 1 ORDER BY id LIMIT ?2;

-- name: queues
SELECT DISTINCT queue FROM subscriptions ORDER BY queue;

-- name: queue-stats
-- ?1 queue, ?2 now.
SELECT COALESCE(SUM(dead = 0 AND visible_at <= ?2), 0),
       COALESCE(SUM(dead = 0 AND visible_at > ?2), 0),
       MIN(CASE WHEN dead = 0 THEN sent_at END),
       COALESCE(SUM(dead = 1), 0)
FROM messages WHERE queue = ?1;

-- name: purge
DELETE FROM messages WHERE sent_at < ?1;
