import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { HistogramBucket } from '../api/metrics/types';
import { RISK_COLORS, riskLevel } from '../lib/risk';
import { ChartDataTable } from './ChartDataTable';

/** A bucket's colour: at risk when wholly below the threshold, a lighter red when it straddles it. */
function bucketColor(b: HistogramBucket, threshold: number): string {
  if (b.to <= threshold) return RISK_COLORS['at-risk'].chart;
  if (b.from < threshold) return STRADDLE_COLOR;
  return RISK_COLORS[riskLevel(b.from, threshold)].chart;
}

const STRADDLE_COLOR = '#f87171';

function bucketLabel(b: HistogramBucket): string {
  return b.to >= 100 ? `${b.from}–100` : `${b.from}–${b.to - 1}`;
}

/**
 * Clients per score bucket, bars coloured by risk, with a line at the threshold. The same
 * numbers are in a table for screen readers.
 */
export function ScoreHistogram({ buckets, threshold }: { buckets: HistogramBucket[]; threshold: number }) {
  const data = buckets.map((b) => ({ ...b, mid: (b.from + b.to) / 2, label: bucketLabel(b) }));
  return (
    <figure className="chart">
      <div className="chart__canvas" aria-hidden="true">
        <ResponsiveContainer width="100%" height={240}>
          <BarChart
            accessibilityLayer={false}
            data={data}
            margin={{ top: 24, right: 12, bottom: 4, left: -12 }}
            barCategoryGap={2}
          >
            <CartesianGrid vertical={false} stroke="#e5e7eb" />
            <XAxis
              dataKey="mid"
              type="number"
              domain={[0, 100]}
              ticks={[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]}
              tick={{ fontSize: 12, fill: '#374151' }}
            />
            <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: '#374151' }} />
            <Tooltip
              formatter={(value) => [value, 'Clients']}
              // The tooltip's label is the bar's x value, its bucket's middle.
              labelFormatter={(mid) => `Score ${data.find((b) => b.mid === mid)?.label ?? ''}`}
            />
            <Bar dataKey="count" isAnimationActive={false}>
              {data.map((b) => (
                <Cell key={b.from} fill={bucketColor(b, threshold)} />
              ))}
            </Bar>
            <ReferenceLine
              x={threshold}
              stroke="#111827"
              strokeDasharray="4 3"
              strokeWidth={2}
              label={{ value: `Threshold ${threshold}`, position: 'top', fill: '#111827', fontSize: 12 }}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="chart__caption">
        Clients by engagement score. Scores below {threshold} (left of the dashed line) are at risk.
      </figcaption>
      <ChartDataTable
        caption="Clients per score range"
        columns={['Score', 'Clients']}
        rows={data.map((b) => ({ key: b.from, cells: [b.label, b.count] }))}
      />
    </figure>
  );
}
