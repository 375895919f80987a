import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fail, fakeApi, list } from '../test/fakeApi';
import { aUser } from '../test/fixtures';
import { renderApp } from '../test/render';

describe('When the server asks for an API key', () => {
  it('the dashboard asks for it once, keeps it for the session and carries on', async () => {
    fakeApi({
      'GET /api/users': (r) =>
        r.headers.Authorization === 'Bearer k-123'
          ? list([aUser({ name: 'Ada Lovelace' })])
          : fail(401, 'unauthenticated', 'API key required'),
      'GET /api/metrics': (r) =>
        r.headers.Authorization ? fail(404, 'not_found', 'no route') : fail(401, 'unauthenticated', 'API key required'),
    });
    const { user } = renderApp('/clients');

    const dialog = await screen.findByRole('dialog', { name: 'API key needed' });
    expect(screen.getAllByRole('dialog')).toHaveLength(1);
    // Focus moves once the dialog has opened; on a loaded machine that can be a tick later.
    await waitFor(() => expect(screen.getByLabelText('API key')).toHaveFocus());
    await user.type(screen.getByLabelText('API key'), 'k-123{Enter}');

    expect(await screen.findByText('Ada Lovelace')).toBeInTheDocument();
    expect(dialog).not.toBeInTheDocument();
    expect(window.sessionStorage.getItem('rekindle.apiKey')).toBe('k-123');
  });
});
