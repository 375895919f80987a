// The one QueryClient. Central policy: client mistakes (4xx) are not retried, server and
// network faults are retried twice; a failed background refresh of data already on
// screen is announced once as a notice (the page keeps showing what it had), while
// first-load failures are shown by the page itself.

import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './client';
import { notify } from '../lib/notices';

export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (query.state.data !== undefined) {
          notify(`Could not refresh: ${error.message}`, 'live-refresh');
        }
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) => {
        // Forms show their own errors; anything else gets a notice.
        if (!mutation.options.meta?.handlesErrors) notify(error.message);
      },
    }),
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        staleTime: 2_000,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
}
