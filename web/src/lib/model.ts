// The words and numbers of the churn and value models (issue 11): pure, so the Predictions
// page, a client's page and the effectiveness page say the same thing the same way.

import type {
  DistributionBin,
  FitDiagnostics,
  ModelFit,
  ModelParams,
  NestedParams,
  RefitSchedule,
  Targeting,
} from '../api/model/types';
import { formatDateTime, formatMoney, formatPercent } from './format';

export const MODEL_NAMES: Record<string, string> = { bgnbd: 'BG/NBD', paretonbd: 'Pareto/NBD' };

export function modelName(model: string): string {
  return MODEL_NAMES[model] ?? model;
}

function isNested(params: ModelFit['params']): params is NestedParams {
  const purchase = (params as Partial<NestedParams>).purchase;
  return typeof purchase === 'object' && purchase !== null;
}

/** The purchase model's parameters, whichever of the two shapes the server sends. */
export function purchaseParams(fit: ModelFit): ModelParams {
  return isNested(fit.params) ? fit.params.purchase : fit.params;
}

/** The spend (Gamma-Gamma) model's parameters, or null when it could not be fitted. */
export function spendParams(fit: ModelFit): ModelParams | null {
  if (fit.spendParams) return fit.spendParams;
  return isNested(fit.params) ? (fit.params.spend ?? null) : null;
}

/** Why there is no spend model, when the server says. */
export function spendError(fit: ModelFit): string | null {
  return fit.spendError ?? (isNested(fit.params) ? (fit.params.spendError ?? null) : null) ?? null;
}

// What each parameter means, for the page's table (Fader, Hardie & Lee 2005; Schmittlein et al. 1987;
// Fader, Hardie & Lee 2005 for Gamma-Gamma). `unit` is the fit's (days or weeks).
const PARAM_NOTES: Record<string, (unit: string) => string> = {
  r: () => 'shape of the spread of purchase rates between clients',
  alpha: (unit) => `scale of the purchase rates (in ${unit})`,
  a: () => 'shape of the spread of the chance to stop after an order',
  b: () => 'second shape of that spread (a / (a + b) is the mean chance to stop)',
  s: () => 'shape of the spread of dropout rates',
  beta: (unit) => `scale of the dropout rates (in ${unit})`,
  p: () => 'shape of the spend per order',
  q: () => 'shape of the spread of average spend between clients',
  gamma: () => 'scale of the spread of average spend',
};

// The papers' order (the server's JSON objects come sorted by name: a, alpha, b, r).
const PARAM_ORDER = ['r', 'alpha', 'a', 'b', 's', 'beta', 'p', 'q', 'gamma'];

/** A model's parameters in the papers' order; names it does not know go last, as they come. */
export function orderedParams(params: ModelParams): [string, number][] {
  const rank = (name: string) => {
    const i = PARAM_ORDER.indexOf(name);
    return i < 0 ? PARAM_ORDER.length : i;
  };
  return Object.entries(params).sort(([a], [b]) => rank(a) - rank(b));
}

/** How long the fit took: "0.42 s", "under 0.01 s". */
export function formatFitSeconds(seconds: number | null | undefined): string {
  if (typeof seconds === 'number' && seconds >= 0 && seconds < 0.01) return 'under 0.01 s';
  return `${formatDecimal(seconds)} s`;
}

export function paramNote(name: string, unit: string): string {
  return PARAM_NOTES[name]?.(unit) ?? '';
}

/** A number to at most `digits` decimals ("−9,582.43"), or an em dash when the server sent none. */
export function formatDecimal(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-GB', { maximumFractionDigits: digits }).replace('-', '−');
}

/** A parameter to four significant digits: 0.2426, 4.414, 15.44. */
export function formatParam(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  return Number(value.toPrecision(4)).toLocaleString('en-GB', { maximumFractionDigits: 6 });
}

/** The calibration check has something to compare only when orders came after the calibration end. */
export function hasHoldout(d: FitDiagnostics | null | undefined): boolean {
  return !!d && d.holdoutDays > 0 && d.byPastOrders.some((g) => typeof g.actual === 'number');
}

/**
 * The sweep's targeting rule as a sentence (src/domain/targeting.cc: a churn probability
 * above the threshold counts; `both` emails the clients either rule chooses).
 */
export function targetingSentence(t: Targeting, scoreThreshold?: number): string {
  const churn = `a churn probability above ${formatPercent(t.churnThreshold)}`;
  const score =
    scoreThreshold === undefined ? 'an engagement score below the threshold' : `a score below ${scoreThreshold}`;
  switch (t.rule) {
    case 'score':
      return `Clients with ${score} are emailed; the churn model informs but does not choose.`;
    case 'churn':
      return `Clients with ${churn} are emailed, whatever their score.`;
    case 'both':
      return `Clients with ${score}, or with ${churn}, are emailed.`;
    default:
      return `Targeting rule: ${t.rule}.`;
  }
}

/** The automatic refit, as a sentence. */
export function refitSentence(r: RefitSchedule): string {
  const every =
    r.everyHours <= 0
      ? 'The model is refitted by hand only.'
      : r.everyHours % 24 === 0
        ? `The model is refitted every ${r.everyHours === 24 ? 'day' : `${r.everyHours / 24} days`}.`
        : `The model is refitted every ${r.everyHours} hour${r.everyHours === 1 ? '' : 's'}.`;
  const last = r.lastAttemptAt ? ` Last attempt ${formatDateTime(r.lastAttemptAt)}.` : '';
  return every + last;
}

/** A churn-probability bin as "10–20%". */
export function churnBinLabel(b: DistributionBin): string {
  const pct = (x: number) => String(Math.round(x * 100));
  return b.to === null ? `${pct(b.from)}%+` : `${pct(b.from)}–${pct(b.to)}%`;
}

/** A predicted-value bin as "25.50–51.00", the last "510.00 and more". */
export function valueBinLabel(b: DistributionBin): string {
  return b.to === null ? `${formatMoney(b.from)} and more` : `${formatMoney(b.from)}–${formatMoney(b.to)}`;
}

/** How alarming a churn probability is: drives the bar's colour (always with its number). */
export function churnLevel(p: number): 'high' | 'medium' | 'low' {
  if (p >= 0.7) return 'high';
  if (p >= 0.4) return 'medium';
  return 'low';
}

/** The targeting rule an email or a lift row names: score, churn, score+churn. */
export function ruleLabel(rule: string): string {
  switch (rule) {
    case 'score':
      return 'Engagement score';
    case 'churn':
      return 'Churn probability';
    case 'score+churn':
    case 'both':
      return 'Score and churn';
    default:
      return rule;
  }
}

/** The clients list sorted by churn probability, likeliest first (its default direction). */
export const MOST_LIKELY_TO_CHURN_URL = '/clients?sort=churnProbability';

/** A calendar day (YYYY-MM-DD) as "30 Sept 1997", the same day in every time zone. */
export function formatDay(day: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  if (!m) return day || '—';
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}
