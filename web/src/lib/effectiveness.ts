// The Effectiveness page's logic: the window, rates, lift in percentage points, the
// confidence interval as words and as positions on a bar, and the sentences that say
// what the numbers mean. Pure, so the wording is tested directly.

import type { Funnel, Lift } from '../api/effectiveness/types';
import { formatCount, formatMoney } from './format';

export const WINDOW_DAYS = [7, 30, 90] as const;
export const DEFAULT_WINDOW_DAYS = 30;

/** The window in the URL (`?days=7|30|90`), or 30 for anything else. */
export function parseWindowDays(params: URLSearchParams): number {
  const days = Number(params.get('days'));
  return (WINDOW_DAYS as readonly number[]).includes(days) ? days : DEFAULT_WINDOW_DAYS;
}

/** n / d, or null when there is nothing to divide by. */
export function ratio(n: number, d: number): number | null {
  return Number.isFinite(n) && Number.isFinite(d) && d > 0 ? n / d : null;
}

function finite(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Trims a fixed-point string's trailing zeros: "3.40" → "3.4", "10.0" → "10". */
function trimmed(x: number, digits: number): string {
  return x.toFixed(digits).replace(/\.?0+$/, '');
}

/**
 * A rate in 0..1 as a percentage precise enough to compare small rates:
 * "12.5%", "3.4%", "0.42%", "0%".
 */
export function formatRate(share: number | null | undefined): string {
  if (!finite(share)) return '—';
  const pct = share * 100;
  if (pct === 0) return '0%';
  return `${trimmed(pct, Math.abs(pct) < 1 ? 2 : 1)}%`;
}

/** A signed number with a real minus sign; "0" when it rounds to zero. */
function signed(x: number, digits: number): string {
  const s = trimmed(Math.abs(x), digits);
  if (Number(s) === 0) return '0';
  return x > 0 ? `+${s}` : `−${s}`;
}

/**
 * A difference of two rates in percentage points: 0.021 → "+2.1 pp", −0.004 → "−0.4 pp";
 * two decimals below one point, so small lifts do not round to nothing.
 */
export function formatLiftPoints(diff: number | null | undefined, unit = 'pp'): string {
  if (!finite(diff)) return '—';
  const pts = diff * 100;
  return `${signed(pts, Math.abs(pts) < 1 ? 2 : 1)} ${unit}`;
}

/** The lift relative to the held-out rate: 0.35 → "+35%"; "—" when there is none. */
export function formatRelativeLift(relative: number | null | undefined): string {
  if (!finite(relative)) return '—';
  const pct = relative * 100;
  return `${signed(pct, Math.abs(pct) < 10 ? 1 : 0)}%`;
}

function validInterval(ci: readonly number[] | null | undefined): ci is [number, number] {
  return ci != null && ci.length === 2 && finite(ci[0]) && finite(ci[1]);
}

/** "+0.5 to +3.7 percentage points", the 95% confidence interval of the lift. */
export function formatInterval(ci: readonly number[] | null | undefined): string {
  if (!validInterval(ci)) return 'not enough data for an interval';
  const [low, high] = ci;
  const pts = (x: number) => formatLiftPoints(x, '').trim();
  return `${pts(low)} to ${pts(high)} percentage points`;
}

/** What the comparison says, in one or two plain sentences. */
export function significanceSentence(lift: Lift): string {
  const { emailed, heldOut } = lift;
  if (!(emailed.clients > 0))
    return 'No at-risk client was emailed in this window, so there is no lift to measure yet.';
  if (!(heldOut.clients > 0)) {
    return 'No at-risk client was held out in this window, so there is nothing to compare the emailed clients with yet.';
  }
  const rates = `${formatRate(emailed.conversionRate)} of emailed clients converted, against ${formatRate(heldOut.conversionRate)} of held-out clients`;
  if (!validInterval(lift.ci95)) return `${rates}. There is not enough data yet to say whether the difference is real.`;
  const interval = `the 95% confidence interval of the difference (${formatInterval(lift.ci95)})`;
  if (lift.significant) {
    const direction = lift.absoluteLift >= 0 ? 'The emails made a difference' : 'Emailed clients did worse';
    return `${rates}. ${direction}: ${interval} excludes zero, so the difference is statistically significant.`;
  }
  return `${rates}. The difference is not statistically significant: ${interval} includes zero, so it may be chance.`;
}

/** What the holdout is and how conversions are counted. */
export function holdoutSentence(holdoutShare: number, attributionDays: number): string {
  if (holdoutShare === 0) {
    return (
      'No holdout is configured (the share is 0%), so every at-risk client is emailed and there is no baseline ' +
      'to measure lift against. Set RKD_HOLDOUT_SHARE (for example 0.1) to hold some out.'
    );
  }
  const share = finite(holdoutShare) ? formatRate(holdoutShare) : 'A share';
  const days = attributionDays === 1 ? '1 day' : `${formatCount(attributionDays)} days`;
  return (
    `${share} of at-risk clients, chosen by a stable hash of their id, are scored but not emailed. ` +
    `An order within ${days} of an email counts as a conversion; held-out clients are measured over the same windows.`
  );
}

export interface IntervalGeometry {
  /** Positions in percent of the bar's width (0..100). */
  low: number;
  high: number;
  point: number;
  zero: number;
}

/**
 * Where the interval, the point estimate and zero sit on a bar that always shows zero,
 * with a little room at both ends. Null without a valid interval.
 */
export function intervalGeometry(ci: readonly number[] | null | undefined, point: number): IntervalGeometry | null {
  if (!validInterval(ci)) return null;
  const low = Math.min(ci[0], ci[1]);
  const high = Math.max(ci[0], ci[1]);
  const from = Math.min(low, 0, finite(point) ? point : 0);
  const to = Math.max(high, 0, finite(point) ? point : 0);
  const span = to - from || 0.01;
  const min = from - span * 0.1;
  const width = span * 1.2;
  const at = (x: number) => Math.round(((x - min) / width) * 1000) / 10;
  return { low: at(low), high: at(high), point: at(finite(point) ? point : (low + high) / 2), zero: at(0) };
}

export interface FunnelStep {
  key: 'sent' | 'delivered' | 'opened' | 'clicked' | 'converted';
  label: string;
  value: number;
  /** value / sent, for the width of its bar (0..1). */
  ofSent: number;
  detail: string;
  unreliable?: boolean;
}

function shareOf(n: number, d: number, what: string): string {
  const r = ratio(n, d);
  return r === null ? `— of ${what}` : `${formatRate(r)} of ${what}`;
}

/** Sent → delivered → opened → clicked → converted, each with its rate. */
export function funnelSteps(f: Funnel): FunnelStep[] {
  const of = (n: number) => ratio(n, f.sent) ?? 0;
  return [
    {
      key: 'sent',
      label: 'Sent',
      value: f.sent,
      ofSent: of(f.sent),
      detail: f.failed ? `${formatCount(f.failed)} failed` : 'emails handed to the mail server',
    },
    {
      key: 'delivered',
      label: 'Delivered',
      value: f.delivered,
      ofSent: of(f.delivered),
      detail: shareOf(f.delivered, f.sent, 'sent'),
    },
    {
      key: 'opened',
      label: 'Opened',
      value: f.opened,
      ofSent: of(f.opened),
      detail: shareOf(f.opened, f.delivered, 'delivered'),
      unreliable: true,
    },
    {
      key: 'clicked',
      label: 'Clicked',
      value: f.clicked,
      ofSent: of(f.clicked),
      detail: shareOf(f.clicked, f.delivered, 'delivered'),
    },
    {
      key: 'converted',
      label: 'Converted',
      value: f.converted,
      ofSent: of(f.converted),
      detail: shareOf(f.converted, f.delivered, 'delivered'),
    },
  ];
}

/** Unsubscribes, bounces and complaints, each as a share of delivered emails. */
export function lossFigures(f: Funnel): { label: string; value: number; detail: string }[] {
  return [
    { label: 'Unsubscribes', value: f.unsubscribes, detail: shareOf(f.unsubscribes, f.delivered, 'delivered') },
    { label: 'Bounces', value: f.bounces, detail: shareOf(f.bounces, f.sent, 'sent') },
    { label: 'Complaints', value: f.complaints, detail: shareOf(f.complaints, f.delivered, 'delivered') },
  ];
}

/** Revenue from conversions, with the revenue per converted email. */
export function revenueDetail(f: Funnel): string {
  const per = ratio(f.revenue, f.converted);
  return per === null ? 'from no conversions yet' : `${formatMoney(per)} per conversion`;
}
