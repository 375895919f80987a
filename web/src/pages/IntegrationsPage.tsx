import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useStartShopSync } from '../api/integrations/mutations';
import { incomingDeliveriesQuery, shopSyncsQuery } from '../api/integrations/queries';
import { INCOMING_SOURCES, type ShopSync } from '../api/integrations/types';
import { useCreateWebhook, useDeleteWebhook, useReplayDelivery } from '../api/webhooks/mutations';
import { webhookDeliveriesQuery, webhookEndpointsQuery, webhookEventsQuery } from '../api/webhooks/queries';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookEndpoint } from '../api/webhooks/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ConnectShopNote, VerifyingDeliveriesNote } from '../components/IntegrationNotes';
import { IncomingDeliveriesTable } from '../components/IncomingDeliveriesTable';
import { ShopSyncCard } from '../components/ShopSyncCard';
import { Empty, errorMessage, Loading, NotAvailable, QueryError } from '../components/StatusViews';
import { WebhookForm } from '../components/WebhookForm';
import { WebhookSecretPanel } from '../components/WebhookSecretPanel';
import { WebhookDeliveriesTable, WebhookEndpointsTable } from '../components/WebhookTables';
import { notify } from '../lib/notices';
import { isSyncConflict } from '../lib/shopSync';
import { usePageTitle } from '../lib/usePageTitle';
import {
  OUTGOING_STATUS_WORDS,
  readIntegrationFilters,
  SOURCE_WORDS,
  toNewWebhook,
  writeIntegrationFilters,
  type IntegrationFilters,
} from '../lib/webhooks';

/** How many deliveries each list shows: the latest. */
export const DELIVERIES_LIMIT = 50;

/**
 * Integrations (issue 17): the outgoing webhooks (endpoints, their one-time secrets, and
 * the deliveries to them, replayable), how each shop platform is kept in step with
 * Rekindle (its reconciliation runs, and "Sync now"), and the incoming deliveries from
 * the shop's platforms. The filters are kept in the URL.
 */
export function IntegrationsPage() {
  usePageTitle('Integrations');
  const [params, setParams] = useSearchParams();
  const filters = readIntegrationFilters(params);
  const setFilters = (next: Partial<IntegrationFilters>) =>
    setParams(writeIntegrationFilters({ ...filters, ...next }), { replace: true });

  return (
    <div className="page">
      <header className="page__header">
        <h1>Integrations</h1>
        <p className="page__lead">
          Where Rekindle tells other systems what it does (outgoing webhooks), how it keeps in step with your shop, and
          what your shop tells Rekindle (incoming deliveries).
        </p>
      </header>
      <WebhooksSection />
      <OutgoingDeliveriesSection filters={filters} onFilters={setFilters} />
      <ShopSyncSection />
      <IncomingDeliveriesSection filters={filters} onFilters={setFilters} />
    </div>
  );
}

