import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { anySyncRunning } from '../../lib/shopSync';
import { apiList, apiRequest } from '../client';
import { LIVE_REFRESH_MS } from '../live';
import type { IncomingDelivery, IncomingDeliveryParams, ShopSync } from './types';

export const integrationKeys = {
  all: ['integrations'] as const,
  deliveryLists: () => [...integrationKeys.all, 'deliveries'] as const,
  deliveries: (params: IncomingDeliveryParams) => [...integrationKeys.deliveryLists(), params] as const,
  syncs: () => [...integrationKeys.all, 'sync'] as const,
};

/** The latest deliveries from Shopify, WooCommerce and CDPs, newest first; live. */
export function incomingDeliveriesQuery(params: IncomingDeliveryParams) {
  return queryOptions({
    queryKey: integrationKeys.deliveries(params),
    queryFn: async ({ signal }) =>
      (
        await apiList<IncomingDelivery>('/api/integrations/deliveries', {
          signal,
          query: { source: params.source, limit: params.limit },
        })
      ).items,
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFRESH_MS,
  });
}

/** How often the shop syncs are read while one runs, so its counts move and its end shows. */
export const SYNC_POLL_MS = 2000;

/** Every 2 s while any platform's sync runs, otherwise as often as the other live lists. */
export function shopSyncRefetchMs(syncs: readonly ShopSync[] | undefined): number {
  return anySyncRunning(syncs) ? SYNC_POLL_MS : LIVE_REFRESH_MS;
}

/** Each shop platform's reconciliation with Rekindle (configured or not); live. */
export function shopSyncsQuery() {
  return queryOptions({
    queryKey: integrationKeys.syncs(),
    queryFn: ({ signal }) => apiRequest<ShopSync[]>('/api/integrations/sync', { signal }),
    refetchInterval: (query) => shopSyncRefetchMs(query.state.data),
  });
}
