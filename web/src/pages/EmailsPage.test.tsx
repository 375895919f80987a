import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi, list, ok } from '../test/fakeApi';
import { anEmail } from '../test/fixtures';
import { renderApp } from '../test/render';

describe('The emails pages', () => {
  it('list emails with status, writer, score at the time and date', async () => {
    fakeApi({
      'GET /api/emails': () => list([anEmail({ status: 'FAILED', writer: 'openai', engagementScoreAtTime: 58 })]),
    });
    renderApp('/emails');
    const row = (await screen.findByRole('link', { name: 'We miss you, Ada' })).closest('tr')!;
    expect(within(row).getByText('failed')).toBeInTheDocument();
    expect(within(row).getByText('openai')).toBeInTheDocument();
    expect(within(row).getByText('58')).toBeInTheDocument();
    expect(within(row).getByText('1 Feb 2026, 09:00')).toBeInTheDocument();
  });

  it('filter by status through the API', async () => {
    const api = fakeApi({ 'GET /api/emails': () => list([]) });
    const { user } = renderApp('/emails');
    await screen.findByText(/No emails yet/);
    await user.selectOptions(screen.getByLabelText('Status'), 'Failed');
    await waitFor(() => expect(api.callsTo('GET', '/api/emails').at(-1)?.query.get('status')).toBe('FAILED'));
    expect(await screen.findByText('No failed emails.')).toBeInTheDocument();
  });

  it('show one email with its message in a sandboxed frame, and its plain text on request', async () => {
    fakeApi({
      'GET /api/emails/:emailId': () =>
        ok(
          anEmail({
            error: 'mailbox unavailable',
            html: '<p>Hi Ada</p><img src="https://rekindle.test/t/o/tok.gif">',
            previewHtml: '<p>Hi Ada</p>',
          }),
        ),
    });
    const { user } = renderApp('/emails/e-1');
    expect(await screen.findByRole('heading', { level: 1, name: 'We miss you, Ada' })).toBeInTheDocument();
    expect(screen.getByText('mailbox unavailable')).toBeInTheDocument();
    const frame = screen.getByTitle(/Preview of the email/);
    expect(frame).toHaveAttribute('sandbox', '');
    // The preview form the server gave, never the HTML as sent (its open pixel).
    expect(frame.getAttribute('srcdoc')).toMatch(/<p>Hi Ada<\/p>$/);
    expect(frame.getAttribute('srcdoc')).not.toContain('/t/o/');

    await user.click(screen.getByRole('button', { name: 'Plain text' }));
    expect(screen.getByText('Hi Ada, it has been a while.')).toBeInTheDocument();
    expect(screen.queryByTitle(/Preview of the email/)).not.toBeInTheDocument();
  });
});
