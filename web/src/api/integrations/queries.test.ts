import { describe, expect, it } from 'vitest';
import { aShopSync, anUnconfiguredSync } from '../../test/shopSync';
import { LIVE_REFRESH_MS } from '../live';
import { shopSyncRefetchMs, SYNC_POLL_MS } from './queries';

describe('reading the shop syncs', () => {
  it('polls every 2 s while any platform syncs, and as the other live lists otherwise', () => {
    expect(SYNC_POLL_MS).toBe(2000);
    expect(shopSyncRefetchMs(undefined)).toBe(LIVE_REFRESH_MS);
    expect(shopSyncRefetchMs([aShopSync(), anUnconfiguredSync()])).toBe(LIVE_REFRESH_MS);
    expect(shopSyncRefetchMs([aShopSync({ status: 'failed' })])).toBe(LIVE_REFRESH_MS);
    expect(shopSyncRefetchMs([anUnconfiguredSync(), aShopSync({ status: 'running' })])).toBe(SYNC_POLL_MS);
  });
});
