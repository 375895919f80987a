import { formatScore } from '../lib/format';
import { RISK_LABELS, riskLevel } from '../lib/risk';

/** A score with its risk level in words and colour. */
export function ScoreBadge({ score, threshold }: { score: number; threshold: number }) {
  const level = riskLevel(score, threshold);
  return (
    <span className={`score score--${level}`} data-risk={level}>
      <span className="score__value">{formatScore(score)}</span>
      <span className="score__label">{RISK_LABELS[level]}</span>
    </span>
  );
}
