import { describe, expect, it } from 'vitest';
import {
  checkDraft,
  createBody,
  describeStatus,
  errorTarget,
  formatDifference,
  formatMoneyWithInterval,
  formatProbability,
  formatPValue,
  formatRateWithInterval,
  newDraft,
  sharesOf,
} from './experiments';

describe('experiment figures', () => {
  it('writes a rate with its 95% interval', () => {
    expect(formatRateWithInterval(0.033, { low: 0.021, high: 0.049 })).toBe('3.3% (2.1–4.9%)');
    expect(formatRateWithInterval(0.0042, { low: 0.001, high: 0.0095 })).toBe('0.42% (0.1–0.95%)');
    expect(formatRateWithInterval(0.033, null)).toBe('3.3%');
    expect(formatRateWithInterval(null, { low: 0.1, high: 0.2 })).toBe('—');
    expect(formatRateWithInterval(0.033, { low: null, high: 0.05 })).toBe('3.3%');
  });

  it('writes money with its interval', () => {
    expect(formatMoneyWithInterval(4.32, { low: 3.3, high: 5.41 })).toBe('4.32 (3.30–5.41)');
    expect(formatMoneyWithInterval(null, null)).toBe('—');
  });

  it('writes a difference in points for rates and in money for revenue', () => {
    expect(formatDifference({ value: 0.0229, low: 0.0061, high: 0.0397, pValue: 0.0072 }, 'conversion')).toBe(
      '+2.3 pp (+0.61 to +4 pp)',
    );
    expect(formatDifference({ value: -0.004, low: -0.012, high: 0.003, pValue: 0.4 }, 'click')).toBe(
      '−0.4 pp (−1.2 to +0.3 pp)',
    );
    expect(formatDifference({ value: 1.65, low: -0.2, high: 3.5, pValue: 0.09 }, 'revenue')).toBe(
      '+1.65 (−0.20 to +3.50)',
    );
    expect(formatDifference({ value: null, low: null, high: null, pValue: null }, 'conversion')).toBe('—');
    expect(formatDifference(null, 'conversion')).toBe('—');
  });

  it('writes p-values and probabilities', () => {
    expect(formatPValue(0.0072)).toBe('p = 0.007');
    expect(formatPValue(0.0004)).toBe('p < 0.001');
    expect(formatPValue(null)).toBe('—');
    expect(formatProbability(0.971)).toBe('97.1%');
    expect(formatProbability(0.5)).toBe('50%');
    expect(formatProbability(null)).toBe('—');
  });

  it('turns weights into shares', () => {
    expect(sharesOf([1, 3])).toEqual([0.25, 0.75]);
    expect(sharesOf([0.5, 0.5])).toEqual([0.5, 0.5]);
    expect(sharesOf([0, 0])).toEqual([null, null]);
  });

  it('says the status and the promoted variant', () => {
    const variants = [
      { index: 0, letter: 'A', message: 'winback-1', weight: 1, share: 0.5 },
      { index: 1, letter: 'B', message: 'winback-2', weight: 1, share: 0.5 },
    ];
    expect(describeStatus({ status: 'running', promotedVariant: null, variants })).toBe('running');
    expect(describeStatus({ status: 'stopped', promotedVariant: 1, variants })).toBe('stopped · B promoted');
  });
});

describe('the create form', () => {
  it('starts with winback-1 against another message and the defaults', () => {
    const d = newDraft(['last-call', 'winback-1', 'winback-2']);
    expect(d.message).toBe('winback-1');
    expect(d.others).toEqual([{ message: 'last-call', weight: '1' }]);
    expect(createBody({ ...d, name: ' Test ' })).toEqual({
      name: 'Test',
      message: 'winback-1',
      variants: [
        { message: 'winback-1', weight: 1 },
        { message: 'last-call', weight: 1 },
      ],
      metric: 'conversion',
      allocation: 'fixed',
      minRecipients: 500,
      threshold: 0.95,
      plannedRecipients: 5000,
    });
  });

  it('sends no weights for a bandit, and the threshold as a fraction', () => {
    const d = {
      ...newDraft(['winback-1', 'winback-2']),
      name: 'x',
      allocation: 'bandit' as const,
      thresholdPercent: '97.5',
    };
    const body = createBody(d);
    expect(body.variants).toEqual([{ message: 'winback-1' }, { message: 'winback-2' }]);
    expect(body.threshold).toBe(0.975);
  });

  it('checks what it can before sending', () => {
    const d = { ...newDraft(['winback-1', 'winback-2']), name: 'x' };
    expect(checkDraft(d)).toBeNull();
    expect(checkDraft({ ...d, name: ' ' })?.field).toBe('name');
    expect(checkDraft({ ...d, others: [] })?.field).toBe('variants');
    expect(checkDraft({ ...d, weightA: '-1' })?.field).toBe('variants[0].weight');
    expect(checkDraft({ ...d, allocation: 'bandit', weightA: '-1' })).toBeNull();
    expect(checkDraft({ ...d, thresholdPercent: '100' })?.field).toBe('threshold');
    expect(checkDraft({ ...d, minRecipients: '2.5' })?.field).toBe('minRecipients');
  });

  it('finds where a server’s field belongs', () => {
    expect(errorTarget('variants[1].message')).toEqual({ field: 'variant', index: 1, part: 'message' });
    expect(errorTarget('variants.2.weight')).toEqual({ field: 'variant', index: 2, part: 'weight' });
    expect(errorTarget('variants[3]')).toEqual({ field: 'variant', index: 3, part: 'message' });
    expect(errorTarget('threshold')).toEqual({ field: 'threshold' });
    expect(errorTarget('variants')).toEqual({ field: 'variants' });
    expect(errorTarget('other')).toBeNull();
    expect(errorTarget(undefined)).toBeNull();
  });
});
