// "Who would be emailed by the next sweep": the dry run's counts by step, who waits
// (paused, quiet hours, cap) and who is skipped (suppressed, held out, resting), and a
// sample of the clients, each linking to their page. Nothing is sent by asking.

import { Link } from 'react-router';
import type { DryRun } from '../api/journey/types';
import { formatCount, formatDateTime, formatScore } from '../lib/format';

export function DryRunPanel({ dryRun }: { dryRun: DryRun }) {
  const waits = dryRun.notNow.paused + dryRun.notNow.quietHours + dryRun.notNow.cap;
  return (
    <div className="dry-run">
      <p className="dry-run__headline" data-testid="dry-run-would-email">
        <strong>{formatCount(dryRun.wouldEmail)}</strong>{' '}
        {dryRun.wouldEmail === 1 ? 'client would be emailed' : 'clients would be emailed'} by the next sweep.
      </p>
      {dryRun.at && (
        <p className="muted small" data-testid="dry-run-as-of">
          As of {formatDateTime(dryRun.at)}
          {dryRun.journeyVersion !== undefined ? `, with version ${dryRun.journeyVersion} of the journey` : ''}.
        </p>
      )}
      <div className="dry-run__grid">
        <section aria-labelledby="dry-run-steps">
          <h3 id="dry-run-steps">By step</h3>
          {dryRun.byStep.length ? (
            <dl className="facts facts--compact">
              {dryRun.byStep.map((s) => (
                <div key={s.step}>
                  <dt>Step {s.step}</dt>
                  <dd>{formatCount(s.count)}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="muted">Nobody is due.</p>
          )}
        </section>
        <section aria-labelledby="dry-run-waits">
          <h3 id="dry-run-waits">Due but waiting ({formatCount(waits)})</h3>
          <dl className="facts facts--compact">
            <div>
              <dt>Sending paused</dt>
              <dd>{formatCount(dryRun.notNow.paused)}</dd>
            </div>
            <div>
              <dt>Quiet hours</dt>
              <dd>{formatCount(dryRun.notNow.quietHours)}</dd>
            </div>
            <div>
              <dt>Cap reached</dt>
              <dd>{formatCount(dryRun.notNow.cap)}</dd>
            </div>
          </dl>
        </section>
        <section aria-labelledby="dry-run-skipped">
          <h3 id="dry-run-skipped">Skipped</h3>
          <dl className="facts facts--compact">
            <div>
              <dt>Suppressed</dt>
              <dd>{formatCount(dryRun.skipped.suppressed)}</dd>
            </div>
            <div>
              <dt>Held out</dt>
              <dd>{formatCount(dryRun.skipped.heldOut)}</dd>
            </div>
            <div>
              <dt>Resting</dt>
              <dd>{formatCount(dryRun.skipped.resting)}</dd>
            </div>
          </dl>
        </section>
      </div>
      {dryRun.sample.length > 0 && (
        <div className="table-wrap" role="region" aria-label="Sample of clients" tabIndex={0}>
          <table className="table table--compact dry-run__sample">
            <caption className="chart__caption">
              {dryRun.sample.length < dryRun.wouldEmail
                ? `A sample of ${formatCount(dryRun.sample.length)} of them`
                : 'All of them'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Email</th>
                <th scope="col" className="num">
                  Step
                </th>
                <th scope="col" className="num">
                  Score
                </th>
              </tr>
            </thead>
            <tbody>
              {dryRun.sample.map((c) => (
                <tr key={c.userId}>
                  <td>
                    <Link className="client-link" to={`/clients/${encodeURIComponent(c.userId)}`}>
                      {c.name || c.userId}
                    </Link>
                  </td>
                  <td>{c.email}</td>
                  <td className="num">{c.step}</td>
                  <td className="num">{formatScore(c.engagementScore)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
