import { queryOptions } from '@tanstack/react-query';
import { apiRequest } from '../client';
import type { Settings } from './types';

export const settingsKeys = {
  all: ['settings'] as const,
};

export function settingsQuery() {
  return queryOptions({
    queryKey: settingsKeys.all,
    queryFn: ({ signal }) => apiRequest<Settings>('/api/settings', { signal }),
  });
}
