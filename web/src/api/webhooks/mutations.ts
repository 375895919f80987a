import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { webhookKeys } from './queries';
import type { CreatedWebhookEndpoint, NewWebhookEndpoint, WebhookEndpoint } from './types';

/**
 * Adds an endpoint. The server sends its signing secret once, in this answer: it goes to
 * `onSecret` (the page keeps it in its own state until dismissed) and is taken out of
 * what the mutation resolves to, so neither the query cache nor the mutation cache ever
 * holds it.
 */
export function useCreateWebhook(onSecret: (secret: string, endpoint: WebhookEndpoint) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: async (body: NewWebhookEndpoint): Promise<WebhookEndpoint> => {
      const { secret, ...endpoint } = await apiRequest<CreatedWebhookEndpoint>('/api/webhooks', {
        method: 'POST',
        body,
      });
      onSecret(secret, endpoint);
      return endpoint;
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: webhookKeys.endpoints() });
    },
  });
}

/** Deletes an endpoint: nothing more is sent to it, and its deliveries cannot be replayed. */
export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: (endpointId: string) =>
      apiRequest<{ deleted: boolean }>(`/api/webhooks/${encodeURIComponent(endpointId)}`, { method: 'DELETE' }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: webhookKeys.endpoints() });
      void queryClient.invalidateQueries({ queryKey: webhookKeys.deliveryLists() });
    },
  });
}

/** Sends a dead (or delivered) delivery again; the list is read again at once. */
export function useReplayDelivery() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: (deliveryId: string) =>
      apiRequest<{ replayed: boolean; deliveryId: string }>(
        `/api/webhooks/deliveries/${encodeURIComponent(deliveryId)}/replay`,
        { method: 'POST' },
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.deliveryLists() }),
  });
}
