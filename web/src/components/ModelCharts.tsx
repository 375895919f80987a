import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DistributionBin, FitDiagnostics } from '../api/model/types';
import { formatCount } from '../lib/format';
import { formatDay, hasHoldout } from '../lib/model';
import { ChartDataTable } from './ChartDataTable';

const TICK = { fontSize: 12, fill: '#374151' };
const ACTUAL = '#44403c';
const EXPECTED = '#c2410c';

function round1(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n.toLocaleString('en-GB', { maximumFractionDigits: 1 });
}

/**
 * The calibration check: repeat orders made in the holdout against those the model
 * expected, by repeat orders before the calibration end. Without a holdout (the fit ran up
 * to the last order) there is nothing to compare, so it shows the clients per group.
 */
export function CalibrationChart({ diagnostics }: { diagnostics: FitDiagnostics }) {
  const holdout = hasHoldout(diagnostics);
  const data = diagnostics.byPastOrders.map((g) => ({
    group: g.pastOrders,
    clients: g.clients,
    actual: g.actual ?? null,
    expected: g.expected ?? null,
  }));
  const series = holdout
    ? [
        { key: 'actual', label: 'Actual', color: ACTUAL },
        { key: 'expected', label: 'Expected by the model', color: EXPECTED },
      ]
    : [{ key: 'clients', label: 'Clients', color: ACTUAL }];
  return (
    <figure className="chart" data-testid="calibration-chart">
      <h3 className="chart__title">
        {holdout ? 'Repeat orders in the holdout: actual and expected' : 'Clients by repeat orders'}
      </h3>
      <ul className="legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.key}>
            <svg width="14" height="14" viewBox="0 0 14 14">
              <rect width="14" height="14" rx="2" fill={s.color} />
            </svg>
            {s.label}
          </li>
        ))}
      </ul>
      <div className="chart__canvas" aria-hidden="true">
        <ResponsiveContainer width="100%" height={240}>
          <BarChart accessibilityLayer={false} data={data} margin={{ top: 12, right: 12, bottom: 16, left: -4 }}>
            <CartesianGrid vertical={false} stroke="#e5e7eb" />
            <XAxis
              dataKey="group"
              tick={TICK}
              label={{ value: 'Repeat orders before the calibration end', position: 'bottom', offset: 0, ...TICK }}
            />
            <YAxis tick={TICK} allowDecimals={false} />
            <Tooltip
              labelFormatter={(label) => (typeof label === 'string' ? `${label} repeat orders before` : label)}
            />
            {series.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="chart__caption">
        {holdout
          ? `From the calibration end to ${formatDay(diagnostics.holdoutEnd)} (${formatCount(
              diagnostics.holdoutDays,
            )} days), clients made ${round1(diagnostics.actualRepeatOrders)} repeat orders; the model expected ${round1(
              diagnostics.expectedRepeatOrders,
            )}. Bars of similar height mean the model is well calibrated.`
          : 'No order came after the calibration end, so there is no holdout to check the model against. Fit up to an earlier date to see how well it forecasts.'}
      </figcaption>
      <ChartDataTable
        caption="Repeat orders by repeat orders before the calibration end"
        columns={
          holdout ? ['Repeat orders before', 'Clients', 'Actual', 'Expected'] : ['Repeat orders before', 'Clients']
        }
        rows={data.map((g) => ({
          key: g.group,
          cells: holdout
            ? [g.group, formatCount(g.clients), round1(g.actual), round1(g.expected)]
            : [g.group, formatCount(g.clients)],
        }))}
      />
    </figure>
  );
}

/** Clients per bin of a prediction (churn probability or predicted value), with its table. */
export function DistributionChart({
  title,
  bins,
  binLabel,
  caption,
  color,
}: {
  title: string;
  bins: DistributionBin[];
  binLabel: (b: DistributionBin) => string;
  caption: string;
  color: string;
}) {
  const data = bins.map((b) => ({ ...b, label: binLabel(b) }));
  return (
    <figure className="chart">
      <h3 className="chart__title">{title}</h3>
      <div className="chart__canvas" aria-hidden="true">
        <ResponsiveContainer width="100%" height={220}>
          <BarChart
            accessibilityLayer={false}
            data={data}
            margin={{ top: 12, right: 12, bottom: 4, left: -4 }}
            barCategoryGap={2}
          >
            <CartesianGrid vertical={false} stroke="#e5e7eb" />
            <XAxis dataKey="label" tick={TICK} interval="preserveStartEnd" minTickGap={8} />
            <YAxis tick={TICK} allowDecimals={false} />
            <Tooltip formatter={(value) => [formatCount(Number(value)), 'Clients']} />
            <Bar dataKey="clients" fill={color} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="chart__caption">{caption}</figcaption>
      <ChartDataTable
        caption={title}
        columns={['Range', 'Clients']}
        rows={data.map((b) => ({ key: b.label, cells: [b.label, formatCount(b.clients)] }))}
      />
    </figure>
  );
}
