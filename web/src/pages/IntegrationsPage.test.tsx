import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fail, fakeApi } from '../test/fakeApi';
import { renderApp } from '../test/render';
import { aDelivery, anEndpoint, anIncoming, webhookRoutes, webhookState } from '../test/webhooks';

function section(name: string) {
  return screen.getByRole('region', { name });
}

describe('The Integrations page', () => {
  it('is in the main navigation and lists the endpoints with their events, description and date', async () => {
    fakeApi(webhookRoutes(webhookState()));
    const { user } = renderApp('/');
    await user.click(
      within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Integrations' }),
    );
    expect(await screen.findByRole('heading', { level: 1, name: 'Integrations' })).toBeInTheDocument();
    const row = (await screen.findByRole('rowheader', { name: 'https://crm.example.com/rekindle' })).closest('tr')!;
    expect(within(row).getByText('client.at_risk')).toBeInTheDocument();
    expect(within(row).getByText('email.converted')).toBeInTheDocument();
    expect(within(row).getByText('The CRM')).toBeInTheDocument();
    expect(within(row).getByText('1 Feb 2026, 09:00')).toBeInTheDocument();
    // The note for receivers.
    const note = screen.getByRole('complementary', { name: 'Verifying deliveries' });
    expect(note).toHaveTextContent('webhook-id');
    expect(note).toHaveTextContent('webhook-timestamp');
    expect(note).toHaveTextContent('v1,<signature>');
    expect(note).toHaveTextContent('whsec_');
    expect(note).toHaveTextContent('deduplicate by webhook-id');
  });

  it('adds an endpoint and shows its secret once: not cached, not stored, gone after dismissal and after leaving', async () => {
    const state = webhookState({ endpoints: [] });
    const api = fakeApi(webhookRoutes(state));
    const { user, queryClient } = renderApp('/integrations');
    await screen.findByText('No endpoint yet: add one below.');

    // Checked in the browser first: nothing is sent.
    await user.type(screen.getByLabelText('Endpoint URL'), 'ftp://files.example.com');
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect(screen.getByLabelText('Endpoint URL')).toHaveAccessibleDescription(/http:\/\/ or https:\/\//);
    expect(screen.getByLabelText('Endpoint URL')).toHaveFocus();
    expect(screen.getByText('Choose at least one event.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Description'), 'é'.repeat(101));
    expect(screen.getByLabelText('Description')).toHaveAccessibleDescription(/at most 200 bytes \(it is 202\)/);
    expect(api.callsTo('POST', '/api/webhooks')).toHaveLength(0);

    await user.clear(screen.getByLabelText('Endpoint URL'));
    await user.type(screen.getByLabelText('Endpoint URL'), 'https://hooks.example.com/rekindle');
    await user.click(screen.getByRole('checkbox', { name: 'email.sent' }));
    await user.click(screen.getByRole('checkbox', { name: 'client.unsubscribed' }));
    await user.clear(screen.getByLabelText('Description'));
    await user.type(screen.getByLabelText('Description'), 'Zapier');
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }));
    await waitFor(() => expect(api.callsTo('POST', '/api/webhooks')).toHaveLength(1));
    expect(api.callsTo('POST', '/api/webhooks')[0]?.body).toEqual({
      url: 'https://hooks.example.com/rekindle',
      events: ['email.sent', 'client.unsubscribed'],
      description: 'Zapier',
    });

    const secret = state.secrets[0]!;
    const panel = await screen.findByRole('region', { name: 'Signing secret for https://hooks.example.com/rekindle' });
    expect(panel).toHaveTextContent('Shown only now: store it in the receiver.');
    expect(within(panel).getByTestId('webhook-secret-value')).toHaveTextContent(secret);
    await user.click(within(panel).getByRole('button', { name: 'Copy' }));
    expect(await within(panel).findByText('Copied.')).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(secret);
    // The list is read again and shows the endpoint; the form is empty again.
    expect(await screen.findByRole('rowheader', { name: 'https://hooks.example.com/rekindle' })).toBeInTheDocument();
    expect(screen.getByLabelText('Endpoint URL')).toHaveValue('');

    // The secret is in no cache and no storage.
    const cached = JSON.stringify([
      queryClient
        .getQueryCache()
        .getAll()
        .map((q) => q.state),
      queryClient
        .getMutationCache()
        .getAll()
        .map((m) => m.state),
    ]);
    expect(cached).toContain('https://hooks.example.com/rekindle');
    expect(cached).not.toContain(secret);
    expect(JSON.stringify({ ...window.sessionStorage })).not.toContain(secret);
    expect(JSON.stringify({ ...window.localStorage })).not.toContain(secret);

    await user.click(within(panel).getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByTestId('webhook-secret')).not.toBeInTheDocument();
    expect(screen.queryByText(secret)).not.toBeInTheDocument();

    // A second endpoint: its secret is shown, then the user leaves and comes back.
    await user.type(screen.getByLabelText('Endpoint URL'), 'https://second.example.com/');
    await user.click(screen.getByRole('checkbox', { name: 'client.at_risk' }));
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }));
    await waitFor(() => expect(state.secrets).toHaveLength(2));
    const second = state.secrets[1]!;
    expect(await screen.findByTestId('webhook-secret-value')).toHaveTextContent(second);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    await user.click(within(nav).getByRole('link', { name: 'Suppressions' }));
    await screen.findByRole('heading', { level: 1, name: 'Suppressions' });
    await user.click(within(nav).getByRole('link', { name: 'Integrations' }));
    await screen.findByRole('rowheader', { name: 'https://second.example.com/' });
    expect(screen.queryByTestId('webhook-secret')).not.toBeInTheDocument();
    expect(document.body.textContent).not.toContain(second);
  });

  it("shows the server's 400 at the field it names, and one about another key above the button", async () => {
    let answer = fail(400, 'invalid_argument', 'url must not point at a private address', 'url');
    fakeApi({ ...webhookRoutes(webhookState()), 'POST /api/webhooks': () => answer });
    const { user } = renderApp('/integrations');
    await screen.findByRole('rowheader', { name: 'https://crm.example.com/rekindle' });
    await user.type(screen.getByLabelText('Endpoint URL'), 'http://10.0.0.1/hook');
    await user.click(screen.getByRole('checkbox', { name: 'email.sent' }));
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }));
    const url = screen.getByLabelText('Endpoint URL');
    await waitFor(() => expect(url).toHaveAccessibleDescription('Url must not point at a private address.'));
    expect(url).toHaveAttribute('aria-invalid', 'true');
    expect(url).toHaveFocus();
    expect(screen.getByRole('alert')).toHaveTextContent('Endpoint URL: Url must not point at a private address.');
    expect(screen.queryByTestId('webhook-secret')).not.toBeInTheDocument();
    // Editing the field clears the server's word on it.
    await user.type(url, 'x');
    expect(url).not.toHaveAttribute('aria-invalid');

    answer = fail(400, 'invalid_argument', 'unknown field: secret', 'secret');
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Unknown field: secret.');
    expect(url).not.toHaveAttribute('aria-invalid');
  });

  it('deletes an endpoint after asking', async () => {
    const state = webhookState();
    const api = fakeApi(webhookRoutes(state));
    const { user } = renderApp('/integrations');
    await screen.findByRole('rowheader', { name: 'https://crm.example.com/rekindle' });
    await user.click(screen.getByRole('button', { name: 'Delete https://crm.example.com/rekindle' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete https://crm.example.com/rekindle?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.callsTo('DELETE', '/api/webhooks/wh_1')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Delete https://crm.example.com/rekindle' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(api.callsTo('DELETE', '/api/webhooks/wh_1')).toHaveLength(1));
    expect(await screen.findByText('No endpoint yet: add one below.')).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('lists outgoing deliveries and filters them by endpoint and status through the API and the URL', async () => {
    const state = webhookState({
      endpoints: [anEndpoint(), anEndpoint({ endpointId: 'wh_2', url: 'https://b.example.com/h' })],
      deliveries: [
        aDelivery({
          deliveryId: 'dl_3',
          endpointId: 'wh_2',
          type: 'email.sent',
          status: 'pending',
          attempts: 2,
          nextAttemptAt: '2026-02-02T11:30:00Z',
          lastStatus: 503,
          lastError: 'HTTP 503',
          deliveredAt: null,
        }),
        aDelivery({
          deliveryId: 'dl_2',
          status: 'dead',
          attempts: 8,
          lastStatus: null,
          lastError: 'connection refused',
        }),
        aDelivery({ deliveryId: 'dl_9', endpointId: 'wh_gone' }),
      ],
    });
    const api = fakeApi(webhookRoutes(state));
    const { user } = renderApp('/integrations');
    const table = await screen.findByRole('region', { name: 'Outgoing delivery list' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-delivery-id'))).toEqual(['dl_3', 'dl_2', 'dl_9']);
    expect(rows[0]).toHaveTextContent('email.sent');
    expect(rows[0]).toHaveTextContent('https://b.example.com/h');
    expect(rows[0]).toHaveTextContent('Pending');
    expect(rows[0]).toHaveTextContent('2 Feb 2026, 11:30');
    expect(rows[0]).toHaveTextContent('503');
    expect(rows[0]).toHaveTextContent('HTTP 503');
    expect(within(rows[0]!).queryByRole('button', { name: /^Replay/ })).not.toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('Dead (gave up)');
    expect(rows[1]).toHaveTextContent('connection refused');
    expect(within(rows[1]!).getByRole('button', { name: 'Replay client.at_risk delivery dl_2' })).toBeInTheDocument();
    expect(rows[2]).toHaveTextContent('wh_gone (deleted)');

    await user.selectOptions(screen.getByLabelText('Endpoint'), 'https://crm.example.com/rekindle');
    await waitFor(() =>
      expect(api.callsTo('GET', '/api/webhooks/deliveries').at(-1)?.query.get('endpointId')).toBe('wh_1'),
    );
    await user.selectOptions(screen.getByLabelText('Status'), 'Dead (gave up)');
    await waitFor(() => {
      const q = api.callsTo('GET', '/api/webhooks/deliveries').at(-1)?.query;
      expect([q?.get('endpointId'), q?.get('status'), q?.get('limit')]).toEqual(['wh_1', 'dead', '50']);
    });
    await waitFor(() =>
      expect(
        within(section('Outgoing deliveries'))
          .getAllByRole('row')
          .slice(1)
          .map((r) => r.dataset.deliveryId),
      ).toEqual(['dl_2']),
    );
    await user.selectOptions(screen.getByLabelText('Status'), 'Pending');
    expect(await screen.findByText('No delivery matches these filters.')).toBeInTheDocument();
  });

  it('reads the filters from the URL', async () => {
    const api = fakeApi(webhookRoutes(webhookState()));
    renderApp('/integrations?endpointId=wh_1&status=delivered&source=woocommerce');
    await waitFor(() => expect(api.callsTo('GET', '/api/webhooks/deliveries')).not.toHaveLength(0));
    const q = api.callsTo('GET', '/api/webhooks/deliveries')[0]!.query;
    expect([q.get('endpointId'), q.get('status')]).toEqual(['wh_1', 'delivered']);
    expect(api.callsTo('GET', '/api/integrations/deliveries')[0]?.query.get('source')).toBe('woocommerce');
    expect(await screen.findByLabelText('Status')).toHaveValue('delivered');
    expect(screen.getByLabelText('Source')).toHaveValue('woocommerce');
  });

  it('replays a dead delivery: posts the replay and reads the list again', async () => {
    const state = webhookState({ deliveries: [aDelivery({ deliveryId: 'dl_2', status: 'dead', attempts: 8 })] });
    const api = fakeApi(webhookRoutes(state));
    const { user } = renderApp('/integrations');
    const replay = await screen.findByRole('button', { name: 'Replay client.at_risk delivery dl_2' });
    const readsBefore = api.callsTo('GET', '/api/webhooks/deliveries').length;
    await user.click(replay);
    await waitFor(() => expect(api.callsTo('POST', '/api/webhooks/deliveries/dl_2/replay')).toHaveLength(1));
    await waitFor(() => expect(api.callsTo('GET', '/api/webhooks/deliveries').length).toBeGreaterThan(readsBefore));
    const row = await waitFor(() => {
      const r = section('Outgoing deliveries').querySelector('tr[data-delivery-id="dl_2"]');
      expect(r).toHaveAttribute('data-status', 'pending');
      return r as HTMLElement;
    });
    expect(row).toHaveTextContent('Pending');
    expect(within(row).queryByRole('button', { name: /^Replay/ })).not.toBeInTheDocument();
  });

  it('shows a refused replay as an alert', async () => {
    fakeApi({
      ...webhookRoutes(webhookState({ deliveries: [aDelivery({ deliveryId: 'dl_2', status: 'delivered' })] })),
      'POST /api/webhooks/deliveries/:deliveryId/replay': () =>
        fail(404, 'not_found', 'the endpoint of this delivery was deleted'),
    });
    const { user } = renderApp('/integrations');
    await user.click(await screen.findByRole('button', { name: 'Replay client.at_risk delivery dl_2' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not replay: the endpoint of this delivery was deleted',
    );
  });

  it('lists incoming deliveries with status and error, filters them by source, and says how to connect a shop', async () => {
    const state = webhookState({
      incoming: [
        anIncoming(),
        anIncoming({
          hookId: 'hk_2',
          source: 'woocommerce',
          deliveryId: '9917',
          topic: 'order.updated',
          status: 'failed',
          attempts: 3,
          error: 'no client with this email',
          appliedAt: '2026-02-03T07:00:05Z',
        }),
      ],
    });
    const api = fakeApi(webhookRoutes(state));
    const { user } = renderApp('/integrations');
    const table = await screen.findByRole('region', { name: 'Incoming delivery list' });
    const shopify = within(table).getByRole('rowheader', { name: 'Shopify' }).closest('tr')!;
    expect(shopify).toHaveTextContent('orders/create');
    expect(shopify).toHaveTextContent('Applied');
    expect(shopify).toHaveTextContent('3 Feb 2026, 08:00');
    const woo = within(table).getByRole('rowheader', { name: 'WooCommerce' }).closest('tr')!;
    expect(woo).toHaveTextContent('Failed');
    expect(woo).toHaveTextContent('no client with this email');
    expect(woo).toHaveTextContent('handled 3 Feb 2026, 07:00');
    expect(woo).not.toHaveTextContent('applied');
    expect(shopify).toHaveTextContent('applied 3 Feb 2026, 08:00');

    await user.selectOptions(screen.getByLabelText('Source'), 'WooCommerce');
    await waitFor(() =>
      expect(api.callsTo('GET', '/api/integrations/deliveries').at(-1)?.query.get('source')).toBe('woocommerce'),
    );
    await waitFor(() =>
      expect(
        within(section('Incoming deliveries')).queryByRole('rowheader', { name: 'Shopify' }),
      ).not.toBeInTheDocument(),
    );
    await user.selectOptions(screen.getByLabelText('Source'), 'CDP');
    expect(await screen.findByText('Nothing has come in from CDP.')).toBeInTheDocument();

    const note = screen.getByRole('complementary', { name: 'Connect your shop' });
    expect(within(note).getByTestId('hook-url-shopify')).toHaveTextContent(`${window.location.origin}/hooks/shopify`);
    expect(within(note).getByTestId('hook-url-woocommerce')).toHaveTextContent(
      `${window.location.origin}/hooks/woocommerce`,
    );
    expect(note).toHaveTextContent('RKD_SHOPIFY_WEBHOOK_SECRETS');
    expect(note).toHaveTextContent('RKD_WOOCOMMERCE_WEBHOOK_SECRETS');
    expect(note).toHaveTextContent('never in the dashboard');
  });

  it('says so when the server has no webhooks yet', async () => {
    fakeApi({});
    renderApp('/integrations');
    expect(await screen.findByText('Outgoing webhooks are not available yet')).toBeInTheDocument();
    expect(await screen.findByText('Incoming deliveries are not available yet')).toBeInTheDocument();
  });
});
