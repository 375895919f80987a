import type { QueueStats } from '../api/metrics/types';
import { formatCount, formatDuration } from '../lib/format';
import { Empty } from './StatusViews';

/** Queue health: what waits, what is being worked on, and what failed for good (DLQ). */
export function QueueTable({ queues }: { queues: QueueStats[] }) {
  if (queues.length === 0) return <Empty>No queues reported.</Empty>;
  return (
    <div className="table-wrap" role="region" aria-label="Queues" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Queue</th>
            <th scope="col" className="num">Waiting</th>
            <th scope="col" className="num">In flight</th>
            <th scope="col" className="num hide-sm">Oldest</th>
            <th scope="col" className="num">Dead letters</th>
          </tr>
        </thead>
        <tbody>
          {queues.map((q) => (
            <tr key={q.name}>
              <th scope="row">{q.name}</th>
              <td className="num">{formatCount(q.depth)}</td>
              <td className="num">{formatCount(q.inFlight)}</td>
              <td className="num hide-sm">{q.depth + q.inFlight > 0 ? formatDuration(q.oldestAgeSeconds) : '—'}</td>
              <td className={`num${q.dlqDepth > 0 ? ' num--alert' : ''}`}>
                {formatCount(q.dlqDepth)}
                {q.dlqDepth > 0 && <span className="sr-only"> (needs attention)</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
