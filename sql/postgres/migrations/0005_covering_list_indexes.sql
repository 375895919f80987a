-- Each sort of the clients' list has an index that also includes the score, so a page's
-- ids (with or without the at-risk filter) can come from the index alone and only the
-- rows shown are read (queries.sql, list-users).
DROP INDEX users_by_created;
CREATE INDEX users_by_created ON users (created_at, user_id) INCLUDE (engagement_score);
DROP INDEX users_by_name;
CREATE INDEX users_by_name ON users (name, user_id) INCLUDE (engagement_score);
DROP INDEX users_by_last_order;
CREATE INDEX users_by_last_order ON users ((COALESCE(last_order_date, -1)), user_id) INCLUDE (engagement_score);
