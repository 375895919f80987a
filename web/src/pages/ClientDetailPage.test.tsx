import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Email } from '../api/emails/types';
import { fail, fakeApi, list, ok } from '../test/fakeApi';
import { aUser, anEmail } from '../test/fixtures';
import { aPrediction } from '../test/modelFixtures';
import { renderApp } from '../test/render';

const lapsed = aUser({
  userId: 'u-1',
  name: 'Ada Lovelace',
  engagementScore: 62.5,
  scoreBreakdown: {
    base: 100,
    recency: -40,
    orders: 1.5,
    orderValue: 1,
    recentEmail: 0,
    total: 62.5,
    daysSinceLastOrder: 120,
  },
});

function clientApi(over: Record<string, Parameters<typeof fakeApi>[0][string]> = {}) {
  return fakeApi({
    'GET /api/users/:userId': () => ok(lapsed),
    'GET /api/users/:userId/emails': () => list([anEmail()]),
    'GET /api/users/:userId/orders': () =>
      list([
        {
          orderId: 'o-1',
          userId: 'u-1',
          orderDate: '2025-11-01T10:00:00Z',
          totalValue: 59.9,
          status: 'CREATED',
          createdAt: '2025-11-01T10:00:00Z',
          items: [{ itemId: 'i', productId: 'p', name: 'Wool scarf', category: 'Knitwear', price: 29.95, quantity: 2 }],
        },
      ]),
    'GET /api/users': () => list([]),
    ...over,
  });
}

