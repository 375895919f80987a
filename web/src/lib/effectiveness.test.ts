import { describe, expect, it } from 'vitest';
import type { Lift } from '../api/effectiveness/types';
import {
  formatInterval,
  formatLiftPoints,
  formatRate,
  formatRelativeLift,
  funnelSteps,
  holdoutSentence,
  intervalGeometry,
  lossFigures,
  parseWindowDays,
  significanceSentence,
} from './effectiveness';

function aLift(over: Partial<Lift> = {}): Lift {
  return {
    emailed: { clients: 900, converted: 54, conversionRate: 0.06, revenue: 4320, revenuePerClient: 4.8 },
    heldOut: { clients: 100, converted: 3, conversionRate: 0.03, revenue: 240, revenuePerClient: 2.4 },
    absoluteLift: 0.03,
    relativeLift: 1,
    ci95: [0.005, 0.055],
    significant: true,
    ...over,
  };
}

describe('the window', () => {
  it('reads 7, 30 or 90 days from the URL and falls back to 30', () => {
    expect(parseWindowDays(new URLSearchParams('days=7'))).toBe(7);
    expect(parseWindowDays(new URLSearchParams('days=90'))).toBe(90);
    expect(parseWindowDays(new URLSearchParams())).toBe(30);
    expect(parseWindowDays(new URLSearchParams('days=365'))).toBe(30);
    expect(parseWindowDays(new URLSearchParams('days=seven'))).toBe(30);
  });
});

describe('rates', () => {
  it('shows rates with a decimal, and two below one percent so small rates still compare', () => {
    expect(formatRate(0.125)).toBe('12.5%');
    expect(formatRate(0.034)).toBe('3.4%');
    expect(formatRate(0.1)).toBe('10%');
    expect(formatRate(0.0042)).toBe('0.42%');
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(null)).toBe('—');
  });

  it('shows the lift in signed percentage points with a real minus', () => {
    expect(formatLiftPoints(0.021)).toBe('+2.1 pp');
    expect(formatLiftPoints(-0.004)).toBe('−0.4 pp');
    expect(formatLiftPoints(0.0004)).toBe('+0.04 pp');
    expect(formatLiftPoints(0)).toBe('0 pp');
    expect(formatLiftPoints(Number.NaN)).toBe('—');
  });

  it('shows the relative lift as a signed percentage, or a dash when the held-out rate was zero', () => {
    expect(formatRelativeLift(0.35)).toBe('+35%');
    expect(formatRelativeLift(-0.125)).toBe('−13%');
    expect(formatRelativeLift(0.042)).toBe('+4.2%');
    expect(formatRelativeLift(null)).toBe('—');
  });
});

describe('the confidence interval', () => {
  it('reads as a range in percentage points', () => {
    expect(formatInterval([0.005, 0.037])).toBe('+0.5 to +3.7 percentage points');
    expect(formatInterval([-0.004, 0.028])).toBe('−0.4 to +2.8 percentage points');
    expect(formatInterval(null)).toBe('not enough data for an interval');
    expect(formatInterval([Number.NaN, 1])).toBe('not enough data for an interval');
  });

  it('is placed on a bar that always includes zero', () => {
    const g = intervalGeometry([0.01, 0.05], 0.03);
    expect(g).not.toBeNull();
    // From 0 to 0.05 with 10% room each side: zero at 1/12 of the width, 0.05 at 11/12.
    expect(g?.zero).toBeCloseTo(8.3, 1);
    expect(g?.high).toBeCloseTo(91.7, 1);
    expect(g?.low).toBeGreaterThan(g?.zero ?? 100);
    expect(g?.point).toBeCloseTo(58.3, 1);
  });

  it('puts zero inside an interval that crosses it', () => {
    const g = intervalGeometry([-0.02, 0.02], 0);
    expect(g?.zero).toBe(50);
    expect(g && g.low < g.zero && g.zero < g.high).toBe(true);
  });

  it('has no geometry without an interval', () => {
    expect(intervalGeometry(null, 0.01)).toBeNull();
  });
});

