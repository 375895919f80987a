-- Win-back journeys (issue 16): a journey is a short sequence of emails with exits,
-- versioned like messages; an episode is one client's way through one version of it.
-- Each email records the episode and the step it is.

-- Every version of the journey, kept: an episode follows the version it started on.
-- `definition` is JSON: {"steps": [{"delayDays", "message"}], "restDays", "exits"}.
CREATE TABLE journeys (
  version    INTEGER PRIMARY KEY,
  definition TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
-- The default: three steps on day 0, 10 and 24, then 90 days of rest.
INSERT INTO journeys (version, definition, created_at, created_by) VALUES (1,
  '{"steps":[{"delayDays":0,"message":"winback-1"},{"delayDays":10,"message":"winback-2"},{"delayDays":14,"message":"winback-3"}],"restDays":90,"exits":["order","unsubscribe","bounce","complaint"]}',
  CAST(strftime('%s', 'now') AS INTEGER) * 1000, 'default');

-- `number` counts a client's episodes (1, 2, …): the episode's id derives from it, so two
-- workers starting one client's episode at once start the same one. `step` is the steps
-- sent so far; `next_due_at` is when the next one is due (NULL once it ended).
CREATE TABLE episodes (
  episode_id      TEXT PRIMARY KEY,
  user_id         TEXT NOT NULL,
  number          INTEGER NOT NULL,
  journey_version INTEGER NOT NULL,
  started_at      INTEGER NOT NULL,
  step            INTEGER NOT NULL DEFAULT 0,
  steps           INTEGER NOT NULL,
  next_due_at     INTEGER,
  ended_at        INTEGER,
  end_reason      TEXT
) WITHOUT ROWID;
CREATE UNIQUE INDEX episodes_by_user ON episodes (user_id, number);
-- The due scan's index: open episodes only, by when their next step is due.
CREATE INDEX episodes_due ON episodes (next_due_at, episode_id) WHERE ended_at IS NULL;

ALTER TABLE emails ADD COLUMN episode_id TEXT;
ALTER TABLE emails ADD COLUMN step INTEGER;
