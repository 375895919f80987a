// The Experiments pages' logic (issue 12, parts 3-7): the metrics' and allocations' words,
// figures with their 95% intervals, the create form's draft, its body and where a refusal
// belongs. Pure, so the wording is tested directly.

import type {
  Difference,
  Experiment,
  ExperimentAllocation,
  ExperimentMetric,
  Interval,
  NewExperiment,
} from '../api/experiments/types';
import { formatRate } from './effectiveness';
import { formatMoney, formatPercent } from './format';

export const METRICS: { value: ExperimentMetric; label: string }[] = [
  { value: 'conversion', label: 'Conversions per recipient' },
  { value: 'click', label: 'Clicks per recipient' },
  { value: 'revenue', label: 'Revenue per recipient' },
];

export const ALLOCATIONS: { value: ExperimentAllocation; label: string; explanation: string }[] = [
  {
    value: 'fixed',
    label: 'Fixed split',
    explanation: 'A stable split by client: each client always gets the same variant, in proportion to the weights.',
  },
  {
    value: 'bandit',
    label: 'Bandit',
    explanation:
      'Thompson sampling sends more to the variant likely to be best as results come in; every variant keeps at least 5%.',
  },
];

export const DEFAULT_MESSAGE = 'winback-1';
export const MIN_VARIANTS = 2;
export const MAX_VARIANTS = 5;
export const DEFAULTS = { minRecipients: 500, threshold: 0.95, plannedRecipients: 5000, weight: 1 } as const;

export function metricLabel(metric: string): string {
  return METRICS.find((m) => m.value === metric)?.label ?? metric;
}

export function allocationLabel(allocation: string): string {
  return ALLOCATIONS.find((a) => a.value === allocation)?.label ?? allocation;
}

/** "A", "B", … for a variant's index. */
export function letterOf(index: number): string {
  return String.fromCharCode(65 + index);
}

