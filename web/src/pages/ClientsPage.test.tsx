import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fail, fakeApi, list, ok } from '../test/fakeApi';
import { aUser } from '../test/fixtures';
import { aPrediction } from '../test/modelFixtures';
import { renderApp } from '../test/render';

const clients = [
  aUser({ userId: 'u-1', name: 'Ada Lovelace', engagementScore: 60, lastOrderDate: null }),
  aUser({
    userId: 'u-2',
    name: 'Grace Hopper',
    email: 'grace@example.com',
    engagementScore: 95,
    averageOrderValue: 1234.5,
  }),
];

describe('The clients page', () => {
  it('downloads the current filter as CSV (every match, not the page), named by resource and day', async () => {
    const api = fakeApi({
      'GET /api/users': () => list(clients),
      'GET /api/exports/clients': () => ({ status: 200, body: 'userId,email\n' }),
    });
    const saved: string[] = [];
    // jsdom has no object URLs and does not save files: the click on the link is recorded instead.
    URL.createObjectURL = () => 'blob:x';
    URL.revokeObjectURL = () => {};
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const { user } = renderApp('/clients?state=lapsed&sort=score&search=ada');
    await screen.findByText('Ada Lovelace');
    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    const call = api.callsTo('GET', '/api/exports/clients')[0]!;
    expect(Object.fromEntries(call.query)).toEqual({ sort: 'score', order: 'asc', search: 'ada', state: 'lapsed' });
    expect(saved[0]).toMatch(/^clients-\d{8}\.csv$/);
    click.mockRestore();
  });

  it('lists clients with their score coloured and labelled by risk', async () => {
    fakeApi({ 'GET /api/users': () => list(clients) });
    renderApp('/clients');

    const rows = await screen.findAllByRole('row');
    const ada = rows.find((r) => within(r).queryByText('Ada Lovelace'));
    const grace = rows.find((r) => within(r).queryByText('Grace Hopper'));
    expect(within(ada!).getByText('At risk')).toBeInTheDocument();
    expect(within(ada!).getByText('No order yet')).toBeInTheDocument();
    expect(within(grace!).getByText('Healthy')).toBeInTheDocument();
    expect(within(grace!).getByText('1,234.50')).toBeInTheDocument();
    expect(within(ada!).getByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/clients/u-1');
  });

  it('asks the API for matching clients when you search', async () => {
    const api = fakeApi({
      'GET /api/users': (r) => list(r.query.get('search') === 'grace' ? [clients[1]] : clients),
    });
    const { user } = renderApp('/clients');
    await screen.findByText('Ada Lovelace');

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'grace');

    await waitFor(() => expect(screen.queryByText('Ada Lovelace')).not.toBeInTheDocument());
    expect(screen.getByText('Grace Hopper')).toBeInTheDocument();
    expect(api.callsTo('GET', '/api/users').at(-1)?.query.get('search')).toBe('grace');
  });

  it('shows only at-risk clients when the filter is ticked', async () => {
    const api = fakeApi({ 'GET /api/users': (r) => list(r.query.get('atRisk') === 'true' ? [clients[0]] : clients) });
    const { user } = renderApp('/clients');
    await screen.findByText('Grace Hopper');

    await user.click(screen.getByRole('checkbox', { name: 'At risk only' }));

    await waitFor(() => expect(screen.queryByText('Grace Hopper')).not.toBeInTheDocument());
    expect(api.callsTo('GET', '/api/users').at(-1)?.query.get('atRisk')).toBe('true');
  });

  it('sorts by score when the Score header is clicked, and reverses on a second click', async () => {
    const api = fakeApi({ 'GET /api/users': () => list(clients) });
    const { user } = renderApp('/clients');
    await screen.findByText('Ada Lovelace');

    await user.click(screen.getByRole('button', { name: /^Score/ }));
    await waitFor(() => expect(api.callsTo('GET', '/api/users').at(-1)?.query.get('sort')).toBe('score'));
    expect(api.callsTo('GET', '/api/users').at(-1)?.query.get('order')).toBe('asc');
    expect(screen.getByRole('columnheader', { name: /Score/ })).toHaveAttribute('aria-sort', 'ascending');

    await user.click(screen.getByRole('button', { name: /^Score/ }));
    await waitFor(() => expect(api.callsTo('GET', '/api/users').at(-1)?.query.get('order')).toBe('desc'));
  });

  it('pages forward with the cursor and back with Previous', async () => {
    const api = fakeApi({
      'GET /api/users': (r) => (r.query.get('cursor') === 'page-2' ? list([clients[1]]) : list([clients[0]], 'page-2')),
    });
    const { user } = renderApp('/clients');
    await screen.findByText('Ada Lovelace');
    expect(screen.getByRole('button', { name: '← Previous' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Next →' }));
    expect(await screen.findByText('Grace Hopper')).toBeInTheDocument();
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next →' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: '← Previous' }));
    expect(await screen.findByText('Ada Lovelace')).toBeInTheDocument();
    expect(api.callsTo('GET', '/api/users').at(-1)?.query.get('cursor')).toBeNull();
  });

  it('says so when no client matches', async () => {
    fakeApi({ 'GET /api/users': () => list([]) });
    renderApp('/clients?search=nobody');
    expect(await screen.findByText('No clients match these filters.')).toBeInTheDocument();
  });

  it('shows the API error and offers to try again', async () => {
    fakeApi({
      'GET /api/users': () => fail(400, 'invalid_argument', 'search must be at most 200 characters', 'search'),
    });
    renderApp('/clients');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('search must be at most 200 characters');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('filters by state through the API and the URL, and shows each client badges', async () => {
    const suppressed = aUser({
      userId: 'u-3',
      name: 'Lee Leaver',
      email: 'lee@example.com',
      state: {
        suppressed: { reason: 'unsubscribed', at: '2026-02-01T09:00:00Z' },
        heldOut: true,
        failed: null,
        neverOrdered: false,
      },
    });
    const api = fakeApi({
      'GET /api/users': (r) => list(r.query.get('state') === 'suppressed' ? [suppressed] : clients),
    });
    const { user } = renderApp('/clients');
    await screen.findByRole('link', { name: 'Ada Lovelace' });
    await user.selectOptions(screen.getByLabelText('State'), 'Suppressed');
    await waitFor(() => expect(api.callsTo('GET', '/api/users').at(-1)?.query.get('state')).toBe('suppressed'));
    const row = (await screen.findByRole('link', { name: 'Lee Leaver' })).closest('tr')!;
    expect(within(row).getByText('Unsubscribed')).toHaveAttribute('title', expect.stringContaining('1 Feb 2026'));
    expect(within(row).getByText('Held out')).toHaveAttribute('title', expect.stringContaining('measure'));
  });

  it('reads the state from the URL (the overview links to it)', async () => {
    const api = fakeApi({ 'GET /api/users': () => list(clients) });
    renderApp('/clients?sort=score&state=atRisk');
    await screen.findByRole('link', { name: 'Ada Lovelace' });
    expect(api.callsTo('GET', '/api/users').at(-1)?.query.get('state')).toBe('atRisk');
    expect(screen.getByLabelText('State')).toHaveValue('atRisk');
  });

  it('says once above the list that sending is paused', async () => {
    fakeApi({
      'GET /api/users': () => list(clients),
      'GET /api/sending': () =>
        ok({
          paused: true,
          reason: 'manual',
          since: '2026-02-01T09:00:00Z',
          by: 'ops',
          sentToday: 0,
          sentThisHour: 0,
          dailyCap: null,
          hourlyRate: null,
          quietHours: null,
        }),
    });
    renderApp('/clients');
    const note = (await screen.findByText(/nothing goes out until it is resumed/)).closest('p')!;
    expect(note).toHaveTextContent(/^Paused Sending is paused since 1 Feb 2026/);
    const row = (await screen.findByRole('link', { name: 'Ada Lovelace' })).closest('tr')!;
    expect(within(row).queryByText('Paused')).not.toBeInTheDocument();
  });
});

describe('The clients list by churn (issue 11)', () => {
  it('asks for the likeliest to churn first and shows their churn probability', async () => {
    const api = fakeApi({
      'GET /api/users': () =>
        list([
          aUser({ userId: 'u-1', name: 'Ada Lovelace', prediction: aPrediction({ churnProbability: 0.91 }) }),
          aUser({ userId: 'u-2', name: 'Grace Hopper', prediction: null }),
        ]),
    });
    renderApp('/clients?sort=churnProbability');
    const row = (await screen.findByRole('link', { name: 'Ada Lovelace' })).closest('tr')!;
    const query = api.callsTo('GET', '/api/users').at(-1)!.query;
    expect([query.get('sort'), query.get('order')]).toEqual(['churnProbability', 'desc']);
    expect(screen.getByLabelText('Sort by')).toHaveValue('churnProbability');
    expect(screen.getByRole('columnheader', { name: /Churn/ })).toHaveAttribute('aria-sort', 'descending');
    expect(within(row).getByText('91%')).toBeInTheDocument();
    const other = screen.getByRole('link', { name: 'Grace Hopper' }).closest('tr')!;
    expect(within(other).getByText('—')).toBeInTheDocument();
  });

  it('shows no churn column under another sort', async () => {
    fakeApi({ 'GET /api/users': () => list(clients) });
    renderApp('/clients');
    await screen.findByRole('link', { name: 'Ada Lovelace' });
    expect(screen.queryByRole('columnheader', { name: /Churn/ })).not.toBeInTheDocument();
  });

  it('leaves the churn sort when a client state is chosen (the server cannot combine them)', async () => {
    const api = fakeApi({ 'GET /api/users': () => list(clients) });
    const { user } = renderApp('/clients?sort=churnProbability');
    await screen.findByRole('link', { name: 'Ada Lovelace' });
    await user.selectOptions(screen.getByLabelText('State'), 'lapsed');
    await waitFor(() => expect(api.callsTo('GET', '/api/users').at(-1)?.query.get('state')).toBe('lapsed'));
    expect(api.callsTo('GET', '/api/users').at(-1)?.query.get('sort')).toBe('createdAt');
    expect(screen.getByLabelText('Sort by')).toHaveValue('createdAt');
  });
});
