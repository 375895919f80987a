// What the shop's platforms (and CDPs) sent Rekindle, and what became of each delivery.

import type { IncomingDelivery } from '../api/integrations/types';
import { formatDateTime } from '../lib/format';
import { INCOMING_STATUS_WORDS, SOURCE_WORDS } from '../lib/webhooks';
import { DeliveryStatusBadge } from './WebhookTables';

export function IncomingDeliveriesTable({
  deliveries,
  busy,
}: {
  deliveries: readonly IncomingDelivery[];
  busy: boolean;
}) {
  return (
    <div className="table-wrap" role="region" aria-label="Incoming delivery list" tabIndex={0}>
      <table className="table" aria-busy={busy || undefined}>
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Topic</th>
            <th scope="col">Received</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Attempts
            </th>
            <th scope="col">Error</th>
            <th scope="col">Delivery id</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.hookId} data-status={d.status}>
              <th scope="row">{SOURCE_WORDS[d.source] ?? d.source}</th>
              <td>
                <code className="nowrap">{d.topic}</code>
              </td>
              <td>{formatDateTime(d.receivedAt)}</td>
              <td>
                <DeliveryStatusBadge status={d.status} words={INCOMING_STATUS_WORDS} />
                {/* The server stamps appliedAt when it is done with a delivery, whatever the outcome. */}
                {d.appliedAt && (
                  <div className="muted small">
                    {d.status === 'applied' ? 'applied' : 'handled'} {formatDateTime(d.appliedAt)}
                  </div>
                )}
              </td>
              <td className="num">{d.attempts}</td>
              <td className="cell-wrap">{d.error ?? '—'}</td>
              <td className="cell-wrap">
                <code>{d.deliveryId}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
