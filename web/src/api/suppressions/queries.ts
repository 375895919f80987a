import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiList } from '../client';
import { LIVE_REFRESH_MS } from '../live';
import type { Suppression, SuppressionListParams } from './types';

export const suppressionKeys = {
  all: ['suppressions'] as const,
  lists: () => [...suppressionKeys.all, 'list'] as const,
  list: (params: SuppressionListParams) => [...suppressionKeys.lists(), params] as const,
};

/** A page of the suppression list, newest first, with its total; live. */
export function suppressionListQuery(params: SuppressionListParams) {
  return queryOptions({
    queryKey: suppressionKeys.list(params),
    queryFn: ({ signal }) =>
      apiList<Suppression>('/api/suppressions', {
        signal,
        query: { limit: params.limit, cursor: params.cursor, q: params.q.trim() || undefined },
      }),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFRESH_MS,
  });
}