describe('A client’s page', () => {
  it('shows the client at risk and explains the score factor by factor', async () => {
    clientApi();
    renderApp('/clients/u-1');

    expect(await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeInTheDocument();
    expect(screen.getAllByText('At risk').length).toBeGreaterThan(0);
    const breakdown = screen.getByRole('table', { name: 'Score by factor' });
    expect(within(breakdown).getByRole('row', { name: /Time since last order.*120 days.*−40/ })).toBeInTheDocument();
    expect(within(breakdown).getByRole('row', { name: /Number of orders.*\+1\.5/ })).toBeInTheDocument();
    expect(screen.getByText(/mostly because of/)).toHaveTextContent('time since last order');
  });

  it('says when the server does not explain scores yet', async () => {
    clientApi({ 'GET /api/users/:userId': () => ok({ ...lapsed, scoreBreakdown: undefined }) });
    renderApp('/clients/u-1');
    expect(await screen.findByText(/does not explain scores yet/)).toBeInTheDocument();
  });

  it('lists the orders with their items', async () => {
    clientApi();
    renderApp('/clients/u-1');
    expect(await screen.findByText('2 × Wool scarf')).toBeInTheDocument();
    expect(screen.getByText('59.90')).toBeInTheDocument();
  });

  it('previews an email’s HTML without tracking, read from the email itself, in a fully sandboxed frame', async () => {
    const api = clientApi({
      'GET /api/users/:userId/emails': () =>
        list([anEmail({ html: '<p>Hi</p><img src="https://rekindle.test/t/o/tok.gif">' })]),
      'GET /api/emails/:emailId': () =>
        ok(anEmail({ html: '<p>Hi</p><img src="https://rekindle.test/t/o/tok.gif">', previewHtml: '<p>Hi</p>' })),
    });
    const { user } = renderApp('/clients/u-1');
    await user.click(await screen.findByRole('button', { name: 'Preview', description: 'We miss you, Ada' }));

    const frame = await screen.findByTitle('Preview of the email “We miss you, Ada”');
    expect(api.callsTo('GET', '/api/emails/e-1')).toHaveLength(1);
    expect(frame.tagName).toBe('IFRAME');
    expect(frame).toHaveAttribute('sandbox', '');
    expect(frame.getAttribute('srcdoc')).toMatch(/<p>Hi<\/p>$/);
    expect(frame.getAttribute('srcdoc')).not.toContain('/t/o/');
  });

  it('previews the plain text when the email cannot be read', async () => {
    clientApi({ 'GET /api/emails/:emailId': () => fail(500, 'internal', 'boom') });
    const { user } = renderApp('/clients/u-1');
    await user.click(await screen.findByRole('button', { name: 'Preview', description: 'We miss you, Ada' }));
    expect(await screen.findByText('Hi Ada, it has been a while.')).toBeInTheDocument();
    expect(screen.queryByTitle('Preview of the email “We miss you, Ada”')).not.toBeInTheDocument();
  });

  it('shows a new email without a reload', async () => {
    let emails: Email[] = [];
    clientApi({ 'GET /api/users/:userId/emails': () => list(emails) });
    const { queryClient } = renderApp('/clients/u-1');
    expect(await screen.findByText('No emails to this client yet.')).toBeInTheDocument();

    emails = [anEmail({ subject: 'Come back, Ada' })];
    await queryClient.refetchQueries({ queryKey: ['emails'] }); // what the live interval does
    expect(await screen.findByText('Come back, Ada')).toBeInTheDocument();
  });

  it('shows when an email was opened, clicked and converted, with the revenue', async () => {
    const tracked = anEmail({
      status: 'CLICKED',
      openedAt: '2026-02-01T10:00:00Z',
      clickedAt: '2026-02-01T10:02:00Z',
      convertedAt: '2026-02-03T18:30:00Z',
      conversionRevenue: 59.9,
    });
    clientApi({ 'GET /api/users/:userId/emails': () => list([tracked]) });
    renderApp('/clients/u-1');
    const history = await screen.findByRole('list', { name: 'Email history' });
    expect(within(history).getByText('clicked')).toBeInTheDocument();
    expect(
      within(history).getByText(
        'opened (unreliable) 1 Feb 2026, 10:00 · clicked 1 Feb 2026, 10:02 · converted 3 Feb 2026, 18:30 (59.90)',
      ),
    ).toBeInTheDocument();
  });

  it('asks for confirmation before deleting, and deletes only when confirmed', async () => {
    const api = clientApi({ 'DELETE /api/users/:userId': () => ok({ deleted: true }) });
    const { user } = renderApp('/clients/u-1');
    await user.click(await screen.findByRole('button', { name: 'Delete' }));

    const dialog = screen.getByRole('alertdialog', { name: 'Delete Ada Lovelace?' });
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus());
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(api.callsTo('DELETE', '/api/users/u-1')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await user.click(screen.getByRole('button', { name: 'Delete client' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Clients' })).toBeInTheDocument();
    expect(api.callsTo('DELETE', '/api/users/u-1')).toHaveLength(1);
  });

  it('saves only the fields that were edited', async () => {
    const api = clientApi({ 'PUT /api/users/:userId': (r) => ok({ ...lapsed, ...(r.body as object) }) });
    const { user } = renderApp('/clients/u-1');
    await user.click(await screen.findByRole('button', { name: 'Edit' }));

    const name = screen.getByLabelText(/Name/);
    await user.clear(name);
    await user.type(name, 'Ada King');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(api.callsTo('PUT', '/api/users/u-1')).toHaveLength(1));
    expect(api.callsTo('PUT', '/api/users/u-1')[0]?.body).toEqual({ name: 'Ada King' });
    expect(await screen.findByRole('button', { name: 'Edit' })).toBeInTheDocument();
  });

  it('says when the client does not exist', async () => {
    fakeApi({ 'GET /api/users/:userId': () => fail(404, 'not_found', 'user nope not found') });
    renderApp('/clients/nope');
    expect(await screen.findByRole('heading', { name: 'Client not found' })).toBeInTheDocument();
  });
});

describe('A client state and timeline (issue 16)', () => {
  it('show the badges with their explanation and the merged timeline', async () => {
    clientApi({
      'GET /api/users/:userId': () =>
        ok({
          ...lapsed,
          state: {
            suppressed: { reason: 'unsubscribed', at: '2026-02-03T10:00:00Z' },
            heldOut: false,
            failed: { error: '550 5.1.1 no such user', at: '2026-02-02T09:00:00Z' },
            neverOrdered: false,
          },
        }),
      'GET /api/sending': () =>
        ok({
          paused: true,
          reason: 'manual',
          since: '2026-02-01T08:00:00Z',
          by: 'ops',
          sentToday: 0,
          sentThisHour: 0,
          dailyCap: null,
          hourlyRate: null,
          quietHours: null,
        }),
      'GET /api/users/:userId/timeline': () =>
        ok({
          items: [
            { type: 'score', at: '2026-02-04T00:00:00Z', score: 41.5, change: -8.5, cause: 'now' },
            { type: 'event', at: '2026-02-03T10:00:00Z', event: 'unsubscribed', reason: 'unsubscribed' },
            {
              type: 'event',
              at: '2026-02-02T09:00:00Z',
              event: 'failed',
              emailId: 'e-1',
              error: '550 5.1.1 no such user',
            },
            {
              type: 'email',
              at: '2026-02-02T09:00:00Z',
              emailId: 'e-1',
              subject: 'We miss you',
              status: 'FAILED',
              step: 2,
            },
            {
              type: 'order',
              at: '2025-11-01T10:00:00Z',
              orderId: 'o-1',
              totalValue: 59.9,
              itemCount: 2,
              status: 'CREATED',
            },
          ],
        }),
    });
    renderApp('/clients/u-1');
    const badges = await screen.findByRole('list', { name: 'Client state' });
    expect(within(badges).getByText('Unsubscribed')).toBeInTheDocument();
    expect(within(badges).getByText('Failed')).toBeInTheDocument();
    expect(badges).toHaveTextContent('550 5.1.1 no such user');
    expect(await within(badges).findByText('Paused')).toBeInTheDocument();
    const timeline = await screen.findByRole('list', { name: 'Timeline' });
    const lines = within(timeline)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(lines[0]).toMatch(/Score 41\.5 \(−8\.5\) now/);
    expect(lines[1]).toMatch(/Unsubscribed/);
    expect(lines[2]).toMatch(/Sending failed\. The mail server said: 550 5\.1\.1 no such user/);
    expect(lines[3]).toMatch(/Email written \(journey step 2\): “We miss you”/);
    expect(lines[4]).toMatch(/Order of .*59\.90 \(2 items\)/);
  });
});

describe('A client’s prediction (issue 11)', () => {
  it('shows the churn bar, P(alive), expected orders, predicted value and the next order on the timeline', async () => {
    clientApi({
      'GET /api/users/:userId': () => ok({ ...lapsed, prediction: aPrediction() }),
      'GET /api/users/:userId/timeline': () =>
        ok({
          items: [
            {
              type: 'order',
              at: '2025-11-01T10:00:00Z',
              orderId: 'o-1',
              totalValue: 59.9,
              itemCount: 2,
              status: 'CREATED',
            },
          ],
        }),
    });
    renderApp('/clients/u-1');
    const panel = await screen.findByRole('region', { name: 'Prediction' });
    const bar = within(panel).getByRole('meter', { name: 'Churn probability' });
    expect(bar).toHaveAttribute('aria-valuenow', '72');
    expect(bar).toHaveAttribute('aria-valuetext', '72%, high');
    expect(panel).toHaveTextContent('Churn probability72%');
    const fact = (label: string) => within(panel).getByText(label, { selector: 'dt' }).parentElement;
    expect(fact('Still a buyer (P(alive))')).toHaveTextContent('28%');
    expect(fact('Expected orders in the horizon')).toHaveTextContent('0.38');
    expect(fact('Predicted value')).toHaveTextContent('123.45');
    expect(fact('Expected next order')).toHaveTextContent('15 Mar 2099');

    const timeline = await screen.findByRole('list', { name: 'Timeline' });
    const lines = within(timeline).getAllByRole('listitem');
    expect(lines[0]).toHaveTextContent('15 Mar 2099Expected next order (predicted)');
    expect(lines[0]).toHaveClass('timeline__item--predicted');
    expect(lines[1]).toHaveTextContent(/Order of .*59\.90/);
  });

  it('puts an overdue next order at its date in the timeline, and says value needs a spend model', async () => {
    clientApi({
      'GET /api/users/:userId': () =>
        ok({
          ...lapsed,
          prediction: aPrediction({ expectedNextOrderAt: '2020-01-01T00:00:00Z', predictedValue: null }),
        }),
      'GET /api/users/:userId/timeline': () =>
        ok({
          items: [
            { type: 'score', at: '2026-02-04T00:00:00Z', score: 41.5, change: null, cause: 'now' },
            {
              type: 'order',
              at: '2019-11-01T10:00:00Z',
              orderId: 'o-1',
              totalValue: 59.9,
              itemCount: 2,
              status: 'CREATED',
            },
          ],
        }),
    });
    renderApp('/clients/u-1');
    const panel = await screen.findByRole('region', { name: 'Prediction' });
    expect(within(panel).getByText('Predicted value', { selector: 'dt' }).parentElement).toHaveTextContent(
      'No spend model',
    );
    // Overdue: at its date among the past, not at the top.
    const timeline = await screen.findByRole('list', { name: 'Timeline' });
    const lines = within(timeline).getAllByRole('listitem');
    expect(lines.map((li) => li.dataset.testid ?? li.className)).toEqual([
      'timeline__item timeline__item--score',
      'expected-next-order',
      'timeline__item timeline__item--order',
    ]);
    expect(lines[1]).toHaveTextContent('1 Jan 2020Next order was expected here (predicted)');
  });

  it('says there is no prediction yet, linking to the Predictions page', async () => {
    clientApi({ 'GET /api/users/:userId': () => ok({ ...lapsed, prediction: null }) });
    renderApp('/clients/u-1');
    const line = await screen.findByTestId('no-client-prediction');
    expect(line).toHaveTextContent('No prediction for this client yet.');
    expect(within(line).getByRole('link', { name: 'Predictions' })).toHaveAttribute('href', '/model');
    expect(screen.queryByRole('meter')).not.toBeInTheDocument();
  });

  it('leaves the prediction out on a server without models', async () => {
    clientApi();
    renderApp('/clients/u-1');
    await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' });
    expect(screen.queryByRole('region', { name: 'Prediction' })).not.toBeInTheDocument();
  });
});
