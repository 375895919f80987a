import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiList } from '../client';
import { LIVE_REFRESH_MS } from '../live';
import type { IncomingDelivery, IncomingDeliveryParams } from './types';

export const integrationKeys = {
  all: ['integrations'] as const,
  deliveryLists: () => [...integrationKeys.all, 'deliveries'] as const,
  deliveries: (params: IncomingDeliveryParams) => [...integrationKeys.deliveryLists(), params] as const,
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
