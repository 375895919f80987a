/** Conversion rate and revenue of one group of at-risk clients over the window. */
export interface LiftGroup {
  clients: number;
  converted: number;
  /** converted / clients, 0..1. */
  conversionRate: number;
  revenue: number;
  revenuePerClient: number;
}

/** Emailed vs held-out clients over the same window. */
export interface Lift {
  emailed: LiftGroup;
  heldOut: LiftGroup;
  /** Emailed rate − held-out rate (a difference of shares, so 0.02 is 2 percentage points). */
  absoluteLift: number;
  /** absoluteLift / held-out rate; null when the held-out rate is 0. */
  relativeLift: number | null;
  /** 95% confidence interval of absoluteLift; null when either group is empty. */
  ci95: [number, number] | null;
  /** True when the interval excludes zero. */
  significant: boolean;
}

export interface Funnel {
  sent: number;
  delivered: number;
  failed: number;
  opened: number;
  clicked: number;
  converted: number;
  revenue: number;
  unsubscribes: number;
  bounces: number;
  complaints: number;
}

export interface EffectivenessDay {
  /** YYYY-MM-DD (UTC). */
  date: string;
  sent: number;
  opened: number;
  clicked: number;
  converted: number;
  revenue: number;
}

/** One journey step's emails over the window and the orders they won back. */
export interface StepConversion {
  /** 1-based. */
  step: number;
  sent: number;
  converted: number;
  /** converted / sent, 0..1. */
  conversionRate: number;
}

/** The lift of the emails one targeting rule chose (issue 11): `lift` split by rule. */
export interface RuleLift {
  /** score, churn or score+churn (a newer server may name others). */
  rule: string;
  emailed: LiftGroup;
  heldOut: LiftGroup;
  absoluteLift: number;
  ci95: [number, number] | null;
  significant: boolean;
}

/** GET /api/effectiveness?days=N: what the emails achieved over the last N days. */
export interface Effectiveness {
  windowDays: number;
  /** An order this many days after an email counts as its conversion. */
  attributionDays: number;
  /** The share of at-risk clients held out (scored, not emailed), 0..1. */
  holdoutShare: number;
  funnel: Funnel;
  /** Opens are inflated by mail privacy features (e.g. Apple Mail Privacy Protection). */
  opensUnreliable: boolean;
  lift: Lift;
  /** One per day of the window, oldest first. */
  daily: EffectivenessDay[];
  /** Conversion by journey step (absent on servers without journeys). */
  byStep?: StepConversion[];
  /** The lift by targeting rule (absent on servers before issue 11). */
  byRule?: RuleLift[];
}
