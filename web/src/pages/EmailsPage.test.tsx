import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi, list, ok } from '../test/fakeApi';
import { anEmail } from '../test/fixtures';
import { renderApp } from '../test/render';

describe('The emails pages', () => {
  it('list emails with the client, status, step, score at the time, date and the total', async () => {
    fakeApi({
      'GET /api/emails': () => ({
        status: 200,
        body: {
          success: true,
          data: [
            anEmail({
              status: 'FAILED',
              error: '550 5.1.1 no such user',
              engagementScoreAtTime: 58,
              step: 2,
              userName: 'Ada Lovelace',
              userEmail: 'ada@example.com',
            }),
          ],
          nextCursor: null,
          total: 1234,
          timestamp: '2026-01-01T00:00:00Z',
        },
      }),
    });
    renderApp('/emails');
    const row = (await screen.findByRole('link', { name: 'We miss you, Ada' })).closest('tr')!;
    expect(within(row).getByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/clients/u-1');
    expect(within(row).getByText('ada@example.com')).toBeInTheDocument();
    expect(within(row).getByText('failed')).toBeInTheDocument();
    expect(within(row).getByText('550 5.1.1 no such user')).toBeInTheDocument();
    expect(within(row).getByText('2')).toBeInTheDocument();
    expect(within(row).getByText('58')).toBeInTheDocument();
    expect(within(row).getByText('1 Feb 2026, 09:00')).toBeInTheDocument();
    expect(screen.getByTestId('emails-total')).toHaveTextContent('1,234 emails');
  });

  it('filter by status through the API', async () => {
    const api = fakeApi({ 'GET /api/emails': () => list([]) });
    const { user } = renderApp('/emails');
    await screen.findByText(/No emails yet/);
    await user.selectOptions(screen.getByLabelText('Status'), 'Failed');
    await waitFor(() => expect(api.callsTo('GET', '/api/emails').at(-1)?.query.get('status')).toBe('FAILED'));
    expect(await screen.findByText('No emails match these filters.')).toBeInTheDocument();
  });

  it('read every filter and the page from the URL and send them to the API', async () => {
    const api = fakeApi({ 'GET /api/emails': () => list([anEmail()], 'c-3') });
    renderApp('/emails?status=SENT&step=2&from=2026-11-01&to=2026-11-30&q=ada&cursor=c-2&page=2');
    await screen.findByRole('link', { name: 'We miss you, Ada' });
    const q = api.callsTo('GET', '/api/emails').at(-1)!.query;
    expect(Object.fromEntries(q)).toMatchObject({
      status: 'SENT',
      step: '2',
      from: '2026-11-01',
      to: '2026-11-30',
      q: 'ada',
      cursor: 'c-2',
    });
    expect(screen.getByLabelText('Search')).toHaveValue('ada');
    expect(screen.getByLabelText('Step')).toHaveValue('2');
    expect(screen.getByLabelText('From')).toHaveValue('2026-11-01');
    expect(screen.getByText('Page 2')).toBeInTheDocument();
  });

  it('keep the text filter and the next page in the URL', async () => {
    const api = fakeApi({
      'GET /api/emails': (req) => list([anEmail()], req.query.get('cursor') ? null : 'c-2'),
    });
    const { user } = renderApp('/emails');
    await screen.findByRole('link', { name: 'We miss you, Ada' });
    await user.type(screen.getByLabelText('Search'), 'lovelace');
    await waitFor(() => expect(api.callsTo('GET', '/api/emails').at(-1)?.query.get('q')).toBe('lovelace'));
    await user.click(await screen.findByRole('button', { name: 'Next →' }));
    await waitFor(() => expect(api.callsTo('GET', '/api/emails').at(-1)?.query.get('cursor')).toBe('c-2'));
    expect(api.callsTo('GET', '/api/emails').at(-1)?.query.get('q')).toBe('lovelace');
    expect(await screen.findByText('Page 2')).toBeInTheDocument();
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
