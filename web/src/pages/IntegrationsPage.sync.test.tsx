import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { dismiss, getNotices } from '../lib/notices';
import { fail, fakeApi, type Handler } from '../test/fakeApi';
import { renderApp } from '../test/render';
import { aShopSync, anUnconfiguredSync, finishSync, shopSyncRoutes, shopSyncState } from '../test/shopSync';
import { webhookRoutes, webhookState } from '../test/webhooks';

// Notices outlive a test (they go after NOTICE_MS): none may leak into the next.
afterEach(() => {
  for (const n of getNotices()) dismiss(n.id);
});

function routes(state = shopSyncState(), extra: Record<string, Handler> = {}) {
  return { ...webhookRoutes(webhookState()), ...shopSyncRoutes(state), ...extra };
}

async function card(name: string) {
  const section = await screen.findByRole('region', { name: 'Keeping in step' });
  return within(section).findByRole('region', { name });
}

function notices() {
  return getNotices().map((n) => n.message);
}

describe('Keeping in step (the shop syncs)', () => {
  it('comes before the incoming deliveries', async () => {
    fakeApi(routes());
    renderApp('/integrations');
    await card('Shopify');
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      'Outgoing webhooks',
      'Outgoing deliveries',
      'Keeping in step',
      'Incoming deliveries',
    ]);
  });

  it('shows a platform that is not configured with the settings to set, and no button', async () => {
    fakeApi(
      routes(
        shopSyncState({
          syncs: [
            anUnconfiguredSync({ source: 'shopify', name: 'Shopify' }),
            anUnconfiguredSync({ source: 'woocommerce', name: 'WooCommerce' }),
          ],
        }),
      ),
    );
    renderApp('/integrations');
    const shopify = await card('Shopify');
    expect(shopify).toHaveTextContent('Not configured');
    expect(shopify).toHaveTextContent(
      "To keep Shopify in step, set RKD_SHOPIFY_SHOP_URL and RKD_SHOPIFY_ACCESS_TOKEN in the server's environment",
    );
    expect(within(shopify).queryByRole('button')).not.toBeInTheDocument();
    const woo = await card('WooCommerce');
    expect(woo).toHaveTextContent(
      'set RKD_WOOCOMMERCE_URL, RKD_WOOCOMMERCE_CONSUMER_KEY and RKD_WOOCOMMERCE_CONSUMER_SECRET',
    );
    expect(within(woo).queryByRole('button')).not.toBeInTheDocument();
    expect(within(woo).queryByText(/Never synced/)).not.toBeInTheDocument();
  });

  it('shows a configured platform that never synced, with its schedule and Sync now', async () => {
    fakeApi(
      routes(
        shopSyncState({
          syncs: [
            aShopSync({
              status: 'never',
              trigger: null,
              startedAt: null,
              finishedAt: null,
              lastSuccessAt: null,
              cursors: { orders: null, customers: null },
              progress: { pages: 0, fetched: 0, imported: 0, updated: 0, unchanged: 0, rejected: 0 },
              intervalMinutes: 60,
              nextRunAt: '2026-02-05T13:00:00Z',
            }),
          ],
        }),
      ),
    );
    renderApp('/integrations');
    const shopify = await card('Shopify');
    expect(shopify).toHaveTextContent('https://example.myshopify.com');
    expect(shopify).toHaveTextContent('Never synced');
    expect(shopify).toHaveTextContent('Last runnever');
    expect(shopify).toHaveTextContent('Last successnever');
    expect(shopify).toHaveTextContent('Next run5 Feb 2026, 13:00 (every 60 min)');
    expect(shopify).toHaveTextContent('no orders read yet; no customers read yet');
    // No run, no counts.
    expect(within(shopify).queryByText('Fetched')).not.toBeInTheDocument();
    expect(within(shopify).queryByRole('alert')).not.toBeInTheDocument();
    expect(within(shopify).getByRole('button', { name: 'Sync now' })).toBeEnabled();
  });

  it('shows a run that succeeded: its trigger, times, duration, counts and cursors', async () => {
    fakeApi(routes());
    renderApp('/integrations');
    const shopify = await card('Shopify');
    expect(shopify).toHaveAttribute('data-status', 'succeeded');
    expect(shopify).toHaveTextContent('Succeeded');
    expect(shopify).toHaveTextContent(
      'Last runstarted on schedule, 4 Feb 2026, 09:00; finished 4 Feb 2026, 09:00 (took 42 s)',
    );
    expect(shopify).toHaveTextContent('Last success4 Feb 2026, 09:00');
    expect(shopify).toHaveTextContent('Next run4 Feb 2026, 10:00 (every 60 min)');
    expect(shopify).toHaveTextContent('orders changed up to 4 Feb 2026, 08:59; customers up to 4 Feb 2026, 08:58');
    const counts: Record<string, string | null> = {};
    for (const dd of within(shopify).getAllByRole('definition')) {
      if (dd.dataset.count) counts[dd.dataset.count] = dd.textContent;
    }
    expect(counts).toEqual({
      pages: '3',
      fetched: '250',
      imported: '12',
      updated: '30',
      unchanged: '205',
      rejected: '3',
    });
    expect(within(shopify).getByRole('heading', { name: 'Counts of the last run' })).toBeInTheDocument();
    expect(within(shopify).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says "not scheduled" when the interval is 0', async () => {
    fakeApi(routes(shopSyncState({ syncs: [aShopSync({ intervalMinutes: 0, nextRunAt: null })] })));
    renderApp('/integrations');
    expect(await card('Shopify')).toHaveTextContent('Next runnot scheduled');
  });

  it('shows a failed run with its error and field as an alert', async () => {
    fakeApi(
      routes(
        shopSyncState({
          syncs: [
            aShopSync({
              status: 'failed',
              trigger: 'api',
              finishedAt: '2026-02-04T09:00:03Z',
              lastSuccessAt: '2026-02-03T09:00:40Z',
              error: 'Shopify answered 401: invalid API key or access token',
              field: 'RKD_SHOPIFY_ACCESS_TOKEN',
              progress: { pages: 0, fetched: 0, imported: 0, updated: 0, unchanged: 0, rejected: 0 },
            }),
            anUnconfiguredSync(),
          ],
        }),
      ),
    );
    renderApp('/integrations');
    const shopify = await card('Shopify');
    expect(within(shopify).getByRole('alert')).toHaveTextContent(
      'The last sync failed: Shopify answered 401: invalid API key or access token (RKD_SHOPIFY_ACCESS_TOKEN)',
    );
    expect(shopify).toHaveTextContent('Failed');
    expect(shopify).toHaveTextContent('started on request (Sync now or the API), 4 Feb 2026, 09:00');
    expect(shopify).toHaveTextContent('(took 3 s)');
    expect(shopify).toHaveTextContent('Last success3 Feb 2026, 09:00');
    // A failed run can be tried again.
    expect(within(shopify).getByRole('button', { name: 'Sync now' })).toBeEnabled();
  });

  it('follows a running sync every 2 s with the button disabled, until it ends', async () => {
    const state = shopSyncState({
      syncs: [
        aShopSync({
          status: 'running',
          trigger: 'schedule',
          startedAt: '2026-02-05T11:59:00Z',
          finishedAt: null,
          nextRunAt: null,
          progress: { pages: 1, fetched: 100, imported: 4, updated: 6, unchanged: 90, rejected: 0 },
        }),
        anUnconfiguredSync(),
      ],
    });
    const reads: number[] = [];
    const base = shopSyncRoutes(state);
    fakeApi(
      routes(state, {
        'GET /api/integrations/sync': (req) => {
          reads.push(performance.now());
          return base['GET /api/integrations/sync']!(req);
        },
      }),
    );
    renderApp('/integrations');
    const shopify = await card('Shopify');
    expect(shopify).toHaveTextContent('Running');
    expect(within(shopify).getByRole('status')).toHaveTextContent('Syncing since 11:59…');
    expect(within(shopify).getByRole('heading', { name: 'Counts so far' })).toBeInTheDocument();
    expect(within(shopify).getByRole('button', { name: 'Sync now' })).toBeDisabled();
    expect(within(shopify).queryByRole('alert')).not.toBeInTheDocument();

    // The run ends on the server; the next reading (2 s later, not 4) shows it.
    finishSync(state, 'shopify', {
      lastSuccessAt: '2026-02-05T12:00:07Z',
      progress: { pages: 2, fetched: 180, imported: 9, updated: 11, unchanged: 160, rejected: 0 },
    });
    await waitFor(() => expect(shopify).toHaveAttribute('data-status', 'succeeded'), { timeout: 5000 });
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(reads[1]! - reads[0]!).toBeLessThan(3500);
    expect(shopify).toHaveTextContent('Succeeded');
    expect(within(shopify).getByRole('button', { name: 'Sync now' })).toBeEnabled();
    expect(within(shopify).getByRole('status')).toBeEmptyDOMElement();
  });

  it('Sync now posts with no body; the 202 shows the card running at once', async () => {
    const state = shopSyncState();
    const api = fakeApi(routes(state));
    const { user } = renderApp('/integrations');
    const shopify = await card('Shopify');
    await user.click(within(shopify).getByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(api.callsTo('POST', '/api/integrations/sync/shopify')).toHaveLength(1));
    expect(api.callsTo('POST', '/api/integrations/sync/shopify')[0]!.body).toBeUndefined();
    await waitFor(() => expect(shopify).toHaveAttribute('data-status', 'running'));
    expect(shopify).toHaveTextContent('Running');
    expect(within(shopify).getByRole('status')).toHaveTextContent('Syncing since 12:00…');
    expect(shopify).toHaveTextContent('started on request (Sync now or the API), 5 Feb 2026, 12:00');
    expect(within(shopify).getByRole('button', { name: 'Sync now' })).toBeDisabled();
    expect(notices()).toContain('Shopify: sync started.');
    // The list is read again after the answer.
    await waitFor(() => expect(api.callsTo('GET', '/api/integrations/sync').length).toBeGreaterThanOrEqual(2));

    // The run ends: the card says so and the button comes back.
    finishSync(state, 'shopify', { lastSuccessAt: '2026-02-05T12:00:07Z' });
    await waitFor(() => expect(shopify).toHaveAttribute('data-status', 'succeeded'), { timeout: 5000 });
    expect(shopify).toHaveTextContent('(took 7 s)');
    expect(within(shopify).getByRole('button', { name: 'Sync now' })).toBeEnabled();
  });

  it('says a sync is already running when the server answers 409, and shows that run', async () => {
    // The list still says succeeded: the run started elsewhere (the schedule, the CLI) since it was read.
    const state = shopSyncState();
    const api = fakeApi(
      routes(state, {
        'POST /api/integrations/sync/:source': () => {
          state.syncs = state.syncs.map((s) =>
            s.source === 'shopify' ? { ...s, status: 'running', trigger: 'cli', finishedAt: null } : s,
          );
          return fail(409, 'conflict', 'a Shopify sync is already running');
        },
      }),
    );
    const { user } = renderApp('/integrations');
    const shopify = await card('Shopify');
    const readsBefore = api.callsTo('GET', '/api/integrations/sync').length;
    await user.click(within(shopify).getByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(notices()).toContain('Shopify: a sync is already running.'));
    await waitFor(() => expect(api.callsTo('GET', '/api/integrations/sync').length).toBeGreaterThan(readsBefore));
    await waitFor(() => expect(shopify).toHaveAttribute('data-status', 'running'));
    expect(shopify).toHaveTextContent('started from the command line');
    expect(within(shopify).getByRole('button', { name: 'Sync now' })).toBeDisabled();
  });

  it("shows any other refusal in the server's words", async () => {
    fakeApi(
      routes(shopSyncState(), {
        'POST /api/integrations/sync/:source': () => fail(404, 'not_found', 'shopify is not configured for sync'),
      }),
    );
    const { user } = renderApp('/integrations');
    const shopify = await card('Shopify');
    await user.click(within(shopify).getByRole('button', { name: 'Sync now' }));
    await waitFor(() =>
      expect(notices()).toContain('Shopify: the sync did not start: shopify is not configured for sync'),
    );
    expect(
      await screen.findByText('Shopify: the sync did not start: shopify is not configured for sync'),
    ).toBeVisible();
    expect(within(shopify).getByRole('button', { name: 'Sync now' })).toBeEnabled();
  });

  it('says so when the server has no shop sync yet', async () => {
    fakeApi(webhookRoutes(webhookState()));
    renderApp('/integrations');
    expect(await screen.findByText('Keeping in step is not available yet')).toBeInTheDocument();
  });
});
