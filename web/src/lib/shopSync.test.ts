import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { aShopSync, anUnconfiguredSync } from '../test/shopSync';
import {
  anySyncRunning,
  cursorWords,
  isSyncConflict,
  nextRunWords,
  PROGRESS_LABELS,
  SYNC_SETTINGS,
  syncErrorWords,
  syncScheduleWords,
  syncSeconds,
  syncStatusTone,
  syncStatusWords,
  syncTookWords,
  syncTriggerWords,
} from './shopSync';

describe('a shop sync in words', () => {
  it('names each status, and shows one it does not know as the server says it', () => {
    expect(['never', 'running', 'succeeded', 'failed'].map(syncStatusWords)).toEqual([
      'Never synced',
      'Running',
      'Succeeded',
      'Failed',
    ]);
    expect(syncStatusWords('paused')).toBe('paused');
    expect(['never', 'running', 'succeeded', 'failed'].map(syncStatusTone)).toEqual(['muted', 'warn', 'ok', 'stop']);
  });

  it('says what started the last run', () => {
    expect(syncTriggerWords('schedule')).toBe('started on schedule');
    expect(syncTriggerWords('api')).toBe('started on request (Sync now or the API)');
    expect(syncTriggerWords('cli')).toBe('started from the command line');
    expect(syncTriggerWords(null)).toBe('—');
  });

  it('says how long a run took in whole seconds, and nothing while it runs', () => {
    expect(syncSeconds('2026-02-04T09:00:00Z', '2026-02-04T09:00:42.400Z')).toBe(42);
    expect(syncTookWords('2026-02-04T09:00:00Z', '2026-02-04T09:00:42Z')).toBe('took 42 s');
    expect(syncTookWords('2026-02-04T09:00:00Z', '2026-02-04T09:25:00Z')).toBe('took 1,500 s');
    expect(syncTookWords('2026-02-04T09:00:00Z', '2026-02-04T09:00:00Z')).toBe('took 0 s');
    expect(syncTookWords('2026-02-04T09:00:00Z', null)).toBeNull();
    expect(syncTookWords(null, null)).toBeNull();
    // A clock that went back, or a time that does not parse: no duration rather than a wrong one.
    expect(syncTookWords('2026-02-04T09:00:10Z', '2026-02-04T09:00:00Z')).toBeNull();
    expect(syncTookWords('soon', '2026-02-04T09:00:00Z')).toBeNull();
  });

  it('gives the next scheduled run, or says there is no schedule', () => {
    expect(nextRunWords({ intervalMinutes: 60, nextRunAt: '2026-02-04T10:00:00Z' })).toBe('4 Feb 2026, 10:00');
    expect(nextRunWords({ intervalMinutes: 0, nextRunAt: null })).toBe('not scheduled');
    // The interval wins over a stale time.
    expect(nextRunWords({ intervalMinutes: 0, nextRunAt: '2026-02-04T10:00:00Z' })).toBe('not scheduled');
    expect(nextRunWords({ intervalMinutes: 15, nextRunAt: null })).toBe('—');
    expect(syncScheduleWords(60)).toBe('every 60 min');
    expect(syncScheduleWords(1440)).toBe('every 1,440 min');
    expect(syncScheduleWords(0)).toBe('not scheduled');
  });

  it('says how far the orders and customers have been read', () => {
    expect(cursorWords({ orders: '2026-02-04T08:59:30Z', customers: '2026-02-04T08:58:00Z' })).toEqual({
      orders: 'orders changed up to 4 Feb 2026, 08:59',
      customers: 'customers up to 4 Feb 2026, 08:58',
    });
    expect(cursorWords({ orders: null, customers: null })).toEqual({
      orders: 'no orders read yet',
      customers: 'no customers read yet',
    });
  });

  it('lists the counts in order', () => {
    expect(PROGRESS_LABELS.map((p) => p.key)).toEqual([
      'pages',
      'fetched',
      'imported',
      'updated',
      'unchanged',
      'rejected',
    ]);
  });

  it('gives the last error with the field it names', () => {
    expect(syncErrorWords({ error: 'Shopify answered 401', field: 'RKD_SHOPIFY_ACCESS_TOKEN' })).toBe(
      'Shopify answered 401 (RKD_SHOPIFY_ACCESS_TOKEN)',
    );
    expect(syncErrorWords({ error: 'connection refused', field: null })).toBe('connection refused');
    expect(syncErrorWords({ error: null, field: null })).toBe('the run failed');
  });

  it('names the settings that turn each platform on', () => {
    expect(SYNC_SETTINGS.shopify).toEqual(['RKD_SHOPIFY_SHOP_URL', 'RKD_SHOPIFY_ACCESS_TOKEN']);
    expect(SYNC_SETTINGS.woocommerce).toEqual([
      'RKD_WOOCOMMERCE_URL',
      'RKD_WOOCOMMERCE_CONSUMER_KEY',
      'RKD_WOOCOMMERCE_CONSUMER_SECRET',
    ]);
  });

  it('knows when any run goes on, and a refusal because one does', () => {
    expect(anySyncRunning(undefined)).toBe(false);
    expect(anySyncRunning([aShopSync(), anUnconfiguredSync()])).toBe(false);
    expect(anySyncRunning([aShopSync({ status: 'running' }), anUnconfiguredSync()])).toBe(true);
    expect(isSyncConflict(new ApiError(409, 'conflict', 'a sync is already running'))).toBe(true);
    expect(isSyncConflict(new ApiError(409, 'http_error', 'Conflict'))).toBe(true);
    expect(isSyncConflict(new ApiError(404, 'not_found', 'not configured'))).toBe(false);
    expect(isSyncConflict(new Error('conflict'))).toBe(false);
  });
});
