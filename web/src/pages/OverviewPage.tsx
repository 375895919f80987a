import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import { DEFAULT_THRESHOLD, metricsQuery } from '../api/metrics/queries';
import type { Metrics } from '../api/metrics/types';
import { useRedriveQueue } from '../api/queues/mutations';
import type { QueueStats } from '../api/queues/types';
import { AlertBanner } from '../components/AlertBanner';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { notify } from '../lib/notices';
import { userListQuery } from '../api/users/queries';
import { KpiCard } from '../components/KpiCard';
import { QueueTable } from '../components/QueueTable';
import { ScoreBadge } from '../components/ScoreBadge';
import { Empty, ErrorState, errorMessage, Loading, NotAvailable, QueryError } from '../components/StatusViews';
import { formatCount, formatDaysAgo, formatPercent, formatScore } from '../lib/format';
import { usePageTitle } from '../lib/usePageTitle';

// The chart library is the biggest dependency; only the overview needs it.
const ScoreHistogram = lazy(() => import('../components/ScoreHistogram').then((m) => ({ default: m.ScoreHistogram })));
const EmailsPerDayChart = lazy(() =>
  import('../components/EmailsPerDayChart').then((m) => ({ default: m.EmailsPerDayChart })),
);

export function OverviewPage() {
  usePageTitle('Overview');
  const metrics = useQuery(metricsQuery());
  const threshold = metrics.data?.threshold ?? DEFAULT_THRESHOLD;

  return (
    <div className="page">
      <header className="page__header">
        <h1>Overview</h1>
        <p className="page__lead">How your clients are doing, and what Rekindle is doing about it. Updates live.</p>
      </header>

      <AlertBanner />

      {metrics.isPending ? (
        <Loading label="Loading metrics…" />
      ) : metrics.isError ? (
        <QueryError
          title="Could not load metrics"
          error={metrics.error}
          onRetry={() => void metrics.refetch()}
          notFound={
            <NotAvailable title="Metrics are not available yet">
              This server does not offer <code>/api/metrics</code> yet. The client list and details work meanwhile.
            </NotAvailable>
          }
        />
      ) : (
        <MetricsView metrics={metrics.data} />
      )}

      <AtRiskPanel threshold={threshold} />
    </div>
  );
}

function MetricsView({ metrics }: { metrics: Metrics }) {
  const { users, emails } = metrics;
  const redrive = useRedriveQueue();
  const [redriving, setRedriving] = useState<QueueStats | null>(null);
  const sent = (emails.byStatus.SENT ?? 0) + (emails.byStatus.OPENED ?? 0) + (emails.byStatus.CLICKED ?? 0);
  const failed = emails.byStatus.FAILED ?? 0;
  return (
    <>
      <section aria-labelledby="kpi-heading">
        <h2 id="kpi-heading" className="sr-only">
          Key figures
        </h2>
        <dl className="kpis">
          <KpiCard label="Clients" value={formatCount(users.total)} to="/clients" />
          <KpiCard
            label="At risk"
            to="/clients?sort=score&state=atRisk"
            value={formatCount(users.atRisk)}
            detail={`${formatPercent(users.atRiskShare)} of clients score below ${metrics.threshold}`}
          />
          <KpiCard label="Average score" value={formatScore(users.averageScore)} detail="out of 100" />
          <KpiCard
            label="Emails, last 7 days"
            value={formatCount(emails.last7Days)}
            to={`/emails?from=${firstDayOfLast(7)}`}
          />
          <KpiCard
            label="Emails, last 30 days"
            value={formatCount(emails.last30Days)}
            to={`/emails?from=${firstDayOfLast(30)}`}
            detail={
              <>
                <Link to="/emails">{formatCount(emails.total)} in all</Link> · {formatCount(sent)} sent
                {failed ? (
                  <>
                    {' '}
                    · <Link to="/emails?status=FAILED">{formatCount(failed)} failed</Link>
                  </>
                ) : null}
              </>
            }
          />
        </dl>
      </section>

      <div className="grid-2">
        <section className="panel" aria-labelledby="histogram-heading">
          <h2 id="histogram-heading">Score distribution</h2>
          {metrics.scoreHistogram.length ? (
            <Suspense fallback={<Loading label="Loading chart…" />}>
              <ScoreHistogram buckets={metrics.scoreHistogram} threshold={metrics.threshold} />
            </Suspense>
          ) : (
            <Empty>No clients yet.</Empty>
          )}
        </section>
        <section className="panel" aria-labelledby="per-day-heading">
          <h2 id="per-day-heading">Emails per day</h2>
          {metrics.emailsPerDay.length ? (
            <Suspense fallback={<Loading label="Loading chart…" />}>
              <EmailsPerDayChart days={metrics.emailsPerDay} />
            </Suspense>
          ) : (
            <Empty>No emails yet.</Empty>
          )}
        </section>
      </div>

      <section className="panel" aria-labelledby="queues-heading">
        <h2 id="queues-heading">Queue health</h2>
        <QueueTable queues={metrics.queues} onRedrive={setRedriving} />
      </section>
      {redriving && (
        <ConfirmDialog
          title={`Redrive ${redriving.name}?`}
          confirmLabel="Redrive"
          busy={redrive.isPending}
          error={redrive.error ? errorMessage(redrive.error) : null}
          onCancel={() => {
            redrive.reset();
            setRedriving(null);
          }}
          onConfirm={() =>
            redrive.mutate(redriving.name, {
              onSuccess: (r) => {
                notify(`${r.redriven} message${r.redriven === 1 ? '' : 's'} sent back to ${r.queue}.`);
                setRedriving(null);
              },
            })
          }
        >
          <p>
            {redriving.dlqDepth} message{redriving.dlqDepth === 1 ? '' : 's'} failed too often and were set aside. Send
            them back to the queue to be processed again?
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** The clients with the lowest scores: where to start the day. */
function AtRiskPanel({ threshold }: { threshold: number }) {
  const list = useQuery(
    userListQuery({ limit: 8, sort: 'score', order: 'asc', atRisk: true, search: '', cursor: null }),
  );
  return (
    <section className="panel" aria-labelledby="at-risk-heading">
      <div className="panel__header">
        <h2 id="at-risk-heading">Lowest scores</h2>
        <Link to="/clients?sort=score&atRisk=1">All at-risk clients</Link>
      </div>
      {list.isPending ? (
        <Loading label="Loading clients…" />
      ) : list.isError ? (
        <ErrorState title="Could not load clients" error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Empty>No client is at risk. Nice.</Empty>
      ) : (
        <ul className="risk-list">
          {list.data.items.map((u) => (
            <li key={u.userId}>
              <Link to={`/clients/${encodeURIComponent(u.userId)}`}>{u.name}</Link>
              <span className="risk-list__meta">last order {formatDaysAgo(u.lastOrderDate)}</span>
              <ScoreBadge score={u.engagementScore} threshold={threshold} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The first UTC day (YYYY-MM-DD) of "the last n days" as the server counts them: today and the n − 1 before. */
function firstDayOfLast(n: number, now: Date = new Date()): string {
  return new Date(now.getTime() - (n - 1) * 86_400_000).toISOString().slice(0, 10);
}
