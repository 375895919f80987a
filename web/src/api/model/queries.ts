import { queryOptions } from '@tanstack/react-query';
import { apiRequest } from '../client';
import { userKeys } from '../users/queries';
import type { ModelState } from './types';

export const modelKeys = {
  all: ['model'] as const,
};

/** How often the model is read while a fit runs, so the page sees it end within a second. */
export const FIT_POLL_MS = 1000;

/** A fit runs in the server process (`running`; a `lastRun` still running says the same). */
export function fitRunning(state: ModelState | undefined): boolean {
  return Boolean(state && (state.running || state.lastRun?.status === 'running'));
}

/**
 * Every client's prediction changed between two readings of the model: a run seen running
 * has ended (fitted or not: the users are read again either way, once), or another fit was
 * stored meanwhile (the schedule's between two polls, or `rekindle model fit` elsewhere).
 */
export function predictionsChanged(before: ModelState | undefined, after: ModelState): boolean {
  if (!before) return false;
  if (fitRunning(before) && !fitRunning(after)) return true;
  return (before.fit?.fitId ?? null) !== (after.fit?.fitId ?? null);
}

/** The current fit, or why there is none. */
export function modelQuery() {
  return queryOptions({
    queryKey: modelKeys.all,
    queryFn: async ({ client, queryKey, signal }) => {
      const before = client.getQueryData<ModelState>(queryKey);
      const after = await apiRequest<ModelState>('/api/model', { signal });
      // Here rather than in a component, so it happens once per change however many
      // components read the model, and also when the run ended while the page was closed.
      if (predictionsChanged(before, after)) void client.invalidateQueries({ queryKey: userKeys.all });
      return after;
    },
    // A fit changes once a day at most: polled every second only while one runs (the
    // button's, the schedule's), so the page follows it to its end.
    refetchInterval: (query) => (fitRunning(query.state.data) ? FIT_POLL_MS : 60_000),
  });
}
