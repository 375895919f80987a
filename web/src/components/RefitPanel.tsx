import { useEffect, useId, useRef, useState } from 'react';
import { useRefitModel } from '../api/model/mutations';
import type { FitRequest, FitRun, RefitSchedule } from '../api/model/types';
import { formatCount, formatTime } from '../lib/format';
import { refitSentence } from '../lib/model';
import { notify } from '../lib/notices';
import { errorMessage } from './StatusViews';

/**
 * "Refit now": POST /api/model/fit with the server's defaults, or a model, unit and
 * calibration end chosen under Options (to check the model on a holdout, fit up to an
 * earlier day). The server starts the fit in the background (202) and GET /api/model
 * follows it (`running`, `lastRun`, polled every second meanwhile): the button stays busy
 * while it runs; when a run this panel saw running ends, a fitted one is announced once, a
 * failed one's error shown as an alert. A refusal of the POST (409: a fit runs already; 400
 * naming a setting) is shown as the server words it.
 */
export function RefitPanel({
  running,
  lastRun,
  refit,
}: {
  running: boolean;
  lastRun?: FitRun | null;
  refit?: RefitSchedule;
}) {
  const refitModel = useRefitModel();
  const [model, setModel] = useState<'' | 'bgnbd' | 'paretonbd'>('');
  const [unit, setUnit] = useState<'' | 'days' | 'weeks'>('');
  const [until, setUntil] = useState('');
  const ids = { model: useId(), unit: useId(), until: useId() };

  // The runs to report when they end: the one this panel started (the 202's lastRun), and
  // the one it last saw running (the schedule's, say). Not one that ended before the page
  // was opened. (The button's run is known from the answer: a fit that fails at once may
  // have ended before the page renders it running.)
  const [watched, setWatched] = useState<string | null>(null);
  const current = lastRun?.status === 'running' ? lastRun : null;
  if (current && current.startedAt !== watched) setWatched(current.startedAt);
  const answer = refitModel.data;
  const started = answer && 'lastRun' in answer ? answer.lastRun.startedAt : null;
  const ended =
    lastRun && lastRun.status !== 'running' && (lastRun.startedAt === watched || lastRun.startedAt === started)
      ? lastRun
      : null;

  const { isError, reset } = refitModel;
  const reported = useRef<string | null>(null);
  useEffect(() => {
    if (!ended || reported.current === ended.startedAt) return;
    reported.current = ended.startedAt;
    // The run's outcome replaces a refusal shown meanwhile (a 409 while it ran).
    if (isError) reset();
    if (ended.status === 'fitted') {
      notify(`Model fitted: ${formatCount(ended.predictions)} clients have a new prediction.`);
    }
  }, [ended, isError, reset]);

  const serverRunning = running || Boolean(current);
  const busy = refitModel.isPending || serverRunning;
  const refusal = refitModel.isError
    ? errorMessage(refitModel.error)
    : ended?.status === 'failed' && !refitModel.isPending
      ? (ended.error ?? 'the fit failed')
      : null;

  function onRefit() {
    // Only what was chosen is sent: the rest is the server's configuration.
    const body: FitRequest = {};
    if (model) body.model = model;
    if (unit) body.unit = unit;
    if (until) body.until = until;
    refitModel.mutate(body, {
      onSuccess: (answer) => {
        // An older server fits before answering: nothing to follow.
        if ('fit' in answer) {
          notify(`Model fitted: ${formatCount(answer.predictions)} clients have a new prediction.`);
        }
      },
    });
  }

  return (
    <section
      className="panel"
      aria-labelledby="refit-heading"
      // The last run, for the end-to-end test to tell its own click's run from an earlier one.
      data-run-started={lastRun?.startedAt}
      data-run-status={lastRun?.status}
    >
      <div className="panel__header">
        <h2 id="refit-heading">Refit</h2>
        <button type="button" className="button button--primary" onClick={onRefit} disabled={busy}>
          {busy ? 'Fitting…' : 'Refit now'}
        </button>
      </div>
      {busy && (
        <p className="small muted" role="status">
          {current
            ? `Fitting the model on every client’s orders, started ${formatTime(current.startedAt)}.`
            : serverRunning
              ? 'A fit is running; the page shows it when it ends.'
              : 'Fitting the model on every client’s orders…'}
        </p>
      )}
      {refusal && (
        <p className="form-error" role="alert">
          The model was not refitted: {refusal}
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
