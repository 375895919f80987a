import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { userKeys } from '../users/queries';
import { modelKeys } from './queries';
import type { FitRequest, FitResult } from './types';

/**
 * POST /api/model/fit: fits now and stores every client's prediction (synchronous, so it
 * may take seconds). 409 while another fit runs, 422 when the history is too small: the
 * page shows the server's message.
 */
export function useRefitModel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: FitRequest) => apiRequest<FitResult>('/api/model/fit', { method: 'POST', body }),
    meta: { handlesErrors: true },
    onSettled: () => {
      // The answer lacks the distributions and the refit state: read the model again.
      void queryClient.invalidateQueries({ queryKey: modelKeys.all });
    },
    onSuccess: () => {
      // Every client's prediction changed.
      void queryClient.invalidateQueries({ queryKey: userKeys.all });
    },
  });
}
