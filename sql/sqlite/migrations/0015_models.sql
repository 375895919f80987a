-- Churn and value models (issue 11): each fit of a purchase model (BG/NBD or Pareto/NBD,
-- with the Gamma-Gamma spend model beside it) and every client's prediction from the
-- latest fit. A refit replaces the predictions; a deleted client's goes with them.
CREATE TABLE model_fits (
  fit_id         TEXT PRIMARY KEY,
  model          TEXT NOT NULL,     -- bgnbd, paretonbd
  unit           TEXT NOT NULL,     -- days, weeks
  until          INTEGER NOT NULL,  -- the last calibration day (ms)
  params         TEXT NOT NULL,     -- JSON
  log_likelihood REAL NOT NULL,
  clients        INTEGER NOT NULL,
  iterations     INTEGER NOT NULL,
  seconds        REAL NOT NULL,
  converged      INTEGER NOT NULL,
  diagnostics    TEXT NOT NULL,     -- JSON: repeat orders, actual against expected, by past orders
  fitted_at      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX model_fits_by_time ON model_fits (fitted_at, fit_id);

CREATE TABLE predictions (
  user_id           TEXT PRIMARY KEY,
  fit_id            TEXT NOT NULL,
  p_alive           REAL NOT NULL,
  churn_probability REAL NOT NULL,
  expected_orders   REAL NOT NULL,
  next_order_at     INTEGER,  -- NULL: more likely never
  predicted_value   REAL,     -- NULL: no spend model
  computed_at       INTEGER NOT NULL
) WITHOUT ROWID;
-- GET /api/users?sort=churnProbability (keyset on churn, then user id).
CREATE INDEX predictions_by_churn ON predictions (churn_probability, user_id);
CREATE INDEX predictions_by_fit ON predictions (fit_id);

CREATE TRIGGER predictions_deleted_with_user AFTER DELETE ON users
BEGIN
  DELETE FROM predictions WHERE user_id = old.user_id;
END;
