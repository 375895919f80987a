import { queryOptions } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { LIVE_REFRESH_MS } from '../live';
import type { ModelState } from './types';

export const modelKeys = {
  all: ['model'] as const,
};

/** The current fit, or why there is none. */
export function modelQuery() {
  return queryOptions({
    queryKey: modelKeys.all,
    queryFn: ({ signal }) => apiRequest<ModelState>('/api/model', { signal }),
    // A fit changes once a day at most: polled often only while one runs (here or
    // started from the CLI), so the page follows it to its end.
    refetchInterval: (query) => (query.state.data?.running ? LIVE_REFRESH_MS : 60_000),
  });
}
