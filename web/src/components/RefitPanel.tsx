import { useId, useState } from 'react';
import { useRefitModel } from '../api/model/mutations';
import type { FitRequest, RefitSchedule } from '../api/model/types';
import { formatCount } from '../lib/format';
import { refitSentence } from '../lib/model';
import { notify } from '../lib/notices';
import { errorMessage } from './StatusViews';

/**
 * "Refit now": POST /api/model/fit with the server's defaults, or a model, unit and
 * calibration end chosen under Options (to check the model on a holdout, fit up to an
 * earlier day). The server's refusal (409: a fit runs; 422: too little history) is shown
 * as it says it.
 */
export function RefitPanel({ running, refit }: { running: boolean; refit?: RefitSchedule }) {
  const refitModel = useRefitModel();
  const [model, setModel] = useState<'' | 'bgnbd' | 'paretonbd'>('');
  const [unit, setUnit] = useState<'' | 'days' | 'weeks'>('');
  const [until, setUntil] = useState('');
  const ids = { model: useId(), unit: useId(), until: useId() };
  const busy = refitModel.isPending || running;

  function onRefit() {
    // Only what was chosen is sent: the rest is the server's configuration.
    const body: FitRequest = {};
    if (model) body.model = model;
    if (unit) body.unit = unit;
    if (until) body.until = until;
    refitModel.mutate(body, {
      onSuccess: (result) => notify(`Model fitted: ${formatCount(result.predictions)} clients have a new prediction.`),
    });
  }

  return (
    <section className="panel" aria-labelledby="refit-heading">
      <div className="panel__header">
        <h2 id="refit-heading">Refit</h2>
        <button type="button" className="button button--primary" onClick={onRefit} disabled={busy}>
          {refitModel.isPending ? 'Fitting…' : 'Refit now'}
        </button>
      </div>
      {running && !refitModel.isPending && (
        <p className="small" role="status">
          A fit is running; the page shows it when it ends.
        </p>
      )}
      {refitModel.isPending && (
        <p className="small muted" role="status">
          Fitting the model on every client’s orders; this takes a few seconds.
        </p>
      )}
      {refitModel.isError && (
        <p className="form-error" role="alert">
          The model was not refitted: {errorMessage(refitModel.error)}
        </p>
      )}
      {refit && (
        <>
          <p className="small">{refitSentence(refit)}</p>
          {refit.lastError && (
            <p className="note note--caution">
              <strong>The last automatic refit failed:</strong> {refit.lastError}
            </p>
          )}
        </>
      )}
      <details className="refit-options">
        <summary>Options</summary>
        <div className="toolbar">
          <div className="field">
            <label htmlFor={ids.model}>Model</label>
            <select id={ids.model} value={model} onChange={(e) => setModel(e.target.value as typeof model)}>
              <option value="">Server default</option>
              <option value="bgnbd">BG/NBD</option>
              <option value="paretonbd">Pareto/NBD</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.unit}>Time unit</label>
            <select id={ids.unit} value={unit} onChange={(e) => setUnit(e.target.value as typeof unit)}>
              <option value="">Server default</option>
              <option value="weeks">Weeks</option>
              <option value="days">Days</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.until}>Calibration end</label>
            <input id={ids.until} type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
          </div>
        </div>
        <p className="field__hint">
          Left empty, the fit uses the whole history up to today. An earlier calibration end keeps the orders after it
          as a holdout, to see how well the model forecasts them.
        </p>
      </details>
    </section>
  );
}
