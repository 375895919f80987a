// Every saved version of the journey, newest first: who saved it, when, and its steps.

import type { Journey } from '../api/journey/types';
import { formatCount, formatDateTime } from '../lib/format';
import { stepDays } from '../lib/journeyForm';

export function describeSteps(journey: Pick<Journey, 'steps'>): string {
  const days = stepDays(journey.steps);
  return journey.steps.map((s, i) => `${s.message} (day ${days[i] ?? '?'})`).join(', ');
}

export function JourneyVersions({ versions, current }: { versions: Journey[]; current: number | undefined }) {
  return (
    <div className="table-wrap" role="region" aria-label="Version history" tabIndex={0}>
      <table className="table table--compact">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Saved</th>
            <th scope="col">By</th>
            <th scope="col">Steps</th>
            <th scope="col" className="num">
              Rest (days)
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <th scope="row">
                {v.version}
                {v.version === current && (
                  <>
                    {' '}
                    <span className="tag tag--current">current</span>
                  </>
                )}
              </th>
              <td>{formatDateTime(v.createdAt)}</td>
              <td>{v.createdBy || '—'}</td>
              <td>{describeSteps(v)}</td>
              <td className="num">{formatCount(v.restDays)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
