import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiList, apiRequest, type QueryValue } from '../client';
import { LIVE_REFRESH_MS } from '../live';
import type { TimelineItem, User, UserListParams } from './types';

/** Query keys for users; mutations invalidate through these. */
export const userKeys = {
  all: ['users'] as const,
  lists: () => [...userKeys.all, 'list'] as const,
  list: (params: UserListParams) => [...userKeys.lists(), params] as const,
  details: () => [...userKeys.all, 'detail'] as const,
  timeline: (userId: string, limit: number) => [...userKeys.all, 'timeline', userId, limit] as const,
  detail: (userId: string) => [...userKeys.details(), userId] as const,
};

/** The list's filters as GET /api/users reads them; the CSV export (GET /api/exports/clients) reads the same. */
export function userFilterQuery(params: Omit<UserListParams, 'limit' | 'cursor'>): Record<string, QueryValue> {
  return {
    sort: params.sort,
    order: params.order,
    atRisk: params.atRisk ? 'true' : undefined,
    search: params.search.trim() || undefined,
    state: params.state || undefined,
  };
}

export function userListQuery(params: UserListParams) {
  return queryOptions({
    queryKey: userKeys.list(params),
    queryFn: ({ signal }) =>
      apiList<User>('/api/users', {
        signal,
        query: { limit: params.limit, cursor: params.cursor, ...userFilterQuery(params) },
      }),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFRESH_MS,
  });
}

export function userQuery(userId: string) {
  return queryOptions({
    queryKey: userKeys.detail(userId),
    queryFn: ({ signal }) => apiRequest<User>(`/api/users/${encodeURIComponent(userId)}`, { signal }),
    refetchInterval: LIVE_REFRESH_MS,
  });
}

/** A client's history (orders, emails and their events, score points), newest first; live. */
export function userTimelineQuery(userId: string, limit = 100) {
  return queryOptions({
    queryKey: userKeys.timeline(userId, limit),
    queryFn: ({ signal }) =>
      apiRequest<{ items: TimelineItem[] }>(`/api/users/${encodeURIComponent(userId)}/timeline`, {
        signal,
        query: { limit },
      }),
    refetchInterval: LIVE_REFRESH_MS,
  });
}
