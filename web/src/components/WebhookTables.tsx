// The outgoing webhooks' tables: the endpoints, and the deliveries to them. They show
// what they are given and report clicks; the page fetches and mutates.

import type { WebhookDelivery, WebhookEndpoint } from '../api/webhooks/types';
import { formatDateTime } from '../lib/format';
import { endpointLabel, formatLastStatus, isReplayable, OUTGOING_STATUS_WORDS, statusTone } from '../lib/webhooks';

export function DeliveryStatusBadge({ status, words }: { status: string; words: Record<string, string> }) {
  return <span className={`badge badge--${statusTone(status)}`}>{words[status] ?? status}</span>;
}

export function WebhookEndpointsTable({
  endpoints,
  onDelete,
}: {
  endpoints: readonly WebhookEndpoint[];
  onDelete: (endpoint: WebhookEndpoint) => void;
}) {
  return (
    <div className="table-wrap" role="region" aria-label="Endpoint list" tabIndex={0}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">URL</th>
            <th scope="col">Events</th>
            <th scope="col">Description</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {endpoints.map((e) => (
            <tr key={e.endpointId}>
              <th scope="row" className="cell-wrap">
                {e.url}
              </th>
              <td>
                {e.events.map((event, i) => (
                  <span key={event}>
                    {i > 0 && ', '}
                    <code className="nowrap">{event}</code>
                  </span>
                ))}
              </td>
              <td className="cell-wrap">{e.description || <span className="muted">—</span>}</td>
              <td>{formatDateTime(e.createdAt)}</td>
              <td>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={`Delete ${e.url}`}
                  onClick={() => onDelete(e)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function WebhookDeliveriesTable({
  deliveries,
  endpointUrls,
  busy,
  replaying,
  onReplay,
}: {
  deliveries: readonly WebhookDelivery[];
  /** Endpoint id → URL, once the endpoints are known. */
  endpointUrls: ReadonlyMap<string, string> | undefined;
  busy: boolean;
  /** The delivery whose replay is being sent, if any. */
  replaying: string | null;
  onReplay: (delivery: WebhookDelivery) => void;
}) {
  return (
    <div className="table-wrap" role="region" aria-label="Outgoing delivery list" tabIndex={0}>
      <table className="table" aria-busy={busy || undefined}>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Endpoint</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Attempts
            </th>
            <th scope="col">Next attempt</th>
            <th scope="col">Last HTTP status</th>
            <th scope="col">Last error</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.deliveryId} data-delivery-id={d.deliveryId} data-status={d.status}>
              <th scope="row">
                <code className="nowrap">{d.type}</code>
              </th>
              <td className="cell-wrap">{endpointLabel(d.endpointId, endpointUrls)}</td>
              <td>{formatDateTime(d.createdAt)}</td>
              <td>
                <DeliveryStatusBadge status={d.status} words={OUTGOING_STATUS_WORDS} />
              </td>
              <td className="num">{d.attempts}</td>
              <td>{d.status === 'pending' ? formatDateTime(d.nextAttemptAt) : '—'}</td>
              <td>{formatLastStatus(d.lastStatus)}</td>
              <td className="cell-wrap">{d.lastError ?? '—'}</td>
              <td>
                {isReplayable(d) && (
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={`Replay ${d.type} delivery ${d.deliveryId}`}
                    disabled={replaying === d.deliveryId}
                    onClick={() => onReplay(d)}
                  >
                    {replaying === d.deliveryId ? 'Replaying…' : 'Replay'}
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
