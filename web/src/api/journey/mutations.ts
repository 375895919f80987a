import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { journeyKeys } from './queries';
import type { Journey, JourneyEdit } from './types';

/** Saves the journey as a new version. */
export function useSaveJourney() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: JourneyEdit) => apiRequest<Journey>('/api/journey', { method: 'PUT', body }),
    meta: { handlesErrors: true },
    onSuccess: (journey) => {
      // The PUT's answer may leave out the list of messages GET gives: keep the one we have.
      queryClient.setQueryData<Journey>(journeyKeys.current(), (old) => ({
        ...journey,
        messages: journey.messages ?? old?.messages,
      }));
      // Versions and the dry run (its steps) follow the new version.
      void queryClient.invalidateQueries({ queryKey: journeyKeys.versions() });
      void queryClient.invalidateQueries({ queryKey: journeyKeys.dryRun() });
    },
  });
}
