import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DayCount } from '../api/metrics/types';
import { shortDate } from '../lib/format';
import { ChartDataTable } from './ChartDataTable';

/** Emails generated per day over the last 30 days; a table carries the same numbers. */
export function EmailsPerDayChart({ days }: { days: DayCount[] }) {
  const total = days.reduce((s, d) => s + d.count, 0);
  return (
    <figure className="chart">
      <div className="chart__canvas" aria-hidden="true">
        <ResponsiveContainer width="100%" height={240}>
          <BarChart accessibilityLayer={false} data={days} margin={{ top: 12, right: 12, bottom: 4, left: -12 }}>
            <CartesianGrid vertical={false} stroke="#e5e7eb" />
            <XAxis dataKey="date" tickFormatter={shortDate} tick={{ fontSize: 12, fill: '#374151' }} minTickGap={16} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: '#374151' }} />
            <Tooltip
              formatter={(value) => [value, 'Emails']}
              labelFormatter={(label) => (typeof label === 'string' ? shortDate(label) : label)}
            />
            <Bar dataKey="count" fill="#c2410c" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="chart__caption">
        {total === 0 ? 'No emails in the last 30 days.' : `${total} emails in the last 30 days.`}
      </figcaption>
      <ChartDataTable
        caption="Emails per day"
        columns={['Day', 'Emails']}
        rows={days.map((d) => ({ key: d.date, cells: [d.date, d.count] }))}
      />
    </figure>
  );
}
