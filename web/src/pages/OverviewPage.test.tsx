import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fail, fakeApi, list, ok } from '../test/fakeApi';
import { aUser, someMetrics } from '../test/fixtures';
import { renderApp } from '../test/render';

describe('The overview', () => {
  it('shows the key figures', async () => {
    fakeApi({ 'GET /api/metrics': () => ok(someMetrics()), 'GET /api/users': () => list([]) });
    renderApp('/');

    const clients = await screen.findByText('Clients', { selector: 'dt' });
    expect(clients.parentElement).toHaveTextContent('500');
    expect(screen.getByText('At risk', { selector: 'dt' }).parentElement).toHaveTextContent(
      '8016% of clients score below 75',
    );
    expect(screen.getByText('Average score', { selector: 'dt' }).parentElement).toHaveTextContent('88');
    expect(screen.getByText('Emails, last 7 days', { selector: 'dt' }).parentElement).toHaveTextContent('21');
    expect(screen.getByText('Emails, last 30 days', { selector: 'dt' }).parentElement).toHaveTextContent('102');
  });

  it('links each figure to the list it counts', async () => {
    fakeApi({ 'GET /api/metrics': () => ok(someMetrics()), 'GET /api/users': () => list([]) });
    renderApp('/');
    expect(await screen.findByRole('link', { name: /^Clients: 500/ })).toHaveAttribute('href', '/clients');
    expect(screen.getByRole('link', { name: /^At risk: 80/ })).toHaveAttribute(
      'href',
      '/clients?sort=score&state=atRisk',
    );
    expect(screen.getByRole('link', { name: /^Emails, last 7 days: 21/ }).getAttribute('href')).toMatch(
      /^\/emails\?from=\d{4}-\d{2}-\d{2}$/,
    );
    expect(screen.getByRole('link', { name: '5 failed' })).toHaveAttribute('href', '/emails?status=FAILED');
    expect(screen.getByRole('link', { name: '130 in all' })).toHaveAttribute('href', '/emails');
  });

  it('describes the score distribution with the threshold for screen readers', async () => {
    fakeApi({ 'GET /api/metrics': () => ok(someMetrics({ threshold: 70 })), 'GET /api/users': () => list([]) });
    renderApp('/');
    const table = await screen.findByRole('table', { name: 'Clients per score range' });
    expect(within(table).getByRole('row', { name: '90–100 27' })).toBeInTheDocument();
    expect(screen.getByText(/Scores below 70 \(left of the dashed line\) are at risk/)).toBeInTheDocument();
  });

  it('flags a queue with dead letters', async () => {
    fakeApi({ 'GET /api/metrics': () => ok(someMetrics()), 'GET /api/users': () => list([]) });
    renderApp('/');
    const queues = await screen.findByRole('region', { name: 'Queues' });
    expect(
      within(queues).getByRole('row', { name: /email-processor 3 2 14 s 1 ?\(needs attention\)/ }),
    ).toBeInTheDocument();
  });

  it('lists the clients with the lowest scores', async () => {
    const api = fakeApi({
      'GET /api/metrics': () => ok(someMetrics()),
      'GET /api/users': () => list([aUser({ name: 'Ada Lovelace', engagementScore: 55 })]),
    });
    renderApp('/');
    expect(await screen.findByRole('link', { name: 'Ada Lovelace' })).toBeInTheDocument();
    const q = api.callsTo('GET', '/api/users')[0]?.query;
    expect([q?.get('sort'), q?.get('order'), q?.get('atRisk')]).toEqual(['score', 'asc', 'true']);
  });

  it('explains that metrics are missing when the server has none yet', async () => {
    fakeApi({
      'GET /api/metrics': () => fail(404, 'not_found', 'no route for GET /api/metrics'),
      'GET /api/users': () => list([]),
    });
    renderApp('/');
    expect(await screen.findByText('Metrics are not available yet')).toBeInTheDocument();
    expect(await screen.findByText('No client is at risk. Nice.')).toBeInTheDocument();
  });

  it('shows other failures as errors', async () => {
    fakeApi({ 'GET /api/metrics': () => fail(500, 'internal', 'internal error'), 'GET /api/users': () => list([]) });
    renderApp('/');
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load metrics');
  });
});

describe('The banner when sending fails', () => {
  const degraded = {
    status: 'degraded',
    reasons: ['3 deliveries failed in the last 60 minutes', '2 dead letters wait in email-processor'],
    windowMinutes: 60,
    failedDeliveries: 3,
    deadLetters: 2,
    deadLetterQueues: [{ name: 'email-processor', deadLetters: 2 }],
    lastError: '550 5.1.1 Recipient address rejected',
    at: '2026-12-01T01:30:00Z',
    emailId: 'em-42',
    userId: 'u-42',
    queue: null,
    checkedAt: '2026-12-01T01:31:00Z',
  };

  it('shows the count and the last error, and links to what it concerns', async () => {
    fakeApi({
      'GET /api/metrics': () => ok(someMetrics()),
      'GET /api/users': () => list([]),
      'GET /api/alerts': () => ok(degraded),
    });
    renderApp('/');
    const banner = await screen.findByRole('alert', { name: /Sending is failing/ });
    expect(banner).toHaveTextContent(
      'Sending is failing: 3 emails failed to send in the last hour; 2 events wait in the dead-letter queue.',
    );
    expect(banner).toHaveTextContent('550 5.1.1 Recipient address rejected');
    expect(within(banner).getByRole('link', { name: 'Failed emails' })).toHaveAttribute(
      'href',
      '/emails?status=FAILED',
    );
    expect(within(banner).getByRole('link', { name: 'The last failed email' })).toHaveAttribute(
      'href',
      '/emails/em-42',
    );
    expect(within(banner).getByRole('link', { name: 'Queue health' })).toHaveAttribute('href', '#queues-heading');
  });

  it('stays away while sending works, and from servers without alerts', async () => {
    fakeApi({
      'GET /api/metrics': () => ok(someMetrics()),
      'GET /api/users': () => list([]),
      'GET /api/alerts': () => ok({ ...degraded, status: 'ok', reasons: [], failedDeliveries: 0, deadLetters: 0 }),
    });
    renderApp('/');
    await screen.findByText('Clients', { selector: 'dt' });
    expect(screen.queryByRole('alert', { name: /Sending is failing/ })).not.toBeInTheDocument();
  });
});

describe('Redriving a dead-letter queue', () => {
  it('asks first, then sends the dead letters back and says how many', async () => {
    const api = fakeApi({
      'GET /api/metrics': () => ok(someMetrics()),
      'GET /api/users': () => list([]),
      'POST /api/queues/:name/redrive': (r) => ok({ queue: r.params.name, redriven: 1 }),
    });
    const { user } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Redrive email-processor' }));

    const dialog = screen.getByRole('alertdialog', { name: 'Redrive email-processor?' });
    expect(api.callsTo('POST', '/api/queues/email-processor/redrive')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Redrive' }));

    expect(await screen.findByText('1 message sent back to email-processor.')).toBeInTheDocument();
    expect(api.callsTo('POST', '/api/queues/email-processor/redrive')).toHaveLength(1);
  });
});
