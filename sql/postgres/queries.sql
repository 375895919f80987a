-- Named queries for the PostgreSQL store, prepared on every pooled connection at
-- start-up so a broken one fails at boot. Parameters are $1, $2 …, sent as text; casts
-- fix the types the server cannot infer. Mirrors sql/sqlite/queries.sql name for name.

-- name: insert-user
INSERT INTO users (user_id, email, name, last_order_date, order_count, average_order_value,
                   preferred_categories, engagement_score, last_email_date, created_at, updated_at,
                   time_zone, external_id, total_spent_cents, first_order_date)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15);

-- name: get-user
SELECT user_id, email, name, last_order_date, order_count, average_order_value,
       preferred_categories, engagement_score, last_email_date, created_at, updated_at, time_zone,
       external_id, total_spent_cents, first_order_date
FROM users WHERE user_id = $1;

-- name: get-user-for-update
-- The row lock makes concurrent writes to one user (orders, emails, scores) queue up,
-- so each reads the previous one's result: concurrent orders add up exactly.
SELECT user_id, email, name, last_order_date, order_count, average_order_value,
       preferred_categories, engagement_score, last_email_date, created_at, updated_at, time_zone,
       external_id, total_spent_cents, first_order_date
FROM users WHERE user_id = $1 FOR UPDATE;

-- name: update-user
UPDATE users SET email = $2, name = $3, last_order_date = $4, order_count = $5,
       average_order_value = $6, preferred_categories = $7, engagement_score = $8,
       last_email_date = $9, updated_at = $10, time_zone = $11, external_id = $12,
       total_spent_cents = $13, first_order_date = $14
WHERE user_id = $1;

-- name: delete-user
DELETE FROM users WHERE user_id = $1;

-- name: delete-user-orders
DELETE FROM orders WHERE user_id = $1;

-- name: delete-user-emails
DELETE FROM emails WHERE user_id = $1;

-- name: count-users
-- From the counters (0004_dashboard_counters.sql), not a scan.
SELECT COALESCE(SUM(users), 0)::bigint FROM score_counts;

-- name: insert-order
-- $8 is the externalId (NULL: none). A taken one inserts nothing (no row affected) instead
-- of failing, so CreateOrder can read the existing order in the same transaction and
-- tell an idempotent retry from a conflict; a concurrent insert of the same one waits
-- for the other transaction and then inserts nothing.
INSERT INTO orders (order_id, user_id, order_date, total_value, items, status, created_at, external_id, implied)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (external_id) DO NOTHING;

-- name: get-order-by-external-id
SELECT order_id, user_id, order_date, total_value, items, status, created_at, external_id, implied
FROM orders WHERE external_id = $1;

-- name: list-orders
-- Newest first; $2/$3 are the cursor's (order_date, order_id), $4 the limit.
SELECT order_id, user_id, order_date, total_value, items, status, created_at, external_id, implied
FROM orders
WHERE user_id = $1 AND ($2::bigint IS NULL OR (order_date, order_id) < ($2::bigint, $3::text))
ORDER BY order_date DESC, order_id DESC LIMIT $4;

-- name: get-email
SELECT email_id, user_id, subject, content, html, generated_at, engagement_score_at_time,
       status, writer, sent_at, error, created_at, prompt_tokens, completion_tokens,
       opened_at, clicked_at, converted_at, conversion_revenue, episode_id, step, targeting_rule,
       experiment_id, variant
FROM emails WHERE email_id = $1;

-- name: list-emails
-- Newest first; $1 user filter ('' for all), $2 status filter ('' for all),
-- $3/$4 the cursor's (created_at, email_id), $5 the limit; $6/$7 created in [from, to)
-- (never NULL: a range, so an index can seek it),
-- $8 an ILIKE pattern for the subject or the client's name or email, $9 the journey step
-- (NULL: any; email_filters.h). A status filter runs list-emails-status, through its index.
SELECT email_id, user_id, subject, content, html, generated_at, engagement_score_at_time,
       status, writer, sent_at, error, created_at, prompt_tokens, completion_tokens,
       opened_at, clicked_at, converted_at, conversion_revenue, episode_id, step, targeting_rule,
       experiment_id, variant
