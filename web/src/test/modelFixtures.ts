// GET /api/model and a client's prediction for component tests (issue 11): CDNOW's sample
// fitted up to 1997-09-30 in weeks, the published BG/NBD parameters.

import type { FitRun, FitStarted, ModelFit, ModelState, Prediction } from '../api/model/types';

/** A fit as the contract shapes it: `params: {purchase, spend}`. */
export function aFit(over: Partial<ModelFit> = {}): ModelFit {
  return {
    fitId: 'f-1',
    model: 'bgnbd',
    unit: 'weeks',
    until: '1997-09-30',
    params: {
      purchase: { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 },
      spend: { p: 6.25, q: 3.74, gamma: 15.44 },
      spendLogLikelihood: -4012.5,
    },
    logLikelihood: -9582.43,
    clients: 2357,
    iterations: 41,
    seconds: 0.42,
    converged: true,
    fittedAt: '2026-02-01T09:00:00Z',
    diagnostics: {
      holdoutDays: 273,
      holdoutEnd: '1998-06-30',
      byPastOrders: [
        { pastOrders: '0', clients: 1411, actual: 234, expected: 216.4 },
        { pastOrders: '1', clients: 439, actual: 298, expected: 262.1 },
        { pastOrders: '7+', clients: 27, actual: 180, expected: 160 },
      ],
      actualRepeatOrders: 1882,
      expectedRepeatOrders: 1653.4,
      rows: 1200,
      algorithm: 'LD_LBFGS',
    },
    ...over,
  };
}

/** The fit as the first server sends it: the purchase parameters as `params`, the spend model's beside them. */
export function aFlatFit(over: Partial<ModelFit> = {}): ModelFit {
  return aFit({
    params: { r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 },
    spendParams: { p: 6.25, q: 3.74, gamma: 15.44 },
    ...over,
  });
}

export function aModelState(over: Partial<ModelState> = {}): ModelState {
  return {
    fit: aFit(),
    running: false,
    targeting: { rule: 'churn', churnThreshold: 0.5 },
    refit: { everyHours: 24, lastAttemptAt: '2026-02-01T09:00:00Z', lastError: null },
    distributions: {
      churnProbability: Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, clients: 100 + i })),
      predictedValue: [
        { from: 0, to: 25.5, clients: 900 },
        { from: 25.5, to: 51, clients: 300 },
        { from: 51, to: null, clients: 40 },
      ],
    },
    ...over,
  };
}

/** GET /api/model before any fit, as the first server answers it (no NEW fields). */
export function noModel(reason = 'no model has been fitted yet: POST /api/model/fit'): ModelState {
  return { fit: null, running: false, reason };
}

/** GET /api/model's `lastRun`: by default a fit the button started at 09:00 UTC, still running. */
export function aRun(over: Partial<FitRun> = {}): FitRun {
  return {
    trigger: 'api',
    status: 'running',
    startedAt: '2026-02-01T09:00:00Z',
    finishedAt: null,
    error: null,
    field: null,
    fitId: null,
    predictions: null,
    ...over,
  };
}

/** `aRun` ended with a fit of `predictions` clients. */
export function aFittedRun(predictions = 2357, over: Partial<FitRun> = {}): FitRun {
  return aRun({ status: 'fitted', finishedAt: '2026-02-01T09:00:01Z', fitId: 'f-1', predictions, ...over });
}

/** `aRun` ended without a fit, for `error`. */
export function aFailedRun(error: string, over: Partial<FitRun> = {}): FitRun {
  return aRun({ status: 'failed', finishedAt: '2026-02-01T09:00:01Z', error, ...over });
}

/** POST /api/model/fit's 202 answer. */
export function fitStarted(run: FitRun = aRun()): FitStarted {
  return { running: true, lastRun: run };
}

export function aPrediction(over: Partial<Prediction> = {}): Prediction {
  return {
    pAlive: 0.28,
    churnProbability: 0.72,
    expectedOrders: 0.384,
    expectedNextOrderAt: '2099-03-15T00:00:00Z',
    predictedValue: 123.45,
    fitId: 'f-1',
    computedAt: '2026-02-01T09:00:05Z',
    ...over,
  };
}
