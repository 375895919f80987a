import type { User } from '../api/users/types';
import { formatPoints, formatScore } from '../lib/format';
import { RISK_LABELS, riskLevel } from '../lib/risk';
import { biggestPenalty, breakdownRows, isClamped } from '../lib/scoreBreakdown';
import { Empty } from './StatusViews';

/** The score, factor by factor, with the factor that hurts most called out. */
export function ScoreBreakdownPanel({ user, threshold: fallbackThreshold }: { user: User; threshold: number }) {
  const b = user.scoreBreakdown;
  // The server's own threshold for this verdict wins over the one read from metrics.
  const threshold = b?.threshold ?? fallbackThreshold;
  if (!b) {
    return (
      <Empty>
        The server does not explain scores yet. The score is {formatScore(user.engagementScore)}; below {threshold} is
        at risk.
      </Empty>
    );
  }
  const level = riskLevel(b.total, threshold);
  const worst = biggestPenalty(b);
  return (
    <>
      {Math.abs(b.total - user.engagementScore) >= 0.05 && (
        <p className="small muted">
          The stored score, {formatScore(user.engagementScore)}, dates from the client’s last update; as of today it is{' '}
          {formatScore(b.total)}. The next sweep stores it.
        </p>
      )}
      <p className="breakdown__summary">
        {level === 'at-risk' ? (
          <>
            <strong>{RISK_LABELS[level]}:</strong> {formatScore(b.total)} is below the threshold of {threshold}
            {worst ? (
              <>
                , mostly because of <strong>{worst.label.toLowerCase()}</strong> ({formatPoints(worst.points)}).
              </>
            ) : (
              '.'
            )}
          </>
        ) : (
          <>
            <strong>{RISK_LABELS[level]}:</strong> {formatScore(b.total)} is at or above the threshold of {threshold}.
          </>
        )}
      </p>
      <table className="table breakdown">
        <caption className="sr-only">Score by factor</caption>
        <thead>
          <tr>
            <th scope="col">Factor</th>
            <th scope="col" className="num">
              Points
            </th>
          </tr>
        </thead>
        <tbody>
          {breakdownRows(b, user.lastOrderDate !== null).map((r) => (
            <tr key={r.key}>
              <th scope="row">
                {r.label}
                <div className="small muted">{r.detail}</div>
              </th>
              <td
                className={`num points${r.points < 0 ? ' points--minus' : r.points > 0 && r.key !== 'base' ? ' points--plus' : ''}`}
              >
                {r.key === 'base' ? formatScore(r.points) : formatPoints(r.points)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">
              Score
              {isClamped(b) && <div className="small muted">Kept within 0–100.</div>}
            </th>
            <td className="num">
              <strong>{formatScore(b.total)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
    </>
  );
}