FROM emails
WHERE ($1::text = '' OR user_id = $1::text) AND ($2::text = '' OR status = $2::text)
  AND ($3::bigint IS NULL OR (created_at, email_id) < ($3::bigint, $4::text))
  AND created_at >= $6::bigint AND created_at < $7::bigint
  AND ($8::text IS NULL OR subject ILIKE $8::text ESCAPE '\'
       OR user_id IN (SELECT user_id FROM users WHERE name ILIKE $8::text ESCAPE '\' OR email ILIKE $8::text ESCAPE '\'))
  AND ($9::bigint IS NULL OR step = $9::bigint)
ORDER BY created_at DESC, email_id DESC LIMIT $5;

-- name: list-emails-status
-- list-emails with a status ($2 not empty): walks emails_by_status
-- (0009_client_lists.sql), so a rare status costs its own emails, not every email.
SELECT email_id, user_id, subject, content, html, generated_at, engagement_score_at_time,
       status, writer, sent_at, error, created_at, prompt_tokens, completion_tokens,
       opened_at, clicked_at, converted_at, conversion_revenue, episode_id, step, targeting_rule,
       experiment_id, variant
FROM emails
WHERE status = $2::text AND ($1::text = '' OR user_id = $1::text)
  AND ($3::bigint IS NULL OR (created_at, email_id) < ($3::bigint, $4::text))
  AND created_at >= $6::bigint AND created_at < $7::bigint
  AND ($8::text IS NULL OR subject ILIKE $8::text ESCAPE '\'
       OR user_id IN (SELECT user_id FROM users WHERE name ILIKE $8::text ESCAPE '\' OR email ILIKE $8::text ESCAPE '\'))
  AND ($9::bigint IS NULL OR step = $9::bigint)
ORDER BY created_at DESC, email_id DESC LIMIT $5;

-- name: count-emails-in-range
-- count-emails with no filter but dates: emails_by_created alone.
SELECT count(*) FROM emails WHERE created_at >= $3::bigint AND created_at < $4::bigint
  AND $1::text = '' AND $2::text = '' AND $5::text IS NULL AND $6::bigint IS NULL;

-- name: count-emails-status
-- count-emails with a status and perhaps dates: emails_by_status alone.
SELECT count(*) FROM emails WHERE status = $2::text AND created_at >= $3::bigint AND created_at < $4::bigint
  AND $1::text = '' AND $5::text IS NULL AND $6::bigint IS NULL;

-- name: count-emails-step
-- count-emails with a step and perhaps dates: emails_by_step alone.
SELECT count(*) FROM emails WHERE step = $6::bigint AND created_at >= $3::bigint AND created_at < $4::bigint
  AND $1::text = '' AND $2::text = '' AND $5::text IS NULL;

-- name: count-emails
-- What list-emails lists, counted: $1 user, $2 status, $3/$4 [from, to), $5 the pattern,
-- $6 the step. The plain cases have their own queries above, each one index alone; this
-- one reads the rows (a client's through emails_by_user).
SELECT count(*) FROM emails
WHERE ($1::text = '' OR user_id = $1::text) AND ($2::text = '' OR status = $2::text)
  AND created_at >= $3::bigint AND created_at < $4::bigint
  AND ($5::text IS NULL OR subject ILIKE $5::text ESCAPE '\'
       OR user_id IN (SELECT user_id FROM users WHERE name ILIKE $5::text ESCAPE '\' OR email ILIKE $5::text ESCAPE '\'))
  AND ($6::bigint IS NULL OR step = $6::bigint);

-- name: list-users
-- A template: {key}, {type}, {cmp} and {dir} are filled from a fixed list (the sort
-- column and its type, < or >, ASC or DESC), never from client input. $1 score bound
-- (NULL: no filter), $2 NULL here (list-users-search searches), $3/$4 the cursor's
-- (key, user_id), $5 the limit. The page's ids come from the sort's index alone (each
-- includes the score, 0005_covering_list_indexes.sql), then only those rows are read.
-- $6 is the client state filter, always '' here (list-users-search checks it).
SELECT u.user_id, u.email, u.name, u.last_order_date, u.order_count, u.average_order_value,
       u.preferred_categories, u.engagement_score, u.last_email_date, u.created_at, u.updated_at, u.time_zone,
       u.external_id, u.total_spent_cents, u.first_order_date
FROM (SELECT user_id, {key} AS sort_key FROM users
      WHERE ($1::float8 IS NULL OR engagement_score < $1::float8)
        AND $2::text IS NULL AND $6::text = ''
        AND ($3::{type} IS NULL OR ({key}, user_id) {cmp} ($3::{type}, $4::text))
      ORDER BY {key} {dir}, user_id {dir} LIMIT $5) AS page
JOIN users AS u ON u.user_id = page.user_id
ORDER BY page.sort_key {dir}, u.user_id {dir};

-- name: list-users-search
-- list-users with $2, an ILIKE pattern matched against name and email: a search reads
-- the rows as it goes. $6 is '' here (a client state runs list-users-state).
SELECT user_id, email, name, last_order_date, order_count, average_order_value,
       preferred_categories, engagement_score, last_email_date, created_at, updated_at, time_zone,
       external_id, total_spent_cents, first_order_date
FROM users
WHERE ($1::float8 IS NULL OR engagement_score < $1::float8)
  AND ($2::text IS NULL OR name ILIKE $2::text ESCAPE '\' OR email ILIKE $2::text ESCAPE '\')
  AND $6::text = ''
  AND ($3::{type} IS NULL OR ({key}, user_id) {cmp} ($3::{type}, $4::text))
ORDER BY {key} {dir}, user_id {dir} LIMIT $5;

-- name: list-users-state
-- The clients in one state (GET /api/users?state=, issue 16): a template expanded per
-- state, sort and direction (user_state_queries.h); {state} is one of the user-state/*
-- conditions below, named by the server, never client input. Plain, so the planner can
-- read a rare state from its small table (suppressions, holdouts, open episodes) and
-- sort it, instead of walking every client. $1, $2 as list-users-search; $6 the state.
SELECT user_id, email, name, last_order_date, order_count, average_order_value,
       preferred_categories, engagement_score, last_email_date, created_at, updated_at, time_zone,
       external_id, total_spent_cents, first_order_date
FROM users
WHERE {state}
  AND ($1::float8 IS NULL OR engagement_score < $1::float8)
  AND ($2::text IS NULL OR name ILIKE $2::text ESCAPE '\' OR email ILIKE $2::text ESCAPE '\')
  AND $6::text <> ''
  AND ($3::{type} IS NULL OR ({key}, user_id) {cmp} ($3::{type}, $4::text))
ORDER BY {key} {dir}, user_id {dir} LIMIT $5;

-- name: user-state/suppressed
-- (conditions for list-users-state)
lower(email) IN (SELECT lower(email) FROM suppressions)

-- name: user-state/heldOut
user_id IN (SELECT user_id FROM holdouts)

-- name: user-state/inEpisode
user_id IN (SELECT user_id FROM episodes WHERE ended_at IS NULL)

-- name: user-state/neverOrdered
order_count = 0

-- name: user-state/lapsed
-- with the at-risk bound ($1): ordered once, at risk now
order_count > 0

-- name: outbox-lock
-- Taken by every writer right before it draws a change seq, held until its commit: seqs
-- therefore commit in seq order and a reader that sees seq N sees every seq below N.
SELECT pg_advisory_xact_lock(7265600002);

-- name: insert-change
INSERT INTO user_changes (user_id, op, old_image, new_image, changed_at) VALUES ($1, $2, $3, $4, $5);

-- name: read-changes
SELECT seq, user_id, op, old_image, new_image, changed_at
FROM user_changes WHERE seq > $1 ORDER BY seq LIMIT $2;

-- name: get-checkpoint
SELECT seq FROM checkpoints WHERE name = $1;

-- name: set-checkpoint
INSERT INTO checkpoints (name, seq, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at;

-- name: latest-change-seq
SELECT COALESCE(MAX(seq), 0) FROM user_changes;

-- name: prune-changes
-- Up to $3 records below seq $1 (the stream processor's checkpoint) and older than $2;
-- the record at the checkpoint stays, so the latest seq never goes back.
DELETE FROM user_changes
WHERE seq IN (SELECT seq FROM user_changes WHERE seq < $1 AND changed_at < $2 ORDER BY seq LIMIT $3);

-- name: insert-email
INSERT INTO emails (email_id, user_id, subject, content, html, generated_at, engagement_score_at_time,
                    status, writer, sent_at, error, created_at, trigger_id, prompt_tokens, completion_tokens,
                    claimed_until, episode_id, step, targeting_rule, experiment_id, variant)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21);

-- name: claim-email
-- The send lease: $2 until when, $3 now. Changes a row only when no lease runs.
UPDATE emails SET claimed_until = $2 WHERE email_id = $1 AND claimed_until <= $3;

-- name: finish-email
-- Ends the send lease.
UPDATE emails SET status = $2, sent_at = $3, error = $4, claimed_until = 0 WHERE email_id = $1;

-- name: is-suppressed
SELECT reason FROM suppressions WHERE lower(email) = lower($1::text);

-- name: suppress
INSERT INTO suppressions (email, reason, created_at) VALUES ($1, $2, $3)
ON CONFLICT ((lower(email))) DO UPDATE SET reason = excluded.reason, changed_at = excluded.created_at;

-- name: unsuppress
DELETE FROM suppressions WHERE lower(email) = lower($1::text);

-- The dashboard's figures read the counters that triggers keep (0004_dashboard_counters.sql):
-- at most 10,001 score buckets (× 16 shards) and a row per day, status and shard.

-- name: metrics-users
-- $1 the at-risk threshold: a score below it is a bucket below threshold × 100.
SELECT COALESCE(SUM(users), 0)::bigint, COALESCE(SUM(users) FILTER (WHERE bucket < $1::float8 * 100), 0)::bigint,
       COALESCE(SUM(bucket::float8 * users) / 100 / NULLIF(SUM(users), 0), 0)::float8
FROM score_counts;

-- name: score-histogram
SELECT LEAST(bucket / 1000, 9) AS decile, SUM(users)::bigint FROM score_counts GROUP BY decile;

-- name: emails-since
-- $1 a day number (UTC): the emails created on it and after.
SELECT COALESCE(SUM(emails), 0)::bigint FROM email_counts WHERE day >= $1;

-- name: emails-by-status
SELECT status, SUM(emails)::bigint FROM email_counts GROUP BY status HAVING SUM(emails) > 0 ORDER BY status;

-- name: emails-per-day
-- $1 the first day number (UTC).
SELECT day, SUM(emails)::bigint FROM email_counts WHERE day >= $1 GROUP BY day ORDER BY day;

-- Failed deliveries (GET /api/alerts, /health): FAILED emails created since $1, through
-- emails_by_status (status, created_at, email_id), so the cost follows the failures.
-- name: count-delivery-failures
SELECT count(*) FROM emails WHERE status = 'FAILED' AND created_at >= $1;

-- name: last-delivery-failure
SELECT email_id, user_id, error, created_at FROM emails WHERE status = 'FAILED' AND created_at >= $1
ORDER BY created_at DESC, email_id DESC LIMIT 1;

-- name: list-suppressions
-- Newest first through suppressions_by_created (0009_client_lists.sql): $1 an ILIKE
-- pattern for the address (NULL: all), $2/$3 the cursor's (created_at, email), $4 the limit.
SELECT email, reason, created_at FROM suppressions
WHERE ($1::text IS NULL OR email ILIKE $1::text ESCAPE '\')
  AND ($2::bigint IS NULL OR (created_at, email COLLATE "C") < ($2::bigint, $3::text COLLATE "C"))
ORDER BY created_at DESC, email COLLATE "C" DESC LIMIT $4;

-- name: count-suppressions
SELECT count(*) FROM suppressions WHERE $1::text IS NULL OR email ILIKE $1::text ESCAPE '\';

-- name: get-suppression
SELECT email, reason, created_at FROM suppressions WHERE lower(email) = lower($1::text);

-- Client state (issue 16): a page of clients' badges in three batched reads ($1 a JSON
-- array of addresses or user ids), and one client's history, the newest $2 of each kind.

-- name: suppressions-of
SELECT email, reason, created_at FROM suppressions
WHERE lower(email) IN (SELECT lower(json_array_elements_text($1::json)));

-- name: latest-holdouts-of
SELECT user_id, MAX(at) FROM holdouts
WHERE user_id IN (SELECT json_array_elements_text($1::json)) GROUP BY user_id;

-- name: failed-latest-emails-of
-- Each client's latest email (one probe of emails_by_user), when it failed.
SELECT j.id, e.error, e.created_at
FROM json_array_elements_text($1::json) AS j(id)
CROSS JOIN LATERAL (SELECT status, error, created_at FROM emails WHERE user_id = j.id
                    ORDER BY created_at DESC, email_id DESC LIMIT 1) AS e
WHERE e.status = 'FAILED';

-- name: history-emails
SELECT email_id, subject, status, error, created_at, sent_at, opened_at, clicked_at, converted_at,
       conversion_revenue, engagement_score_at_time, step
FROM emails WHERE user_id = $1::text ORDER BY created_at DESC, email_id DESC LIMIT $2;

-- name: history-email-events
SELECT ev.email_id, ev.type, ev.url, ev.at
FROM email_events AS ev
WHERE ev.email_id IN (SELECT email_id FROM emails WHERE user_id = $1::text)
ORDER BY ev.at DESC, ev.id DESC LIMIT $2;

-- name: history-holdouts
SELECT at, score FROM holdouts WHERE user_id = $1::text ORDER BY at DESC LIMIT $2;

-- name: latest-holdout
SELECT at FROM holdouts WHERE user_id = $1 ORDER BY at DESC LIMIT 1;

-- name: insert-holdout
INSERT INTO holdouts (user_id, trigger_id, score, at, targeting_rule) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT DO NOTHING;

-- name: insert-email-event
INSERT INTO email_events (email_id, type, url, at) VALUES ($1, $2, $3, $4);

-- name: mark-opened
-- Opens only move SENT forward; a click implies an open.
UPDATE emails SET opened_at = COALESCE(opened_at, $2::bigint),
                  status = CASE WHEN status = 'SENT' THEN 'OPENED' ELSE status END
WHERE email_id = $1;

-- name: mark-clicked
UPDATE emails SET opened_at = COALESCE(opened_at, $2::bigint), clicked_at = COALESCE(clicked_at, $2::bigint),
                  status = CASE WHEN status IN ('SENT', 'OPENED') THEN 'CLICKED' ELSE status END
WHERE email_id = $1;

-- name: attribute-email
-- The latest delivered, unconverted email sent to $1 within [$2 − window, $2] converts.
UPDATE emails SET converted_at = $2::bigint, conversion_order_id = $4, conversion_revenue = $5
WHERE email_id = (SELECT email_id FROM emails
                  WHERE user_id = $1 AND status IN ('SENT', 'OPENED', 'CLICKED') AND converted_at IS NULL
                    AND sent_at IS NOT NULL AND sent_at <= $2::bigint AND sent_at >= $2::bigint - $3::bigint
                  ORDER BY sent_at DESC LIMIT 1);

-- name: attribute-holdout
UPDATE holdouts SET converted_at = $2::bigint, conversion_order_id = $4, conversion_revenue = $5
WHERE user_id = $1 AND trigger_id = (SELECT trigger_id FROM holdouts
                                     WHERE user_id = $1 AND converted_at IS NULL AND at <= $2::bigint
                                       AND at >= $2::bigint - $3::bigint
                                     ORDER BY at DESC LIMIT 1);

-- name: effectiveness-funnel
-- Emails created since $1.
SELECT count(*),
       count(*) FILTER (WHERE status IN ('SENT', 'OPENED', 'CLICKED')),
       count(*) FILTER (WHERE status = 'FAILED'),
       count(opened_at),
       count(clicked_at),
       count(converted_at),
       COALESCE(SUM(conversion_revenue), 0)
FROM emails WHERE created_at >= $1;

-- name: effectiveness-suppressions
SELECT reason, count(*) FROM suppressions WHERE created_at >= $1 GROUP BY reason;

-- name: effectiveness-emailed
-- Clients with a delivered email since $1: how many, how many converted, their revenue.
SELECT count(*), COALESCE(SUM(converted), 0), COALESCE(SUM(revenue), 0) FROM (
  SELECT user_id, MAX((converted_at IS NOT NULL)::int) AS converted, SUM(COALESCE(conversion_revenue, 0)) AS revenue
  FROM emails WHERE created_at >= $1 AND status IN ('SENT', 'OPENED', 'CLICKED') GROUP BY user_id) AS g;

-- name: effectiveness-held-out
SELECT count(*), COALESCE(SUM(converted), 0), COALESCE(SUM(revenue), 0) FROM (
  SELECT user_id, MAX((converted_at IS NOT NULL)::int) AS converted, SUM(COALESCE(conversion_revenue, 0)) AS revenue
  FROM holdouts WHERE at >= $1 GROUP BY user_id) AS g;

-- name: effectiveness-emailed-by-rule
-- As effectiveness-emailed, per targeting rule (issue 11): a client counts under each rule
-- that emailed them.
SELECT targeting_rule, count(*), COALESCE(SUM(converted), 0), COALESCE(SUM(revenue), 0) FROM (
  SELECT targeting_rule, user_id, MAX((converted_at IS NOT NULL)::int) AS converted,
         SUM(COALESCE(conversion_revenue, 0)) AS revenue
  FROM emails WHERE created_at >= $1 AND status IN ('SENT', 'OPENED', 'CLICKED') GROUP BY targeting_rule, user_id) AS g
GROUP BY targeting_rule;

-- name: effectiveness-held-out-by-rule
SELECT targeting_rule, count(*), COALESCE(SUM(converted), 0), COALESCE(SUM(revenue), 0) FROM (
  SELECT targeting_rule, user_id, MAX((converted_at IS NOT NULL)::int) AS converted,
         SUM(COALESCE(conversion_revenue, 0)) AS revenue
  FROM holdouts WHERE at >= $1 GROUP BY targeting_rule, user_id) AS g
GROUP BY targeting_rule;

-- name: effectiveness-daily-sent
SELECT created_at / 86400000, count(*) FROM emails WHERE created_at >= $1 GROUP BY 1;

-- name: effectiveness-daily-opened
SELECT opened_at / 86400000, count(*) FROM emails WHERE opened_at >= $1 GROUP BY 1;

-- name: effectiveness-daily-clicked
SELECT clicked_at / 86400000, count(*) FROM emails WHERE clicked_at >= $1 GROUP BY 1;

-- name: effectiveness-daily-converted
SELECT converted_at / 86400000, count(*), COALESCE(SUM(conversion_revenue), 0) FROM emails
WHERE converted_at >= $1 GROUP BY 1;

-- The email processor's batch (issue 18): each takes a JSON array of ids or addresses as
-- $1, so one statement reads a whole batch.

-- name: get-users
SELECT user_id, email, name, last_order_date, order_count, average_order_value,
       preferred_categories, engagement_score, last_email_date, created_at, updated_at, time_zone,
       external_id, total_spent_cents, first_order_date
FROM users WHERE user_id IN (SELECT json_array_elements_text($1::json));

-- name: get-users-for-update
-- Locked in user id order, so two batches (or a batch and a single write) never wait on
-- each other in a cycle.
SELECT user_id, email, name, last_order_date, order_count, average_order_value,
       preferred_categories, engagement_score, last_email_date, created_at, updated_at, time_zone,
       external_id, total_spent_cents, first_order_date
FROM users WHERE user_id IN (SELECT json_array_elements_text($1::json)) ORDER BY user_id FOR UPDATE;

-- name: get-emails
SELECT email_id, user_id, subject, content, html, generated_at, engagement_score_at_time,
       status, writer, sent_at, error, created_at, prompt_tokens, completion_tokens,
       opened_at, clicked_at, converted_at, conversion_revenue, episode_id, step, targeting_rule,
       experiment_id, variant
FROM emails WHERE email_id IN (SELECT json_array_elements_text($1::json));

-- name: suppressed-among
SELECT lower(email) FROM suppressions
WHERE lower(email) IN (SELECT lower(json_array_elements_text($1::json)));

-- name: scan-users
-- The sweep's page: $1 the last user id of the page before ('' first), $2 the limit.
SELECT user_id, email, name, last_order_date, order_count, average_order_value,
       preferred_categories, engagement_score, last_email_date, created_at, updated_at, time_zone,
       external_id, total_spent_cents, first_order_date
FROM users WHERE user_id > $1 ORDER BY user_id LIMIT $2;

-- name: list-user-emails
-- list-emails for one client ($1 not empty): through emails_by_user, so a client with no
-- email costs one index probe, not a walk over every email.
SELECT email_id, user_id, subject, content, html, generated_at, engagement_score_at_time,
       status, writer, sent_at, error, created_at, prompt_tokens, completion_tokens,
       opened_at, clicked_at, converted_at, conversion_revenue, episode_id, step, targeting_rule,
       experiment_id, variant
FROM emails
WHERE user_id = $1::text AND ($2::text = '' OR status = $2::text)
  AND ($3::bigint IS NULL OR (created_at, email_id) < ($3::bigint, $4::text))
  AND created_at >= $6::bigint AND created_at < $7::bigint
  AND ($8::text IS NULL OR subject ILIKE $8::text ESCAPE '\'
       OR user_id IN (SELECT user_id FROM users WHERE name ILIKE $8::text ESCAPE '\' OR email ILIKE $8::text ESCAPE '\'))
  AND ($9::bigint IS NULL OR step = $9::bigint)
ORDER BY created_at DESC, email_id DESC LIMIT $5;

-- name: lock-email-batches
-- Taken first by a batch of email writes (ReserveEmails, FinishEmails): a batch touches
-- the dashboard's counter rows (email_counts, score_counts) in the hash order of its ids,
-- so two batches at once would deadlock on them; one at a time they do not. A single
-- email's write touches one shard's rows and cannot close such a cycle.
SELECT pg_advisory_xact_lock(7265600003);

-- name: start-bulk-load
-- The counters' triggers count nothing for the rest of this transaction (0006).
SELECT set_config('rekindle.bulk_load', 'on', true);

-- name: end-bulk-load
SELECT set_config('rekindle.bulk_load', 'off', true);

-- name: count-inserted-users
-- The clients a bulk insert wrote while their trigger counted nothing, counted at once.
INSERT INTO score_counts (bucket, shard, users)
SELECT round(engagement_score * 100)::integer, abs(hashtext(user_id) % 16), count(*)
FROM users WHERE user_id IN (SELECT json_array_elements_text($1::json)) GROUP BY 1, 2
ON CONFLICT (bucket, shard) DO UPDATE SET users = score_counts.users + excluded.users;

-- Sending controls (issue 16): the shop's settings and the send budget (0010 / 0008).

-- name: list-settings
SELECT key, value, updated_at, updated_by FROM settings ORDER BY key;

-- name: put-setting
INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
                                updated_by = excluded.updated_by;

-- name: put-setting-if-absent
-- The environment's values seed the settings on first start: a value set since is kept.
INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)
ON CONFLICT (key) DO NOTHING;

-- name: open-send-period
INSERT INTO send_counts (period, sent, period_start) VALUES ($1, 0, $2)
ON CONFLICT (period) DO NOTHING;

-- name: get-send-period-for-update
SELECT sent FROM send_counts WHERE period = $1 FOR UPDATE;

-- name: get-send-period
SELECT sent FROM send_counts WHERE period = $1;

-- name: add-to-send-period
UPDATE send_counts SET sent = sent + $2 WHERE period = $1;

-- name: prune-send-periods
DELETE FROM send_counts WHERE period_start < $1;

-- Win-back journeys (issue 16, 0007_journeys.sql).

-- name: get-latest-journey
SELECT version, definition, created_at, created_by FROM journeys ORDER BY version DESC LIMIT 1;

-- name: get-journey
SELECT version, definition, created_at, created_by FROM journeys WHERE version = $1;

-- name: list-journeys
SELECT version, definition, created_at, created_by FROM journeys ORDER BY version DESC LIMIT $1;

-- name: lock-journeys
-- Two saves at once would both take the highest version + 1: one at a time.
LOCK TABLE journeys IN SHARE ROW EXCLUSIVE MODE;

-- name: insert-journey
INSERT INTO journeys (version, definition, created_at, created_by)
SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3 FROM journeys
RETURNING version;

-- name: latest-episodes
-- Each client's episode with the highest number, for a JSON array of user ids.
SELECT DISTINCT ON (user_id) episode_id, user_id, number, journey_version, started_at, step, steps,
       next_due_at, ended_at, end_reason, targeting_rule
FROM episodes
WHERE user_id IN (SELECT json_array_elements_text($1::json))
ORDER BY user_id, number DESC;

-- name: insert-episode
INSERT INTO episodes (episode_id, user_id, number, journey_version, started_at, step, steps, next_due_at,
                      ended_at, end_reason, targeting_rule)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT DO NOTHING;

-- name: advance-episode
-- A step's email is reserved: the episode as the processor computed it (its step, the
-- next due time, or its end). Only forward: a stale writer cannot take a step back.
INSERT INTO episodes (episode_id, user_id, number, journey_version, started_at, step, steps, next_due_at,
                      ended_at, end_reason, targeting_rule)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (episode_id) DO UPDATE SET step = excluded.step, next_due_at = excluded.next_due_at,
                                       ended_at = excluded.ended_at, end_reason = excluded.end_reason
WHERE episodes.step < excluded.step AND episodes.ended_at IS NULL;

-- name: end-episode
UPDATE episodes SET ended_at = $3, end_reason = $2, next_due_at = NULL
WHERE episode_id = $1 AND ended_at IS NULL;

-- name: defer-episode
UPDATE episodes SET next_due_at = $2
WHERE episode_id = $1 AND ended_at IS NULL AND (next_due_at IS NULL OR next_due_at < $2);

-- name: end-user-episodes
UPDATE episodes SET ended_at = $2, end_reason = 'deleted', next_due_at = NULL
WHERE user_id = $1 AND ended_at IS NULL;

-- name: due-episodes
-- Through episodes_due (open episodes only): $1 now, $2/$3 the position after which to
-- read (NULL first), $4 the limit.
SELECT episode_id, user_id, step, next_due_at FROM episodes
WHERE ended_at IS NULL AND next_due_at <= $1
  AND ($3::text IS NULL OR (next_due_at, episode_id) > ($2::bigint, $3::text))
ORDER BY next_due_at, episode_id LIMIT $4;

-- name: suppressions-among
SELECT email, reason, created_at FROM suppressions
WHERE lower(email) IN (SELECT lower(json_array_elements_text($1::json)));

-- name: effectiveness-by-step
-- Journey emails created since $1, by step: delivered, and converted.
SELECT step, COUNT(*) FILTER (WHERE status IN ('SENT', 'OPENED', 'CLICKED')),
       COUNT(*) FILTER (WHERE converted_at IS NOT NULL)
FROM emails WHERE created_at >= $1 AND step IS NOT NULL GROUP BY step ORDER BY step;

-- Imports (issue 10): a batch's reads take a JSON array as $1, as the email processor's.

-- name: get-users-by-external-id
SELECT user_id, email, name, last_order_date, order_count, average_order_value,
       preferred_categories, engagement_score, last_email_date, created_at, updated_at, time_zone,
       external_id, total_spent_cents, first_order_date
FROM users WHERE external_id IN (SELECT json_array_elements_text($1::json));

-- name: get-users-by-email
-- Compared without case (users_email_lower).
SELECT user_id, email, name, last_order_date, order_count, average_order_value,
       preferred_categories, engagement_score, last_email_date, created_at, updated_at, time_zone,
       external_id, total_spent_cents, first_order_date
FROM users WHERE lower(email) IN (SELECT lower(json_array_elements_text($1::json)));

-- name: get-user-by-external-id
SELECT user_id, email, name, last_order_date, order_count, average_order_value,
       preferred_categories, engagement_score, last_email_date, created_at, updated_at, time_zone,
       external_id, total_spent_cents, first_order_date
FROM users WHERE external_id = $1;

-- name: get-orders-by-external-ids
SELECT order_id, user_id, order_date, total_value, items, status, created_at, external_id, implied
FROM orders WHERE external_id IN (SELECT json_array_elements_text($1::json));

-- name: update-imported-order
-- A newer export's version of an order ($1 its externalId).
UPDATE orders SET user_id = $2, order_date = $3, total_value = $4, items = $5, status = $6
WHERE external_id = $1;

-- name: mark-import-pending
INSERT INTO import_pending (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING;

-- name: refresh-imported-user
-- A client's figures recomputed from their orders: only the columns that follow from
-- them, so the indexes on the others (the address, the shop's id) are left alone.
UPDATE users SET order_count = $2, total_spent_cents = $3, average_order_value = $4,
       first_order_date = $5, last_order_date = $6, engagement_score = $7, updated_at = $8
WHERE user_id = $1;

-- name: import-pending
SELECT user_id FROM import_pending ORDER BY user_id LIMIT $1;

-- name: clear-import-pending
DELETE FROM import_pending WHERE user_id IN (SELECT json_array_elements_text($1::json));

-- name: order-totals
-- Each client's orders summed: how many, the total in cents, the first and last dates.
-- A cancelled order counts for nothing (a refund has already lowered its value).
SELECT user_id, count(*), SUM(round(total_value::numeric * 100))::bigint, MIN(order_date), MAX(order_date)
FROM orders WHERE user_id IN (SELECT json_array_elements_text($1::json)) AND status <> 'CANCELLED'
GROUP BY user_id;

-- name: import-start
-- Whether an order could convert anything (an email or a holdout record exists), and
-- whether the store has clients or orders at all: a first import into a fresh store
-- skips attribution and finds every client and order it names among its own.
SELECT CASE WHEN EXISTS (SELECT 1 FROM emails) OR EXISTS (SELECT 1 FROM holdouts) THEN 1 ELSE 0 END,
       CASE WHEN EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM orders) THEN 0 ELSE 1 END;

-- name: save-import
INSERT INTO imports (import_id, status, detail, created_by, started_at, finished_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (import_id) DO UPDATE SET status = excluded.status, detail = excluded.detail,
                                      finished_at = excluded.finished_at;

-- name: get-import
SELECT import_id, status, detail, created_by, started_at, finished_at FROM imports WHERE import_id = $1;

-- name: list-imports
SELECT import_id, status, detail, created_by, started_at, finished_at FROM imports
ORDER BY started_at DESC, import_id DESC LIMIT $1;

-- name: scan-orders
-- The export's page: $1 the last order id of the page before ('' first), $2 the limit.
SELECT order_id, user_id, order_date, total_value, items, status, created_at, external_id, implied
FROM orders WHERE order_id > $1 ORDER BY order_id LIMIT $2;

-- Batched forms (SqlTx::RunBatch): "<name>/batch" runs <name> for every row of $1, a
-- JSON array of arrays holding each row's parameters in order: an import's batch in one
-- round trip. SQLite runs <name> per row, in process.

-- name: insert-user/batch
INSERT INTO users (user_id, email, name, last_order_date, order_count, average_order_value,
                   preferred_categories, engagement_score, last_email_date, created_at, updated_at,
                   time_zone, external_id, total_spent_cents, first_order_date)
SELECT r->>0, r->>1, r->>2, (r->>3)::bigint, (r->>4)::bigint, (r->>5)::double precision, r->>6, (r->>7)::double precision, (r->>8)::bigint, (r->>9)::bigint, (r->>10)::bigint, r->>11, r->>12, (r->>13)::bigint, (r->>14)::bigint
FROM json_array_elements($1::json) AS r;

-- name: insert-order/batch
INSERT INTO orders (order_id, user_id, order_date, total_value, items, status, created_at, external_id, implied)
SELECT r->>0, r->>1, (r->>2)::bigint, (r->>3)::double precision, r->>4, r->>5, (r->>6)::bigint, r->>7, (r->>8)::smallint
FROM json_array_elements($1::json) AS r
ON CONFLICT (external_id) DO NOTHING;

-- name: mark-import-pending/batch
INSERT INTO import_pending (user_id) SELECT r->>0 FROM json_array_elements($1::json) AS r
ON CONFLICT (user_id) DO NOTHING;

-- name: refresh-imported-user/batch
UPDATE users SET order_count = (r->>1)::bigint, total_spent_cents = (r->>2)::bigint,
       average_order_value = (r->>3)::double precision, first_order_date = (r->>4)::bigint,
       last_order_date = (r->>5)::bigint, engagement_score = (r->>6)::double precision,
       updated_at = (r->>7)::bigint
FROM json_array_elements($1::json) AS r
WHERE users.user_id = r->>0;

-- ---- shop webhooks (issue 17) ----------------------------------------------------------

-- name: record-hook-delivery
-- A verified delivery, once per (source, delivery id): a second delivery changes nothing.
INSERT INTO hook_deliveries (hook_id, source, delivery_id, topic, body, received_at, status)
VALUES ($1, $2, $3, $4, $5, $6, 'pending') ON CONFLICT (source, delivery_id) DO NOTHING;

-- name: claim-hook-deliveries
-- Up to $3 pending deliveries, oldest first, whose lease (if any) ran out before $1: each
-- leased to the caller until $2 and its attempt counted. SKIP LOCKED: two processes
-- claiming at once take different ones.
UPDATE hook_deliveries SET lease_until = $2, attempts = attempts + 1
WHERE hook_id IN (SELECT hook_id FROM hook_deliveries
                  WHERE status = 'pending' AND (lease_until IS NULL OR lease_until < $1::bigint)
                  ORDER BY received_at, hook_id LIMIT $3 FOR UPDATE SKIP LOCKED)
RETURNING hook_id, source, delivery_id, topic, body, received_at, status, attempts, error, applied_at;

-- name: finish-hook-delivery
-- A delivery left pending (to try again) keeps its lease: it is retried once the lease ends.
UPDATE hook_deliveries SET status = $2, error = $3, applied_at = $4,
                           lease_until = CASE WHEN $2 = 'pending' THEN lease_until ELSE NULL END
WHERE hook_id = $1;

-- name: list-hook-deliveries
-- The newest first ('' $1: any source), without their bodies.
SELECT hook_id, source, delivery_id, topic, '', received_at, status, attempts, error, applied_at
FROM hook_deliveries WHERE $1 = '' OR source = $1 ORDER BY received_at DESC, hook_id DESC LIMIT $2;

-- name: reattribute-email
-- An order changed (refunded in part, cancelled): the email it converted counts its new
-- value, or converts no more ($3 = 1).
UPDATE emails SET converted_at = CASE WHEN $3 = 1 THEN NULL ELSE converted_at END,
                  conversion_revenue = CASE WHEN $3 = 1 THEN NULL ELSE $4::double precision END,
                  conversion_order_id = CASE WHEN $3 = 1 THEN NULL ELSE conversion_order_id END
WHERE user_id = $1 AND conversion_order_id = $2;

-- name: reattribute-holdout
UPDATE holdouts SET converted_at = CASE WHEN $3 = 1 THEN NULL ELSE converted_at END,
                    conversion_revenue = CASE WHEN $3 = 1 THEN NULL ELSE $4::double precision END,
                    conversion_order_id = CASE WHEN $3 = 1 THEN NULL ELSE conversion_order_id END
WHERE user_id = $1 AND conversion_order_id = $2;

-- ---- models (issue 11) ----------------------------------------------------------------
-- The churn and value models' reads and writes (store/sql/model_store.cc), as in
-- sql/sqlite/queries.sql.

-- name: scan-model-clients
SELECT u.user_id, COALESCE(u.external_id, '') FROM users AS u
WHERE u.user_id > $1::text
  AND EXISTS (SELECT 1 FROM orders AS o
              WHERE o.user_id = u.user_id AND o.order_date <= $2::bigint
                AND upper(o.status) NOT IN ('CANCELLED', 'CANCELED', 'REFUNDED'))
ORDER BY u.user_id LIMIT $3;

-- name: scan-model-orders
SELECT user_id, order_date, total_value FROM orders
WHERE user_id > $1::text AND user_id <= $2::text AND upper(status) NOT IN ('CANCELLED', 'CANCELED', 'REFUNDED')
ORDER BY user_id, order_date, order_id;

-- name: insert-model-fit
INSERT INTO model_fits (fit_id, model, unit, until, params, log_likelihood, clients, iterations, seconds,
                        converged, diagnostics, fitted_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12);

-- name: latest-model-fit
SELECT fit_id, model, unit, until, params, log_likelihood, clients, iterations, seconds, converged, diagnostics,
       fitted_at
FROM model_fits ORDER BY fitted_at DESC, fit_id DESC LIMIT 1;

-- name: upsert-prediction
INSERT INTO predictions (user_id, fit_id, p_alive, churn_probability, expected_orders, next_order_at,
                         predicted_value, computed_at)
SELECT $1::text, $2::text, $3::float8, $4::float8, $5::float8, $6::bigint, $7::float8, $8::bigint
WHERE EXISTS (SELECT 1 FROM users WHERE user_id = $1::text)
ON CONFLICT (user_id) DO UPDATE SET fit_id = excluded.fit_id, p_alive = excluded.p_alive,
  churn_probability = excluded.churn_probability, expected_orders = excluded.expected_orders,
  next_order_at = excluded.next_order_at, predicted_value = excluded.predicted_value,
  computed_at = excluded.computed_at;

-- name: upsert-prediction/batch
INSERT INTO predictions (user_id, fit_id, p_alive, churn_probability, expected_orders, next_order_at,
                         predicted_value, computed_at)
SELECT r->>0, r->>1, (r->>2)::float8, (r->>3)::float8, (r->>4)::float8, (r->>5)::bigint, (r->>6)::float8,
       (r->>7)::bigint
FROM json_array_elements($1::json) AS r
WHERE EXISTS (SELECT 1 FROM users WHERE user_id = r->>0)
ON CONFLICT (user_id) DO UPDATE SET fit_id = excluded.fit_id, p_alive = excluded.p_alive,
  churn_probability = excluded.churn_probability, expected_orders = excluded.expected_orders,
  next_order_at = excluded.next_order_at, predicted_value = excluded.predicted_value,
  computed_at = excluded.computed_at;

-- name: delete-predictions-not-of
DELETE FROM predictions WHERE fit_id <> $1;

-- name: predictions-of
SELECT user_id, fit_id, p_alive, churn_probability, expected_orders, next_order_at, predicted_value, computed_at
FROM predictions WHERE user_id IN (SELECT json_array_elements_text($1::json));

-- name: predictions-between
-- The sweep's page of predictions (issue 11): user ids in ($1, $2], in user id order, a
-- range of the primary key as the page of users it goes with.
SELECT user_id, fit_id, p_alive, churn_probability, expected_orders, next_order_at, predicted_value, computed_at
FROM predictions WHERE user_id > $1 AND user_id <= $2 ORDER BY user_id;

-- name: list-users-churn-desc
SELECT u.user_id, u.email, u.name, u.last_order_date, u.order_count, u.average_order_value,
       u.preferred_categories, u.engagement_score, u.last_email_date, u.created_at, u.updated_at, u.time_zone,
       u.external_id, u.total_spent_cents, u.first_order_date, p.churn_probability
FROM predictions AS p JOIN users AS u ON u.user_id = p.user_id
WHERE ($6::float8 IS NULL OR p.churn_probability >= $6::float8)
  AND ($1::float8 IS NULL OR u.engagement_score < $1::float8)
  AND ($2::text IS NULL OR u.name ILIKE $2::text ESCAPE '\' OR u.email ILIKE $2::text ESCAPE '\')
  AND ($3::float8 IS NULL OR (p.churn_probability, p.user_id) < ($3::float8, $4::text))
ORDER BY p.churn_probability DESC, p.user_id DESC LIMIT $5;

-- name: list-users-churn-asc
SELECT u.user_id, u.email, u.name, u.last_order_date, u.order_count, u.average_order_value,
       u.preferred_categories, u.engagement_score, u.last_email_date, u.created_at, u.updated_at, u.time_zone,
       u.external_id, u.total_spent_cents, u.first_order_date, p.churn_probability
FROM predictions AS p JOIN users AS u ON u.user_id = p.user_id
WHERE ($6::float8 IS NULL OR p.churn_probability >= $6::float8)
  AND ($1::float8 IS NULL OR u.engagement_score < $1::float8)
  AND ($2::text IS NULL OR u.name ILIKE $2::text ESCAPE '\' OR u.email ILIKE $2::text ESCAPE '\')
  AND ($3::float8 IS NULL OR (p.churn_probability, p.user_id) > ($3::float8, $4::text))
ORDER BY p.churn_probability ASC, p.user_id ASC LIMIT $5;

-- ---- outgoing webhooks (issue 17, 0015_webhooks.sql) -----------------------------------

-- name: insert-webhook-endpoint
INSERT INTO webhook_endpoints (endpoint_id, url, secret, events, description, created_at)
VALUES ($1, $2, $3, $4, $5, $6);

-- name: list-webhook-endpoints
-- The endpoints not deleted, oldest first.
SELECT endpoint_id, url, secret, events, description, created_at, disabled_at
FROM webhook_endpoints WHERE disabled_at IS NULL ORDER BY created_at, endpoint_id;

-- name: disable-webhook-endpoint
-- Deleting an endpoint keeps its deliveries (listed, and its pending ones end dead).
UPDATE webhook_endpoints SET disabled_at = $2 WHERE endpoint_id = $1 AND disabled_at IS NULL;

-- name: claim-webhook-deliveries
-- Up to $3 pending deliveries due by $1 and not leased, the longest due first: each
-- leased to the caller until $2 and its attempt counted. With its endpoint's URL and
-- secret ('' when the endpoint was deleted). SKIP LOCKED: two processes claiming at once
-- take different ones.
UPDATE webhook_deliveries SET lease_until = $2, attempts = attempts + 1
WHERE delivery_id IN (SELECT delivery_id FROM webhook_deliveries
                      WHERE status = 'pending' AND next_attempt_at <= $1::bigint
                        AND (lease_until IS NULL OR lease_until < $1::bigint)
                      ORDER BY next_attempt_at, delivery_id LIMIT $3 FOR UPDATE SKIP LOCKED)
RETURNING delivery_id, endpoint_id, type, payload, created_at, status, attempts, next_attempt_at, last_status,
          last_error, delivered_at,
          COALESCE((SELECT url FROM webhook_endpoints AS p
                    WHERE p.endpoint_id = webhook_deliveries.endpoint_id AND p.disabled_at IS NULL), ''),
          COALESCE((SELECT secret FROM webhook_endpoints AS p
                    WHERE p.endpoint_id = webhook_deliveries.endpoint_id AND p.disabled_at IS NULL), '');

-- name: finish-webhook-delivery
-- What an attempt came to: delivered, dead, or pending again at $3.
UPDATE webhook_deliveries SET status = $2, next_attempt_at = $3, last_status = $4, last_error = $5,
                              delivered_at = $6, lease_until = NULL
WHERE delivery_id = $1;

-- name: finish-webhook-delivery/batch
UPDATE webhook_deliveries SET status = r->>1, next_attempt_at = (r->>2)::bigint, last_status = (r->>3)::integer,
                              last_error = r->>4, delivered_at = (r->>5)::bigint, lease_until = NULL
FROM json_array_elements($1::json) AS r
WHERE webhook_deliveries.delivery_id = r->>0;

-- name: prune-webhook-deliveries
-- Up to $2 ended deliveries of events before $1 (an id starts with its event's time in hex:
-- a range of the primary key).
DELETE FROM webhook_deliveries
WHERE delivery_id IN (SELECT delivery_id FROM webhook_deliveries
                      WHERE delivery_id < 'msg_' || lpad(to_hex($1::bigint), 12, '0') AND status <> 'pending'
                      LIMIT $2);

-- name: list-webhook-deliveries
-- The newest first (an id starts with its event's time); '' $1: every endpoint, '' $2: every status.
SELECT delivery_id, endpoint_id, type, payload, created_at, status, attempts, next_attempt_at, last_status,
       last_error, delivered_at, '', ''
FROM webhook_deliveries WHERE ($1 = '' OR endpoint_id = $1) AND ($2 = '' OR status = $2)
ORDER BY delivery_id DESC LIMIT $3;

-- name: replay-webhook-delivery
-- A delivery that ended (dead, or delivered) is sent again at $2, with a fresh day of
-- retries: the same delivery id, so a receiver that has it already ignores it.
UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $2, attempts = 0, lease_until = NULL
WHERE delivery_id = $1 AND status <> 'pending'
  AND endpoint_id IN (SELECT endpoint_id FROM webhook_endpoints WHERE disabled_at IS NULL);

-- ---- shop syncs (issue 17, 0016_shop_syncs.sql) ------------------------------------------

-- name: ensure-shop-sync
INSERT INTO shop_syncs (source) VALUES ($1) ON CONFLICT (source) DO NOTHING;

-- name: begin-shop-sync
-- A run starts unless another's lease has not run out ($3: now): its progress restarts,
-- its cursors stay.
UPDATE shop_syncs SET status = 'running', trigger_name = $2, started_at = $3::bigint, finished_at = NULL,
                      lease_until = $4::bigint, error = '', field = '',
                      pages = 0, fetched = 0, imported = 0, updated = 0, unchanged = 0, rejected = 0
WHERE source = $1 AND NOT (status = 'running' AND lease_until >= $3::bigint)
RETURNING source, status, trigger_name, started_at, finished_at, last_success_at, lease_until, error, field,
          orders_cursor, customers_cursor, pages, fetched, imported, updated, unchanged, rejected;

-- name: save-shop-sync
UPDATE shop_syncs SET status = $2, finished_at = $3, last_success_at = $4, lease_until = $5, error = $6,
                      field = $7, orders_cursor = $8, customers_cursor = $9, pages = $10, fetched = $11,
                      imported = $12, updated = $13, unchanged = $14, rejected = $15
WHERE source = $1;

-- name: list-shop-syncs
SELECT source, status, trigger_name, started_at, finished_at, last_success_at, lease_until, error, field,
       orders_cursor, customers_cursor, pages, fetched, imported, updated, unchanged, rejected
FROM shop_syncs ORDER BY source;

-- ---- messages (issue 12) ----

-- name: get-latest-message
SELECT name, version, subject, text_body, html_body, instructions, note, created_at, created_by
FROM message_versions WHERE name = $1 ORDER BY version DESC LIMIT 1;

-- name: get-message
SELECT name, version, subject, text_body, html_body, instructions, note, created_at, created_by
FROM message_versions WHERE name = $1 AND version = $2;

-- name: list-latest-messages
-- The newest version of each name.
SELECT m.name, m.version, m.subject, m.text_body, m.html_body, m.instructions, m.note, m.created_at, m.created_by
FROM message_versions m
WHERE m.version = (SELECT MAX(v.version) FROM message_versions v WHERE v.name = m.name)
ORDER BY m.name;

-- name: list-message-versions
-- A name's versions, newest first, without their bodies.
SELECT name, version, '', '', '', '', note, created_at, created_by
FROM message_versions WHERE name = $1 ORDER BY version DESC LIMIT $2;

-- name: lock-messages
-- Two saves of one name at once would both take its highest version + 1: one at a time.
LOCK TABLE message_versions IN SHARE ROW EXCLUSIVE MODE;

-- name: insert-message
INSERT INTO message_versions (name, version, subject, text_body, html_body, instructions, note, created_at,
                              created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);

-- ---- experiments (issue 12) ----

-- name: insert-experiment
INSERT INTO experiments (experiment_id, name, message, variants, metric, allocation, min_recipients, threshold,
                         planned_recipients, status, weights, planned_at, created_at, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'running', $10, $11, $12, $13);

-- name: get-experiment
SELECT experiment_id, name, message, variants, metric, allocation, min_recipients, threshold, planned_recipients,
       status, weights, planned_at, created_at, created_by, stopped_at, promoted_variant
FROM experiments WHERE experiment_id = $1;

-- name: list-experiments
SELECT experiment_id, name, message, variants, metric, allocation, min_recipients, threshold, planned_recipients,
       status, weights, planned_at, created_at, created_by, stopped_at, promoted_variant
FROM experiments ORDER BY created_at DESC, experiment_id DESC LIMIT 500;

-- name: running-experiment
SELECT experiment_id, name, message, variants, metric, allocation, min_recipients, threshold, planned_recipients,
       status, weights, planned_at, created_at, created_by, stopped_at, promoted_variant
FROM experiments WHERE status = 'running';

-- name: stop-experiment
UPDATE experiments SET status = 'stopped', stopped_at = $2 WHERE experiment_id = $1 AND status = 'running';

-- name: replan-experiment
-- Only over the plan the caller read ($4): of two processes re-planning at once, one wins.
UPDATE experiments SET weights = $2, planned_at = $3
WHERE experiment_id = $1 AND planned_at = $4 AND status = 'running';

-- name: promote-experiment
UPDATE experiments SET promoted_variant = $2 WHERE experiment_id = $1;

-- name: insert-experiment-allocation
INSERT INTO experiment_allocations (experiment_id, at, weights, reason) VALUES ($1, $2, $3, $4);

-- name: list-experiment-allocations
SELECT at, weights, reason FROM experiment_allocations WHERE experiment_id = $1 ORDER BY at;

-- name: experiment-totals
-- Each variant's recipients (clients with a delivered email: one emailed twice counts once),
-- those who clicked, those who converted, and their revenue and its squares.
SELECT variant, count(*), count(*) FILTER (WHERE clicked), count(*) FILTER (WHERE converted),
       COALESCE(SUM(revenue), 0), COALESCE(SUM(revenue * revenue), 0) FROM (
  SELECT variant, user_id, bool_or(clicked_at IS NOT NULL) AS clicked, bool_or(converted_at IS NOT NULL) AS converted,
         SUM(COALESCE(conversion_revenue, 0)) AS revenue
  FROM emails WHERE experiment_id = $1 AND status IN ('SENT', 'OPENED', 'CLICKED') GROUP BY variant, user_id) AS c
GROUP BY variant;
