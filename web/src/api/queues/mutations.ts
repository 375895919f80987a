import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { metricsKeys } from '../metrics/queries';
import type { RedriveResult } from './types';

/** Moves a queue's dead letters back onto it, to be processed again. */
export function useRedriveQueue() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: (name: string) =>
      apiRequest<RedriveResult>(`/api/queues/${encodeURIComponent(name)}/redrive`, { method: 'POST' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: metricsKeys.all }),
  });
}
