// A client of the shop as the API returns it (docs/design.md, "The data").

import type { Prediction } from '../model/types';

/** How the engagement score was reached; sent by GET /api/users/:userId. */
export interface ScoreBreakdown {
  base: number;
  /** Penalty for time since the last order (≤ 0). */
  recency: number;
  /** Bonus for the number of orders (≥ 0). */
  orders: number;
  /** Bonus for the average order value (≥ 0). */
  orderValue: number;
  /** Penalty for an email in the last days (≤ 0). */
  recentEmail: number;
  /** The score as of now (the stored score moves with the next write or sweep). */
  total: number;
  /** Whole days since the last order, or since the client was added if they never ordered. */
  daysSinceLastOrder: number | null;
  /** The server's at-risk threshold and verdict, when it sends them. */
  threshold?: number;
  atRisk?: boolean;
}

export interface User {
  userId: string;
  email: string;
  name: string;
  lastOrderDate: string | null;
  orderCount: number;
  averageOrderValue: number;
  preferredCategories: string[];
  engagementScore: number;
  lastEmailDate: string | null;
  createdAt: string;
  updatedAt: string;
  /** Only on the single-user endpoint, once the server provides it. */
  scoreBreakdown?: ScoreBreakdown;
  /** What the client's badges show (issue 16); absent from an older server. */
  state?: ClientState;
  /** Their win-back journey episode, when the server runs journeys. */
  journey?: UserJourney | null;
  /** The churn and value models' prediction (issue 11): null before a fit; absent from an older server. */
  prediction?: Prediction | null;
}

/** GET /api/users' `state`: why a client is (not) emailed, in plain sight. */
export interface ClientState {
  /** Their address is on the suppression list: never emailed. */
  suppressed: { reason: string; at: string } | null;
  /** In the holdout: a share of clients who are never emailed, so the lift of emails can be measured. */
  heldOut: boolean;
  /** When they were last held out (at risk, and not emailed because of the holdout). */
  heldOutAt?: string | null;
  /** Their latest email failed: the mail server's reply. */
  failed: { error: string; at: string } | null;
  neverOrdered: boolean;
}

/** The user's journey episode (J1's `journey` field). */
export interface UserJourney {
  episodeId: string;
  /** active or resting (a newer server may send others). */
  status: string;
  step: number;
  steps: number;
  nextDueAt: string | null;
  startedAt: string;
  endedAt: string | null;
  endReason: string | null;
  restUntil: string | null;
}

/** GET /api/users?state=… */
export const CLIENT_STATES = [
  { value: 'atRisk', label: 'At risk' },
  { value: 'inEpisode', label: 'In a journey' },
  { value: 'suppressed', label: 'Suppressed' },
  { value: 'heldOut', label: 'Held out' },
  { value: 'neverOrdered', label: 'Never ordered' },
  { value: 'lapsed', label: 'Lapsed buyer' },
] as const;
export type ClientStateFilter = (typeof CLIENT_STATES)[number]['value'];

/** GET /api/users/:userId/timeline's items, newest first. */
export type TimelineItem =
  | { type: 'order'; at: string; orderId: string; totalValue: number; itemCount: number; status: string }
  | { type: 'email'; at: string; emailId: string; subject: string; status: string; step?: number | null }
  | {
      type: 'event';
      at: string;
      event: string;
      emailId?: string;
      subject?: string;
      url?: string;
      revenue?: number | null;
      error?: string;
      reason?: string;
    }
  /** `cause`: email (the score an email was written for), holdout, or now. */
  | { type: 'score'; at: string; score: number; change: number | null; cause: string };

export type UserSort = 'createdAt' | 'score' | 'lastOrderDate' | 'name' | 'churnProbability';
export type SortOrder = 'asc' | 'desc';

export interface UserListParams {
  limit: number;
  cursor?: string | null;
  sort: UserSort;
  order: SortOrder;
  atRisk: boolean;
  search: string;
  /** A client state (issue 16); '' for any. */
  state?: ClientStateFilter | '';
}

/** POST /api/users body. */
export interface NewUser {
  email: string;
  name: string;
  lastOrderDate?: string | null;
  orderCount?: number;
  averageOrderValue?: number;
  preferredCategories?: string[];
}

/** PUT /api/users/:userId body: the fields to change. */
export type UserPatch = Partial<NewUser>;
