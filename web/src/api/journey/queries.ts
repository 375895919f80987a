import { queryOptions } from '@tanstack/react-query';
import { apiRequest } from '../client';
import type { DryRun, Journey } from './types';

export const journeyKeys = {
  all: ['journey'] as const,
  current: () => [...journeyKeys.all, 'current'] as const,
  versions: () => [...journeyKeys.all, 'versions'] as const,
  dryRun: () => [...journeyKeys.all, 'dry-run'] as const,
};

export function journeyQuery() {
  return queryOptions({
    queryKey: journeyKeys.current(),
    queryFn: ({ signal }) => apiRequest<Journey>('/api/journey', { signal }),
  });
}

/** Every saved version, newest first. The server answers a plain array (or `{items}`). */
export function journeyVersionsQuery() {
  return queryOptions({
    queryKey: journeyKeys.versions(),
    queryFn: async ({ signal }) => {
      const data = await apiRequest<Journey[] | { items?: Journey[]; versions?: Journey[] }>('/api/journey/versions', {
        signal,
      });
      if (Array.isArray(data)) return data;
      return data.items ?? data.versions ?? [];
    },
  });
}

/**
 * The dry run of the next sweep. A POST that changes nothing, read as a query so it
 * loads with the page and can be run again; not polled (it walks the clients).
 */
export function dryRunQuery() {
  return queryOptions({
    queryKey: journeyKeys.dryRun(),
    queryFn: ({ signal }) => apiRequest<DryRun>('/api/journey/dry-run', { method: 'POST', signal }),
    staleTime: 10_000,
    refetchOnWindowFocus: false,
  });
}
