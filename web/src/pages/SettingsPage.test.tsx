import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { controlsRoutes, controlsState, someSettings } from '../test/controls';
import { fail, fakeApi } from '../test/fakeApi';
import { renderApp } from '../test/render';

describe('The Settings page', () => {
  it('shows every setting as stored', async () => {
    fakeApi(controlsRoutes(controlsState()));
    renderApp('/settings');

    expect(await screen.findByLabelText('Shop name')).toHaveValue('Loom & Co');
    expect(screen.getByLabelText('Sender address')).toHaveValue('hello@loom.example');
    expect(screen.getByLabelText('Reply-to address')).toHaveValue('');
    expect(screen.getByLabelText('Postal address')).toHaveValue('1 Mill Lane, Leeds');
    expect(screen.getByLabelText('Public URL')).toHaveValue('https://rekindle.loom.example');
    expect(screen.getByLabelText('Shop URL')).toHaveValue('https://loom.example');
    expect(screen.getByLabelText('Time zone')).toHaveValue('Europe/London');
    expect(screen.getByLabelText('Quiet hours start')).toHaveValue('21:00');
    expect(screen.getByLabelText('Quiet hours end')).toHaveValue('08:00');
    expect(screen.getByLabelText('Daily cap')).toHaveValue(500);
    expect(screen.getByLabelText('Hourly rate')).toHaveValue(50);
    expect(screen.getByText(/Last saved 2 Jan 2026.* by admin/)).toBeInTheDocument();
    expect(screen.getByTestId('settings-sending')).toHaveTextContent(
      'Rekindle is sending. 12 today of 500 · 3 this hour of 50.',
    );
  });

  it('sends only what changed, with an emptied setting as null', async () => {
    const state = controlsState();
    const api = fakeApi(controlsRoutes(state));
    const { user } = renderApp('/settings');

    const cap = await screen.findByLabelText('Daily cap');
    await user.clear(cap);
    await user.type(cap, '200');
    await user.clear(screen.getByLabelText('Hourly rate'));
    await user.type(screen.getByLabelText('Reply-to address'), 'help@loom.example');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    await waitFor(() => expect(api.callsTo('PUT', '/api/settings')).toHaveLength(1));
    expect(api.callsTo('PUT', '/api/settings')[0]!.body).toEqual({
      replyTo: 'help@loom.example',
      dailyCap: 200,
      hourlyRate: null,
    });
    await waitFor(() => expect(screen.getByText(/Last saved 3 Jan 2026/)).toBeInTheDocument());
    expect(screen.getByLabelText('Daily cap')).toHaveValue(200);
    expect(screen.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  });

  it('checks the fields as the server does before sending anything', async () => {
    const api = fakeApi(controlsRoutes(controlsState()));
    const { user } = renderApp('/settings');

    const sender = await screen.findByLabelText('Sender address');
    await user.clear(sender);
    await user.type(sender, 'not-an-address');
    await user.clear(screen.getByLabelText('Public URL'));
    await user.type(screen.getByLabelText('Public URL'), 'rekindle.loom.example');
    await user.clear(screen.getByLabelText('Quiet hours end'));
    await user.clear(screen.getByLabelText('Time zone'));
    await user.type(screen.getByLabelText('Time zone'), 'Mars/Olympus');
    await user.type(screen.getByLabelText('Daily cap'), '.5');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    expect(screen.getByText('Enter an email address like shop@example.com.')).toBeInTheDocument();
    expect(screen.getByText(/Enter the address clients reach Rekindle at/)).toBeInTheDocument();
    expect(screen.getByText('Enter when quiet hours end, or clear both.')).toBeInTheDocument();
    expect(screen.getByText('Enter a time zone name like Europe/Paris.')).toBeInTheDocument();
    expect(screen.getByText(/Enter a whole number \(1 or more\)/)).toBeInTheDocument();
    expect(screen.getByLabelText('Sender address')).toHaveFocus();
    expect(api.callsTo('PUT', '/api/settings')).toHaveLength(0);
  });

  it('shows the server’s 400 at the field it names', async () => {
    const api = fakeApi({
      ...controlsRoutes(controlsState()),
      'PUT /api/settings': () => fail(400, 'invalid_argument', 'quietHours.end must be HH:MM', 'quietHours.end'),
    });
    const { user } = renderApp('/settings');

    const end = await screen.findByLabelText('Quiet hours end');
    await user.clear(end);
    await user.type(end, '07:30');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    await waitFor(() => expect(api.callsTo('PUT', '/api/settings')).toHaveLength(1));
    expect(api.callsTo('PUT', '/api/settings')[0]!.body).toEqual({ quietHours: { start: '21:00', end: '07:30' } });
    expect(await screen.findByText('QuietHours.end must be HH:MM.')).toBeInTheDocument();
    expect(screen.getByLabelText('Quiet hours end')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Quiet hours end')).toHaveFocus();
  });

  it('has the journey’s dry run worked out again after a change (caps and quiet hours decide who waits)', async () => {
    const api = fakeApi(controlsRoutes(controlsState()));
    const { user } = renderApp('/journey');
    await screen.findByTestId('dry-run-would-email');
    const nav = screen.getByRole('navigation', { name: 'Main' });

    await user.click(within(nav).getByRole('link', { name: 'Settings' }));
    await user.clear(await screen.findByLabelText('Daily cap'));
    await user.type(screen.getByLabelText('Daily cap'), '20');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(api.callsTo('PUT', '/api/settings')).toHaveLength(1));
    await user.click(within(nav).getByRole('link', { name: 'Journey' }));

    await screen.findByTestId('dry-run-would-email');
    await waitFor(() => expect(api.callsTo('POST', '/api/journey/dry-run')).toHaveLength(2));
  });

  it('marks the settings sending waits for', async () => {
    fakeApi(
      controlsRoutes(controlsState({ settings: someSettings({ postalAddress: null, missing: ['postalAddress'] }) })),
    );
    renderApp('/settings');
    expect(await screen.findByLabelText(/^Postal address needed to send$/)).toHaveAttribute('aria-required', 'true');
    expect(screen.getByLabelText('Sender name')).not.toHaveAttribute('aria-required');
  });
});
