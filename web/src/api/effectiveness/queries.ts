import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { LIVE_REFRESH_MS } from '../live';
import type { Effectiveness } from './types';

export const effectivenessKeys = {
  all: ['effectiveness'] as const,
  window: (days: number) => [...effectivenessKeys.all, days] as const,
};

/** Funnel, lift against the holdout and daily series over the last `days` days; live. */
export function effectivenessQuery(days: number) {
  return queryOptions({
    queryKey: effectivenessKeys.window(days),
    queryFn: ({ signal }) => apiRequest<Effectiveness>('/api/effectiveness', { signal, query: { days } }),
    // Switching the window keeps the last figures on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFRESH_MS,
  });
}
