import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { messageKeys } from '../messages/queries';
import { experimentKeys } from './queries';
import type { Experiment, NewExperiment, Promotion } from './types';

/** Starts an experiment (201); the list follows. */
export function useCreateExperiment() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: (body: NewExperiment) => apiRequest<Experiment>('/api/experiments', { method: 'POST', body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: experimentKeys.list() });
    },
  });
}

/** Stops a running experiment (409 when it is stopped already). */
export function useStopExperiment(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: () => apiRequest<Experiment>(`/api/experiments/${encodeURIComponent(id)}/stop`, { method: 'POST' }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: experimentKeys.list() });
      void queryClient.invalidateQueries({ queryKey: experimentKeys.detail(id) });
    },
  });
}

/**
 * Saves a variant's wording as the new version of the message under test: the declared
 * winner (`variant` undefined, body `{}`) or the variant named.
 */
export function usePromoteVariant(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: (variant?: number) =>
      apiRequest<Promotion>(`/api/experiments/${encodeURIComponent(id)}/promote`, {
        method: 'POST',
        body: variant === undefined ? {} : { variant },
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: experimentKeys.list() });
      void queryClient.invalidateQueries({ queryKey: experimentKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: messageKeys.all });
    },
  });
}
