// An experiment's results: a row per variant (its share, counts, rate and revenue per
// recipient with their 95% intervals, the difference to A with its p-value, the
// probability of being best; the winner marked), the primary figure per variant as a
// point with its interval, and the allocation over time.

import { Link } from 'react-router';
import type { AllocationChange, ExperimentDetail, Interval, VariantResult } from '../api/experiments/types';
import { formatRate } from '../lib/effectiveness';
import {
  formatDifference,
  formatMoneyWithInterval,
  formatPValue,
  formatProbability,
  formatRateWithInterval,
  formatShare,
  metricLabel,
  sharesOf,
} from '../lib/experiments';
import { formatCount, formatDateTime, formatMoney } from '../lib/format';

export function ResultsTable({ experiment }: { experiment: ExperimentDetail }) {
  const { metric } = experiment;
  return (
    <div className="table-wrap" role="region" aria-label="Results by variant" tabIndex={0}>
      <table className="table experiment-results">
        <thead>
          <tr>
            <th scope="col">Variant</th>
            <th scope="col" className="num">
              Share
            </th>
            <th scope="col" className="num">
              Recipients
            </th>
            <th scope="col" className="num">
              Clicks
            </th>
            <th scope="col" className="num">
              Conversions
            </th>
            <th scope="col" className="num">
              Revenue
            </th>
            <th scope="col" className="num">
              Rate (95% interval)
            </th>
            <th scope="col" className="num">
              Revenue per recipient (95% interval)
            </th>
            <th scope="col" className="num">
              Difference to A (95% interval)
            </th>
            <th scope="col" className="num">
              p-value
            </th>
            <th scope="col" className="num">
              Probability best
            </th>
          </tr>
        </thead>
        <tbody>
          {experiment.variants.map((v) => {
            const control = v.index === 0;
            return (
              <tr key={v.index} className={v.winner ? 'experiment-results__winner' : undefined}>
                <th scope="row">
                  <span className="experiment-variant__letter">{v.letter}</span>{' '}
                  <Link to={`/messages/${encodeURIComponent(v.message)}`}>{v.message}</Link>
                  {v.winner && <span className="badge badge--info experiment-results__badge">Winner</span>}
                </th>
                <td className="num">{formatShare(v.share)}</td>
                <td className="num">{formatCount(v.recipients)}</td>
                <td className="num">{formatCount(v.clicks)}</td>
                <td className="num">{formatCount(v.conversions)}</td>
                <td className="num">{formatMoney(v.revenue)}</td>
                <td className="num">{formatRateWithInterval(v.rate, v.rateInterval)}</td>
                <td className="num">{formatMoneyWithInterval(v.revenuePerRecipient, v.revenueInterval)}</td>
                <td className="num">{control ? 'control' : formatDifference(v.difference, metric)}</td>
                <td className="num">{control ? '—' : formatPValue(v.difference?.pValue)}</td>
                <td className="num">{formatProbability(v.probabilityBest)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The primary metric's figure of a variant, its interval, and how it is written. */
function primary(v: VariantResult, metric: ExperimentDetail['metric']) {
  return metric === 'revenue'
    ? { value: v.revenuePerRecipient, interval: v.revenueInterval, format: formatMoney }
    : { value: v.rate, interval: v.rateInterval, format: formatRate };
}

function finite(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function bounds(i: Interval | null | undefined): [number, number] | null {
  return i && finite(i.low) && finite(i.high) ? [i.low, i.high] : null;
}

const ROW = 34;
const LABEL = 150;
const WIDTH = 560;
const PAD = 16;

/** Per variant the primary figure as a point, its 95% interval as a bar, on one scale from 0. */
export function ResultsChart({ experiment }: { experiment: ExperimentDetail }) {
  const { metric } = experiment;
  const rows = experiment.variants.map((v) => ({ v, ...primary(v, metric) }));
  const top = Math.max(0, ...rows.flatMap((r) => [r.value, ...(bounds(r.interval) ?? [])].filter(finite)));
  const max = top > 0 ? top * 1.1 : 1;
  const x = (value: number) => LABEL + ((WIDTH - LABEL - PAD) * Math.max(0, value)) / max;
  const height = rows.length * ROW + 28;
  const label = metricLabel(metric);
  return (
    <figure className="chart experiment-chart">
      <h3 className="chart__title">{label}, with 95% intervals</h3>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-labelledby="experiment-chart-desc"
        className="experiment-chart__svg"
      >
        <desc id="experiment-chart-desc">
          {label} by variant:{' '}
          {rows
            .map(({ v, value, interval, format }) => {
              const b = bounds(interval);
              return `${v.letter} ${finite(value) ? format(value) : 'no figure yet'}${b ? ` (${format(b[0])} to ${format(b[1])})` : ''}`;
            })
            .join('; ')}
        </desc>
        <line x1={x(0)} x2={x(0)} y1={4} y2={height - 24} stroke="#9ca3af" />
        <text x={x(0)} y={height - 8} fontSize="11" textAnchor="middle" fill="#374151">
          {rows[0]?.format(0) ?? '0'}
        </text>
        <text x={x(max / 1.1)} y={height - 8} fontSize="11" textAnchor="middle" fill="#374151">
          {top > 0 ? rows[0]?.format(max / 1.1) : ''}
        </text>
        {rows.map(({ v, value, interval, format }, i) => {
          const y = 12 + i * ROW + ROW / 2;
          const b = bounds(interval);
          const colour = v.winner ? '#c2410c' : '#1d4ed8';
          return (
            <g key={v.index} data-testid={`chart-${v.letter}`}>
              <text x={4} y={y + 4} fontSize="12" fill="#111827">
                {v.letter} · {v.message.length > 16 ? `${v.message.slice(0, 15)}…` : v.message}
              </text>
              {b && (
                <rect
                  x={x(b[0])}
                  y={y - 4}
                  width={Math.max(1, x(b[1]) - x(b[0]))}
                  height={8}
                  rx={3}
                  fill={colour}
                  opacity={0.3}
                />
              )}
              {finite(value) ? (
                <>
                  <circle cx={x(value)} cy={y} r={5} fill={colour} />
                  <text x={Math.min(x(value) + 8, WIDTH - 60)} y={y - 7} fontSize="11" fill="#374151">
                    {format(value)}
                  </text>
                </>
              ) : (
                <text x={x(0) + 6} y={y + 4} fontSize="11" fill="#6b7280">
                  no figure yet
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** Each change of the split, oldest first: when, each variant's share, why. */
export function AllocationTable({ allocations, letters }: { allocations: AllocationChange[]; letters: string[] }) {
  if (!allocations.length) return <p className="muted">No allocation yet.</p>;
  return (
    <div className="table-wrap" role="region" aria-label="Shares over time" tabIndex={0}>
      <table className="table table--compact">
        <thead>
          <tr>
            <th scope="col">Time</th>
            {letters.map((l) => (
              <th key={l} scope="col" className="num">
                {l}
              </th>
            ))}
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {allocations.map((a, i) => {
            const shares = sharesOf(a.weights);
            return (
              <tr key={`${a.at}-${i}`}>
                <th scope="row">{formatDateTime(a.at)}</th>
                {letters.map((l, j) => (
                  <td key={l} className="num">
                    {formatShare(shares[j])}
                  </td>
                ))}
                <td>{a.reason || '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
