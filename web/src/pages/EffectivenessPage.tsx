import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { useSearchParams } from 'react-router';
import { effectivenessQuery } from '../api/effectiveness/queries';
import type { Effectiveness } from '../api/effectiveness/types';
import { FunnelPanel } from '../components/FunnelPanel';
import { LiftPanel } from '../components/LiftPanel';
import { RuleLiftPanel } from '../components/RuleLiftPanel';
import { Empty, Loading, NotAvailable, QueryError } from '../components/StatusViews';
import { StepConversionPanel } from '../components/StepConversionPanel';
import { DEFAULT_WINDOW_DAYS, parseWindowDays, WINDOW_DAYS } from '../lib/effectiveness';
import { usePageTitle } from '../lib/usePageTitle';

// The chart library is big: load it with the charts.
const EffectivenessCharts = lazy(() =>
  import('../components/EffectivenessCharts').then((m) => ({ default: m.EffectivenessCharts })),
);

export function EffectivenessPage() {
  usePageTitle('Effectiveness');
  const [params, setParams] = useSearchParams();
  const days = parseWindowDays(params);
  const report = useQuery(effectivenessQuery(days));

  return (
    <div className="page">
      <header className="page__header page__header--row">
        <div>
          <h1>Effectiveness</h1>
          <p className="page__lead">
            Do the emails win clients back? Measured against clients who were not emailed. Updates live.
          </p>
        </div>
        <div className="segmented" role="group" aria-label="Window">
          {WINDOW_DAYS.map((d) => (
            <button
              key={d}
              type="button"
              aria-pressed={d === days}
              onClick={() => setParams(d === DEFAULT_WINDOW_DAYS ? {} : { days: String(d) })}
            >
              {d} days
            </button>
          ))}
        </div>
      </header>

      {report.isPending ? (
        <Loading label="Loading effectiveness…" />
      ) : report.isError ? (
        <QueryError
          title="Could not load effectiveness"
          error={report.error}
          onRetry={() => void report.refetch()}
          notFound={
            <NotAvailable title="Effectiveness is not available yet">
              This server does not offer <code>/api/effectiveness</code> yet, so there are no opens, clicks, conversions
              or lift to show. The overview, clients and emails work meanwhile.
            </NotAvailable>
          }
        />
      ) : (
        <div className="stack" aria-busy={report.isPlaceholderData}>
          <Report report={report.data} />
        </div>
      )}
    </div>
  );
}

function Report({ report }: { report: Effectiveness }) {
  if (report.funnel.sent === 0) {
    return (
      <Empty>
        <p className="state__title">Nothing sent in the last {report.windowDays} days</p>
        <p>
          Once Rekindle emails at-risk clients, this page shows how many opened, clicked and ordered again, and how they
          compare with the clients held out.
        </p>
      </Empty>
    );
  }
  return (
    <>
      <FunnelPanel
        funnel={report.funnel}
        windowDays={report.windowDays}
        opensUnreliable={report.opensUnreliable !== false}
      />
      <LiftPanel lift={report.lift} holdoutShare={report.holdoutShare} attributionDays={report.attributionDays} />
      {report.byRule && report.byRule.length > 0 && (
        <RuleLiftPanel byRule={report.byRule} windowDays={report.windowDays} />
      )}
      {report.byStep && <StepConversionPanel byStep={report.byStep} windowDays={report.windowDays} />}
      <section className="panel" aria-labelledby="over-time-heading">
        <h2 id="over-time-heading">Over time</h2>
        {report.daily.length ? (
          <Suspense fallback={<Loading label="Loading charts…" />}>
            <EffectivenessCharts days={report.daily} />
          </Suspense>
        ) : (
          <Empty>No days to show.</Empty>
        )}
      </section>
    </>
  );
}
