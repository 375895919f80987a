import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { aDryRun, aJourney, controlsRoutes, controlsState } from '../test/controls';
import { fail, fakeApi, ok } from '../test/fakeApi';
import { someEffectiveness } from '../test/fixtures';
import { renderApp } from '../test/render';

function steps() {
  return screen.getAllByRole('listitem', { name: /^Step \d+$/ });
}

describe('The Journey page', () => {
  it('shows the current journey’s steps with their delays, the day each goes out, and the rest period', async () => {
    fakeApi(controlsRoutes(controlsState()));
    renderApp('/journey');

    expect(await screen.findByRole('heading', { level: 1, name: 'Win-back journey' })).toBeInTheDocument();
    await waitFor(() => expect(steps()).toHaveLength(3));
    const [one, two, three] = steps();
    expect(within(one!).getByLabelText('Days after the episode starts')).toHaveValue(0);
    expect(within(one!).getByLabelText('Message')).toHaveValue('winback-1');
    expect(within(two!).getByLabelText('Days after the previous step')).toHaveValue(10);
    expect(within(three!).getByLabelText('Message')).toHaveValue('winback-3');
    expect(screen.getByTestId('step-day-3')).toHaveTextContent('day 24');
    expect(screen.getByLabelText('Rest period (days)')).toHaveValue(90);
    expect(screen.getByText(/they order \(a conversion\), they unsubscribe/)).toBeInTheDocument();
    expect(screen.getByTestId('journey-version')).toHaveTextContent('Version 1');
    // Nothing changed yet: nothing to save.
    expect(screen.getByRole('button', { name: 'Save as a new version' })).toBeDisabled();
  });

  it('adds, removes and reorders steps and saves them as a new version', async () => {
    const state = controlsState();
    const api = fakeApi(controlsRoutes(state));
    const { user } = renderApp('/journey');
    await waitFor(() => expect(steps()).toHaveLength(3));

    await user.click(screen.getByRole('button', { name: 'Remove step 2' }));
    expect(steps()).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Add a step' }));
    expect(steps()).toHaveLength(3);
    const added = steps()[2]!;
    await user.clear(within(added).getByLabelText('Days after the previous step'));
    await user.type(within(added).getByLabelText('Days after the previous step'), '30');
    await user.clear(within(added).getByLabelText('Message'));
    await user.type(within(added).getByLabelText('Message'), 'last-chance');
    await user.click(screen.getByRole('button', { name: 'Move step 3 up' }));
    await user.clear(screen.getByLabelText('Rest period (days)'));
    await user.type(screen.getByLabelText('Rest period (days)'), '120');
    await user.click(screen.getByRole('button', { name: 'Save as a new version' }));

    await waitFor(() => expect(api.callsTo('PUT', '/api/journey')).toHaveLength(1));
    expect(api.callsTo('PUT', '/api/journey')[0]!.body).toEqual({
      steps: [
        { delayDays: 0, message: 'winback-1' },
        { delayDays: 30, message: 'last-chance' },
        { delayDays: 14, message: 'winback-3' },
      ],
      restDays: 120,
    });
    expect(await screen.findByTestId('journey-version')).toHaveTextContent('Version 2');
    // The versions list and the dry run follow the new version.
    const versions = screen.getByRole('region', { name: 'Versions' });
    await waitFor(() => expect(within(versions).getAllByRole('row')).toHaveLength(3));
    expect(
      within(versions).getByRole('row', { name: /^2 current.*admin.*last-chance \(day 30\)/ }),
    ).toBeInTheDocument();
    await waitFor(() => expect(api.callsTo('POST', '/api/journey/dry-run').length).toBeGreaterThan(1));
  });

  it('offers the server’s messages to choose from when it lists them', async () => {
    const state = controlsState({
      versions: [aJourney({ messages: ['winback-1', 'winback-2', 'winback-3', 'last-call'] })],
    });
    // As the real server: GET lists the messages, PUT's answer does not.
    const routes = controlsRoutes(state);
    const put = routes['PUT /api/journey']!;
    const api = fakeApi({
      ...routes,
      'PUT /api/journey': async (req) => {
        const res = await put(req);
        return { ...res, body: { ...(res.body as object), data: { ...state.versions[0], messages: undefined } } };
      },
    });
    const { user } = renderApp('/journey');
    await waitFor(() => expect(steps()).toHaveLength(3));

    const message = within(steps()[1]!).getByRole('combobox', { name: 'Message' });
    expect(
      within(message)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['winback-1', 'winback-2', 'winback-3', 'last-call']);
    await user.selectOptions(message, 'last-call');
    await user.click(screen.getByRole('button', { name: 'Add a step' }));
    expect(within(steps()[3]!).getByRole('combobox', { name: 'Message' })).toHaveValue('last-call');
    await user.click(screen.getByRole('button', { name: 'Save as a new version' }));
    await waitFor(() => expect(api.callsTo('PUT', '/api/journey')).toHaveLength(1));
    expect(api.callsTo('PUT', '/api/journey')[0]!.body).toMatchObject({
      steps: [
        { message: 'winback-1' },
        { message: 'last-call' },
        { message: 'winback-3' },
        { delayDays: 14, message: 'last-call' },
      ],
    });
    // Saved: still a choice of the server's messages.
    expect(await screen.findByTestId('journey-version')).toHaveTextContent('Version 2');
    expect(within(steps()[1]!).getByRole('combobox', { name: 'Message' })).toHaveValue('last-call');
  });

  it('refuses steps the server would refuse, at the field, without asking it', async () => {
    const api = fakeApi(controlsRoutes(controlsState()));
    const { user } = renderApp('/journey');
    await waitFor(() => expect(steps()).toHaveLength(3));

    const second = steps()[1]!;
    await user.clear(within(second).getByLabelText('Days after the previous step'));
    await user.type(within(second).getByLabelText('Days after the previous step'), '2.5');
    await user.clear(within(second).getByLabelText('Message'));
    await user.click(screen.getByRole('button', { name: 'Save as a new version' }));

    expect(within(second).getByText('Enter whole days (0 or more).')).toBeInTheDocument();
    expect(within(second).getByText('Name the message this step sends.')).toBeInTheDocument();
    expect(within(second).getByLabelText('Days after the previous step')).toHaveFocus();
    expect(api.callsTo('PUT', '/api/journey')).toHaveLength(0);
  });

  it('shows the server’s 400 at the step and field it names', async () => {
    const api = fakeApi({
      ...controlsRoutes(controlsState()),
      'PUT /api/journey': () => fail(400, 'invalid_argument', 'no message named winback-9', 'steps[2].message'),
    });
    const { user } = renderApp('/journey');
    await waitFor(() => expect(steps()).toHaveLength(3));

    const third = steps()[2]!;
    await user.clear(within(third).getByLabelText('Message'));
    await user.type(within(third).getByLabelText('Message'), 'winback-9');
    await user.click(screen.getByRole('button', { name: 'Save as a new version' }));

    await waitFor(() => expect(api.callsTo('PUT', '/api/journey')).toHaveLength(1));
    expect(await within(third).findByText('No message named winback-9.')).toBeInTheDocument();
    expect(within(third).getByLabelText('Message')).toHaveAttribute('aria-invalid', 'true');
    expect(within(third).getByLabelText('Message')).toHaveFocus();
    expect(screen.getByTestId('journey-version')).toHaveTextContent('Version 1');
  });

  it('lists the versions with who saved them and when, newest first', async () => {
    fakeApi(
      controlsRoutes(
        controlsState({
          versions: [
            aJourney({ version: 2, createdBy: 'marketing', createdAt: '2026-01-05T10:00:00Z', restDays: 60 }),
            aJourney({ version: 1, steps: [{ delayDays: 0, message: 'winback' }], createdBy: 'default' }),
          ],
        }),
      ),
    );
    renderApp('/journey');
    const versions = await screen.findByRole('region', { name: 'Versions' });
    const rows = await within(versions).findAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining('Version'),
      expect.stringMatching(
        /^2 current5 Jan 2026.*marketingwinback-1 \(day 0\), winback-2 \(day 10\), winback-3 \(day 24\)60$/,
      ),
      expect.stringMatching(/^1.*defaultwinback \(day 0\)90$/),
    ]);
  });

  it('shows the dry run: who would be emailed by step, who waits, who is skipped, and a sample linking to them', async () => {
    fakeApi(controlsRoutes(controlsState({ dryRun: aDryRun({ at: '2026-01-03T09:15:00Z', journeyVersion: 1 }) })));
    renderApp('/journey');

    const panel = await screen.findByRole('region', { name: 'Dry run: the next sweep' });
    expect(await within(panel).findByTestId('dry-run-would-email')).toHaveTextContent(
      '42 clients would be emailed by the next sweep.',
    );
    expect(within(panel).getByTestId('dry-run-as-of')).toHaveTextContent(
      /^As of 3 Jan 2026, \d\d:15, with version 1 of the journey\.$/,
    );
    const bySteps = within(panel).getByRole('region', { name: 'By step' });
    expect(within(bySteps).getByText('Step 2').nextSibling).toHaveTextContent('8');
    const waits = within(panel).getByRole('region', { name: 'Due but waiting (7)' });
    expect(within(waits).getByText('Quiet hours').nextSibling).toHaveTextContent('5');
    expect(within(waits).getByText('Cap reached').nextSibling).toHaveTextContent('2');
    const skipped = within(panel).getByRole('region', { name: 'Skipped' });
    expect(within(skipped).getByText('Resting').nextSibling).toHaveTextContent('11');
    expect(within(skipped).getByText('Held out').nextSibling).toHaveTextContent('6');
    expect(within(skipped).getByText('Suppressed').nextSibling).toHaveTextContent('3');
    const sample = within(panel).getByRole('table', { name: 'A sample of 2 of them' });
    expect(within(sample).getByRole('link', { name: 'Grace Hopper' })).toHaveAttribute('href', '/clients/u-7');
    expect(within(sample).getByRole('row', { name: /Alan Turing alan@example.com 2 62/ })).toBeInTheDocument();
  });

  it('runs the dry run again on request', async () => {
    const state = controlsState();
    const api = fakeApi(controlsRoutes(state));
    const { user } = renderApp('/journey');
    expect(await screen.findByTestId('dry-run-would-email')).toHaveTextContent('42 clients');

    state.dryRun = aDryRun({ wouldEmail: 1, byStep: [{ step: 1, count: 1 }], sample: [] });
    await user.click(screen.getByRole('button', { name: 'Run again' }));
    await waitFor(() =>
      expect(screen.getByTestId('dry-run-would-email')).toHaveTextContent('1 client would be emailed'),
    );
    expect(api.callsTo('POST', '/api/journey/dry-run')).toHaveLength(2);
  });

  it('shows beside each step what its emails achieved in the last 30 days', async () => {
    const api = fakeApi({
      ...controlsRoutes(controlsState()),
      'GET /api/effectiveness': () =>
        ok(
          someEffectiveness({
            byStep: [
              { step: 1, sent: 200, converted: 14, conversionRate: 0.07 },
              { step: 2, sent: 120, converted: 3, conversionRate: 0.025 },
            ],
          }),
        ),
    });
    renderApp('/journey');
    expect(await screen.findByTestId('step-stats-1')).toHaveTextContent(
      '200 sent, 14 converted (7.0%) in the last 30 days',
    );
    expect(screen.getByTestId('step-stats-2')).toHaveTextContent('120 sent, 3 converted (2.5%)');
    expect(screen.queryByTestId('step-stats-3')).not.toBeInTheDocument();
    expect(api.callsTo('GET', '/api/effectiveness')[0]!.query.get('days')).toBe('30');
  });

  it('says journeys are not available on a server without them', async () => {
    fakeApi({});
    renderApp('/journey');
    expect(await screen.findByText('Journeys are not available yet')).toBeInTheDocument();
  });
});
