import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { experimentQuery, EXPERIMENT_REFRESH_MS } from '../api/experiments/queries';
import type { ExperimentDetail } from '../api/experiments/types';
import { anExperimentDetail, aVariantResult, experimentsRoutes, experimentsState } from '../test/experiments';
import { fakeApi } from '../test/fakeApi';
import { messagesRoutes, messagesState } from '../test/messages';
import { renderApp } from '../test/render';

function setup(experiment: ExperimentDetail = anExperimentDetail()) {
  const state = experimentsState({ experiments: [experiment] });
  const api = fakeApi({ ...messagesRoutes(messagesState()), ...experimentsRoutes(state) });
  const utils = renderApp(`/experiments/${experiment.experimentId}`);
  return { state, api, ...utils };
}

/** A stopped experiment of three variants where no winner was declared; C has no figures yet. */
function undecided(): ExperimentDetail {
  const base = anExperimentDetail();
  return anExperimentDetail({
    status: 'stopped',
    stoppedAt: '2026-01-09T09:00:00Z',
    allocation: 'bandit',
    variants: [
      aVariantResult({ share: 0.45 }),
      aVariantResult({ ...base.variants[1]!, share: 0.45, winner: false, probabilityBest: 0.81 }),
      aVariantResult({
        index: 2,
        letter: 'C',
        message: 'last-call',
        share: 0.1,
        recipients: null,
        clicks: null,
        conversions: null,
        revenue: null,
        rate: null,
        rateInterval: null,
        revenuePerRecipient: null,
        revenueInterval: null,
        difference: { value: null, low: null, high: null, pValue: null },
        probabilityBest: null,
      }),
    ],
    decision: {
      state: 'noWinnerYet',
      winner: null,
      moreRecipientsNeeded: 0,
      requiredProbability: 0.95,
      reason: 'no variant has reached 95% yet (B is at 81%)',
    },
    allocations: [
      { at: '2026-01-05T09:00:00Z', weights: [1, 1, 1], reason: 'started' },
      { at: '2026-01-06T09:00:00Z', weights: [0.45, 0.45, 0.1], reason: 'Thompson sampling after 600 recipients' },
    ],
  });
}

