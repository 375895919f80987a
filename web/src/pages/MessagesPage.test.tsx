import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi } from '../test/fakeApi';
import { messagesRoutes, messagesState } from '../test/messages';
import { renderApp } from '../test/render';

describe('The Messages page', () => {
  it('lists every message with the steps that send it, its version, subject and last save', async () => {
    fakeApi(messagesRoutes(messagesState()));
    renderApp('/messages');

    expect(await screen.findByRole('heading', { level: 1, name: 'Messages' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Messages' })).toHaveAttribute('aria-current', 'page');
    const table = await screen.findByRole('region', { name: 'Messages' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent(/winback-1\s*step 1\s*version 1\s*Still thinking of you, \{\{firstName\}\}/);
    expect(rows[0]).toHaveTextContent(/by admin/);
    expect(rows[0]).toHaveTextContent(/Warmer subject/);
    expect(rows[1]).toHaveTextContent(/winback-2\s*step 2\s*built in/);
    expect(rows[2]).toHaveTextContent(/last-call\s*not used by the journey\s*built in/);
    expect(within(rows[1]!).getByRole('link', { name: 'winback-2' })).toHaveAttribute('href', '/messages/winback-2');
    expect(screen.getByTestId('messages-how')).toHaveTextContent(
      'A save is used for the next email of its step. The files in templates/ stay the default (version 0).',
    );
  });

  it('opens a message’s editor from the list', async () => {
    fakeApi(messagesRoutes(messagesState()));
    const { user } = renderApp('/messages');

    await user.click(await screen.findByRole('link', { name: 'winback-2' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Message winback-2' })).toBeInTheDocument();
    expect(await screen.findByLabelText('Subject')).toHaveValue('We miss you, {{firstName}} (2)');
  });

  it('creates a message from a copy of winback-1’s templates and opens its editor', async () => {
    const state = messagesState();
    const api = fakeApi(messagesRoutes(state));
    const { user } = renderApp('/messages');
    await screen.findByRole('region', { name: 'Messages' });

    await user.type(screen.getByLabelText('Name'), 'winback-4');
    await user.click(screen.getByRole('button', { name: 'Create and edit' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Message winback-4' })).toBeInTheDocument();
    const post = api.callsTo('POST', '/api/messages');
    expect(post).toHaveLength(1);
    const copied = state.messages[0]!.versions[0]!;
    expect(post[0]!.body).toEqual({
      name: 'winback-4',
      subject: copied.subject,
      text: copied.text,
      html: copied.html,
      instructions: copied.instructions,
      note: 'Started from a copy of winback-1',
    });
    expect(await screen.findByLabelText('Subject')).toHaveValue(copied.subject);
    expect(screen.getByTestId('message-summary')).toHaveTextContent(
      'Sent by not used by the journey; the current version is version 1.',
    );
  });

  it('shows a refused name at the name, and asks for one when it is empty', async () => {
    fakeApi(messagesRoutes(messagesState()));
    const { user } = renderApp('/messages');
    await screen.findByRole('region', { name: 'Messages' });
    const name = screen.getByLabelText('Name');

    await user.click(screen.getByRole('button', { name: 'Create and edit' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Give the message a name.');

    await user.type(name, 'winback-2');
    await user.click(screen.getByRole('button', { name: 'Create and edit' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('A message named winback-2 exists.');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription(/A message named winback-2 exists/);
  });
});
