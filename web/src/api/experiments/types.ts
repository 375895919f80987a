// A/B experiments on a journey message (issue 12, parts 3-7): the message under test (A)
// against up to four other messages, sent by a fixed split or a Thompson-sampling bandit,
// until a sequential rule declares a winner, which can be promoted (saved as the new
// version of the message under test).

export type ExperimentMetric = 'conversion' | 'click' | 'revenue';
export type ExperimentAllocation = 'fixed' | 'bandit';
export type ExperimentStatus = 'running' | 'stopped';

/** One arm of an experiment; `index` 0 (letter A) is the message under test. */
export interface ExperimentVariant {
  index: number;
  letter: string;
  message: string;
  weight: number;
  /** Its current share of the sends, 0..1. */
  share: number;
}

/** GET /api/experiments (newest first), and the answer of a create or stop. */
export interface Experiment {
  experimentId: string;
  name: string;
  /** The message under test (variant A's). */
  message: string;
  metric: ExperimentMetric;
  allocation: ExperimentAllocation;
  status: ExperimentStatus;
  createdAt: string;
  createdBy: string | null;
  stoppedAt: string | null;
  minRecipients: number;
  /** The probability of being best a winner needs, 0..1. */
  threshold: number;
  plannedRecipients: number;
  /** The variant whose wording was saved, once one was. */
  promotedVariant: number | null;
  variants: ExperimentVariant[];
}

export interface Interval {
  low: number | null;
  high: number | null;
}

/** The variant's primary figure against A's: a rate difference, or revenue per recipient's. */
export interface Difference {
  value: number | null;
  low: number | null;
  high: number | null;
  pValue: number | null;
}

export interface VariantResult extends ExperimentVariant {
  recipients: number | null;
  clicks: number | null;
  conversions: number | null;
  revenue: number | null;
  /** The primary metric's rate (per recipient), with its 95% interval. */
  rate: number | null;
  rateInterval: Interval | null;
  revenuePerRecipient: number | null;
  revenueInterval: Interval | null;
  /** Null for A (the control). */
  difference: Difference | null;
  probabilityBest: number | null;
  winner: boolean;
}

export type DecisionState = 'winner' | 'needsRecipients' | 'noWinnerYet';

export interface Decision {
  state: DecisionState;
  /** The winning variant's index, when there is one. */
  winner: number | null;
  moreRecipientsNeeded: number;
  requiredProbability: number;
  /** The decision in words: "needs 312 more recipients per variant", "B is best with 97.1% probability". */
  reason: string;
}

/** One change of the split: each variant's weight (in the variants' order) and why. */
export interface AllocationChange {
  at: string;
  weights: number[];
  reason: string;
}

/** GET /api/experiments/:id. */
export interface ExperimentDetail extends Omit<Experiment, 'variants'> {
  variants: VariantResult[];
  decision: Decision;
  /** One paragraph explaining the sequential rule. */
  method: string;
  /** Oldest first, newest last. */
  allocations: AllocationChange[];
}

/** POST /api/experiments. `variants[0].message` must be `message`. */
export interface NewExperiment {
  name: string;
  message: string;
  variants: { message: string; weight?: number }[];
  metric: ExperimentMetric;
  allocation: ExperimentAllocation;
  minRecipients?: number;
  threshold?: number;
  plannedRecipients?: number;
}

/** POST /api/experiments/:id/promote's answer. */
export interface Promotion {
  experiment: Experiment;
  message: { name: string; version: number };
}
