import { describe, expect, it } from 'vitest';
import { aFit, aFlatFit } from '../test/modelFixtures';
import {
  churnBinLabel,
  churnLevel,
  formatDay,
  formatDecimal,
  formatFitSeconds,
  formatParam,
  hasHoldout,
  orderedParams,
  paramNote,
  purchaseParams,
  refitSentence,
  ruleLabel,
  spendError,
  spendParams,
  targetingSentence,
  valueBinLabel,
} from './model';

describe('the model’s parameters', () => {
  it('are read from the contract’s {purchase, spend} and from the first server’s flat params alike', () => {
    for (const fit of [aFit(), aFlatFit()]) {
      expect(purchaseParams(fit)).toEqual({ r: 0.2426, alpha: 4.4136, a: 0.7929, b: 2.4259 });
      expect(spendParams(fit)).toEqual({ p: 6.25, q: 3.74, gamma: 15.44 });
    }
  });

  it('say why there is no spend model, wherever the server puts the reason', () => {
    const nested = aFit({ params: { purchase: { r: 1 }, spend: null, spendError: 'too few repeat buyers' } });
    expect(spendParams(nested)).toBeNull();
    expect(spendError(nested)).toBe('too few repeat buyers');
    const flat = aFlatFit({ spendParams: null, spendError: 'too few repeat buyers' });
    expect(spendParams(flat)).toBeNull();
    expect(spendError(flat)).toBe('too few repeat buyers');
    expect(spendError(aFit())).toBeNull();
  });

  it('show the fit’s figures with a real minus sign, and a dash for a missing one', () => {
    expect(formatDecimal(-9582.4321)).toBe('−9,582.43');
    expect(formatDecimal(0.384)).toBe('0.38');
    expect(formatDecimal(null)).toBe('—');
  });

  it('show four significant digits', () => {
    expect(formatParam(0.242612)).toBe('0.2426');
    expect(formatParam(4.41359)).toBe('4.414');
    expect(formatParam(15.4412)).toBe('15.44');
    expect(formatParam(12345.6)).toBe('12,350');
    expect(formatParam(0)).toBe('0');
    expect(formatParam(Number.NaN)).toBe('—');
  });

  it('come in the papers’ order whatever the server’s (its JSON objects are sorted by name)', () => {
    expect(orderedParams({ a: 1, alpha: 2, b: 3, r: 4 }).map(([n]) => n)).toEqual(['r', 'alpha', 'a', 'b']);
    expect(orderedParams({ beta: 1, r: 2, s: 3, alpha: 4 }).map(([n]) => n)).toEqual(['r', 'alpha', 's', 'beta']);
    expect(orderedParams({ gamma: 1, zeta: 0, p: 2, q: 3 }).map(([n]) => n)).toEqual(['p', 'q', 'gamma', 'zeta']);
  });

  it('say how long the fit took, never "0 s"', () => {
    expect(formatFitSeconds(0.4213)).toBe('0.42 s');
    expect(formatFitSeconds(0.001)).toBe('under 0.01 s');
  });

  it('are explained in the fit’s unit', () => {
    expect(paramNote('alpha', 'weeks')).toContain('in weeks');
    expect(paramNote('unknown', 'weeks')).toBe('');
  });
});

describe('the calibration check', () => {
  it('has a holdout only when orders came after the calibration end', () => {
    expect(hasHoldout(aFit().diagnostics)).toBe(true);
    expect(hasHoldout({ holdoutDays: 0, holdoutEnd: null, byPastOrders: [{ pastOrders: '0', clients: 5 }] })).toBe(
      false,
    );
    expect(hasHoldout(null)).toBe(false);
  });
});

describe('targeting and refit sentences', () => {
  it('name the rule and its threshold', () => {
    expect(targetingSentence({ rule: 'churn', churnThreshold: 0.5 })).toBe(
      'Clients with a churn probability above 50% are emailed, whatever their score.',
    );
    expect(targetingSentence({ rule: 'score', churnThreshold: 0.5 }, 75)).toContain('a score below 75');
    expect(targetingSentence({ rule: 'both', churnThreshold: 0.6 }, 75)).toBe(
      'Clients with a score below 75, or with a churn probability above 60%, are emailed.',
    );
    expect(targetingSentence({ rule: 'lottery', churnThreshold: 0.5 })).toBe('Targeting rule: lottery.');
  });

  it('say how often the model is refitted', () => {
    expect(refitSentence({ everyHours: 24, lastAttemptAt: null, lastError: null })).toBe(
      'The model is refitted every day.',
    );
    expect(refitSentence({ everyHours: 72, lastAttemptAt: null, lastError: null })).toBe(
      'The model is refitted every 3 days.',
    );
    expect(refitSentence({ everyHours: 6, lastAttemptAt: null, lastError: null })).toBe(
      'The model is refitted every 6 hours.',
    );
    expect(refitSentence({ everyHours: 0, lastAttemptAt: '2026-02-01T09:00:00Z', lastError: null })).toMatch(
      /^The model is refitted by hand only\. Last attempt 1 Feb 2026, \d\d:00\.$/,
    );
  });

  it('label the rules emails and lift rows name', () => {
    expect(ruleLabel('score')).toBe('Engagement score');
    expect(ruleLabel('churn')).toBe('Churn probability');
    expect(ruleLabel('score+churn')).toBe('Score and churn');
    expect(ruleLabel('new')).toBe('new');
  });
});

describe('distribution bins and levels', () => {
  it('label churn bins in percent and value bins in money, the last one open', () => {
    expect(churnBinLabel({ from: 0.1, to: 0.2, clients: 3 })).toBe('10–20%');
    expect(valueBinLabel({ from: 0, to: 25.5, clients: 3 })).toBe('0.00–25.50');
    expect(valueBinLabel({ from: 510, to: null, clients: 3 })).toBe('510.00 and more');
  });

  it('grade a churn probability', () => {
    expect(churnLevel(0.9)).toBe('high');
    expect(churnLevel(0.7)).toBe('high');
    expect(churnLevel(0.5)).toBe('medium');
    expect(churnLevel(0.1)).toBe('low');
  });

  it('shows a calendar day as itself in any time zone', () => {
    expect(formatDay('1997-09-30')).toBe('30 Sept 1997');
    expect(formatDay(null)).toBe('—');
  });
});
