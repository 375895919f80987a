import type { QueueStats } from '../api/queues/types';
import { formatCount, formatDuration } from '../lib/format';
import { Empty } from './StatusViews';

/**
 * Queue health: what waits, what is being worked on, and what failed for good (DLQ).
 * With `onRedrive`, a queue with dead letters offers to send them back.
 */
export function QueueTable({ queues, onRedrive }: { queues: QueueStats[]; onRedrive?: (queue: QueueStats) => void }) {
  if (queues.length === 0) return <Empty>No queues reported.</Empty>;
  return (
    <div className="table-wrap" role="region" aria-label="Queues" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Queue</th>
            <th scope="col" className="num">
              Waiting
            </th>
            <th scope="col" className="num">
              In flight
            </th>
            <th scope="col" className="num hide-sm">
              Oldest
            </th>
            <th scope="col" className="num">
              Dead letters
            </th>
          </tr>
        </thead>
        <tbody>
          {queues.map((q) => (
            <tr key={q.name}>
              <th scope="row">{q.name}</th>
              <td className="num">{formatCount(q.depth)}</td>
              <td className="num">{formatCount(q.inFlight)}</td>
              <td className="num hide-sm">{q.depth + q.inFlight > 0 ? formatDuration(q.oldestAgeSeconds) : '—'}</td>
              <td className="num">
                <span className={q.dlqDepth > 0 ? 'num--alert' : undefined}>{formatCount(q.dlqDepth)}</span>
                {q.dlqDepth > 0 && <span className="sr-only"> (needs attention)</span>}
                {onRedrive && q.dlqDepth > 0 && (
                  <button
                    type="button"
                    className="button button--small queue-redrive"
                    aria-label={`Redrive ${q.name}`}
                    onClick={() => onRedrive(q)}
                  >
                    Redrive
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
