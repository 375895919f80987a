// A client of the shop as the API returns it (docs/design.md, "The data").

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
}

export type UserSort = 'createdAt' | 'score' | 'lastOrderDate' | 'name';
export type SortOrder = 'asc' | 'desc';

export interface UserListParams {
  limit: number;
  cursor?: string | null;
  sort: UserSort;
  order: SortOrder;
  atRisk: boolean;
  search: string;
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
