/** An address Rekindle never emails, and why. */
export interface Suppression {
  email: string;
  /** unsubscribed, bounced, complained or manual. */
  reason: string;
  createdAt: string;
}

export const SUPPRESSION_REASONS = ['manual', 'unsubscribed', 'bounced', 'complained'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export interface SuppressionListParams {
  limit: number;
  cursor?: string | null;
  q: string;
}
