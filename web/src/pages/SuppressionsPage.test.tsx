import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fail, fakeApi, ok } from '../test/fakeApi';
import { renderApp } from '../test/render';

function page(items: unknown[], total: number, nextCursor: string | null = null) {
  return { status: 200, body: { success: true, data: items, nextCursor, total, timestamp: '2026-01-01T00:00:00Z' } };
}

const bounced = { email: 'gone@example.com', reason: 'bounced', createdAt: '2026-02-01T09:00:00Z' };

describe('The Suppressions page', () => {
  it('lists addresses with their reason, date and the total, and searches through the API', async () => {
    const api = fakeApi({ 'GET /api/suppressions': (req) => page(req.query.get('q') ? [] : [bounced], 1) });
    const { user } = renderApp('/suppressions');
    const row = (await screen.findByRole('cell', { name: 'gone@example.com' })).closest('tr')!;
    expect(within(row).getByText('Bounced')).toBeInTheDocument();
    expect(within(row).getByText('1 Feb 2026, 09:00')).toBeInTheDocument();
    expect(screen.getByTestId('suppressions-total')).toHaveTextContent('1 address');
    await user.type(screen.getByLabelText('Search'), 'nobody');
    await waitFor(() => expect(api.callsTo('GET', '/api/suppressions').at(-1)?.query.get('q')).toBe('nobody'));
    expect(await screen.findByText('No suppressed address matches.')).toBeInTheDocument();
  });

  it('adds an address with a reason', async () => {
    const api = fakeApi({
      'GET /api/suppressions': () => page([], 0),
      'POST /api/suppressions': (req) => ok({ ...(req.body as object), createdAt: '2026-02-01T09:00:00Z' }, 201),
    });
    const { user } = renderApp('/suppressions');
    await screen.findByText('No address is suppressed.');
    await user.type(screen.getByLabelText('Address to suppress'), 'not-an-address');
    await user.click(screen.getByRole('button', { name: 'Suppress' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('valid email');
    expect(api.callsTo('POST', '/api/suppressions')).toHaveLength(0);
    await user.clear(screen.getByLabelText('Address to suppress'));
    await user.type(screen.getByLabelText('Address to suppress'), 'vip@example.com');
    await user.selectOptions(screen.getByLabelText('Reason'), 'Complained (spam report)');
    await user.click(screen.getByRole('button', { name: 'Suppress' }));
    await waitFor(() => expect(api.callsTo('POST', '/api/suppressions')).toHaveLength(1));
    expect(api.callsTo('POST', '/api/suppressions')[0]?.body).toEqual({
      email: 'vip@example.com',
      reason: 'complained',
    });
  });

  it('removes an address after asking, and shows a refusal', async () => {
    let removed = false;
    const api = fakeApi({
      'GET /api/suppressions': () => page(removed ? [] : [bounced], removed ? 0 : 1),
      'DELETE /api/suppressions/:email': (req) => {
        if (req.params.email !== 'gone@example.com') return fail(404, 'not_found', 'not on the list', 'email');
        removed = true;
        return ok({ deleted: true });
      },
    });
    const { user } = renderApp('/suppressions');
    await screen.findByRole('cell', { name: 'gone@example.com' });
    await user.click(screen.getByRole('button', { name: 'Remove gone@example.com' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent('only remove them if they asked');
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(api.callsTo('DELETE', '/api/suppressions/gone%40example.com')).toHaveLength(1));
    expect(await screen.findByText('No address is suppressed.')).toBeInTheDocument();
  });
});
