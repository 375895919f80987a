-- An import writes many clients in one transaction. Counting each of them as it is
-- inserted (0004) updates the same few counter rows again and again inside that one
-- transaction, and every update leaves a row version no one can clean up before it
-- commits: a million-client import slowed down quadratically. While a transaction has
-- set rekindle.bulk_load (start-bulk-load), the trigger counts nothing, and the import
-- recounts once at its end (clear-score-counts, count-scores).
CREATE OR REPLACE FUNCTION count_user_scores() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('rekindle.bulk_load', true) = 'on' THEN
    RETURN NULL;
  END IF;
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
