// The score breakdown as rows a person can read: what each factor added or took away.

import type { ScoreBreakdown } from '../api/users/types';

export interface BreakdownRow {
  key: 'base' | 'recency' | 'orders' | 'orderValue' | 'recentEmail';
  label: string;
  detail: string;
  points: number;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The factors as rows. `hasOrdered` is false for a client without orders, whose recency
 * the rule counts from the day they were added.
 */
export function breakdownRows(b: ScoreBreakdown, hasOrdered = true): BreakdownRow[] {
  const days = b.daysSinceLastOrder;
  let recency: string;
  if (days === null || days === undefined) recency = 'No order yet; counted from when the client was added.';
  else if (!hasOrdered) recency = `No order yet; added ${plural(days, 'day')} ago.`;
  else recency = `${plural(days, 'day')} since the last order.`;
  return [
    { key: 'base', label: 'Starting score', detail: 'Every client starts here.', points: b.base },
    { key: 'recency', label: 'Time since last order', detail: recency, points: b.recency },
    { key: 'orders', label: 'Number of orders', detail: 'More orders, more loyalty.', points: b.orders },
    { key: 'orderValue', label: 'Average order value', detail: 'Bigger baskets count for more.', points: b.orderValue },
    {
      key: 'recentEmail',
      label: 'Recent email',
      detail: 'An email in the last few days lowers the score.',
      points: b.recentEmail,
    },
  ];
}

/** The factor that costs the client the most points, if any costs anything. */
export function biggestPenalty(b: ScoreBreakdown): BreakdownRow | null {
  const penalties = breakdownRows(b).filter((r) => r.key !== 'base' && r.points < 0);
  if (penalties.length === 0) return null;
  return penalties.reduce((worst, r) => (r.points < worst.points ? r : worst));
}

/** True when the rows do not add up to the total, i.e. the score was clamped to 0..100. */
export function isClamped(b: ScoreBreakdown): boolean {
  const sum = b.base + b.recency + b.orders + b.orderValue + b.recentEmail;
  return Math.abs(sum - b.total) > 0.05;
}
