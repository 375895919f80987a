import { queryOptions } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { LIVE_REFRESH_MS } from '../live';
import type { SendingState } from './types';

export const sendingKeys = {
  all: ['sending'] as const,
};

/** Paused or sending, and the day's and hour's sends against the caps; live. */
export function sendingQuery() {
  return queryOptions({
    queryKey: sendingKeys.all,
    queryFn: ({ signal }) => apiRequest<SendingState>('/api/sending', { signal }),
    refetchInterval: LIVE_REFRESH_MS,
  });
}
