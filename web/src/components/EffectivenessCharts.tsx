import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EffectivenessDay } from '../api/effectiveness/types';
import { formatCount, formatMoney, shortDate } from '../lib/format';
import { ChartDataTable } from './ChartDataTable';

// Opens are dashed and pale: they are the unreliable series.
const SERIES = [
  { key: 'sent', label: 'Sent', color: '#57534e', dash: undefined },
  { key: 'opened', label: 'Opened (unreliable)', color: '#a8a29e', dash: '5 4' },
  { key: 'clicked', label: 'Clicked', color: '#1d4ed8', dash: undefined },
  { key: 'converted', label: 'Converted', color: '#c2410c', dash: undefined },
] as const;

const TICK = { fontSize: 12, fill: '#374151' };

/**
 * Emails sent, opened, clicked and converted per day, and revenue per day. Each chart has
 * an HTML legend and a table with the same numbers.
 */
export function EffectivenessCharts({ days }: { days: EffectivenessDay[] }) {
  const totals = days.reduce(
    (t, d) => ({ sent: t.sent + d.sent, converted: t.converted + d.converted, revenue: t.revenue + d.revenue }),
    { sent: 0, converted: 0, revenue: 0 },
  );
  return (
    <div className="grid-2">
      <figure className="chart">
        <h3 className="chart__title">Emails per day</h3>
        <ul className="legend" aria-hidden="true">
          {SERIES.map((s) => (
            <li key={s.key}>
              <svg width="22" height="10" viewBox="0 0 22 10">
                <line x1="1" y1="5" x2="21" y2="5" stroke={s.color} strokeWidth="3" strokeDasharray={s.dash} />
              </svg>
              {s.label}
            </li>
          ))}
        </ul>
        <div className="chart__canvas" aria-hidden="true">
          <ResponsiveContainer width="100%" height={240}>
            <LineChart accessibilityLayer={false} data={days} margin={{ top: 12, right: 12, bottom: 4, left: -12 }}>
              <CartesianGrid vertical={false} stroke="#e5e7eb" />
              <XAxis dataKey="date" tickFormatter={shortDate} tick={TICK} minTickGap={16} />
              <YAxis allowDecimals={false} tick={TICK} />
              <Tooltip labelFormatter={(label) => (typeof label === 'string' ? shortDate(label) : label)} />
              {SERIES.map((s) => (
                <Line
                  key={s.key}
                  type="linear"
                  dataKey={s.key}
                  name={s.label}
                  stroke={s.color}
                  strokeWidth={2}
                  strokeDasharray={s.dash}
                  dot={false}
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
        <figcaption className="chart__caption">
          {totals.sent === 0
            ? 'No emails sent in this window.'
            : `${formatCount(totals.sent)} emails sent and ${formatCount(totals.converted)} conversions in this window.`}
        </figcaption>
        <ChartDataTable
          caption="Emails per day"
          columns={['Day', 'Sent', 'Opened', 'Clicked', 'Converted']}
          rows={days.map((d) => ({ key: d.date, cells: [d.date, d.sent, d.opened, d.clicked, d.converted] }))}
        />
      </figure>

      <figure className="chart">
        <h3 className="chart__title">Revenue per day</h3>
        <div className="chart__canvas" aria-hidden="true">
          <ResponsiveContainer width="100%" height={240}>
            <BarChart accessibilityLayer={false} data={days} margin={{ top: 12, right: 12, bottom: 4, left: -4 }}>
              <CartesianGrid vertical={false} stroke="#e5e7eb" />
              <XAxis dataKey="date" tickFormatter={shortDate} tick={TICK} minTickGap={16} />
              <YAxis tick={TICK} />
              <Tooltip
                formatter={(value) => [formatMoney(Number(value)), 'Revenue']}
                labelFormatter={(label) => (typeof label === 'string' ? shortDate(label) : label)}
              />
              <Bar dataKey="revenue" fill="#c2410c" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <figcaption className="chart__caption">
          {totals.revenue === 0
            ? 'No revenue from conversions in this window.'
            : `${formatMoney(totals.revenue)} from conversions in this window.`}
        </figcaption>
        <ChartDataTable
          caption="Revenue per day"
          columns={['Day', 'Revenue']}
          rows={days.map((d) => ({ key: d.date, cells: [d.date, formatMoney(d.revenue)] }))}
        />
      </figure>
    </div>
  );
}
