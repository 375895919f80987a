import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { journeyKeys } from '../journey/queries';
import { sendingKeys } from '../sending/queries';
import { settingsKeys } from './queries';
import type { Settings, SettingsPatch } from './types';

export function useSaveSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SettingsPatch) => apiRequest<Settings>('/api/settings', { method: 'PUT', body }),
    meta: { handlesErrors: true },
    onSuccess: (settings) => {
      queryClient.setQueryData(settingsKeys.all, settings);
      // Caps and quiet hours show in the header's sending state and decide who waits in the dry run.
      void queryClient.invalidateQueries({ queryKey: sendingKeys.all });
      void queryClient.invalidateQueries({ queryKey: journeyKeys.dryRun() });
    },
  });
}
