import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { userKeys } from '../users/queries';
import { suppressionKeys } from './queries';
import type { Suppression, SuppressionReason } from './types';

/** Adds an address (or changes its reason); clients' badges follow. */
export function useAddSuppression() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: (body: { email: string; reason: SuppressionReason }) =>
      apiRequest<Suppression>('/api/suppressions', { method: 'POST', body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: suppressionKeys.all });
      void queryClient.invalidateQueries({ queryKey: userKeys.all });
    },
  });
}

/** Removes an address: Rekindle may email it again. */
export function useRemoveSuppression() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: (email: string) =>
      apiRequest<{ deleted: boolean }>(`/api/suppressions/${encodeURIComponent(email)}`, { method: 'DELETE' }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: suppressionKeys.all });
      void queryClient.invalidateQueries({ queryKey: userKeys.all });
    },
  });
}
