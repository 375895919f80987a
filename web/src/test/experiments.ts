// Fixtures and a stateful fake of the experiments API (issue 12, parts 3-7), to spread
// into fakeApi's routes beside messagesRoutes: a POST checks the body as the contract says
// (400 naming the field, 409 while one runs), stop and promote change the stored
// experiment, and promote records which variant was saved as which version.

import type { Experiment, ExperimentDetail, NewExperiment, Promotion, VariantResult } from '../api/experiments/types';
import { fail, ok, type Handler } from './fakeApi';

export function aVariantResult(over: Partial<VariantResult> = {}): VariantResult {
  return {
    index: 0,
    letter: 'A',
    message: 'winback-1',
    weight: 1,
    share: 0.5,
    recipients: 1200,
    clicks: 96,
    conversions: 40,
    revenue: 3200,
    rate: 0.033,
    rateInterval: { low: 0.021, high: 0.049 },
    revenuePerRecipient: 2.67,
    revenueInterval: { low: 1.9, high: 3.4 },
    difference: null,
    probabilityBest: 0.029,
    winner: false,
    ...over,
  };
}

/** A running experiment of winback-1 against winback-2 where B has won. */
export function anExperimentDetail(over: Partial<ExperimentDetail> = {}): ExperimentDetail {
  return {
    experimentId: 'exp_1',
    name: 'Shorter subject',
    message: 'winback-1',
    metric: 'conversion',
    allocation: 'fixed',
    status: 'running',
    createdAt: '2026-01-05T09:00:00Z',
    createdBy: 'admin',
    stoppedAt: null,
    minRecipients: 500,
    threshold: 0.95,
    plannedRecipients: 5000,
    promotedVariant: null,
    variants: [
      aVariantResult(),
      aVariantResult({
        index: 1,
        letter: 'B',
        message: 'winback-2',
        recipients: 1180,
        clicks: 130,
        conversions: 66,
        revenue: 5100,
        rate: 0.0559,
        rateInterval: { low: 0.0434, high: 0.0706 },
        revenuePerRecipient: 4.32,
        revenueInterval: { low: 3.3, high: 5.41 },
        difference: { value: 0.0229, low: 0.0061, high: 0.0397, pValue: 0.0072 },
        probabilityBest: 0.971,
        winner: true,
      }),
    ],
    decision: {
      state: 'winner',
      winner: 1,
      moreRecipientsNeeded: 0,
      requiredProbability: 0.95,
      reason: 'B is best with 97.1% probability',
    },
    method:
      'After every 100 recipients per variant the server computes each variant’s probability of being best; ' +
      'once each has 500 recipients, the first to reach 95% wins.',
    allocations: [
      { at: '2026-01-05T09:00:00Z', weights: [0.5, 0.5], reason: 'started' },
      { at: '2026-01-06T09:00:00Z', weights: [0.5, 0.5], reason: 'fixed split' },
    ],
    ...over,
  };
}

/** The list's (and a create's or stop's) form of an experiment: no results. */
export function summaryOf(d: ExperimentDetail): Experiment {
  return {
    experimentId: d.experimentId,
    name: d.name,
    message: d.message,
    metric: d.metric,
    allocation: d.allocation,
    status: d.status,
    createdAt: d.createdAt,
    createdBy: d.createdBy,
    stoppedAt: d.stoppedAt,
    minRecipients: d.minRecipients,
    threshold: d.threshold,
    plannedRecipients: d.plannedRecipients,
    promotedVariant: d.promotedVariant,
    variants: d.variants.map(({ index, letter, message, weight, share }) => ({
      index,
      letter,
      message,
      weight,
      share,
    })),
  };
}

export interface ExperimentsState {
  /** Newest first. */
  experiments: ExperimentDetail[];
  /** The messages an experiment may test. */
  messages: string[];
  /** The version each promotion saved, last first; the next is one more. */
  versions: Record<string, number>;
}

export function experimentsState(over: Partial<ExperimentsState> = {}): ExperimentsState {
  return {
    experiments: [],
    messages: ['winback-1', 'winback-2', 'last-call'],
    versions: { 'winback-1': 1 },
    ...over,
  };
}

const METRICS = ['conversion', 'click', 'revenue'];
const ALLOCATIONS = ['fixed', 'bandit'];

