import { describe, expect, it } from 'vitest';
import {
  dateInputToIso,
  daysSince,
  formatDate,
  formatDaysAgo,
  formatDuration,
  formatMoney,
  formatPercent,
  formatPoints,
  formatScore,
  formatTime,
  isoToDateInput,
  shortDate,
  toDateInputValue,
  toSentence,
} from './format';

// Tests run with TZ=UTC (vite.config.ts).
const NOW = new Date('2026-03-15T12:00:00Z');

describe('dates', () => {
  it('shows a date as day, short month and year', () => {
    expect(formatDate('2026-03-02T08:00:00Z')).toBe('2 Mar 2026');
  });

  it('shows a dash for no date or a broken one', () => {
    expect(formatDate(null)).toBe('—');
    expect(formatDate('not a date')).toBe('—');
  });

  it('shows a time of day as hours and minutes, 24-hour', () => {
    expect(formatTime('2026-03-02T08:05:59Z')).toBe('08:05');
    expect(formatTime('2026-03-02T18:42:00Z')).toBe('18:42');
    expect(formatTime(null)).toBe('—');
  });

  it('counts whole days since a time, flooring as the score rule does', () => {
    expect(daysSince('2026-03-14T12:00:01Z', NOW)).toBe(0);
    expect(daysSince('2026-03-14T12:00:00Z', NOW)).toBe(1);
    expect(daysSince('2025-11-15T12:00:00Z', NOW)).toBe(120);
    expect(daysSince(null, NOW)).toBeNull();
  });

  it('says how long ago in words', () => {
    expect(formatDaysAgo('2026-03-15T01:00:00Z', NOW)).toBe('today');
    expect(formatDaysAgo('2026-03-14T01:00:00Z', NOW)).toBe('yesterday');
    expect(formatDaysAgo('2026-03-05T12:00:00Z', NOW)).toBe('10 days ago');
    expect(formatDaysAgo(null, NOW)).toBe('never');
    expect(formatDaysAgo('2026-04-01T00:00:00Z', NOW)).toBe('in the future');
  });

  it('round-trips the date input value through RFC 3339 at local midnight', () => {
    expect(dateInputToIso('2026-03-02')).toBe('2026-03-02T00:00:00.000Z');
    expect(isoToDateInput('2026-03-02T23:59:00Z')).toBe('2026-03-02');
    expect(isoToDateInput(null)).toBe('');
    expect(toDateInputValue(NOW)).toBe('2026-03-15');
  });

  it('rejects date input values that are not real dates', () => {
    expect(dateInputToIso('2026-02-30')).toBeNull();
    expect(dateInputToIso('02/03/2026')).toBeNull();
    expect(dateInputToIso('')).toBeNull();
  });
});

describe('shortDate', () => {
  it('labels a chart day by day of month and month', () => {
    expect(shortDate('2026-03-01')).toBe('1 Mar');
    expect(shortDate('2026-12-31')).toBe('31 Dec');
  });
});

describe('numbers', () => {
  it('shows money with two decimals and thousands separators', () => {
    expect(formatMoney(1234.5)).toBe('1,234.50');
    expect(formatMoney(0)).toBe('0.00');
    expect(formatMoney(Number.NaN)).toBe('—');
  });

  it('shows scores to a tenth without rounding up across a threshold', () => {
    expect(formatScore(74.96)).toBe('74.9');
    expect(formatScore(63.5)).toBe('63.5');
    expect(formatScore(75)).toBe('75');
    expect(formatScore(88.44)).toBe('88.4');
    expect(formatScore(null)).toBe('—');
  });

  it('signs points with a real minus', () => {
    expect(formatPoints(15)).toBe('+15');
    expect(formatPoints(-40)).toBe('−40');
    expect(formatPoints(0)).toBe('0');
    expect(formatPoints(4.5)).toBe('+4.5');
  });

  it('shows shares as percentages, with a decimal below ten', () => {
    expect(formatPercent(0.16)).toBe('16%');
    expect(formatPercent(0.045)).toBe('4.5%');
    expect(formatPercent(0)).toBe('0%');
  });

  it('shows ages in the largest whole unit', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(125)).toBe('2 min');
    expect(formatDuration(7200)).toBe('2 h');
    expect(formatDuration(200_000)).toBe('2 d');
    expect(formatDuration(-1)).toBe('—');
  });
});

describe('toSentence', () => {
  it('turns a server message into a sentence', () => {
    expect(toSentence('email is not a valid email address')).toBe('Email is not a valid email address.');
    expect(toSentence('Done!')).toBe('Done!');
  });
});
