// One shop platform's reconciliation with Rekindle (the "Keeping in step" section): what
// the last run did, how far the orders and customers have been read, the next run, and
// "Sync now". Presentational: the page owns the query and the mutation.

import { useId } from 'react';
import type { ShopSync } from '../api/integrations/types';
import { formatCount, formatDateTime, formatTime } from '../lib/format';
import {
  cursorWords,
  nextRunWords,
  PROGRESS_LABELS,
  SYNC_SETTINGS,
  syncErrorWords,
  syncScheduleWords,
  syncStatusTone,
  syncStatusWords,
  syncTookWords,
  syncTriggerWords,
} from '../lib/shopSync';

export function ShopSyncCard({
  sync,
  starting,
  onSyncNow,
}: {
  sync: ShopSync;
  /** A "Sync now" is on its way and the server has not answered yet: the button waits. */
  starting: boolean;
  onSyncNow: () => void;
}) {
  const headingId = useId();
  const running = sync.status === 'running';

  if (!sync.configured) {
    const settings = SYNC_SETTINGS[sync.source] ?? [];
    return (
      <section className="sync-card" aria-labelledby={headingId} data-source={sync.source} data-status="unconfigured">
        <div className="sync-card__header">
          <h3 id={headingId}>{sync.name}</h3>
          <span className="badge badge--muted">Not configured</span>
        </div>
        <p className="small">
          {settings.length > 0 ? (
            <>
              To keep {sync.name} in step, set{' '}
              {settings.map((name, i) => (
                <span key={name}>
                  {i > 0 && (i === settings.length - 1 ? ' and ' : ', ')}
                  <code>{name}</code>
                </span>
              ))}{' '}
              in the server's environment and restart it.
            </>
          ) : (
            <>Its settings are not set in the server's environment.</>
          )}
        </p>
      </section>
    );
  }

  const took = syncTookWords(sync.startedAt, sync.finishedAt);
  const cursors = cursorWords(sync.cursors);
  return (
    <section className="sync-card" aria-labelledby={headingId} data-source={sync.source} data-status={sync.status}>
      <div className="sync-card__header">
        <h3 id={headingId}>{sync.name}</h3>
        <span className={`badge badge--${syncStatusTone(sync.status)}`}>{syncStatusWords(sync.status)}</span>
        <button
          type="button"
          className="button button--primary sync-card__button"
          onClick={onSyncNow}
          disabled={running || starting}
          aria-describedby={running ? `${headingId}-running` : undefined}
        >
          Sync now
        </button>
      </div>
      {sync.shopUrl && (
        <p className="small sync-card__shop">
          <code>{sync.shopUrl}</code>
        </p>
      )}
      {/* Always there, so screen readers hear the line when a run starts. */}
      <p className="small muted sync-card__status" role="status" id={`${headingId}-running`}>
        {running ? (sync.startedAt ? `Syncing since ${formatTime(sync.startedAt)}…` : 'Syncing…') : ''}
      </p>
      {sync.status === 'failed' && (
        <p className="form-error" role="alert">
          The last sync failed: {syncErrorWords(sync)}
        </p>
      )}

      <dl className="facts facts--compact sync-card__facts">
        <div>
          <dt>Last run</dt>
          <dd>
            {sync.startedAt ? (
              <>
                {syncTriggerWords(sync.trigger)}, {formatDateTime(sync.startedAt)}
                {sync.finishedAt && <>; finished {formatDateTime(sync.finishedAt)}</>}
                {took && <> ({took})</>}
              </>
            ) : (
              'never'
            )}
          </dd>
        </div>
        <div>
          <dt>Last success</dt>
          <dd>{sync.lastSuccessAt ? formatDateTime(sync.lastSuccessAt) : 'never'}</dd>
        </div>
        <div>
          <dt>Next run</dt>
          <dd>
            {nextRunWords(sync)}
            {sync.intervalMinutes > 0 && <> ({syncScheduleWords(sync.intervalMinutes)})</>}
          </dd>
        </div>
        <div>
          <dt>Read so far</dt>
          <dd>
            {cursors.orders}; {cursors.customers}
          </dd>
        </div>
      </dl>

      {sync.status !== 'never' && (
        <>
          <h4 className="sync-card__subheading">{running ? 'Counts so far' : 'Counts of the last run'}</h4>
          <dl className="facts facts--compact sync-card__counts">
            {PROGRESS_LABELS.map(({ key, label }) => (
              <div key={key}>
                <dt>{label}</dt>
                <dd data-count={key}>{formatCount(sync.progress[key])}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}
