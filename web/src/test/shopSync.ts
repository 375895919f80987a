// A stateful fake of the shop sync endpoints for the Integrations page's tests:
// GET /api/integrations/sync lists the platforms; POST /api/integrations/sync/:source
// starts a run (202 with the card, running) unless one runs (409 conflict) or the
// platform is not configured or unknown (404), as the server does.

import type { ShopSync } from '../api/integrations/types';
import { fail, ok, type Handler } from './fakeApi';

const ZERO = { pages: 0, fetched: 0, imported: 0, updated: 0, unchanged: 0, rejected: 0 };

/** A configured Shopify sync whose last run succeeded. */
export function aShopSync(overrides: Partial<ShopSync> = {}): ShopSync {
  return {
    source: 'shopify',
    name: 'Shopify',
    configured: true,
    shopUrl: 'https://example.myshopify.com',
    status: 'succeeded',
    trigger: 'schedule',
    startedAt: '2026-02-04T09:00:00Z',
    finishedAt: '2026-02-04T09:00:42Z',
    lastSuccessAt: '2026-02-04T09:00:42Z',
    error: null,
    field: null,
    cursors: { orders: '2026-02-04T08:59:30Z', customers: '2026-02-04T08:58:00Z' },
    progress: { pages: 3, fetched: 250, imported: 12, updated: 30, unchanged: 205, rejected: 3 },
    intervalMinutes: 60,
    nextRunAt: '2026-02-04T10:00:00Z',
    ...overrides,
  };
}

/** A platform not configured for sync: the same keys, nulls and zeros. */
export function anUnconfiguredSync(overrides: Partial<ShopSync> = {}): ShopSync {
  return {
    source: 'woocommerce',
    name: 'WooCommerce',
    configured: false,
    shopUrl: null,
    status: 'never',
    trigger: null,
    startedAt: null,
    finishedAt: null,
    lastSuccessAt: null,
    error: null,
    field: null,
    cursors: { orders: null, customers: null },
    progress: { ...ZERO },
    intervalMinutes: 0,
    nextRunAt: null,
    ...overrides,
  };
}

export interface ShopSyncState {
  syncs: ShopSync[];
  /** When the fake starts a run (the 202's startedAt). */
  now: string;
}

export function shopSyncState(overrides: Partial<ShopSyncState> = {}): ShopSyncState {
  return { syncs: [aShopSync(), anUnconfiguredSync()], now: '2026-02-05T12:00:00Z', ...overrides };
}

/** Ends the running sync of `source` as the server would: succeeded with these counts, or failed. */
export function finishSync(state: ShopSyncState, source: string, outcome: Partial<ShopSync>): void {
  state.syncs = state.syncs.map((s) =>
    s.source === source ? { ...s, status: 'succeeded', finishedAt: '2026-02-05T12:00:07Z', ...outcome } : s,
  );
}

export function shopSyncRoutes(state: ShopSyncState): Record<string, Handler> {
  return {
    'GET /api/integrations/sync': () => ok(state.syncs),
    'POST /api/integrations/sync/:source': (req) => {
      const sync = state.syncs.find((s) => s.source === req.params.source);
      if (!sync || !sync.configured) return fail(404, 'not_found', `${req.params.source} is not configured for sync`);
      if (sync.status === 'running') return fail(409, 'conflict', `a ${sync.name} sync is already running`);
      const started: ShopSync = {
        ...sync,
        status: 'running',
        trigger: 'api',
        startedAt: state.now,
        finishedAt: null,
        error: null,
        field: null,
        progress: { ...ZERO },
        nextRunAt: null,
      };
      state.syncs = state.syncs.map((s) => (s === sync ? started : s));
      return ok(started, 202);
    },
  };
}
