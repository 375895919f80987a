import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiRequest } from '../client';
import type { Message, MessagePreview, MessageSummary, MessageTemplates } from './types';

export const messageKeys = {
  all: ['messages'] as const,
  list: () => [...messageKeys.all, 'list'] as const,
  detail: (name: string) => [...messageKeys.all, 'detail', name] as const,
  /** One version of a message; `undefined` is the current one. */
  version: (name: string, version?: number) => [...messageKeys.detail(name), version ?? 'current'] as const,
  preview: (name: string, draft: MessageTemplates | null, userId: string) =>
    [...messageKeys.all, 'preview', name, draft, userId] as const,
};

export function messagesQuery() {
  return queryOptions({
    queryKey: messageKeys.list(),
    queryFn: ({ signal }) => apiRequest<MessageSummary[]>('/api/messages', { signal }),
  });
}

/** A message with its versions and placeholders; with `version`, that version's templates. */
export function messageQuery(name: string, version?: number) {
  return queryOptions({
    queryKey: messageKeys.version(name, version),
    queryFn: ({ signal }) =>
      apiRequest<Message>(`/api/messages/${encodeURIComponent(name)}`, { query: { version }, signal }),
  });
}

/**
 * The draft rendered for a client (`userId`, or the server's sample client when empty). A
 * POST that changes nothing, read as a query keyed by the draft, so the newest draft's
 * answer wins and the previous one stays on screen while it loads. Never polled.
 */
export function messagePreviewQuery(name: string, draft: MessageTemplates | null, userId: string) {
  return queryOptions({
    queryKey: messageKeys.preview(name, draft, userId),
    queryFn: ({ signal }) =>
      apiRequest<MessagePreview>(`/api/messages/${encodeURIComponent(name)}/preview`, {
        method: 'POST',
        query: { userId },
        body: draft ?? undefined,
        signal,
      }),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    gcTime: 60_000,
  });
}
