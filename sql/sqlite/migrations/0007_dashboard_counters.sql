-- The figures the dashboard polls, kept up to date by triggers as the data changes, so
-- reading them costs the same at a million clients as at ten (GET /api/metrics scanned
-- every client and email before): clients per score, in hundredths (scores are stored
-- rounded to two decimals, so a bucket is exact and "below the threshold" is exact), and
-- emails per creation day (UTC) and status.
CREATE TABLE score_counts (
  bucket INTEGER PRIMARY KEY,  -- round(engagement_score * 100)
  users  INTEGER NOT NULL
);
INSERT INTO score_counts (bucket, users)
SELECT CAST(ROUND(engagement_score * 100) AS INTEGER), count(*) FROM users GROUP BY 1;

CREATE TRIGGER users_counted_on_insert AFTER INSERT ON users BEGIN
  INSERT INTO score_counts (bucket, users) VALUES (CAST(ROUND(NEW.engagement_score * 100) AS INTEGER), 1)
  ON CONFLICT (bucket) DO UPDATE SET users = users + 1;
END;
CREATE TRIGGER users_counted_on_delete AFTER DELETE ON users BEGIN
  UPDATE score_counts SET users = users - 1 WHERE bucket = CAST(ROUND(OLD.engagement_score * 100) AS INTEGER);
END;
CREATE TRIGGER users_counted_on_rescore AFTER UPDATE OF engagement_score ON users
WHEN CAST(ROUND(OLD.engagement_score * 100) AS INTEGER) <> CAST(ROUND(NEW.engagement_score * 100) AS INTEGER)
BEGIN
  UPDATE score_counts SET users = users - 1 WHERE bucket = CAST(ROUND(OLD.engagement_score * 100) AS INTEGER);
  INSERT INTO score_counts (bucket, users) VALUES (CAST(ROUND(NEW.engagement_score * 100) AS INTEGER), 1)
  ON CONFLICT (bucket) DO UPDATE SET users = users + 1;
END;

CREATE TABLE email_counts (
  day    INTEGER NOT NULL,  -- created_at / 86400000
  status TEXT NOT NULL,
  emails INTEGER NOT NULL,
  PRIMARY KEY (day, status)
);
INSERT INTO email_counts (day, status, emails)
SELECT created_at / 86400000, status, count(*) FROM emails GROUP BY 1, 2;

CREATE TRIGGER emails_counted_on_insert AFTER INSERT ON emails BEGIN
  INSERT INTO email_counts (day, status, emails) VALUES (NEW.created_at / 86400000, NEW.status, 1)
  ON CONFLICT (day, status) DO UPDATE SET emails = emails + 1;
END;
CREATE TRIGGER emails_counted_on_delete AFTER DELETE ON emails BEGIN
  UPDATE email_counts SET emails = emails - 1 WHERE day = OLD.created_at / 86400000 AND status = OLD.status;
END;
CREATE TRIGGER emails_counted_on_status AFTER UPDATE OF status ON emails WHEN OLD.status <> NEW.status BEGIN
  UPDATE email_counts SET emails = emails - 1 WHERE day = OLD.created_at / 86400000 AND status = OLD.status;
  INSERT INTO email_counts (day, status, emails) VALUES (NEW.created_at / 86400000, NEW.status, 1)
  ON CONFLICT (day, status) DO UPDATE SET emails = emails + 1;
END;
