import { queryOptions } from '@tanstack/react-query';
import { apiRequest } from '../client';
import type { MessagePreview } from '../messages/types';
import type { Experiment, ExperimentDetail } from './types';

/** How often a running experiment's page reads its results again. */
export const EXPERIMENT_REFRESH_MS = 10_000;

export const experimentKeys = {
  all: ['experiments'] as const,
  list: () => [...experimentKeys.all, 'list'] as const,
  detail: (id: string) => [...experimentKeys.all, 'detail', id] as const,
  /** A stored message rendered for a variant's preview. */
  preview: (message: string) => [...experimentKeys.all, 'preview', message] as const,
};

export function experimentsQuery() {
  return queryOptions({
    queryKey: experimentKeys.list(),
    queryFn: ({ signal }) => apiRequest<Experiment[]>('/api/experiments', { signal }),
  });
}

/** An experiment with its results; read again every 10 s while it runs. */
export function experimentQuery(id: string) {
  return queryOptions({
    queryKey: experimentKeys.detail(id),
    queryFn: ({ signal }) => apiRequest<ExperimentDetail>(`/api/experiments/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? EXPERIMENT_REFRESH_MS : false),
  });
}

/** A stored message as sent (`{}` renders the stored templates for the sample client). Never polled. */
export function storedMessagePreviewQuery(message: string) {
  return queryOptions({
    queryKey: experimentKeys.preview(message),
    queryFn: ({ signal }) =>
      apiRequest<MessagePreview>(`/api/messages/${encodeURIComponent(message)}/preview`, {
        method: 'POST',
        body: {},
        signal,
      }),
    staleTime: 60_000,
    refetchOnWindowFocus: false,
  });
}
