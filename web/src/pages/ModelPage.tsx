import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { useThreshold } from '../api/metrics/queries';
import { modelQuery } from '../api/model/queries';
import type { Distributions, ModelState } from '../api/model/types';
import { ModelFitPanel } from '../components/ModelFitPanel';
import { RefitPanel } from '../components/RefitPanel';
import { Loading, NotAvailable, QueryError } from '../components/StatusViews';
import { formatCount, formatPercent, toSentence } from '../lib/format';
import { churnBinLabel, MOST_LIKELY_TO_CHURN_URL, targetingSentence, valueBinLabel } from '../lib/model';
import { usePageTitle } from '../lib/usePageTitle';

// The chart library is big: load it with the charts.
const CalibrationChart = lazy(() => import('../components/ModelCharts').then((m) => ({ default: m.CalibrationChart })));
const DistributionChart = lazy(() =>
  import('../components/ModelCharts').then((m) => ({ default: m.DistributionChart })),
);

/** The churn and value models (issue 11): the current fit, how well it forecasts, and a refit. */
export function ModelPage() {
  usePageTitle('Predictions');
  const model = useQuery(modelQuery());

  return (
    <div className="page">
      <header className="page__header page__header--row">
        <div>
          <h1>Predictions</h1>
          <p className="page__lead">
            Who is likely to stop buying, and what each client is worth: a buy-till-you-die model fitted on the order
            history.
          </p>
        </div>
        <Link to={MOST_LIKELY_TO_CHURN_URL} className="button">
          Clients most likely to churn
        </Link>
      </header>

      {model.isPending ? (
        <Loading label="Loading the model…" />
      ) : model.isError ? (
        <QueryError
          title="Could not load the model"
          error={model.error}
          onRetry={() => void model.refetch()}
          notFound={
            <NotAvailable title="Predictions are not available yet">
              This server does not offer <code>/api/model</code> yet. Clients are chosen by their engagement score
              meanwhile.
            </NotAvailable>
          }
        />
      ) : (
        <ModelReport state={model.data} />
      )}
    </div>
  );
}

function ModelReport({ state }: { state: ModelState }) {
  const threshold = useThreshold();
  const { fit } = state;
  return (
    <div className="stack">
      {!fit && (
        <div className="state state--empty" role="note" data-testid="no-prediction">
          <p className="state__title">No prediction yet</p>
          <p>{state.reason ? toSentence(state.reason) : 'No model has been fitted yet.'}</p>
        </div>
      )}
      <RefitPanel running={state.running} lastRun={state.lastRun} refit={state.refit} />
      {fit && <ModelFitPanel fit={fit} />}
      {fit?.diagnostics && fit.diagnostics.byPastOrders.length > 0 && (
        <section className="panel" aria-labelledby="calibration-heading">
          <h2 id="calibration-heading">How well it forecasts</h2>
          <Suspense fallback={<Loading label="Loading the chart…" />}>
            <CalibrationChart diagnostics={fit.diagnostics} />
          </Suspense>
        </section>
      )}
      {fit && state.distributions && <DistributionsPanel distributions={state.distributions} />}
      {state.targeting && (
        <section className="panel" aria-labelledby="targeting-heading">
          <h2 id="targeting-heading">Targeting</h2>
          <p>{targetingSentence(state.targeting, threshold)}</p>
          <p className="small muted">
            Rule <code>{state.targeting.rule}</code>, churn threshold {formatPercent(state.targeting.churnThreshold)}.
          </p>
        </section>
      )}
    </div>
  );
}

function DistributionsPanel({ distributions }: { distributions: Distributions }) {
  const { churnProbability, predictedValue } = distributions;
  const clients = churnProbability.reduce((n, b) => n + b.clients, 0);
  return (
    <section className="panel" aria-labelledby="distributions-heading">
      <h2 id="distributions-heading">Clients by prediction</h2>
      <Suspense fallback={<Loading label="Loading the charts…" />}>
        <div className="grid-2">
          <DistributionChart
            title="Churn probability"
            bins={churnProbability}
            binLabel={churnBinLabel}
            color="#b91c1c"
            caption={`${formatCount(clients)} clients by their chance of no order over the churn horizon.`}
          />
          {predictedValue.length > 0 ? (
            <DistributionChart
              title="Predicted value"
              bins={predictedValue}
              binLabel={valueBinLabel}
              color="#1d4ed8"
              caption="Clients by the discounted value of the orders the model expects from them."
            />
          ) : (
            <p className="small muted">No predicted values: the spend model could not be fitted.</p>
          )}
        </div>
      </Suspense>
    </section>
  );
}
