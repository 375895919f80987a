import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiList, apiRequest } from '../client';
import { LIVE_REFRESH_MS } from '../live';
import type { WebhookDelivery, WebhookDeliveryParams, WebhookEndpoint } from './types';

// The cache holds endpoints and deliveries, never an endpoint's secret: that is only in
// the answer to the POST, handed to the page (mutations.ts) and kept nowhere else.
export const webhookKeys = {
  all: ['webhooks'] as const,
  endpoints: () => [...webhookKeys.all, 'endpoints'] as const,
  events: () => [...webhookKeys.all, 'events'] as const,
  deliveryLists: () => [...webhookKeys.all, 'deliveries'] as const,
  deliveries: (params: WebhookDeliveryParams) => [...webhookKeys.deliveryLists(), params] as const,
};

/** The outgoing webhook endpoints; live. */
export function webhookEndpointsQuery() {
  return queryOptions({
    queryKey: webhookKeys.endpoints(),
    queryFn: async ({ signal }) => (await apiList<WebhookEndpoint>('/api/webhooks', { signal })).items,
    refetchInterval: LIVE_REFRESH_MS,
  });
}

/** The event types an endpoint can hear; they change only with the server. */
export function webhookEventsQuery() {
  return queryOptions({
    queryKey: webhookKeys.events(),
    queryFn: ({ signal }) => apiRequest<string[]>('/api/webhooks/events', { signal }),
    staleTime: Infinity,
  });
}

/** The latest outgoing deliveries, newest first, filtered by endpoint and status; live. */
export function webhookDeliveriesQuery(params: WebhookDeliveryParams) {
  return queryOptions({
    queryKey: webhookKeys.deliveries(params),
    queryFn: async ({ signal }) =>
      (
        await apiList<WebhookDelivery>('/api/webhooks/deliveries', {
          signal,
          query: { endpointId: params.endpointId, status: params.status, limit: params.limit },
        })
      ).items,
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFRESH_MS,
  });
}
