-- Experiments on the win-back message (issue 12): the variants (a JSON array of
-- {"message", "weight"}) and the current plan (`weights`, a JSON array summing to 1). The
-- partial unique index lets one experiment run at a time. Every change of plan is kept in
-- experiment_allocations. Each email written from a variant records its experiment and
-- the variant's index; the results are one grouped read through emails_by_experiment.
CREATE TABLE experiments (
  experiment_id       TEXT PRIMARY KEY,
  name                TEXT NOT NULL,
  message             TEXT NOT NULL,
  variants            TEXT NOT NULL,
  metric              TEXT NOT NULL,
  allocation          TEXT NOT NULL,
  min_recipients      BIGINT NOT NULL,
  threshold           DOUBLE PRECISION NOT NULL,
  planned_recipients  BIGINT NOT NULL,
  status              TEXT NOT NULL,
  weights             TEXT NOT NULL,
  planned_at          BIGINT NOT NULL,
  created_at          BIGINT NOT NULL,
  created_by          TEXT NOT NULL,
  stopped_at          BIGINT,
  promoted_variant    INTEGER
);
CREATE UNIQUE INDEX experiments_one_running ON experiments (status) WHERE status = 'running';

CREATE TABLE experiment_allocations (
  experiment_id  TEXT NOT NULL REFERENCES experiments (experiment_id),
  at             BIGINT NOT NULL,
  weights        TEXT NOT NULL,
  reason         TEXT NOT NULL
);
CREATE INDEX experiment_allocations_by_experiment ON experiment_allocations (experiment_id, at);

ALTER TABLE emails ADD COLUMN experiment_id TEXT;
ALTER TABLE emails ADD COLUMN variant INTEGER;
CREATE INDEX emails_by_experiment ON emails (experiment_id, variant) WHERE experiment_id IS NOT NULL;
