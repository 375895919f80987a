import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { controlsRoutes, controlsState, someSettings } from '../test/controls';
import { fail, fakeApi, type FakeResponse } from '../test/fakeApi';
import { renderApp } from '../test/render';

describe('The Settings page’s brand settings', () => {
  it('shows the logo URL with a preview, the currency and the sign-off as stored', async () => {
    fakeApi(controlsRoutes(controlsState()));
    renderApp('/settings');

    const logo = await screen.findByLabelText('Logo URL');
    expect(logo).toHaveValue('https://loom.example/logo.png');
    expect(screen.getByLabelText('Currency')).toHaveValue('GBP');
    expect(screen.getByLabelText('Sign-off')).toHaveValue('The Loom team');
    expect(screen.getByRole('img', { name: 'Logo preview' })).toHaveAttribute('src', 'https://loom.example/logo.png');
    const brand = screen.getByRole('group', { name: 'Brand' });
    expect(within(brand).getByLabelText('Shop name')).toHaveValue('Loom & Co');
    expect(within(brand).getByLabelText('Logo URL')).toBe(logo);
  });

  it('shows USD as the default, suggests a sign-off from the shop name, and previews no logo when none is set', async () => {
    fakeApi(
      controlsRoutes(controlsState({ settings: someSettings({ logoUrl: null, currency: null, signOff: null }) })),
    );
    const { user } = renderApp('/settings');

    const currency = await screen.findByLabelText('Currency');
    expect(currency).toHaveValue('');
    expect(within(currency).getByRole('option', { selected: true })).toHaveTextContent('USD (default)');
    expect(within(currency).getAllByRole('option')).toHaveLength(20);
    expect(screen.getByLabelText('Sign-off')).toHaveAttribute('placeholder', 'The Loom & Co team');
    expect(screen.queryByRole('img', { name: 'Logo preview' })).not.toBeInTheDocument();

    await user.clear(screen.getByLabelText('Shop name'));
    expect(screen.getByLabelText('Sign-off')).toHaveAttribute('placeholder', 'The team');
    await user.type(screen.getByLabelText('Logo URL'), 'https://cdn.loom.example/l.svg');
    expect(screen.getByRole('img', { name: 'Logo preview' })).toHaveAttribute('src', 'https://cdn.loom.example/l.svg');
  });

  it('saves an edited logo and currency, and a cleared sign-off as null', async () => {
    const state = controlsState();
    const api = fakeApi(controlsRoutes(state));
    const { user } = renderApp('/settings');

    const logo = await screen.findByLabelText('Logo URL');
    await user.clear(logo);
    await user.type(logo, 'https://cdn.loom.example/logo@2x.png');
    await user.selectOptions(screen.getByLabelText('Currency'), 'EUR');
    await user.clear(screen.getByLabelText('Sign-off'));
    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    await waitFor(() => expect(api.callsTo('PUT', '/api/settings')).toHaveLength(1));
    expect(api.callsTo('PUT', '/api/settings')[0]!.body).toEqual({
      logoUrl: 'https://cdn.loom.example/logo@2x.png',
      currency: 'EUR',
      signOff: null,
    });
    await waitFor(() => expect(screen.getByText(/Last saved 3 Jan 2026/)).toBeInTheDocument());
    expect(screen.getByLabelText('Currency')).toHaveValue('EUR');
    expect(screen.getByLabelText('Sign-off')).toHaveValue('');
    expect(screen.getByRole('img', { name: 'Logo preview' })).toHaveAttribute(
      'src',
      'https://cdn.loom.example/logo@2x.png',
    );
  });

  it('refuses a logo URL that is not https:// before sending anything, and shows no preview of it', async () => {
    const api = fakeApi(controlsRoutes(controlsState()));
    const { user } = renderApp('/settings');

    const logo = await screen.findByLabelText('Logo URL');
    await user.clear(logo);
    await user.type(logo, 'http://loom.example/logo.png');
    expect(screen.queryByRole('img', { name: 'Logo preview' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    expect(screen.getByText('Enter the logo’s full address, starting with https://.')).toBeInTheDocument();
    expect(logo).toHaveAttribute('aria-invalid', 'true');
    expect(logo).toHaveFocus();
    expect(api.callsTo('PUT', '/api/settings')).toHaveLength(0);
  });

  it('shows the server’s 400 about the logo by its field', async () => {
    const api = fakeApi({
      ...controlsRoutes(controlsState()),
      'PUT /api/settings': () => fail(400, 'invalid_argument', 'logoUrl must be an absolute https URL', 'logoUrl'),
    });
    const { user } = renderApp('/settings');

    const logo = await screen.findByLabelText('Logo URL');
    await user.clear(logo);
    await user.type(logo, 'https://localhost/logo.png');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));

    await waitFor(() => expect(api.callsTo('PUT', '/api/settings')).toHaveLength(1));
    const error = await screen.findByText('LogoUrl must be an absolute https URL.', { selector: '.field__error' });
    expect(logo).toHaveAttribute('aria-invalid', 'true');
    expect(logo.getAttribute('aria-describedby')).toContain(error.id);
    expect(logo).toHaveFocus();
  });

  it('says so when the logo does not load', async () => {
    fakeApi(controlsRoutes(controlsState()));
    renderApp('/settings');

    fireEvent.error(await screen.findByRole('img', { name: 'Logo preview' }));
    expect(await screen.findByText(/The logo could not be loaded from this address/)).toBeInTheDocument();
  });
});

describe('Send a test to me', () => {
  async function openCard() {
    const card = await screen.findByRole('region', { name: 'Send a test to me' });
    return card;
  }

  it('sends the chosen step, rendered for the client named, and says what was sent', async () => {
    const state = controlsState();
    const api = fakeApi(controlsRoutes(state));
    const { user } = renderApp('/settings');

    const card = await openCard();
    expect(card).toHaveTextContent(/marked “\[Test\]”, through the configured mailer; it is counted nowhere/);
    const step = within(card).getByLabelText('Journey step');
    await waitFor(() => expect(within(step).getAllByRole('option')).toHaveLength(3));
    expect(step).toHaveValue('1');
    await user.type(within(card).getByLabelText('Send to'), 'me@loom.example');
    await user.type(within(card).getByLabelText('Client id'), 'u-7');
    await user.selectOptions(step, '2');
    await user.click(within(card).getByRole('button', { name: 'Send test' }));

    expect(await within(card).findByRole('status')).toHaveTextContent(
      'Sent to me@loom.example: “[Test] Still thinking of you, Grace” (rendered for Grace Hopper, step 2 of 3)',
    );
    expect(api.callsTo('POST', '/api/test-email')[0]!.body).toEqual({ to: 'me@loom.example', userId: 'u-7', step: 2 });
    expect(state.testEmails).toHaveLength(1);
  });

  it('renders it for the sample client when no client is named, and is disabled while it sends', async () => {
    let release: (r: FakeResponse) => void = () => {};
    const routes = controlsRoutes(controlsState());
    const api = fakeApi({
      ...routes,
      'POST /api/test-email': (req) =>
        new Promise<FakeResponse>((resolve) => {
          release = resolve;
        }).then(() => routes['POST /api/test-email']!(req)),
    });
    const { user } = renderApp('/settings');

    const card = await openCard();
    await user.type(within(card).getByLabelText('Send to'), 'me@loom.example');
    await user.click(within(card).getByRole('button', { name: 'Send test' }));

    await waitFor(() => expect(within(card).getByRole('button', { name: 'Sending…' })).toBeDisabled());
    release({ status: 200, body: null });
    expect(await within(card).findByText(/rendered for Sam Sample, step 1 of 3/)).toBeInTheDocument();
    expect(within(card).getByRole('button', { name: 'Send test' })).toBeEnabled();
    expect(api.callsTo('POST', '/api/test-email')[0]!.body).toEqual({ to: 'me@loom.example', step: 1 });
  });

  it('needs an address before sending anything', async () => {
    const api = fakeApi(controlsRoutes(controlsState()));
    const { user } = renderApp('/settings');

    const card = await openCard();
    await user.click(within(card).getByRole('button', { name: 'Send test' }));
    expect(within(card).getByText('Enter the address to send the test to.')).toBeInTheDocument();
    expect(within(card).getByLabelText('Send to')).toHaveFocus();
    expect(api.callsTo('POST', '/api/test-email')).toHaveLength(0);
  });

  it('shows an unknown client by the client input', async () => {
    fakeApi(controlsRoutes(controlsState()));
    const { user } = renderApp('/settings');

    const card = await openCard();
    await user.type(within(card).getByLabelText('Send to'), 'me@loom.example');
    await user.type(within(card).getByLabelText('Client id'), 'u-404');
    await user.click(within(card).getByRole('button', { name: 'Send test' }));

    const client = within(card).getByLabelText('Client id');
    await waitFor(() => expect(client).toHaveAttribute('aria-invalid', 'true'));
    const error = within(card).getByText('No client with that id.', { selector: '.field__error' });
    expect(client.getAttribute('aria-describedby')).toContain(error.id);
    expect(client).toHaveFocus();
    expect(within(card).getByRole('status')).toBeEmptyDOMElement();

    await user.type(client, 'x');
    expect(client).not.toHaveAttribute('aria-invalid');
  });

  it('shows a 400 about the address by the address input', async () => {
    fakeApi({
      ...controlsRoutes(controlsState()),
      'POST /api/test-email': () => fail(400, 'invalid_argument', 'to must not be a role address', 'to'),
    });
    const { user } = renderApp('/settings');

    const card = await openCard();
    await user.type(within(card).getByLabelText('Send to'), 'postmaster@loom.example');
    await user.click(within(card).getByRole('button', { name: 'Send test' }));

    expect(
      await within(card).findByText('To must not be a role address.', { selector: '.field__error' }),
    ).toBeInTheDocument();
    expect(within(card).getByLabelText('Send to')).toHaveAttribute('aria-invalid', 'true');
  });

  it('names the settings a test needs and leads to the first one missing', async () => {
    fakeApi(
      controlsRoutes(
        controlsState({
          settings: someSettings({ senderEmail: null, postalAddress: null, missing: ['senderEmail', 'postalAddress'] }),
        }),
      ),
    );
    const { user } = renderApp('/settings');

    const card = await openCard();
    await user.type(within(card).getByLabelText('Send to'), 'me@loom.example');
    await user.click(within(card).getByRole('button', { name: 'Send test' }));

    const alert = await within(card).findByRole('alert');
    expect(alert).toHaveTextContent('A test email needs senderEmail, postalAddress to be set.');
    await user.click(within(alert).getByRole('link', { name: 'Set Sender address' }));
    await waitFor(() => expect(screen.getByLabelText(/^Sender address/)).toHaveFocus());

    // Again, from elsewhere: the same link focuses the field again.
    within(card).getByLabelText('Send to').focus();
    await user.click(within(alert).getByRole('link', { name: 'Set Sender address' }));
    await waitFor(() => expect(screen.getByLabelText(/^Sender address/)).toHaveFocus());
  });

  it('says how long to wait when too many tests were sent', async () => {
    fakeApi(controlsRoutes(controlsState({ testEmailRetryAfter: 30 })));
    const { user } = renderApp('/settings');

    const card = await openCard();
    await user.type(within(card).getByLabelText('Send to'), 'me@loom.example');
    await user.click(within(card).getByRole('button', { name: 'Send test' }));

    expect(await within(card).findByRole('alert')).toHaveTextContent('Too many test emails; try again in 30 s.');
  });

  it('shows the mailer’s refusal', async () => {
    fakeApi(controlsRoutes(controlsState({ mailerRefusal: 'smtp: 550 5.7.1 relaying denied' })));
    const { user } = renderApp('/settings');

    const card = await openCard();
    await user.type(within(card).getByLabelText('Send to'), 'me@loom.example');
    await user.click(within(card).getByRole('button', { name: 'Send test' }));

    expect(await within(card).findByRole('alert')).toHaveTextContent(
      'The mailer refused the test: Smtp: 550 5.7.1 relaying denied.',
    );
  });
});