function checkNew(state: ExperimentsState, b: Partial<NewExperiment>) {
  const bad = (field: string, error: string) => fail(400, 'invalid_argument', error, field);
  if (typeof b.name !== 'string' || !b.name.trim()) return bad('name', 'name must not be empty');
  if (typeof b.message !== 'string' || !state.messages.includes(b.message))
    return bad('message', `no message ${String(b.message)}`);
  if (!Array.isArray(b.variants) || b.variants.length < 2 || b.variants.length > 5)
    return bad('variants', 'an experiment has 2 to 5 variants');
  if (b.variants[0]?.message !== b.message) return bad('variants[0].message', 'variant A must be the message');
  for (let i = 0; i < b.variants.length; i++) {
    const v = b.variants[i]!;
    if (!state.messages.includes(v.message)) return bad(`variants[${i}].message`, `no message ${v.message}`);
    if (v.weight !== undefined && !(v.weight >= 0)) return bad(`variants[${i}].weight`, 'weight must be 0 or more');
  }
  if (!METRICS.includes(String(b.metric))) return bad('metric', 'metric must be conversion, click or revenue');
  if (!ALLOCATIONS.includes(String(b.allocation))) return bad('allocation', 'allocation must be fixed or bandit');
  if (b.minRecipients !== undefined && !(b.minRecipients >= 1))
    return bad('minRecipients', 'minRecipients must be at least 1');
  if (b.threshold !== undefined && !(b.threshold > 0.5 && b.threshold < 1))
    return bad('threshold', 'threshold must be between 0.5 and 1');
  if (b.plannedRecipients !== undefined && !(b.plannedRecipients >= 1))
    return bad('plannedRecipients', 'plannedRecipients must be at least 1');
  return null;
}

/** Routes for fakeApi over `state`, behaving as the contract says. */
export function experimentsRoutes(state: ExperimentsState): Record<string, Handler> {
  const find = (id: string | undefined) => state.experiments.find((e) => e.experimentId === id);
  return {
    'GET /api/experiments': () => ok(state.experiments.map(summaryOf)),
    'POST /api/experiments': (req) => {
      const b = req.body as Partial<NewExperiment>;
      const refused = checkNew(state, b);
      if (refused) return refused;
      const running = state.experiments.find((e) => e.status === 'running');
      if (running) return fail(409, 'conflict', `experiment ${running.name} is running`);
      const body = b as NewExperiment;
      const weights = body.variants.map((v) => (body.allocation === 'fixed' ? (v.weight ?? 1) : 1));
      const sum = weights.reduce((s, w) => s + w, 0) || 1;
      const created = anExperimentDetail({
        experimentId: `exp_${state.experiments.length + 1}`,
        name: body.name,
        message: body.message,
        metric: body.metric,
        allocation: body.allocation,
        createdAt: '2026-01-07T09:00:00Z',
        minRecipients: body.minRecipients ?? 500,
        threshold: body.threshold ?? 0.95,
        plannedRecipients: body.plannedRecipients ?? 5000,
        variants: body.variants.map((v, i) =>
          aVariantResult({
            index: i,
            letter: String.fromCharCode(65 + i),
            message: v.message,
            weight: weights[i]!,
            share: weights[i]! / sum,
            recipients: 0,
            clicks: 0,
            conversions: 0,
            revenue: 0,
            rate: null,
            rateInterval: null,
            revenuePerRecipient: null,
            revenueInterval: null,
            difference: null,
            probabilityBest: null,
          }),
        ),
        decision: {
          state: 'needsRecipients',
          winner: null,
          moreRecipientsNeeded: body.minRecipients ?? 500,
          requiredProbability: body.threshold ?? 0.95,
          reason: `needs ${body.minRecipients ?? 500} more recipients per variant`,
        },
        allocations: [{ at: '2026-01-07T09:00:00Z', weights: weights.map((w) => w / sum), reason: 'started' }],
      });
      state.experiments.unshift(created);
      return ok(summaryOf(created), 201);
    },
    'GET /api/experiments/:id': (req) => {
      const e = find(req.params.id);
      return e ? ok(e) : fail(404, 'not_found', `no experiment ${req.params.id}`);
    },
    'POST /api/experiments/:id/stop': (req) => {
      const e = find(req.params.id);
      if (!e) return fail(404, 'not_found', `no experiment ${req.params.id}`);
      if (e.status === 'stopped') return fail(409, 'conflict', 'the experiment is stopped already');
      e.status = 'stopped';
      e.stoppedAt = '2026-01-08T09:00:00Z';
      return ok(summaryOf(e));
    },
    'POST /api/experiments/:id/promote': (req) => {
      const e = find(req.params.id);
      if (!e) return fail(404, 'not_found', `no experiment ${req.params.id}`);
      const body = (req.body ?? {}) as { variant?: number };
      let index: number;
      if (body.variant === undefined) {
        if (e.decision.state !== 'winner' || e.decision.winner === null)
          return fail(409, 'conflict', 'no winner is declared: name a variant', 'variant');
        index = e.decision.winner;
      } else {
        if (!Number.isInteger(body.variant) || body.variant < 0 || body.variant >= e.variants.length)
          return fail(400, 'invalid_argument', `variant must be between 0 and ${e.variants.length - 1}`, 'variant');
        index = body.variant;
      }
      const version = (state.versions[e.message] ?? 0) + 1;
      state.versions[e.message] = version;
      e.promotedVariant = index;
      e.status = 'stopped';
      e.stoppedAt ??= '2026-01-08T09:00:00Z';
      const answer: Promotion = { experiment: summaryOf(e), message: { name: e.message, version } };
      return ok(answer);
    },
  };
}
