// The sending switch in the header and the first-run setup banner, on any page.

import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { aSendingState, controlsRoutes, controlsState, freshSettings } from '../test/controls';
import { fakeApi, list, ok } from '../test/fakeApi';
import { someMetrics } from '../test/fixtures';
import { renderApp } from '../test/render';

const overviewRoutes = {
  'GET /api/metrics': () => ok(someMetrics()),
  'GET /api/users': () => list([]),
};

/** The layout's top bar (pages have headers of their own). */
function header(): HTMLElement {
  const bar = document.querySelector<HTMLElement>('header.topbar');
  if (!bar) throw new Error('no top bar');
  return bar;
}

describe('The sending switch in the header', () => {
  it('shows on every page whether Rekindle is sending and the day’s and hour’s sends against the caps', async () => {
    fakeApi({ ...overviewRoutes, ...controlsRoutes(controlsState()) });
    renderApp('/');
    const sending = await within(header()).findByRole('group', { name: 'Sending' });
    expect(within(sending).getByTestId('sending-state')).toHaveTextContent(
      'Sending12 today of 500 · 3 this hour of 50',
    );
    expect(within(sending).getByRole('button', { name: 'Pause sending' })).toBeInTheDocument();
  });

  it('pauses, says who paused it, and resumes', async () => {
    const state = controlsState();
    const api = fakeApi({ ...overviewRoutes, ...controlsRoutes(state) });
    const { user } = renderApp('/emails');
    const sending = await within(header()).findByRole('group', { name: 'Sending' });

    await user.click(within(sending).getByRole('button', { name: 'Pause sending' }));
    await waitFor(() => expect(within(sending).getByTestId('sending-state')).toHaveTextContent('Paused by admin'));
    expect(api.callsTo('POST', '/api/sending/pause')).toHaveLength(1);
    expect(sending).toHaveClass('sending--paused');

    await user.click(within(sending).getByRole('button', { name: 'Resume sending' }));
    await waitFor(() => expect(within(sending).getByTestId('sending-state')).toHaveTextContent(/^Sending/));
    expect(api.callsTo('POST', '/api/sending/resume')).toHaveLength(1);
  });

  it('takes the user to the missing setting when the server refuses to resume', async () => {
    const state = controlsState({
      settings: freshSettings(),
      sending: aSendingState({ paused: true, reason: 'setup', since: '2026-01-01T00:00:00Z', by: null }),
    });
    fakeApi({ ...overviewRoutes, ...controlsRoutes(state) });
    const { user } = renderApp('/');
    const sending = await within(header()).findByRole('group', { name: 'Sending' });
    expect(within(sending).getByTestId('sending-state')).toHaveTextContent('Paused for setup');

    await user.click(within(sending).getByRole('button', { name: 'Resume sending' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText(/^Sender name/)).toHaveFocus());
    expect(screen.getByText(/Sending stays paused: senderName must be set/)).toBeInTheDocument();
  });

  it('is not shown by a server without sending controls', async () => {
    const api = fakeApi(overviewRoutes);
    renderApp('/');
    expect(await screen.findByRole('heading', { level: 1 })).toBeInTheDocument();
    await waitFor(() => expect(api.callsTo('GET', '/api/metrics').length).toBeGreaterThan(0));
    expect(within(header()).queryByRole('group', { name: 'Sending' })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: /setting up/ })).not.toBeInTheDocument();
  });
});

describe('First-run setup', () => {
  it('walks a fresh install through the missing settings, then offers to resume sending', async () => {
    const state = controlsState({
      settings: freshSettings(),
      sending: aSendingState({ paused: true, reason: 'setup', since: '2026-01-01T00:00:00Z', by: null }),
    });
    const api = fakeApi({ ...overviewRoutes, ...controlsRoutes(state) });
    const { user } = renderApp('/');

    const banner = await screen.findByRole('region', { name: 'Finish setting up Rekindle' });
    expect(within(banner).getByText(/Sending stays paused until the shop’s details are set/)).toBeInTheDocument();
    expect(within(banner).getByTestId('setup-missing')).toHaveTextContent(
      'Sender name, Sender address, Postal address, Public URL',
    );
    await user.click(within(banner).getByRole('link', { name: 'Set them up' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
    // On the Settings page the banner stays, without a link to where the user already is.
    expect(within(screen.getByRole('region', { name: 'Finish setting up Rekindle' })).queryByRole('link')).toBeNull();

    await user.type(screen.getByLabelText(/^Sender name/), 'Loom & Co');
    await user.type(screen.getByLabelText(/^Sender address/), 'hello@loom.example');
    await user.type(screen.getByLabelText(/^Postal address/), '1 Mill Lane, Leeds');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(api.callsTo('PUT', '/api/settings')).toHaveLength(1));
    // One left: the banner says which.
    await waitFor(() => expect(screen.getByTestId('setup-missing')).toHaveTextContent(/^Public URL$/));

    await user.type(screen.getByLabelText(/^Public URL/), 'https://rekindle.loom.example');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    const ready = await screen.findByRole('region', { name: 'Setup is complete' });
    expect(within(ready).getByText(/Sending is still paused/)).toBeInTheDocument();
    expect(await within(ready).findByTestId('setup-dry-run')).toHaveTextContent(
      'The next sweep would email 42 clients.',
    );

    await user.click(within(ready).getByRole('button', { name: 'Resume sending' }));
    await waitFor(() => expect(api.callsTo('POST', '/api/sending/resume')).toHaveLength(1));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Setup is complete' })).not.toBeInTheDocument());
    expect(within(header()).getByTestId('sending-state')).toHaveTextContent(/^Sending/);
  });

  it('says nothing once set up and sending', async () => {
    const api = fakeApi({ ...overviewRoutes, ...controlsRoutes(controlsState()) });
    renderApp('/');
    await within(header()).findByRole('group', { name: 'Sending' });
    await waitFor(() => expect(api.callsTo('GET', '/api/settings').length).toBeGreaterThan(0));
    expect(screen.queryByRole('region', { name: /Finish setting up|Setup is complete/ })).not.toBeInTheDocument();
  });
});
