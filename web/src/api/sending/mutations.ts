import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { journeyKeys } from '../journey/queries';
import { sendingKeys } from './queries';
import type { SendingState } from './types';

/** Pauses or resumes sending; the answer is the new state. */
export function useSetSending() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: 'pause' | 'resume') => apiRequest<SendingState>(`/api/sending/${action}`, { method: 'POST' }),
    meta: { handlesErrors: true },
    onSuccess: (state) => {
      queryClient.setQueryData(sendingKeys.all, state);
      // The dry run's "waits: paused" follows.
      void queryClient.invalidateQueries({ queryKey: journeyKeys.dryRun() });
    },
  });
}
