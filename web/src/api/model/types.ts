// The churn and value models as GET /api/model and POST /api/model/fit return them (issue 11).
// Fields marked NEW came with the dashboard side of issue 11: an older server leaves them
// out, so they are optional and the page shows what there is.

/** One group of the calibration check: clients by repeat orders before the calibration end. */
export interface PastOrdersGroup {
  /** "0".."6", then "7+". */
  pastOrders: string;
  clients: number;
  /** Repeat orders made in the holdout; absent or null when there is no holdout. */
  actual?: number | null;
  /** Repeat orders the model expected in the holdout; absent without a holdout. */
  expected?: number | null;
}

export interface FitDiagnostics {
  /** Days from the calibration end to the last order (0: no holdout to check against). */
  holdoutDays: number;
  holdoutEnd: string | null;
  byPastOrders: PastOrdersGroup[];
  actualRepeatOrders?: number;
  expectedRepeatOrders?: number;
  rows?: number;
  algorithm?: string;
}

/** A model's parameters by name: r, alpha, a, b (BG/NBD); r, alpha, s, beta (Pareto/NBD); p, q, gamma (spend). */
export type ModelParams = Record<string, number>;

/**
 * The parameters as the contract names them (`{purchase, spend, spendLogLikelihood?, spendError?}`);
 * the first server sends the purchase parameters themselves as `params`, the spend model's
 * as `spendParams`. lib/model.ts reads both.
 */
export interface NestedParams {
  purchase: ModelParams;
  spend?: ModelParams | null;
  spendLogLikelihood?: number;
  spendError?: string;
}

export interface ModelFit {
  fitId: string;
  /** bgnbd or paretonbd. */
  model: string;
  /** days or weeks: the unit the parameters are in. */
  unit: string;
  /** The calibration end (YYYY-MM-DD): orders after it were not fitted. */
  until: string;
  params: ModelParams | NestedParams;
  spendParams?: ModelParams | null;
  spendError?: string;
  logLikelihood: number;
  clients: number;
  iterations: number;
  seconds: number;
  converged: boolean;
  fittedAt: string;
  diagnostics: FitDiagnostics | null;
}

/** Which clients the sweep emails (NEW). */
export interface Targeting {
  /** score (below the threshold), churn (churn probability at least churnThreshold), or both. */
  rule: string;
  churnThreshold: number;
}

/** The automatic refit (NEW). */
export interface RefitSchedule {
  /** 0: never (by hand only). */
  everyHours: number;
  lastAttemptAt: string | null;
  lastError: string | null;
}

/** A histogram bin; `to` is null for the last, open-ended bin of predicted value. */
export interface DistributionBin {
  from: number;
  to: number | null;
  clients: number;
}

export interface Distributions {
  churnProbability: DistributionBin[];
  /** Empty without a spend model. */
  predictedValue: DistributionBin[];
}

/**
 * The last fit this server process ran (GET /api/model's `lastRun`, NEW with the background
 * fit): started by POST /api/model/fit or by the schedule. Kept until the next run starts.
 */
export interface FitRun {
  trigger: 'api' | 'schedule';
  /** running until it ends; then fitted, or failed with `error`. */
  status: 'running' | 'fitted' | 'failed';
  startedAt: string;
  /** Null while it runs. */
  finishedAt: string | null;
  /** Why it failed (too little history, say); null otherwise. */
  error: string | null;
  /** The setting the error is about, when there is one. */
  field: string | null;
  /** The fit it stored, once fitted. */
  fitId: string | null;
  /** Clients given a prediction, once fitted. */
  predictions: number | null;
}

/** GET /api/model. */
export interface ModelState {
  fit: ModelFit | null;
  /** A fit runs in this server process (the API's or the schedule's). */
  running: boolean;
  /** NEW: null before any fit in this process; absent from a server that fits synchronously. */
  lastRun?: FitRun | null;
  /** Why there is no prediction yet (only when fit is null). */
  reason?: string;
  targeting?: Targeting;
  refit?: RefitSchedule;
  distributions?: Distributions;
}

/** POST /api/model/fit's body: every field optional (the server's defaults otherwise). */
export interface FitRequest {
  model?: 'bgnbd' | 'paretonbd';
  unit?: 'days' | 'weeks';
  /** YYYY-MM-DD, not in the future. */
  until?: string;
}

/**
 * POST /api/model/fit's answer (202): the fit started in the background; GET /api/model
 * follows it (`running`, then `lastRun` says how it ended).
 */
export interface FitStarted {
  running: true;
  lastRun: FitRun;
}

/** POST /api/model/fit's answer from an older server, which fitted before answering (200). */
export interface FitResult {
  fit: ModelFit;
  /** Clients given a prediction. */
  predictions: number;
}

export type FitAnswer = FitStarted | FitResult;

/** A client's prediction (GET /api/users/:userId's `prediction`). */
export interface Prediction {
  /** Chance the client is still a buyer, 0..1. */
  pAlive: number;
  /** Chance of no order over the churn horizon, 0..1. */
  churnProbability: number;
  /** Orders expected over the churn horizon. */
  expectedOrders: number;
  /** The median time to their next order; null when it is too far off to mean anything. */
  expectedNextOrderAt: string | null;
  /** Discounted value of the orders expected; null without a spend model. */
  predictedValue: number | null;
  fitId: string;
  computedAt: string;
}
