import { Link } from 'react-router';
import type { Prediction } from '../api/model/types';
import { formatDate, formatDateTime, formatMoney, formatPercent } from '../lib/format';
import { formatDecimal } from '../lib/model';
import { ChurnBar } from './ChurnBar';

/**
 * A client's prediction from the churn and value models (issue 11). `null`: the client has
 * none yet (no fit, or no order before the fit's calibration end).
 */
export function PredictionPanel({ prediction }: { prediction: Prediction | null }) {
  return (
    <section className="panel" aria-labelledby="prediction-heading">
      <div className="panel__header">
        <h2 id="prediction-heading">Prediction</h2>
        {prediction && (
          <Link to="/model" className="small">
            About the model
          </Link>
        )}
      </div>
      {prediction ? (
        <>
          <ChurnBar probability={prediction.churnProbability} />
          <dl className="facts">
            <div>
              <dt>Still a buyer (P(alive))</dt>
              <dd>{formatPercent(prediction.pAlive)}</dd>
            </div>
            <div>
              <dt>Expected orders in the horizon</dt>
              <dd>{formatDecimal(prediction.expectedOrders)}</dd>
            </div>
            <div>
              <dt>Predicted value</dt>
              <dd>{prediction.predictedValue === null ? 'No spend model' : formatMoney(prediction.predictedValue)}</dd>
            </div>
            <div>
              <dt>Expected next order</dt>
              <dd>{prediction.expectedNextOrderAt ? formatDate(prediction.expectedNextOrderAt) : 'Not expected'}</dd>
            </div>
          </dl>
          <p className="small muted">Computed {formatDateTime(prediction.computedAt)}.</p>
        </>
      ) : (
        <p className="small" data-testid="no-client-prediction">
          No prediction for this client yet. <Link to="/model">Predictions</Link> says why and can fit the model.
        </p>
      )}
    </section>
  );
}
