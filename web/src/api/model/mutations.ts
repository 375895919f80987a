import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { modelKeys } from './queries';
import type { FitAnswer, FitRequest, ModelState } from './types';

/**
 * POST /api/model/fit: starts a fit in the background (202 at once); the model query then
 * polls every second while it runs and reads the users again when it ends (queries.ts).
 * 409 while another fit runs, 400 naming the field for a bad body: the page shows the
 * server's message. An older server fits before answering (`{fit, predictions}`).
 */
export function useRefitModel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: FitRequest) => apiRequest<FitAnswer>('/api/model/fit', { method: 'POST', body }),
    meta: { handlesErrors: true },
    onSuccess: (answer) => {
      // Running from now on: the button stays busy and the model is polled, without
      // waiting for the next reading of the model to say so. (An older server's answer,
      // a finished fit, needs nothing here: the model read below brings a new fitId, and
      // with it the users are read again.)
      if ('lastRun' in answer) {
        queryClient.setQueryData<ModelState>(modelKeys.all, (state) =>
          state ? { ...state, running: true, lastRun: answer.lastRun } : state,
        );
      }
    },
    onSettled: () => {
      // The answer lacks the fit, the distributions and the refit state: read the model again.
      void queryClient.invalidateQueries({ queryKey: modelKeys.all });
    },
  });
}
