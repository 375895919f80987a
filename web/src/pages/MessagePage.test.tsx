import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PREVIEW_CSP } from '../lib/emailPreview';
import { fakeApi, type FakeRequest } from '../test/fakeApi';
import { messagesRoutes, messagesState, type MessagesState } from '../test/messages';
import { renderApp } from '../test/render';

const PREVIEW = '/api/messages/winback-1/preview';

function previewBodies(calls: FakeRequest[]) {
  return calls.filter((c) => c.method === 'POST' && c.path === PREVIEW).map((c) => c.body as { subject: string });
}

async function openEditor(state: MessagesState = messagesState()) {
  const api = fakeApi(messagesRoutes(state));
  const utils = renderApp('/messages/winback-1');
  await waitFor(() => expect(screen.getByLabelText('Subject')).toHaveValue('Still thinking of you, {{firstName}}'));
  return { ...utils, api, state };
}

function save() {
  return screen.getByRole('button', { name: 'Save' });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('A message’s editor', () => {
  it('loads the current version into the fields and previews it for the sample client', async () => {
    const { user } = await openEditor();

    expect(screen.getByRole('heading', { level: 1, name: 'Message winback-1' })).toBeInTheDocument();
    expect(screen.getByTestId('message-summary')).toHaveTextContent(
      'Sent by step 1; the current version is version 1.',
    );
    expect(screen.getByLabelText('Text')).toHaveValue(
      'Hello {{firstName}},\n\nIt has been a while since {{lastOrderDate}}.\n\n{{unsubscribeUrl}}',
    );
    expect(screen.getByLabelText('HTML')).toHaveClass('message-form__code');
    expect(screen.getByLabelText('LLM instructions')).toHaveValue('Warm and short.');
    expect(screen.getByLabelText('Note')).toHaveValue('');
    expect(screen.getByRole('button', { name: 'Insert {{shopName}}' })).toBeInTheDocument();
    expect(screen.getByTestId('messages-how')).toHaveTextContent('A save is used for the next email of its step.');
    // Nothing changed: nothing to save.
    expect(save()).toBeDisabled();

    expect(await screen.findByTestId('preview-subject')).toHaveTextContent('Still thinking of you, Ada');
    expect(screen.getByTestId('preview-client')).toHaveTextContent('For Ada Lovelace (a sample client), as step 1');
    const frame = screen.getByTitle('Message preview');
    expect(frame).toHaveAttribute('sandbox', '');
    expect(frame).toHaveAttribute('referrerpolicy', 'no-referrer');
    expect(frame.getAttribute('srcdoc')).toContain(`content="${PREVIEW_CSP}"`);
    expect(frame.getAttribute('srcdoc')).toContain('<p>Hello Ada,</p>');

    await user.click(screen.getByRole('tab', { name: 'Text' }));
    expect(screen.getByRole('tab', { name: 'Text' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('preview-text')).toHaveTextContent('It has been a while since 3 March.');
    expect(screen.queryByTitle('Message preview')).not.toBeInTheDocument();
  });

  it('previews the draft once typing has rested for 400 ms', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { api } = await openEditor();
    const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
    await screen.findByTestId('preview-subject');
    const before = previewBodies(api.calls).length;

    const subject = screen.getByLabelText('Subject');
    await user.clear(subject);
    await user.type(subject, 'Back soon?');
    // Not one request per keystroke.
    expect(previewBodies(api.calls).filter((b) => b.subject === 'Back soon')).toHaveLength(0);

    act(() => {
      vi.advanceTimersByTime(400);
    });
    await waitFor(() => expect(screen.getByTestId('preview-subject')).toHaveTextContent('Back soon?'));
    const after = previewBodies(api.calls).slice(before);
    expect(after.at(-1)).toEqual({
      subject: 'Back soon?',
      text: expect.stringContaining('Hello {{firstName}}') as unknown,
      html: expect.stringContaining('<p>Hello {{firstName}},</p>') as unknown,
      instructions: 'Warm and short.',
    });
    expect(after.filter((b) => b.subject === 'Back soon?')).toHaveLength(1);
    expect(after.length).toBeLessThanOrEqual(2);
    expect(save()).toBeEnabled();
  });

  it('previews for the client whose id is typed, and says when there is no such client', async () => {
    const { user, api } = await openEditor();
    await screen.findByTestId('preview-subject');
    const client = screen.getByLabelText('Preview for client');

    await user.type(client, 'u-7');
    await waitFor(() =>
      expect(screen.getByTestId('preview-subject')).toHaveTextContent('Still thinking of you, Grace'),
    );
    expect(screen.getByTestId('preview-client')).toHaveTextContent('For Grace Hopper (u-7)');
    expect(api.calls.find((c) => c.path === PREVIEW && c.query.get('userId') === 'u-7')).toBeDefined();

    await user.clear(client);
    await user.type(client, 'u-404');
    expect(await screen.findByText('No client u-404.')).toHaveAttribute('role', 'alert');
    expect(client).toHaveAttribute('aria-invalid', 'true');
  });

  it('shows a problem the preview finds by its field, and does not save until it is fixed', async () => {
    const { user } = await openEditor();
    await screen.findByTestId('preview-subject');
    const html = screen.getByLabelText('HTML');

    await user.type(html, '<p>{{{{coupon}}</p>');
    const alert = await screen.findByText('Unknown placeholder {{coupon}}.');
    expect(alert).toHaveAttribute('role', 'alert');
    expect(html).toHaveAttribute('aria-invalid', 'true');
    expect(html).toHaveAccessibleDescription(/Unknown placeholder \{\{coupon\}\}/);
    expect(save()).toBeDisabled();

    await user.clear(html);
    await user.type(html, '<p>{{{{firstName}}</p>');
    await waitFor(() => expect(screen.queryByText('Unknown placeholder {{coupon}}.')).not.toBeInTheDocument());
    await waitFor(() => expect(save()).toBeEnabled());
  });

  it('shows a problem that names no field over the preview', async () => {
    const state = messagesState();
    const routes = messagesRoutes(state);
    const preview = routes[`POST /api/messages/:name/preview`]!;
    fakeApi({
      ...routes,
      'POST /api/messages/:name/preview': async (req) => {
        const res = await preview(req);
        const body = res.body as { data: object };
        return { ...res, body: { ...body, data: { ...body.data, problem: { error: 'the shop name is not set' } } } };
      },
    });
    const { user } = renderApp('/messages/winback-1');
    expect(await screen.findByText('The shop name is not set.')).toHaveAttribute('role', 'alert');
    await user.type(screen.getByLabelText('Subject'), '!');
    expect(save()).toBeDisabled();
    expect(screen.getByLabelText('Subject')).not.toHaveAttribute('aria-invalid');
  });

  it('shows a draft that does not parse (400) by its field', async () => {
    const { user } = await openEditor();
    await screen.findByTestId('preview-subject');
    const subject = screen.getByLabelText('Subject');

    await user.type(subject, ' {{{{firstName');
    expect(await screen.findByText('Subject: unclosed {{.')).toHaveAttribute('role', 'alert');
    expect(subject).toHaveAttribute('aria-invalid', 'true');
    expect(save()).toBeDisabled();
  });

  it('inserts a placeholder at the cursor of the field last in focus', async () => {
    const { user } = await openEditor();
    const subject = screen.getByLabelText<HTMLInputElement>('Subject');
    await user.clear(subject);
    await user.type(subject, 'Hi , welcome back');
    subject.setSelectionRange(3, 3);

    await user.click(screen.getByRole('button', { name: 'Insert {{firstName}}' }));
    expect(subject).toHaveValue('Hi {{firstName}}, welcome back');
    expect(subject).toHaveFocus();
    expect(subject.selectionStart).toBe(16);
  });

  it('saves as a new version from the version it loaded, and says so', async () => {
    const { user, api } = await openEditor();
    await user.clear(screen.getByLabelText('Subject'));
    await user.type(screen.getByLabelText('Subject'), 'Come back, {{{{firstName}}');
    await user.type(screen.getByLabelText('Note'), 'Shorter subject');
    await user.click(save());

    await waitFor(() => expect(screen.getByText('Saved as version 2.')).toBeInTheDocument());
    expect(screen.getByText('Saved as version 2.').closest('[role="status"]')).not.toBeNull();
    const put = api.callsTo('PUT', '/api/messages/winback-1');
    expect(put).toHaveLength(1);
    expect(put[0]!.body).toEqual({
      subject: 'Come back, {{firstName}}',
      text: expect.stringContaining('Hello') as unknown,
      html: expect.stringContaining('<p>') as unknown,
      instructions: 'Warm and short.',
      note: 'Shorter subject',
      baseVersion: 1,
    });
    // Reloaded: the fields show what was stored, the note is empty again, and the history has it.
    expect(screen.getByLabelText('Note')).toHaveValue('');
    expect(screen.getByLabelText('Subject')).toHaveValue('Come back, {{firstName}}');
    expect(save()).toBeDisabled();
    const history = screen.getByRole('region', { name: 'Message history' });
    await waitFor(() => expect(within(history).getAllByRole('row')).toHaveLength(4));
    expect(within(history).getAllByRole('row')[1]).toHaveTextContent(/Version 2\s*current.*admin\s*Shorter subject/);
    expect(screen.getByTestId('message-summary')).toHaveTextContent('the current version is version 2');
  });

  it('shows a save the server refuses at the field it names', async () => {
    const { user } = await openEditor();
    await user.clear(screen.getByLabelText('Text'));
    await user.click(save());

    expect(await screen.findByText('Text must not be empty.')).toHaveAttribute('role', 'alert');
    expect(screen.getByLabelText('Text')).toHaveAttribute('aria-invalid', 'true');
  });

  it('keeps the draft when someone saved in between, and offers to reload', async () => {
    const { user, state, api } = await openEditor();
    // Someone else saves version 2 after the editor loaded version 1.
    const first = state.messages[0]!;
    first.versions.unshift({
      ...first.versions[0]!,
      version: 2,
      subject: 'Their subject',
      note: 'Theirs',
      createdBy: 'sam',
    });

    const subject = screen.getByLabelText('Subject');
    await user.clear(subject);
    await user.type(subject, 'My subject');
    await user.click(save());

    const alert = await screen.findByText(/Someone saved version 2 in between: reload to see it/);
    expect(alert.closest('[role="alert"]')).not.toBeNull();
    expect(subject).toHaveValue('My subject');
    expect(save()).toBeDisabled();
    expect(api.callsTo('PUT', '/api/messages/winback-1')[0]!.body).toMatchObject({ baseVersion: 1 });

    await user.click(screen.getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(subject).toHaveValue('Their subject'));
    expect(screen.getByTestId('message-base')).toHaveTextContent('Editing from version 2');
    expect(screen.queryByText(/Someone saved version 2/)).not.toBeInTheDocument();

    // The draft was set aside, not lost: put back, it saves on top of version 2.
    await user.click(screen.getByRole('button', { name: 'Put my draft back' }));
    expect(subject).toHaveValue('My subject');
    await user.click(save());
    await waitFor(() => expect(screen.getByText('Saved as version 3.')).toBeInTheDocument());
    expect(api.callsTo('PUT', '/api/messages/winback-1')[1]!.body).toMatchObject({
      subject: 'My subject',
      baseVersion: 2,
    });
  });

  it('shows an older version read-only and restores it into the editor', async () => {
    const { user, api } = await openEditor();
    const history = screen.getByRole('region', { name: 'Message history' });
    const rows = within(history).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent(/Version 1\s*current/);
    expect(rows[1]).toHaveTextContent(/Built in/);

    await user.click(within(history).getByRole('button', { name: 'Built in' }));
    const view = await screen.findByRole('region', { name: 'Built in of winback-1' });
    expect(api.calls.some((c) => c.path === '/api/messages/winback-1' && c.query.get('version') === '0')).toBe(true);
    expect(within(view).getByText('We miss you, {{firstName}} (1)')).toBeInTheDocument();
    // Read-only: no fields in the view.
    expect(within(view).queryByRole('textbox')).not.toBeInTheDocument();

    await user.click(within(view).getByRole('button', { name: 'Restore into the editor' }));
    expect(screen.getByLabelText('Subject')).toHaveValue('We miss you, {{firstName}} (1)');
    expect(screen.getByLabelText('LLM instructions')).toHaveValue('');
    expect(screen.getByLabelText('Note')).toHaveValue('Restored built in');
    expect(
      screen.getByText('The built-in version is in the editor: saving makes it a new version.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Built in of winback-1' })).not.toBeInTheDocument();

    await waitFor(() => expect(save()).toBeEnabled());
    await user.click(save());
    await waitFor(() => expect(screen.getByText('Saved as version 2.')).toBeInTheDocument());
    expect(api.callsTo('PUT', '/api/messages/winback-1')[0]!.body).toMatchObject({
      subject: 'We miss you, {{firstName}} (1)',
      instructions: '',
      note: 'Restored built in',
      baseVersion: 1,
    });
  });

  it('says when there is no such message', async () => {
    fakeApi(messagesRoutes(messagesState()));
    renderApp('/messages/nope');
    expect(await screen.findByText('No such message')).toBeInTheDocument();
  });
});