describe('An experiment’s page', () => {
  it('shows the header, the decision, how it is decided, the results with the winner marked, and the allocations', async () => {
    setup();

    expect(await screen.findByRole('heading', { level: 1, name: /Experiment: Shorter subject/ })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Experiments' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByTestId('experiment-status')).toHaveTextContent('running');
    expect(screen.getByText('Message under test').nextElementSibling).toHaveTextContent('winback-1');
    expect(screen.getByText('Primary metric').nextElementSibling).toHaveTextContent('Conversions per recipient');
    expect(screen.getByText('Allocation', { selector: 'dt' }).nextElementSibling).toHaveTextContent('Fixed split');
    expect(screen.getByText('Created').nextElementSibling).toHaveTextContent(/by admin/);
    expect(screen.getByText('Winner needs').nextElementSibling).toHaveTextContent(
      '95% probability, 500 recipients per variant',
    );

    expect(screen.getByTestId('decision-reason')).toHaveTextContent('B is best with 97.1% probability.');
    expect(screen.getByRole('heading', { name: 'How the winner is decided' })).toBeInTheDocument();
    expect(screen.getByTestId('decision-method')).toHaveTextContent(/the first to reach 95% wins/);

    const rows = within(screen.getByRole('region', { name: 'Results by variant' })).getAllByRole('row');
    const header = rows[0]!;
    expect(header).toHaveTextContent(
      /Variant\s*Share\s*Recipients\s*Clicks\s*Conversions\s*Revenue\s*Rate \(95% interval\)\s*Revenue per recipient \(95% interval\)\s*Difference to A \(95% interval\)\s*p-value\s*Probability best/,
    );
    const [a, b] = [rows[1]!, rows[2]!];
    expect(a).toHaveTextContent(
      /A\s*winback-1\s*50%\s*1,200\s*96\s*40\s*3,200.00\s*3.3% \(2.1–4.9%\)\s*2.67 \(1.90–3.40\)\s*control\s*—\s*2.9%/,
    );
    expect(a).not.toHaveTextContent('Winner');
    expect(b).toHaveTextContent(
      /B\s*winback-2\s*Winner\s*50%\s*1,180\s*130\s*66\s*5,100.00\s*5.6% \(4.3–7.1%\)\s*4.32 \(3.30–5.41\)\s*\+2.3 pp \(\+0.61 to \+4 pp\)/,
    );
    expect(b).toHaveTextContent('p = 0.007');
    expect(b).toHaveTextContent('97.1%');
    expect(b).toHaveClass('experiment-results__winner');
    expect(within(b).getByRole('link', { name: 'winback-2' })).toHaveAttribute('href', '/messages/winback-2');

    const chart = screen.getByRole('img', { name: /Conversions per recipient by variant/ });
    expect(chart).toHaveAccessibleName(
      'Conversions per recipient by variant: A 3.3% (2.1% to 4.9%); B 5.6% (4.3% to 7.1%)',
    );
    expect(screen.getByTestId('chart-B')).toHaveTextContent('B · winback-2');

    const allocations = within(screen.getByRole('region', { name: 'Shares over time' })).getAllByRole('row');
    expect(allocations[0]).toHaveTextContent(/Time\s*A\s*B\s*Reason/);
    expect(allocations).toHaveLength(3);
    expect(allocations[1]).toHaveTextContent(/50%\s*50%\s*started/);
    expect(allocations[2]).toHaveTextContent(/50%\s*50%\s*fixed split/);
  });

  it('shows a missing figure as "—", shares from weights, and no promote of a winner before one is declared', async () => {
    setup(undecided());

    expect(await screen.findByTestId('decision-reason')).toHaveTextContent(
      'No variant has reached 95% yet (B is at 81%).',
    );
    const rows = within(screen.getByRole('region', { name: 'Results by variant' })).getAllByRole('row');
    expect(rows[3]).toHaveTextContent(/C\s*last-call\s*10%\s*—\s*—\s*—\s*—\s*—\s*—\s*—\s*—\s*—/);
    expect(rows.some((r) => r.textContent?.includes('Winner'))).toBe(false);
    expect(screen.getByTestId('chart-C')).toHaveTextContent('no figure yet');

    const allocations = within(screen.getByRole('region', { name: 'Shares over time' })).getAllByRole('row');
    expect(allocations[1]).toHaveTextContent(/33%\s*33%\s*33%\s*started/);
    expect(allocations[2]).toHaveTextContent(/45%\s*45%\s*10%\s*Thompson sampling after 600 recipients/);

    expect(screen.getByRole('button', { name: 'Promote the winner' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Promote the winner' })).toHaveAccessibleDescription(
      'No winner is declared yet: choose a variant to promote below.',
    );
    expect(screen.queryByRole('button', { name: 'Stop' })).not.toBeInTheDocument();
  });

  it('stops a running experiment after a confirmation', async () => {
    const { api, user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Stop' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Stop Shorter subject?' });

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(api.callsTo('POST', '/api/experiments/exp_1/stop')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Stop' }));
    await user.click(
      within(screen.getByRole('alertdialog', { name: 'Stop Shorter subject?' })).getByRole('button', { name: 'Stop' }),
    );
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(api.callsTo('POST', '/api/experiments/exp_1/stop')).toHaveLength(1);
    expect(screen.getByRole('status')).toHaveTextContent('Shorter subject is stopped');
    await waitFor(() => expect(screen.getByTestId('experiment-status')).toHaveTextContent('stopped'));
    expect(screen.queryByRole('button', { name: 'Stop' })).not.toBeInTheDocument();
  });

  it('shows a refused stop in the dialog', async () => {
    const { state, user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Stop' }));
    state.experiments[0]!.status = 'stopped';
    const dialog = screen.getByRole('alertdialog', { name: 'Stop Shorter subject?' });
    await user.click(within(dialog).getByRole('button', { name: 'Stop' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('The experiment is stopped already.');
  });

  it('promotes the declared winner with {} after a confirmation and says which version it saved', async () => {
    const { api, user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Promote B' }));
    const dialog = screen.getByRole('alertdialog', { name: "Save B's wording as the new version of winback-1?" });
    expect(dialog).toHaveTextContent(
      'The subject, text and HTML of B (winback-2) become the next version of winback-1',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Promote B' }));

    expect(await screen.findByText(/Saved as version 2 of winback-1\./)).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Saved as version 2 of winback-1.');
    const calls = api.callsTo('POST', '/api/experiments/exp_1/promote');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toEqual({});
    expect(await screen.findByTestId('promoted-note')).toHaveTextContent('B (winback-2) was promoted');
    expect(screen.queryByRole('button', { name: 'Promote B' })).not.toBeInTheDocument();
  });

  it('promotes a chosen variant of a stopped experiment with {"variant": i}', async () => {
    const { api, user } = setup(undecided());
    await user.selectOptions(await screen.findByLabelText('Variant to promote'), 'C · last-call');
    await user.click(screen.getByRole('button', { name: 'Promote…' }));
    const dialog = screen.getByRole('alertdialog', { name: "Save C's wording as the new version of winback-1?" });
    await user.click(within(dialog).getByRole('button', { name: 'Promote C' }));

    expect(await screen.findByText(/Saved as version 2 of winback-1\./)).toBeInTheDocument();
    expect(api.callsTo('POST', '/api/experiments/exp_1/promote')[0]!.body).toEqual({ variant: 2 });
    expect(await screen.findByTestId('experiment-status')).toHaveTextContent('stopped · C promoted');
  });

  it('says when there is no such experiment', async () => {
    fakeApi(experimentsRoutes(experimentsState()));
    renderApp('/experiments/exp_404');
    expect(await screen.findByText('No such experiment')).toBeInTheDocument();
  });

  it('reads a running experiment again every 10 s, and a stopped one never', () => {
    const interval = experimentQuery('exp_1').refetchInterval;
    expect(typeof interval).toBe('function');
    const at = (status: string | undefined) =>
      (interval as (q: unknown) => number | false)({ state: { data: status ? { status } : undefined } });
    expect(at('running')).toBe(EXPERIMENT_REFRESH_MS);
    expect(EXPERIMENT_REFRESH_MS).toBe(10_000);
    expect(at('stopped')).toBe(false);
    expect(at(undefined)).toBe(false);
  });
});
