import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiList, apiRequest, type QueryValue } from '../client';
import { LIVE_REFRESH_MS } from '../live';
import type { Email, EmailListParams } from './types';

export const emailKeys = {
  all: ['emails'] as const,
  lists: () => [...emailKeys.all, 'list'] as const,
  list: (params: EmailListParams) => [...emailKeys.lists(), params] as const,
  forUser: (userId: string, limit: number) => [...emailKeys.all, 'user', userId, limit] as const,
  details: () => [...emailKeys.all, 'detail'] as const,
  detail: (emailId: string) => [...emailKeys.details(), emailId] as const,
};

/** The list's filters as GET /api/emails reads them; the CSV export (GET /api/exports/emails) reads the same. */
export function emailFilterQuery(params: Omit<EmailListParams, 'limit' | 'cursor'>): Record<string, QueryValue> {
  return {
    status: params.status || undefined,
    step: params.step ?? undefined,
    from: params.from || undefined,
    to: params.to || undefined,
    q: params.q?.trim() || undefined,
  };
}

export function emailListQuery(params: EmailListParams) {
  return queryOptions({
    queryKey: emailKeys.list(params),
    queryFn: ({ signal }) =>
      apiList<Email>('/api/emails', {
        signal,
        query: { limit: params.limit, cursor: params.cursor, ...emailFilterQuery(params) },
      }),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFRESH_MS,
  });
}

/** A client's email history, newest first, refreshed live so a new email shows up. */
export function userEmailsQuery(userId: string, limit = 50) {
  return queryOptions({
    queryKey: emailKeys.forUser(userId, limit),
    queryFn: ({ signal }) =>
      apiList<Email>(`/api/users/${encodeURIComponent(userId)}/emails`, { signal, query: { limit } }),
    refetchInterval: LIVE_REFRESH_MS,
  });
}

export function emailQuery(emailId: string) {
  return queryOptions({
    queryKey: emailKeys.detail(emailId),
    queryFn: ({ signal }) => apiRequest<Email>(`/api/emails/${encodeURIComponent(emailId)}`, { signal }),
  });
}
