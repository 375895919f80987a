import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { integrationKeys } from './queries';
import type { ShopSync } from './types';

/**
 * "Sync now": `POST /api/integrations/sync/:source` (no body). The server starts the run
 * in the background and answers 202 with the platform's card, running; it replaces the
 * card in the query at once, so the button is disabled and the section polls every 2 s
 * without waiting for the next reading. 409 (`conflict`) when a run is going on already,
 * 404 when the platform is not configured for sync: the page says so.
 */
export function useStartShopSync() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: (source: string) =>
      apiRequest<ShopSync>(`/api/integrations/sync/${encodeURIComponent(source)}`, { method: 'POST' }),
    onSuccess: (sync, source) => {
      queryClient.setQueryData<ShopSync[]>(integrationKeys.syncs(), (syncs) =>
        syncs?.map((s) => (s.source === source ? { ...s, ...sync } : s)),
      );
    },
    // A 409 means a run the list may not show yet: read it again either way.
    onSettled: () => queryClient.invalidateQueries({ queryKey: integrationKeys.syncs() }),
  });
}
