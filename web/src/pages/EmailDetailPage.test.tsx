import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeApi, ok } from '../test/fakeApi';
import { anEmail } from '../test/fixtures';
import { renderApp } from '../test/render';

describe('An email’s page', () => {
  it('shows when it was opened, clicked and converted, and marks the open unreliable', async () => {
    fakeApi({
      'GET /api/emails/:emailId': () =>
        ok(
          anEmail({
            status: 'CLICKED',
            openedAt: '2026-02-01T10:00:00Z',
            clickedAt: '2026-02-01T10:02:00Z',
            convertedAt: '2026-02-03T18:30:00Z',
            conversionRevenue: 59.9,
          }),
        ),
    });
    renderApp('/emails/e-1');

    const opened = await screen.findByText('Opened', { selector: 'dt' });
    expect(opened.parentElement).toHaveTextContent('1 Feb 2026, 10:00 unreliable');
    expect(opened.parentElement).toHaveTextContent('Mail privacy features open emails automatically.');
    expect(screen.getByText('Clicked', { selector: 'dt' }).parentElement).toHaveTextContent('1 Feb 2026, 10:02');
    expect(screen.getByText('Converted', { selector: 'dt' }).parentElement).toHaveTextContent(
      '3 Feb 2026, 18:30 (59.90)',
    );
  });

  it('shows no tracking rows for an email without events', async () => {
    fakeApi({ 'GET /api/emails/:emailId': () => ok(anEmail()) });
    renderApp('/emails/e-1');
    expect(await screen.findByText('Sent', { selector: 'dt' })).toBeInTheDocument();
    expect(screen.queryByText('Opened', { selector: 'dt' })).not.toBeInTheDocument();
    expect(screen.queryByText('Converted', { selector: 'dt' })).not.toBeInTheDocument();
  });

  it('names the targeting rule that chose the client (issue 11)', async () => {
    fakeApi({ 'GET /api/emails/:emailId': () => ok(anEmail({ targetingRule: 'churn' })) });
    renderApp('/emails/e-1');
    expect((await screen.findByText('Chosen by', { selector: 'dt' })).parentElement).toHaveTextContent(
      'Churn probability',
    );
  });

  it('leaves the rule out for an email from an older server', async () => {
    fakeApi({ 'GET /api/emails/:emailId': () => ok(anEmail()) });
    renderApp('/emails/e-1');
    await screen.findByText('Writer', { selector: 'dt' });
    expect(screen.queryByText('Chosen by', { selector: 'dt' })).not.toBeInTheDocument();
  });
});
