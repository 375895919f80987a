import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { journeyKeys } from '../journey/queries';
import { messageKeys } from './queries';
import type { MessageEdit, MessageRecord, NewMessage } from './types';

/** Creates a message (version 1); the list, and the journey's choice of messages, follow. */
export function useCreateMessage() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: (body: NewMessage) => apiRequest<MessageRecord>('/api/messages', { method: 'POST', body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: messageKeys.list() });
      void queryClient.invalidateQueries({ queryKey: journeyKeys.current() });
    },
  });
}

/** Saves a message's templates as a new version (refused with 409 when `baseVersion` is not the current one). */
export function useSaveMessage(name: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { handlesErrors: true },
    mutationFn: (body: MessageEdit) =>
      apiRequest<MessageRecord>(`/api/messages/${encodeURIComponent(name)}`, { method: 'PUT', body }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: messageKeys.list() });
      void queryClient.invalidateQueries({ queryKey: messageKeys.detail(name) });
    },
  });
}
