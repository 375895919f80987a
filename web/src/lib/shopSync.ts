// The "Keeping in step" cards' wording (issue 17, part 3): how a shop platform's
// reconciliation with Rekindle reads — its status, its last run, the next one, how far
// the orders and customers have been read, and the settings an unconfigured platform needs.

import type { ShopSync, ShopSyncProgress } from '../api/integrations/types';
import { isApiError } from '../api/client';
import { formatCount, formatDateTime } from './format';

/** The settings of the server's environment that turn a platform's sync on. */
export const SYNC_SETTINGS: Record<string, readonly string[]> = {
  shopify: ['RKD_SHOPIFY_SHOP_URL', 'RKD_SHOPIFY_ACCESS_TOKEN'],
  woocommerce: ['RKD_WOOCOMMERCE_URL', 'RKD_WOOCOMMERCE_CONSUMER_KEY', 'RKD_WOOCOMMERCE_CONSUMER_SECRET'],
};

export const SYNC_STATUS_WORDS: Record<string, string> = {
  never: 'Never synced',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
};

/** The status in words; a status this dashboard does not know is shown as the server says it. */
export function syncStatusWords(status: string): string {
  return SYNC_STATUS_WORDS[status] ?? status;
}

/** The badge tone of a status, as the delivery lists colour theirs. */
export function syncStatusTone(status: string): 'ok' | 'warn' | 'stop' | 'muted' {
  if (status === 'succeeded') return 'ok';
  if (status === 'running') return 'warn';
  if (status === 'failed') return 'stop';
  return 'muted';
}

export const SYNC_TRIGGER_WORDS: Record<string, string> = {
  schedule: 'on schedule',
  api: 'on request (Sync now or the API)',
  cli: 'from the command line',
};

/** "started on schedule", or an em dash when nothing started a run yet. */
export function syncTriggerWords(trigger: string | null): string {
  if (!trigger) return '—';
  return `started ${SYNC_TRIGGER_WORDS[trigger] ?? `by ${trigger}`}`;
}

export function anySyncRunning(syncs: readonly Pick<ShopSync, 'status'>[] | undefined): boolean {
  return Boolean(syncs?.some((s) => s.status === 'running'));
}

/** Whole seconds from start to finish; null unless both are known and in order. */
export function syncSeconds(startedAt: string | null, finishedAt: string | null): number | null {
  if (!startedAt || !finishedAt) return null;
  const ms = new Date(finishedAt).getTime() - new Date(startedAt).getTime();
  if (!Number.isFinite(ms) || ms < 0) return null;
  return Math.round(ms / 1000);
}

/** "took 42 s" for a run that ended; null while it runs or when a time is missing. */
export function syncTookWords(startedAt: string | null, finishedAt: string | null): string | null {
  const s = syncSeconds(startedAt, finishedAt);
  return s === null ? null : `took ${formatCount(s)} s`;
}

/** "every 60 min", "every 1 min"; "not scheduled" for 0 (only Sync now and the command line start a run). */
export function syncScheduleWords(intervalMinutes: number): string {
  if (!(intervalMinutes > 0)) return 'not scheduled';
  return `every ${formatCount(intervalMinutes)} min`;
}

/** The next scheduled run: its time, "not scheduled" when the interval is 0, or an em dash. */
export function nextRunWords(sync: Pick<ShopSync, 'intervalMinutes' | 'nextRunAt'>): string {
  if (!(sync.intervalMinutes > 0)) return 'not scheduled';
  return sync.nextRunAt ? formatDateTime(sync.nextRunAt) : '—';
}

/** How far each kind of record has been read: the next run asks for what changed after these. */
export function cursorWords(cursors: ShopSync['cursors']): { orders: string; customers: string } {
  return {
    orders: cursors.orders ? `orders changed up to ${formatDateTime(cursors.orders)}` : 'no orders read yet',
    customers: cursors.customers ? `customers up to ${formatDateTime(cursors.customers)}` : 'no customers read yet',
  };
}

/** The progress counts in the order they are shown, with their labels. */
export const PROGRESS_LABELS: readonly { key: keyof ShopSyncProgress; label: string }[] = [
  { key: 'pages', label: 'Pages' },
  { key: 'fetched', label: 'Fetched' },
  { key: 'imported', label: 'Imported' },
  { key: 'updated', label: 'Updated' },
  { key: 'unchanged', label: 'Unchanged' },
  { key: 'rejected', label: 'Rejected' },
];

/** The last run's error, with the setting or field it names: "HTTP 401 (RKD_SHOPIFY_ACCESS_TOKEN)". */
export function syncErrorWords(sync: Pick<ShopSync, 'error' | 'field'>): string {
  const error = sync.error?.trim() || 'the run failed';
  return sync.field ? `${error} (${sync.field})` : error;
}

/** The server refused "Sync now" because a run is going on already (409 `conflict`). */
export function isSyncConflict(error: unknown): boolean {
  return isApiError(error) && (error.status === 409 || error.code === 'conflict');
}