function WebhooksSection() {
  const endpoints = useQuery(webhookEndpointsQuery());
  const events = useQuery(webhookEventsQuery());
  // The secret of the endpoint just added: only here, in this component's state, until dismissed.
  const [secret, setSecret] = useState<{ url: string; value: string } | null>(null);
  const [formKey, setFormKey] = useState(0);
  const create = useCreateWebhook((value, endpoint) => setSecret({ url: endpoint.url, value }));
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const remove = useDeleteWebhook();

  return (
    <section className="panel" aria-labelledby="webhooks-heading">
      <div className="panel__header">
        <h2 id="webhooks-heading">Outgoing webhooks</h2>
      </div>
      <p className="muted">Endpoints that hear what Rekindle does: at-risk clients, emails and what became of them.</p>

      {secret && (
        <WebhookSecretPanel
          url={secret.url}
          secret={secret.value}
          onDismiss={() => {
            setSecret(null);
            create.reset();
          }}
        />
      )}

      {endpoints.isPending ? (
        <Loading label="Loading endpoints…" />
      ) : endpoints.isError ? (
        <QueryError
          title="Could not load the endpoints"
          error={endpoints.error}
          onRetry={() => void endpoints.refetch()}
          notFound={
            <NotAvailable title="Outgoing webhooks are not available yet">
              This server does not offer <code>/api/webhooks</code> yet.
            </NotAvailable>
          }
        />
      ) : (
        <>
          {endpoints.data.length === 0 ? (
            <Empty>No endpoint yet: add one below.</Empty>
          ) : (
            <WebhookEndpointsTable endpoints={endpoints.data} onDelete={setDeleting} />
          )}

          <h3>Add an endpoint</h3>
          {events.isPending ? (
            <Loading label="Loading event types…" />
          ) : events.isError ? (
            <QueryError
              title="Could not load the event types"
              error={events.error}
              onRetry={() => void events.refetch()}
              notFound={
                <NotAvailable title="Event types are not available">
                  This server does not list <code>/api/webhooks/events</code>.
                </NotAvailable>
              }
            />
          ) : (
            <WebhookForm
              key={formKey}
              events={events.data}
              busy={create.isPending}
              serverError={create.error}
              onSubmit={(values) =>
                create.mutate(toNewWebhook(values, events.data), {
                  onSuccess: (endpoint) => {
                    notify(`Endpoint added: ${endpoint.url}`);
                    setFormKey((k) => k + 1);
                  },
                })
              }
            />
          )}
          <VerifyingDeliveriesNote />
        </>
      )}

      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.url}?`}
          confirmLabel="Delete"
          busy={remove.isPending}
          error={remove.error ? errorMessage(remove.error) : null}
          onConfirm={() =>
            remove.mutate(deleting.endpointId, {
              onSuccess: () => {
                notify(`Endpoint deleted: ${deleting.url}`);
                setDeleting(null);
              },
            })
          }
          onCancel={() => {
            remove.reset();
            setDeleting(null);
          }}
        >
          <p>
            Rekindle stops sending events to {deleting.url}. Its pending deliveries are dropped and its past ones can no
            longer be replayed.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function OutgoingDeliveriesSection({
  filters,
  onFilters,
}: {
  filters: IntegrationFilters;
  onFilters: (next: Partial<IntegrationFilters>) => void;
}) {
  const ids = { endpoint: useId(), status: useId() };
  const endpoints = useQuery(webhookEndpointsQuery());
  const list = useQuery(
    webhookDeliveriesQuery({ endpointId: filters.endpointId, status: filters.status, limit: DELIVERIES_LIMIT }),
  );
  const replay = useReplayDelivery();
  const endpointUrls = useMemo(
    () => (endpoints.data ? new Map(endpoints.data.map((e) => [e.endpointId, e.url])) : undefined),
    [endpoints.data],
  );
  const filtered = Boolean(filters.endpointId || filters.status);

  return (
    <section className="panel" aria-labelledby="outgoing-heading">
      <div className="panel__header">
        <h2 id="outgoing-heading">Outgoing deliveries</h2>
      </div>
      <p className="muted">
        The latest {DELIVERIES_LIMIT} events sent to the endpoints, newest first. A delivery is retried until the
        receiver answers 2xx, then given up (dead); dead and delivered ones can be replayed.
      </p>
      <form className="toolbar" aria-label="Filter outgoing deliveries" onSubmit={(e) => e.preventDefault()}>
        <div className="field field--grow">
          <label htmlFor={ids.endpoint}>Endpoint</label>
          <select
            id={ids.endpoint}
            value={filters.endpointId ?? ''}
            onChange={(e) => onFilters({ endpointId: e.target.value || undefined })}
          >
            <option value="">All endpoints</option>
            {filters.endpointId && !endpointUrls?.has(filters.endpointId) && (
              <option value={filters.endpointId}>{filters.endpointId}</option>
            )}
            {endpoints.data?.map((e) => (
              <option key={e.endpointId} value={e.endpointId}>
                {e.url}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.status}>Status</label>
          <select
            id={ids.status}
            value={filters.status ?? ''}
            onChange={(e) =>
              onFilters({ status: readIntegrationFilters(new URLSearchParams({ status: e.target.value })).status })
            }
          >
            <option value="">Any status</option>
            {WEBHOOK_DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {OUTGOING_STATUS_WORDS[s]}
              </option>
            ))}
          </select>
        </div>
      </form>

      {replay.error && (
        <p className="form-error" role="alert">
          Could not replay: {errorMessage(replay.error)}
        </p>
      )}

      {list.isPending ? (
        <Loading label="Loading deliveries…" />
      ) : list.isError ? (
        <QueryError
          title="Could not load the deliveries"
          error={list.error}
          onRetry={() => void list.refetch()}
          notFound={
            <NotAvailable title="Outgoing deliveries are not available yet">
              This server does not offer <code>/api/webhooks/deliveries</code> yet.
            </NotAvailable>
          }
        />
      ) : list.data.length === 0 ? (
        <Empty>{filtered ? 'No delivery matches these filters.' : 'Nothing has been sent yet.'}</Empty>
      ) : (
        <WebhookDeliveriesTable
          deliveries={list.data}
          endpointUrls={endpointUrls}
          busy={list.isPlaceholderData}
          replaying={replay.isPending ? (replay.variables ?? null) : null}
          onReplay={(d) =>
            replay.mutate(d.deliveryId, { onSuccess: () => notify(`The ${d.type} delivery will be sent again.`) })
          }
        />
      )}
    </section>
  );
}

function ShopSyncSection() {
  const syncs = useQuery(shopSyncsQuery());
  const start = useStartShopSync();

  function onSyncNow(sync: ShopSync) {
    start.mutate(sync.source, {
      onSuccess: () => notify(`${sync.name}: sync started.`),
      onError: (error) =>
        notify(
          isSyncConflict(error)
            ? `${sync.name}: a sync is already running.`
            : `${sync.name}: the sync did not start: ${errorMessage(error)}`,
        ),
    });
  }

  return (
    <section className="panel" aria-labelledby="sync-heading">
      <div className="panel__header">
        <h2 id="sync-heading">Keeping in step</h2>
      </div>
      <p className="muted">
        Webhooks can be lost: Rekindle also reads what changed in your shop (orders and customers) on a schedule, and
        when asked, so it misses nothing.
      </p>
      {syncs.isPending ? (
        <Loading label="Loading the shop syncs…" />
      ) : syncs.isError ? (
        <QueryError
          title="Could not load the shop syncs"
          error={syncs.error}
          onRetry={() => void syncs.refetch()}
          notFound={
            <NotAvailable title="Keeping in step is not available yet">
              This server does not offer <code>/api/integrations/sync</code> yet.
            </NotAvailable>
          }
        />
      ) : syncs.data.length === 0 ? (
        <Empty>This server reconciles with no shop platform.</Empty>
      ) : (
        <div className="sync-cards">
          {syncs.data.map((s) => (
            <ShopSyncCard
              key={s.source}
              sync={s}
              // One start at a time: each answer's notice is then the one shown.
              starting={start.isPending}
              onSyncNow={() => onSyncNow(s)}
            />
          ))}
        </div>
      )}
    </section>
  );
}

function IncomingDeliveriesSection({
  filters,
  onFilters,
}: {
  filters: IntegrationFilters;
  onFilters: (next: Partial<IntegrationFilters>) => void;
}) {
  const sourceId = useId();
  const list = useQuery(incomingDeliveriesQuery({ source: filters.source, limit: DELIVERIES_LIMIT }));

  return (
    <section className="panel" aria-labelledby="incoming-heading">
      <div className="panel__header">
        <h2 id="incoming-heading">Incoming deliveries</h2>
      </div>
      <p className="muted">
        The latest {DELIVERIES_LIMIT} webhooks from Shopify, WooCommerce and CDPs, newest first, and what became of
        each.
      </p>
      <form className="toolbar" aria-label="Filter incoming deliveries" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={sourceId}>Source</label>
          <select
            id={sourceId}
            value={filters.source ?? ''}
            onChange={(e) =>
              onFilters({ source: readIntegrationFilters(new URLSearchParams({ source: e.target.value })).source })
            }
          >
            <option value="">All sources</option>
            {INCOMING_SOURCES.map((s) => (
              <option key={s} value={s}>
                {SOURCE_WORDS[s]}
              </option>
            ))}
          </select>
        </div>
      </form>

      {list.isPending ? (
        <Loading label="Loading incoming deliveries…" />
      ) : list.isError ? (
        <QueryError
          title="Could not load the incoming deliveries"
          error={list.error}
          onRetry={() => void list.refetch()}
          notFound={
            <NotAvailable title="Incoming deliveries are not available yet">
              This server does not offer <code>/api/integrations/deliveries</code> yet.
            </NotAvailable>
          }
        />
      ) : list.data.length === 0 ? (
        <Empty>
          {filters.source ? `Nothing has come in from ${SOURCE_WORDS[filters.source]}.` : 'Nothing has come in yet.'}
        </Empty>
      ) : (
        <IncomingDeliveriesTable deliveries={list.data} busy={list.isPlaceholderData} />
      )}
      <ConnectShopNote origin={window.location.origin} />
    </section>
  );
}
