import { queryOptions } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { LIVE_REFRESH_MS } from '../live';
import type { Alerts } from './types';

export const alertsKeys = {
  all: ['alerts'] as const,
};

export function alertsQuery() {
  return queryOptions({
    queryKey: alertsKeys.all,
    queryFn: ({ signal }) => apiRequest<Alerts>('/api/alerts', { signal }),
    refetchInterval: LIVE_REFRESH_MS,
  });
}
