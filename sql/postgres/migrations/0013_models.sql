-- Churn and value models (issue 11): as sql/sqlite/migrations/0015_models.sql. Each fit
-- of a purchase model (BG/NBD or Pareto/NBD, with the Gamma-Gamma spend model beside it)
-- and every client's prediction from the latest fit. A refit replaces the predictions; a
-- deleted client's goes with them.
CREATE TABLE model_fits (
  fit_id         TEXT COLLATE "C" PRIMARY KEY,
  model          TEXT NOT NULL,
  unit           TEXT NOT NULL,
  until          BIGINT NOT NULL,
  params         TEXT NOT NULL,
  log_likelihood DOUBLE PRECISION NOT NULL,
  clients        BIGINT NOT NULL,
  iterations     BIGINT NOT NULL,
  seconds        DOUBLE PRECISION NOT NULL,
  converged      SMALLINT NOT NULL,
  diagnostics    TEXT NOT NULL,
  fitted_at      BIGINT NOT NULL
);
CREATE INDEX model_fits_by_time ON model_fits (fitted_at, fit_id);

CREATE TABLE predictions (
  user_id           TEXT COLLATE "C" PRIMARY KEY,
  fit_id            TEXT COLLATE "C" NOT NULL,
  p_alive           DOUBLE PRECISION NOT NULL,
  churn_probability DOUBLE PRECISION NOT NULL,
  expected_orders   DOUBLE PRECISION NOT NULL,
  next_order_at     BIGINT,
  predicted_value   DOUBLE PRECISION,
  computed_at       BIGINT NOT NULL
);
CREATE INDEX predictions_by_churn ON predictions (churn_probability, user_id);
CREATE INDEX predictions_by_fit ON predictions (fit_id);

CREATE FUNCTION delete_user_prediction() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM predictions WHERE user_id = OLD.user_id;
  RETURN NULL;
END;
$$;
CREATE TRIGGER predictions_deleted_with_user AFTER DELETE ON users
FOR EACH ROW EXECUTE FUNCTION delete_user_prediction();
