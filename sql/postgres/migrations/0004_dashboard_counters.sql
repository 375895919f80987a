-- The figures the dashboard polls, kept up to date by triggers as the data changes, so
-- reading them costs the same at a million clients as at ten (GET /api/metrics scanned
-- every client and email before): clients per score, in hundredths (scores are stored
-- rounded to two decimals, so a bucket is exact and "below the threshold" is exact), and
-- emails per creation day (UTC) and status. Each count is split over 16 shards by a hash
-- of the row's id: concurrent writers (new clients all score 100) then rarely wait for
-- one counter row's lock until the other commits.
CREATE TABLE score_counts (
  bucket INTEGER NOT NULL,  -- round(engagement_score * 100)
  shard  SMALLINT NOT NULL,
  users  BIGINT NOT NULL,
  PRIMARY KEY (bucket, shard)
);
INSERT INTO score_counts (bucket, shard, users)
SELECT round(engagement_score * 100)::integer, abs(hashtext(user_id) % 16), count(*) FROM users GROUP BY 1, 2;

CREATE FUNCTION count_user_scores() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE score_counts SET users = users - 1
    WHERE bucket = round(OLD.engagement_score * 100)::integer AND shard = abs(hashtext(OLD.user_id) % 16);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO score_counts (bucket, shard, users)
    VALUES (round(NEW.engagement_score * 100)::integer, abs(hashtext(NEW.user_id) % 16), 1)
    ON CONFLICT (bucket, shard) DO UPDATE SET users = score_counts.users + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER users_counted_on_insert_or_delete AFTER INSERT OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION count_user_scores();
CREATE TRIGGER users_counted_on_rescore AFTER UPDATE OF engagement_score ON users
  FOR EACH ROW WHEN (round(OLD.engagement_score * 100) <> round(NEW.engagement_score * 100))
  EXECUTE FUNCTION count_user_scores();

CREATE TABLE email_counts (
  day    BIGINT NOT NULL,  -- created_at / 86400000
  status TEXT COLLATE "C" NOT NULL,
  shard  SMALLINT NOT NULL,
  emails BIGINT NOT NULL,
  PRIMARY KEY (day, status, shard)
);
INSERT INTO email_counts (day, status, shard, emails)
SELECT created_at / 86400000, status, abs(hashtext(email_id) % 16), count(*) FROM emails GROUP BY 1, 2, 3;

CREATE FUNCTION count_emails() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE email_counts SET emails = emails - 1
    WHERE day = OLD.created_at / 86400000 AND status = OLD.status AND shard = abs(hashtext(OLD.email_id) % 16);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO email_counts (day, status, shard, emails)
    VALUES (NEW.created_at / 86400000, NEW.status, abs(hashtext(NEW.email_id) % 16), 1)
    ON CONFLICT (day, status, shard) DO UPDATE SET emails = email_counts.emails + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER emails_counted_on_insert_or_delete AFTER INSERT OR DELETE ON emails
  FOR EACH ROW EXECUTE FUNCTION count_emails();
CREATE TRIGGER emails_counted_on_status AFTER UPDATE OF status ON emails
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION count_emails();
