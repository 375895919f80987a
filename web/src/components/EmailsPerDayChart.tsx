import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DayCount } from '../api/metrics/types';

function shortDate(date: string): string {
  const [, m, d] = date.split('-');
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(d)} ${months[Number(m) - 1] ?? ''}`;
}

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
      <details className="chart__data">
        <summary>Show the numbers</summary>
        <table className="table table--compact">
          <caption>Emails per day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Emails</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.date}>
                <td>{d.date}</td>
                <td>{d.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
