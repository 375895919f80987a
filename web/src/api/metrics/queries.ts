import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { LIVE_REFRESH_MS } from '../live';
import type { Metrics } from './types';

export const metricsKeys = {
  all: ['metrics'] as const,
};

/** The score below which a client is at risk when the server does not say (docs/score.md). */
export const DEFAULT_THRESHOLD = 75;

export function metricsQuery() {
  return queryOptions({
    queryKey: metricsKeys.all,
    queryFn: ({ signal }) => apiRequest<Metrics>('/api/metrics', { signal }),
    refetchInterval: LIVE_REFRESH_MS,
  });
}

/**
 * The at-risk threshold the server uses, read from the metrics; the documented default
 * while they load or when the server does not offer them.
 */
export function useThreshold(): number {
  const { data } = useQuery({
    queryKey: metricsKeys.all,
    queryFn: ({ signal }) => apiRequest<Metrics>('/api/metrics', { signal }),
    select: (m) => m.threshold,
    staleTime: 60_000,
  });
  return typeof data === 'number' && Number.isFinite(data) ? data : DEFAULT_THRESHOLD;
}
