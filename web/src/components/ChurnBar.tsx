import { useId } from 'react';
import { formatPercent } from '../lib/format';
import { churnLevel } from '../lib/model';

const LEVEL_WORDS = { high: 'high', medium: 'medium', low: 'low' } as const;

/**
 * A churn probability as a labelled bar (a meter for assistive technology): the number is
 * always written beside it, so the colour is never the only signal.
 */
export function ChurnBar({ probability }: { probability: number }) {
  const labelId = useId();
  const share = Math.min(1, Math.max(0, probability));
  const level = churnLevel(share);
  const pct = Math.round(share * 1000) / 10;
  return (
    <div className="churn">
      <div className="churn__head">
        <span id={labelId} className="churn__label">
          Churn probability
        </span>
        <strong className="churn__value">{formatPercent(share)}</strong>
      </div>
      <div
        className={`churn__bar churn__bar--${level}`}
        role="meter"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={`${formatPercent(share)}, ${LEVEL_WORDS[level]}`}
      >
        <span style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
