import { describe, expect, it } from 'vitest';
import type { ScoreBreakdown } from '../api/users/types';
import { biggestPenalty, breakdownRows, isClamped } from './scoreBreakdown';

const lapsed: ScoreBreakdown = {
  base: 100,
  recency: -40,
  orders: 1.5,
  orderValue: 2,
  recentEmail: -10,
  total: 53.5,
  daysSinceLastOrder: 120,
};

describe('score breakdown', () => {
  it('lists every factor in order with its points', () => {
    expect(breakdownRows(lapsed).map((r) => [r.key, r.points])).toEqual([
      ['base', 100],
      ['recency', -40],
      ['orders', 1.5],
      ['orderValue', 2],
      ['recentEmail', -10],
    ]);
  });

  it('says how many days since the last order', () => {
    expect(breakdownRows(lapsed)[1]?.detail).toBe('120 days since the last order.');
    expect(breakdownRows({ ...lapsed, daysSinceLastOrder: 1 })[1]?.detail).toBe('1 day since the last order.');
    expect(breakdownRows({ ...lapsed, daysSinceLastOrder: 45 }, false)[1]?.detail).toBe(
      'No order yet; added 45 days ago.',
    );
    expect(breakdownRows({ ...lapsed, daysSinceLastOrder: null })[1]?.detail).toMatch(/No order yet/);
  });

  it('names the factor that costs the most', () => {
    expect(biggestPenalty(lapsed)?.key).toBe('recency');
    expect(biggestPenalty({ ...lapsed, recency: 0, recentEmail: 0 })).toBeNull();
  });

  it('notices when the total was clamped to 0..100', () => {
    expect(isClamped(lapsed)).toBe(false);
    expect(isClamped({ ...lapsed, recency: 0, recentEmail: 0, orders: 15, orderValue: 10, total: 100 })).toBe(true);
  });
});
