// One import: its progress while it runs (a bar of the file read, rows, rows/s, phase),
// then its summary and the rows it rejected.

import type { ImportJob } from '../api/imports/types';
import { formatCount, formatDateTime } from '../lib/format';
import { formatBytes, PHASE_WORDS, progressShare, rowsPerSecond } from '../lib/importFile';

export function ImportJobView({ job, now }: { job: ImportJob; now: Date }) {
  return (
    <div className="import-job" data-testid="import-job" data-job-id={job.id} data-status={job.status}>
      <p className="muted small">
        {job.kind === 'orders' ? 'Orders' : 'Clients'} · {job.format} · started {formatDateTime(job.startedAt)}
        {job.createdBy ? ` by ${job.createdBy}` : ''}
        {job.dryRun && (
          <>
            {' '}
            · <span className="badge badge--info">Dry run</span>
          </>
        )}
      </p>
      {job.status === 'running' ? <Progress job={job} now={now} /> : <Summary job={job} />}
      {job.rejects && job.rejects.length > 0 && <Rejects job={job} />}
    </div>
  );
}

function Progress({ job, now }: { job: ImportJob; now: Date }) {
  const share = progressShare(job);
  const rate = rowsPerSecond(job, now);
  return (
    <div role="status" aria-live="polite" className="import-progress">
      <p className="import-progress__phase">
        <span className="spinner" aria-hidden="true" /> {PHASE_WORDS[job.phase] ?? job.phase}…
      </p>
      <progress
        className="import-progress__bar"
        max={1}
        aria-label="Share of the file read"
        {...(share === null ? {} : { value: share })}
      />
      <p className="small" data-testid="import-progress">
        {formatCount(job.rows)} rows
        {share !== null && ` · ${Math.floor(share * 100)}% of ${formatBytes(job.totalBytes)}`}
        {rate !== null && ` · ${formatCount(Math.round(rate))} rows/s`}
      </p>
    </div>
  );
}

const SUMMARY: { key: keyof ImportJob; label: string }[] = [
  { key: 'imported', label: 'Imported' },
  { key: 'updated', label: 'Updated' },
  { key: 'unchanged', label: 'Unchanged' },
  { key: 'rejected', label: 'Rejected' },
  { key: 'clientsCreated', label: 'Clients created' },
  { key: 'atRisk', label: 'At risk now' },
];

function Summary({ job }: { job: ImportJob }) {
  return (
    <>
      {job.status === 'failed' ? (
        <div className="state state--error" role="alert">
          <p className="state__title">The import stopped{job.dryRun ? '' : ' and wrote nothing from the file'}.</p>
          <p data-testid="import-error">{job.error ?? 'The server gave no reason.'}</p>
        </div>
      ) : (
        <p role="status" className="import-done">
          {job.dryRun
            ? 'Dry run finished: nothing was written. These are the changes the import would make.'
            : 'Import finished.'}
        </p>
      )}
      <dl className="facts import-summary" aria-label="Summary">
        {SUMMARY.map(({ key, label }) => (
          <div key={key}>
            <dt>{job.dryRun && key === 'atRisk' ? 'Would be at risk' : label}</dt>
            <dd data-testid={`import-${key}`}>{formatCount(job[key] as number | null)}</dd>
          </div>
        ))}
        <div>
          <dt>Rows read</dt>
          <dd data-testid="import-rows">{formatCount(job.rows)}</dd>
        </div>
        <div>
          <dt>Seconds</dt>
          <dd data-testid="import-seconds">{job.seconds === null ? '—' : job.seconds.toFixed(2)}</dd>
        </div>
      </dl>
    </>
  );
}

function Rejects({ job }: { job: ImportJob }) {
  const rejects = job.rejects ?? [];
  return (
    <section aria-labelledby={`rejects-${job.id}`}>
      <h3 id={`rejects-${job.id}`}>Rejected rows</h3>
      {rejects.length < job.rejected && (
        <p className="muted small">
          The first {formatCount(rejects.length)} of {formatCount(job.rejected)}.
        </p>
      )}
      <div className="table-wrap" role="region" aria-label="List of rejected rows" tabIndex={0}>
        <table className="table table--compact">
          <thead>
            <tr>
              <th scope="col" className="num">
                Line
              </th>
              <th scope="col">Field</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {rejects.map((r, i) => (
              <tr key={`${r.line}-${i}`}>
                <td className="num">{r.line}</td>
                <td>{r.field ?? '—'}</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
