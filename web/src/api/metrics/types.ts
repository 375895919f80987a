import type { QueueStats } from '../queues/types';

export type { QueueStats };

export interface HistogramBucket {
  from: number;
  to: number;
  count: number;
}

export interface DayCount {
  /** YYYY-MM-DD (UTC). */
  date: string;
  count: number;
}

/** GET /api/metrics: the overview's KPIs and time series. */
export interface Metrics {
  threshold: number;
  users: { total: number; atRisk: number; atRiskShare: number; averageScore: number };
  emails: { total: number; last7Days: number; last30Days: number; byStatus: Record<string, number> };
  scoreHistogram: HistogramBucket[];
  emailsPerDay: DayCount[];
  queues: QueueStats[];
}
