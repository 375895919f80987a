// Every experiment, newest first: the message under test, the metric, the allocation, its
// status (and the variant promoted) and who started it when. Each links to its page.

import { Link } from 'react-router';
import type { Experiment } from '../api/experiments/types';
import { allocationLabel, describeStatus, metricLabel } from '../lib/experiments';
import { formatDateTime } from '../lib/format';

export function ExperimentList({ experiments }: { experiments: Experiment[] }) {
  return (
    <div className="table-wrap" role="region" aria-label="Experiments" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Experiment</th>
            <th scope="col">Message under test</th>
            <th scope="col">Variants</th>
            <th scope="col">Metric</th>
            <th scope="col">Allocation</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {experiments.map((e) => (
            <tr key={e.experimentId}>
              <th scope="row">
                <Link to={`/experiments/${encodeURIComponent(e.experimentId)}`}>{e.name}</Link>
              </th>
              <td>
                <code>{e.message}</code>
              </td>
              <td>{e.variants.length}</td>
              <td>{metricLabel(e.metric)}</td>
              <td>{allocationLabel(e.allocation)}</td>
              <td>
                <span className={`badge ${e.status === 'running' ? 'badge--info' : 'badge--muted'}`}>
                  {describeStatus(e)}
                </span>
              </td>
              <td>
                {formatDateTime(e.createdAt)}
                {e.createdBy ? ` by ${e.createdBy}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
