-- Targeting (issue 11, RKD_TARGETING): as sql/sqlite/migrations/0016_targeting.sql. The
-- rule that chose each client ("score", "churn" or "score+churn"), stored with the
-- episode it started, each of its emails and each holdout record, so the effectiveness
-- figures split the lift by rule. Rows from before the setting existed were chosen by the score.
ALTER TABLE episodes ADD COLUMN targeting_rule TEXT NOT NULL DEFAULT 'score';
ALTER TABLE emails ADD COLUMN targeting_rule TEXT NOT NULL DEFAULT 'score';
ALTER TABLE holdouts ADD COLUMN targeting_rule TEXT NOT NULL DEFAULT 'score';