function finite(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function validInterval(i: Interval | null | undefined): i is { low: number; high: number } {
  return !!i && finite(i.low) && finite(i.high);
}

/** A rate with its 95% interval: "3.3% (2.1–4.9%)"; the rate alone without an interval; "—" without a rate. */
export function formatRateWithInterval(rate: number | null | undefined, interval: Interval | null | undefined): string {
  if (!finite(rate)) return '—';
  if (!validInterval(interval)) return formatRate(rate);
  return `${formatRate(rate)} (${formatRate(interval.low).replace(/%$/, '')}–${formatRate(interval.high)})`;
}

/** An amount with its 95% interval: "1.20 (0.80–1.70)". */
export function formatMoneyWithInterval(
  value: number | null | undefined,
  interval: Interval | null | undefined,
): string {
  if (!finite(value)) return '—';
  if (!validInterval(interval)) return formatMoney(value);
  return `${formatMoney(value)} (${formatMoney(interval.low)}–${formatMoney(interval.high)})`;
}

function trimmed(x: number, digits: number): string {
  return x.toFixed(digits).replace(/\.?0+$/, '');
}

/** A signed difference in the metric's unit: "+1.2 pp" for rates, "+0.45" for revenue; a real minus sign. */
export function formatSignedDifference(value: number, metric: ExperimentMetric): string {
  if (metric === 'revenue') {
    const s = formatMoney(Math.abs(value));
    if (Number(s.replace(/,/g, '')) === 0) return formatMoney(0);
    return `${value > 0 ? '+' : '−'}${s}`;
  }
  const pts = value * 100;
  const s = trimmed(Math.abs(pts), Math.abs(pts) < 1 ? 2 : 1);
  if (Number(s) === 0) return '0 pp';
  return `${pts > 0 ? '+' : '−'}${s} pp`;
}

/** "p = 0.031", "p < 0.001"; "—" when there is none. */
export function formatPValue(p: number | null | undefined): string {
  if (!finite(p)) return '—';
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p.toFixed(3)}`;
}

/**
 * The difference to A on the primary metric with its interval: "+1.2 pp (−0.3 to +2.7 pp)"
 * or, for revenue, "+0.45 (−0.10 to +1.00)"; "—" when there is no figure.
 */
export function formatDifference(d: Difference | null | undefined, metric: ExperimentMetric): string {
  if (!d || !finite(d.value)) return '—';
  const value = formatSignedDifference(d.value, metric);
  if (!finite(d.low) || !finite(d.high)) return value;
  const unit = metric === 'revenue' ? '' : ' pp';
  const bare = (x: number) => formatSignedDifference(x, metric).replace(/ pp$/, '');
  return `${value} (${bare(d.low)} to ${bare(d.high)}${unit})`;
}

/** A probability to one decimal: 0.971 → "97.1%"; "—" for none. */
export function formatProbability(p: number | null | undefined): string {
  if (!finite(p)) return '—';
  return `${trimmed(p * 100, 1)}%`;
}

/** A share of the sends: 0.5 → "50%". */
export function formatShare(share: number | null | undefined): string {
  return formatPercent(share);
}

/** Weights as shares of their sum (an allocation's weights may be shares already). */
export function sharesOf(weights: readonly (number | null)[]): (number | null)[] {
  const sum = weights.reduce<number>((s, w) => s + (finite(w) && w > 0 ? w : 0), 0);
  return weights.map((w) => (finite(w) && sum > 0 ? Math.max(0, w) / sum : null));
}

/** "running", "stopped", "stopped · B promoted". */
export function describeStatus(e: Pick<Experiment, 'status' | 'promotedVariant' | 'variants'>): string {
  const status = e.status === 'running' ? 'running' : 'stopped';
  if (e.promotedVariant === null || e.promotedVariant === undefined) return status;
  const letter = e.variants.find((v) => v.index === e.promotedVariant)?.letter ?? letterOf(e.promotedVariant);
  return `${status} · ${letter} promoted`;
}

// ---- The create form ------------------------------------------------------------------

export interface VariantDraft {
  message: string;
  /** As typed; used for a fixed split only. */
  weight: string;
}

export interface ExperimentDraft {
  name: string;
  /** The message under test: variant A. */
  message: string;
  /** Variants B onwards (A is always the message under test). */
  others: VariantDraft[];
  metric: ExperimentMetric;
  allocation: ExperimentAllocation;
  /** A's weight, as typed. */
  weightA: string;
  minRecipients: string;
  /** The threshold as a percentage, as typed ("95"). */
  thresholdPercent: string;
  plannedRecipients: string;
}

/** A new draft: winback-1 (or the first message) under test against another message. */
export function newDraft(messages: readonly string[]): ExperimentDraft {
  const message = messages.includes(DEFAULT_MESSAGE) ? DEFAULT_MESSAGE : (messages[0] ?? DEFAULT_MESSAGE);
  return {
    name: '',
    message,
    others: [{ message: firstOther(messages, message), weight: String(DEFAULTS.weight) }],
    metric: 'conversion',
    allocation: 'fixed',
    weightA: String(DEFAULTS.weight),
    minRecipients: String(DEFAULTS.minRecipients),
    thresholdPercent: String(DEFAULTS.threshold * 100),
    plannedRecipients: String(DEFAULTS.plannedRecipients),
  };
}

/** The first message that is not `except`, for a new variant; `except` when there is no other. */
export function firstOther(messages: readonly string[], except: string): string {
  return messages.find((m) => m !== except) ?? except;
}

function toNumber(s: string): number {
  return s.trim() === '' ? NaN : Number(s);
}

/** POST /api/experiments's body: A is the message under test; weights only for a fixed split. */
export function createBody(d: ExperimentDraft): NewExperiment {
  const fixed = d.allocation === 'fixed';
  const variant = (message: string, weight: string) => (fixed ? { message, weight: toNumber(weight) } : { message });
  return {
    name: d.name.trim(),
    message: d.message,
    variants: [variant(d.message, d.weightA), ...d.others.map((v) => variant(v.message, v.weight))],
    metric: d.metric,
    allocation: d.allocation,
    minRecipients: toNumber(d.minRecipients),
    threshold: Math.round(toNumber(d.thresholdPercent) * 1000) / 100000,
    plannedRecipients: toNumber(d.plannedRecipients),
  };
}

/** Where an error belongs in the form: a top-level field, or a variant's message or weight. */
export type ExperimentErrorTarget =
  | {
      field:
        'name' | 'message' | 'variants' | 'metric' | 'allocation' | 'minRecipients' | 'threshold' | 'plannedRecipients';
    }
  | { field: 'variant'; index: number; part: 'message' | 'weight' };

const TOP_FIELDS = [
  'name',
  'message',
  'variants',
  'metric',
  'allocation',
  'minRecipients',
  'threshold',
  'plannedRecipients',
] as const;

/** The form's place for a server's `field`: `variants[1].message` (or `variants.1.message`), `threshold`…; null for any other. */
export function errorTarget(field: string | null | undefined): ExperimentErrorTarget | null {
  if (!field) return null;
  const m = /^variants(?:\[(\d+)\]|\.(\d+))(?:\.(message|weight))?$/.exec(field);
  if (m) {
    const index = Number(m[1] ?? m[2]);
    return { field: 'variant', index, part: m[3] === 'weight' ? 'weight' : 'message' };
  }
  return (TOP_FIELDS as readonly string[]).includes(field) ? { field: field as (typeof TOP_FIELDS)[number] } : null;
}

/** What the form can tell before sending (the server checks the rest): the field and the sentence. */
export function checkDraft(d: ExperimentDraft): { field: string; message: string } | null {
  if (!d.name.trim()) return { field: 'name', message: 'Give the experiment a name.' };
  const count = d.others.length + 1;
  if (count < MIN_VARIANTS || count > MAX_VARIANTS)
    return { field: 'variants', message: `An experiment has ${MIN_VARIANTS} to ${MAX_VARIANTS} variants.` };
  if (d.allocation === 'fixed') {
    const weights = [d.weightA, ...d.others.map((v) => v.weight)];
    const bad = weights.findIndex((w) => !(toNumber(w) >= 0));
    if (bad >= 0) return { field: `variants[${bad}].weight`, message: 'A weight is a number, 0 or more.' };
    if (!weights.some((w) => toNumber(w) > 0))
      return { field: 'variants', message: 'At least one variant needs a weight above 0.' };
  }
  const whole = (s: string) => Number.isInteger(toNumber(s)) && toNumber(s) > 0;
  if (!whole(d.minRecipients)) return { field: 'minRecipients', message: 'A whole number of recipients, 1 or more.' };
  const t = toNumber(d.thresholdPercent);
  if (!(t > 0 && t < 100)) return { field: 'threshold', message: 'A percentage above 0 and below 100.' };
  if (!whole(d.plannedRecipients))
    return { field: 'plannedRecipients', message: 'A whole number of recipients, 1 or more.' };
  return null;
}
