// How a score reads against the at-risk threshold. The colour is never the only signal:
// every level has a label too.

export type RiskLevel = 'at-risk' | 'watch' | 'healthy';

/** Points above the threshold within which a client is worth watching. */
export const WATCH_MARGIN = 10;

export function riskLevel(score: number, threshold: number): RiskLevel {
  if (score < threshold) return 'at-risk';
  if (score < threshold + WATCH_MARGIN) return 'watch';
  return 'healthy';
}

export function isAtRisk(score: number, threshold: number): boolean {
  return riskLevel(score, threshold) === 'at-risk';
}

export const RISK_LABELS: Record<RiskLevel, string> = {
  'at-risk': 'At risk',
  watch: 'Watch',
  healthy: 'Healthy',
};

/**
 * Colours for each level: text on background, both at least 4.5:1 (WCAG AA) and
 * distinct for red-green colour blindness by lightness as well as hue.
 */
export const RISK_COLORS: Record<RiskLevel, { fg: string; bg: string; chart: string }> = {
  'at-risk': { fg: '#7f1d1d', bg: '#fee2e2', chart: '#dc2626' },
  watch: { fg: '#713f12', bg: '#fef3c7', chart: '#d97706' },
  healthy: { fg: '#14532d', bg: '#dcfce7', chart: '#16a34a' },
};