describe('the significance sentence', () => {
  it('says a significant lift is significant, with both rates and the interval', () => {
    expect(significanceSentence(aLift())).toBe(
      '6% of emailed clients converted, against 3% of held-out clients. The emails made a difference: ' +
        'the 95% confidence interval of the difference (+0.5 to +5.5 percentage points) excludes zero, ' +
        'so the difference is statistically significant.',
    );
  });

  it('says a difference whose interval includes zero may be chance', () => {
    const s = significanceSentence(aLift({ absoluteLift: 0.01, ci95: [-0.01, 0.03], significant: false }));
    expect(s).toContain('The difference is not statistically significant');
    expect(s).toContain('(−1 to +3 percentage points) includes zero, so it may be chance.');
  });

  it('says so when emailed clients did significantly worse', () => {
    const s = significanceSentence(aLift({ absoluteLift: -0.03, ci95: [-0.05, -0.01], significant: true }));
    expect(s).toContain('Emailed clients did worse');
  });

  it('says there is nothing to compare when nobody was held out or emailed', () => {
    const noHoldout = aLift({
      heldOut: { clients: 0, converted: 0, conversionRate: 0, revenue: 0, revenuePerClient: 0 },
    });
    expect(significanceSentence(noHoldout)).toMatch(/No at-risk client was held out/);
    const noEmails = aLift({
      emailed: { clients: 0, converted: 0, conversionRate: 0, revenue: 0, revenuePerClient: 0 },
    });
    expect(significanceSentence(noEmails)).toMatch(/No at-risk client was emailed/);
  });
});

describe('the holdout sentence', () => {
  it('says what the holdout is and how conversions are counted', () => {
    expect(holdoutSentence(0.1, 7)).toBe(
      '10% of at-risk clients, chosen by a stable hash of their id, are scored but not emailed. ' +
        'An order within 7 days of an email counts as a conversion; held-out clients are measured over the same windows.',
    );
    expect(holdoutSentence(0.05, 1)).toMatch(/^5% of at-risk clients.*within 1 day of/);
  });

  it('says when there is no holdout at all', () => {
    expect(holdoutSentence(0, 7)).toMatch(
      /^No holdout is configured \(the share is 0%\), so every at-risk client is emailed/,
    );
  });
});

describe('the funnel', () => {
  const funnel = {
    sent: 200,
    delivered: 190,
    failed: 10,
    opened: 120,
    clicked: 19,
    converted: 8,
    revenue: 640,
    unsubscribes: 2,
    bounces: 4,
    complaints: 0,
  };

  it('goes from sent to converted with each step’s rate, and marks opens unreliable', () => {
    const steps = funnelSteps(funnel);
    expect(steps.map((s) => [s.label, s.value, s.detail])).toEqual([
      ['Sent', 200, '10 failed'],
      ['Delivered', 190, '95% of sent'],
      ['Opened', 120, '63.2% of delivered'],
      ['Clicked', 19, '10% of delivered'],
      ['Converted', 8, '4.2% of delivered'],
    ]);
    expect(steps.filter((s) => s.unreliable).map((s) => s.key)).toEqual(['opened']);
    expect(steps[1]?.ofSent).toBeCloseTo(0.95);
  });

  it('does not divide by zero when nothing was sent', () => {
    const steps = funnelSteps({ ...funnel, sent: 0, delivered: 0, failed: 0, opened: 0, clicked: 0, converted: 0 });
    expect(steps.map((s) => s.ofSent)).toEqual([0, 0, 0, 0, 0]);
    expect(steps[2]?.detail).toBe('— of delivered');
  });

  it('counts unsubscribes, bounces and complaints', () => {
    expect(lossFigures(funnel)).toEqual([
      { label: 'Unsubscribes', value: 2, detail: '1.1% of delivered' },
      { label: 'Bounces', value: 4, detail: '2% of sent' },
      { label: 'Complaints', value: 0, detail: '0% of delivered' },
    ]);
  });
});
