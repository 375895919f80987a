import type { Lift } from '../api/effectiveness/types';
import {
  formatInterval,
  formatLiftPoints,
  formatRate,
  formatRelativeLift,
  holdoutSentence,
  intervalGeometry,
  significanceSentence,
} from '../lib/effectiveness';
import { formatCount, formatMoney } from '../lib/format';
import { KpiCard } from './KpiCard';

/** Emailed vs held-out clients side by side, the lift, its 95% interval and what it means. */
export function LiftPanel({
  lift,
  holdoutShare,
  attributionDays,
}: {
  lift: Lift;
  holdoutShare: number;
  attributionDays: number;
}) {
  const { emailed, heldOut } = lift;
  const comparable = emailed.clients > 0 && heldOut.clients > 0;
  const rows: [string, string, string][] = [
    ['Clients', formatCount(emailed.clients), formatCount(heldOut.clients)],
    ['Converted', formatCount(emailed.converted), formatCount(heldOut.converted)],
    ['Conversion rate', formatRate(emailed.conversionRate), formatRate(heldOut.conversionRate)],
    ['Revenue', formatMoney(emailed.revenue), formatMoney(heldOut.revenue)],
    ['Revenue per client', formatMoney(emailed.revenuePerClient), formatMoney(heldOut.revenuePerClient)],
  ];
  return (
    <section className="panel" aria-labelledby="lift-heading">
      <h2 id="lift-heading">Lift against the holdout</h2>
      <div className="lift">
        <div className="table-wrap">
          <table className="table lift__table">
            <caption className="sr-only">Emailed and held-out clients compared</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="sr-only">Figure</span>
                </th>
                <th scope="col" className="num">
                  Emailed
                </th>
                <th scope="col" className="num">
                  Held out
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([label, a, b]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td className="num">{a}</td>
                  <td className="num">{b}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="lift__summary">
          <dl className="kpis kpis--compact">
            <KpiCard
              label="Absolute lift"
              value={comparable ? formatLiftPoints(lift.absoluteLift) : '—'}
              detail="percentage points of conversion rate"
            />
            <KpiCard
              label="Relative lift"
              value={comparable ? formatRelativeLift(lift.relativeLift) : '—'}
              detail={
                lift.relativeLift === null && comparable
                  ? 'no held-out conversions to compare with'
                  : 'over the held-out rate'
              }
            />
          </dl>
          {comparable && <IntervalBar ci={lift.ci95} point={lift.absoluteLift} significant={lift.significant} />}
        </div>
      </div>
      <p className={`lift__verdict${comparable && lift.significant ? ' lift__verdict--significant' : ''}`}>
        {significanceSentence(lift)}
      </p>
      <p className="small muted">
        <strong>The holdout:</strong> {holdoutSentence(holdoutShare, attributionDays)}
      </p>
    </section>
  );
}

/** The 95% interval of the lift drawn on a bar with the zero line and the estimate. */
function IntervalBar({ ci, point, significant }: { ci: [number, number] | null; point: number; significant: boolean }) {
  const g = intervalGeometry(ci, point);
  const text = formatInterval(ci);
  if (!g || !ci) return <p className="small muted">95% confidence interval: {text}.</p>;
  return (
    <figure className="ci">
      <div
        className={`ci__bar${significant ? ' ci__bar--significant' : ''}`}
        role="img"
        aria-label={`95% confidence interval of the lift: ${text}, estimate ${formatLiftPoints(point)}; zero is ${
          g.zero >= g.low && g.zero <= g.high ? 'inside' : 'outside'
        } the interval`}
      >
        <span className="ci__range" style={{ left: `${g.low}%`, width: `${Math.max(0.5, g.high - g.low)}%` }} />
        <span className="ci__zero" style={{ left: `${g.zero}%` }} />
        <span className="ci__point" style={{ left: `${g.point}%` }} />
      </div>
      <div className="ci__scale" aria-hidden="true">
        <span style={{ left: `${g.zero}%` }}>0</span>
        {/* The ends, where they do not crowd zero or each other. */}
        {Math.abs(g.low - g.zero) > 12 && (
          <span style={{ left: `${g.low}%` }}>{formatLiftPoints(Math.min(...ci), '').trim()}</span>
        )}
        {Math.abs(g.high - g.zero) > 12 && g.high - g.low > 12 && (
          <span style={{ left: `${g.high}%` }}>{formatLiftPoints(Math.max(...ci), '').trim()}</span>
        )}
      </div>
      <figcaption className="chart__caption">95% confidence interval of the lift: {text}.</figcaption>
    </figure>
  );
}
