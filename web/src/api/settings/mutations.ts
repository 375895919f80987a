import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { journeyKeys } from '../journey/queries';
import { sendingKeys } from '../sending/queries';
import { settingsKeys } from './queries';
import type { Settings, SettingsPatch, TestEmailRequest, TestEmailResult } from './types';

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

/**
 * Sends the win-back email, marked "[Test]", to the address given through the configured
 * mailer. The server counts it nowhere (no email record, cap or metric), so nothing is
 * read again afterwards.
 */
export function useSendTestEmail() {
  return useMutation({
    mutationFn: (body: TestEmailRequest) => apiRequest<TestEmailResult>('/api/test-email', { method: 'POST', body }),
    meta: { handlesErrors: true },
  });
}
