import { describe, expect, it } from 'vitest';
import { isAtRisk, RISK_COLORS, riskLevel } from './risk';

describe('riskLevel', () => {
  it('calls a score below the threshold at risk', () => {
    expect(riskLevel(74.9, 75)).toBe('at-risk');
    expect(riskLevel(0, 75)).toBe('at-risk');
  });

  it('calls the threshold itself not at risk, but worth watching', () => {
    expect(riskLevel(75, 75)).toBe('watch');
    expect(isAtRisk(75, 75)).toBe(false);
  });

  it('calls scores ten points or more above the threshold healthy', () => {
    expect(riskLevel(84.9, 75)).toBe('watch');
    expect(riskLevel(85, 75)).toBe('healthy');
    expect(riskLevel(100, 75)).toBe('healthy');
  });

  it('follows a configured threshold', () => {
    expect(riskLevel(55, 50)).toBe('watch');
    expect(riskLevel(49, 50)).toBe('at-risk');
  });
});

// WCAG relative luminance and contrast ratio.
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('risk colours', () => {
  it.each(Object.entries(RISK_COLORS))('has AA contrast for %s text', (_level, c) => {
    expect(contrast(c.fg, c.bg)).toBeGreaterThanOrEqual(4.5);
  });
});
