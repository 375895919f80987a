import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fail, fakeApi, list, ok } from '../test/fakeApi';
import { aUser } from '../test/fixtures';
import { renderApp } from '../test/render';

describe('The add client form', () => {
  it('creates the client and opens their page', async () => {
    const api = fakeApi({
      'POST /api/users': (r) => ok(aUser({ ...(r.body as object), userId: 'new-1' }), 201),
      'GET /api/users/:userId': () => ok(aUser({ userId: 'new-1', name: 'Ada Lovelace' })),
      'GET /api/users/:userId/emails': () => list([]),
      'GET /api/users/:userId/orders': () => list([]),
    });
    const { user } = renderApp('/clients/new');

    await user.type(screen.getByLabelText(/Email/), 'ada@example.com');
    await user.type(screen.getByLabelText(/Name/), 'Ada Lovelace');
    await user.type(screen.getByLabelText(/Number of orders/), '1');
    await user.click(screen.getByRole('button', { name: 'Add client' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Ada Lovelace' })).toBeInTheDocument();
    expect(api.callsTo('POST', '/api/users')[0]?.body).toEqual({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      orderCount: 1,
    });
  });

  it('shows what is missing without calling the server', async () => {
    const api = fakeApi({});
    const { user } = renderApp('/clients/new');

    await user.click(screen.getByRole('button', { name: 'Add client' }));

    expect(screen.getByText('Email is required.')).toBeInTheDocument();
    expect(screen.getByText('Name is required.')).toBeInTheDocument();
    expect(screen.getByLabelText(/Email/)).toHaveAttribute('aria-invalid', 'true');
    await waitFor(() => expect(screen.getByLabelText(/Email/)).toHaveFocus());
    expect(api.calls).toHaveLength(0);
  });

  it('refuses a last order date in the future', async () => {
    fakeApi({});
    const { user } = renderApp('/clients/new');
    await user.type(screen.getByLabelText(/Email/), 'ada@example.com');
    await user.type(screen.getByLabelText(/Name/), 'Ada');
    await user.type(screen.getByLabelText(/Last order date/), '2999-01-01');
    await user.click(screen.getByRole('button', { name: 'Add client' }));
    expect(screen.getByText('The last order date must not be in the future.')).toBeInTheDocument();
  });

  it('shows the server’s error at the field it names', async () => {
    fakeApi({
      'POST /api/users': () => fail(409, 'already_exists', 'a user with email ada@example.com already exists', 'email'),
    });
    const { user } = renderApp('/clients/new');
    await user.type(screen.getByLabelText(/Email/), 'ada@example.com');
    await user.type(screen.getByLabelText(/Name/), 'Ada');
    await user.click(screen.getByRole('button', { name: 'Add client' }));

    const email = screen.getByLabelText(/Email/);
    await screen.findAllByText('A user with email ada@example.com already exists.');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('A user with email ada@example.com already exists.');
    await waitFor(() => expect(email).toHaveFocus());
  });

  it('clears the server’s error once the field is edited', async () => {
    fakeApi({ 'POST /api/users': () => fail(400, 'invalid_argument', 'email is not a valid email address', 'email') });
    const { user } = renderApp('/clients/new');
    await user.type(screen.getByLabelText(/Email/), 'ada@example.com');
    await user.type(screen.getByLabelText(/Name/), 'Ada');
    await user.click(screen.getByRole('button', { name: 'Add client' }));
    await screen.findAllByText('Email is not a valid email address.');

    await user.type(screen.getByLabelText(/Email/), 'x');
    expect(screen.queryByText('Email is not a valid email address.')).not.toBeInTheDocument();
  });

  it('shows an error that names no field above the buttons', async () => {
    fakeApi({ 'POST /api/users': () => fail(500, 'internal', 'internal error') });
    const { user } = renderApp('/clients/new');
    await user.type(screen.getByLabelText(/Email/), 'ada@example.com');
    await user.type(screen.getByLabelText(/Name/), 'Ada');
    await user.click(screen.getByRole('button', { name: 'Add client' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Internal error.');
  });
});
