import type { Funnel } from '../api/effectiveness/types';
import { funnelSteps, lossFigures, revenueDetail } from '../lib/effectiveness';
import { formatCount, formatMoney } from '../lib/format';
import { KpiCard } from './KpiCard';

/**
 * Sent → delivered → opened → clicked → converted as bars against sent, then revenue and
 * the losses. Opens carry a visible warning: mail privacy features inflate them.
 */
export function FunnelPanel({
  funnel,
  windowDays,
  opensUnreliable,
}: {
  funnel: Funnel;
  windowDays: number;
  opensUnreliable: boolean;
}) {
  const steps = funnelSteps(funnel);
  return (
    <section className="panel" aria-labelledby="funnel-heading">
      <h2 id="funnel-heading">Funnel</h2>
      <ol className="funnel" aria-label={`Funnel, last ${windowDays} days`}>
        {steps.map((s) => {
          const unreliable = s.unreliable && opensUnreliable;
          return (
            <li
              key={s.key}
              className={`funnel__step${unreliable ? ' funnel__step--unreliable' : ''}`}
              data-step={s.key}
            >
              <div className="funnel__head">
                <span className="funnel__label">
                  {s.label}
                  {unreliable && (
                    <>
                      {' '}
                      <span className="tag tag--caution" aria-describedby="opens-note">
                        unreliable
                      </span>
                    </>
                  )}
                </span>
                <span className="funnel__value">{formatCount(s.value)}</span>
              </div>
              <div className="funnel__bar" aria-hidden="true">
                <span style={{ width: `${Math.min(100, Math.max(0, s.ofSent * 100))}%` }} />
              </div>
              <span className="funnel__detail">{s.detail}</span>
            </li>
          );
        })}
      </ol>
      {opensUnreliable && (
        <p id="opens-note" className="note note--caution">
          <strong>Opens are unreliable.</strong> Mail privacy features such as Apple Mail Privacy Protection fetch every
          message’s images, tracking pixel included, whether or not anyone reads it, so opens are inflated. Judge the
          emails by clicks and conversions.
        </p>
      )}
      <dl className="kpis kpis--compact">
        <KpiCard label="Revenue" value={formatMoney(funnel.revenue)} detail={revenueDetail(funnel)} />
        {lossFigures(funnel).map((l) => (
          <KpiCard key={l.label} label={l.label} value={formatCount(l.value)} detail={l.detail} />
        ))}
      </dl>
    </section>
  );
}
