import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { anExperimentDetail, experimentsRoutes, experimentsState, type ExperimentsState } from '../test/experiments';
import { fakeApi } from '../test/fakeApi';
import { messagesRoutes, messagesState } from '../test/messages';
import { renderApp } from '../test/render';

function setup(over: Partial<ExperimentsState> = {}) {
  const state = experimentsState(over);
  const api = fakeApi({ ...messagesRoutes(messagesState()), ...experimentsRoutes(state) });
  const utils = renderApp('/experiments');
  return { state, api, ...utils };
}

async function form() {
  return screen.findByRole('button', { name: 'Start the experiment' });
}

describe('The Experiments page', () => {
  it('lists the experiments, each linking to its page', async () => {
    setup({
      experiments: [
        anExperimentDetail({ experimentId: 'exp_2', name: 'Shorter subject' }),
        anExperimentDetail({
          experimentId: 'exp_1',
          name: 'Bandit on tone',
          allocation: 'bandit',
          metric: 'revenue',
          status: 'stopped',
          promotedVariant: 1,
          createdBy: 'ops',
        }),
      ],
    });

    expect(await screen.findByRole('heading', { level: 1, name: 'Experiments' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Experiments' })).toHaveAttribute('aria-current', 'page');
    const table = await screen.findByRole('region', { name: 'Experiments' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent(
      /Shorter subject\s*winback-1\s*2\s*Conversions per recipient\s*Fixed split\s*running/,
    );
    expect(rows[0]).toHaveTextContent(/by admin/);
    expect(rows[1]).toHaveTextContent(
      /Bandit on tone\s*winback-1\s*2\s*Revenue per recipient\s*Bandit\s*stopped · B promoted/,
    );
    expect(rows[1]).toHaveTextContent(/by ops/);
    expect(within(rows[1]!).getByRole('link', { name: 'Bandit on tone' })).toHaveAttribute(
      'href',
      '/experiments/exp_1',
    );
  });

  it('creates an experiment with the body the contract names and opens its page', async () => {
    const { api, user } = setup();
    await form();
    expect(screen.getByText('No experiments yet.')).toBeInTheDocument();

    // winback-1 is under test by default: variant A, read-only; B defaults to another message.
    expect(screen.getByLabelText('Message under test')).toHaveValue('winback-1');
    expect(screen.getByTestId('variant-a-message')).toHaveTextContent('winback-1 (the message under test)');
    expect(screen.queryByLabelText('Variant A message')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Variant B message')).toHaveValue('winback-2');
    expect(screen.getByLabelText('Primary metric')).toHaveValue('conversion');
    expect(screen.getByLabelText('Fixed split')).toBeChecked();
    expect(screen.getByText(/stable split by client/)).toBeInTheDocument();
    expect(screen.getByText(/Thompson sampling.*every variant keeps at least 5%/)).toBeInTheDocument();
    expect(screen.getByLabelText('Minimum recipients per variant')).toHaveValue(500);
    expect(screen.getByLabelText('Probability a winner needs (%)')).toHaveValue(95);
    expect(screen.getByLabelText('Planned recipients')).toHaveValue(5000);

    await user.type(screen.getByLabelText('Name'), 'Three wordings');
    await user.click(screen.getByRole('button', { name: 'Add variant C' }));
    await user.selectOptions(screen.getByLabelText('Variant C message'), 'last-call');
    await user.clear(screen.getByLabelText('Variant C weight'));
    await user.type(screen.getByLabelText('Variant C weight'), '2');
    await user.selectOptions(screen.getByLabelText('Primary metric'), 'Clicks per recipient');
    await user.clear(screen.getByLabelText('Probability a winner needs (%)'));
    await user.type(screen.getByLabelText('Probability a winner needs (%)'), '97.5');
    await user.clear(screen.getByLabelText('Planned recipients'));
    await user.type(screen.getByLabelText('Planned recipients'), '8000');
    await user.click(screen.getByRole('button', { name: 'Start the experiment' }));

    expect(await screen.findByRole('heading', { level: 1, name: /Experiment: Three wordings/ })).toBeInTheDocument();
    const posts = api.callsTo('POST', '/api/experiments');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toEqual({
      name: 'Three wordings',
      message: 'winback-1',
      variants: [
        { message: 'winback-1', weight: 1 },
        { message: 'winback-2', weight: 1 },
        { message: 'last-call', weight: 2 },
      ],
      metric: 'click',
      allocation: 'fixed',
      minRecipients: 500,
      threshold: 0.975,
      plannedRecipients: 8000,
    });
  });

  it('sends no weights for a bandit, and at most five variants', async () => {
    const { api, user } = setup();
    await form();
    await user.type(screen.getByLabelText('Name'), 'Bandit');
    await user.click(screen.getByLabelText('Bandit'));
    expect(screen.queryByLabelText('Variant A weight')).not.toBeInTheDocument();
    for (const letter of ['C', 'D', 'E'])
      await user.click(screen.getByRole('button', { name: `Add variant ${letter}` }));
    expect(screen.queryByRole('button', { name: /Add variant/ })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Remove D' }));
    expect(screen.queryByLabelText('Variant E message')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Start the experiment' }));

    await screen.findByRole('heading', { level: 1, name: /Experiment: Bandit/ });
    expect(api.callsTo('POST', '/api/experiments')[0]!.body).toMatchObject({
      allocation: 'bandit',
      variants: [
        { message: 'winback-1' },
        { message: 'winback-2' },
        { message: 'winback-2' },
        { message: 'winback-2' },
      ],
    });
  });

  it('previews a variant’s stored message in the sandboxed frame', async () => {
    const { api, user } = setup();
    await form();
    const toggle = screen.getByRole('button', { name: 'Preview B' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);

    const preview = await screen.findByTestId('preview-B');
    expect(preview).toHaveTextContent('Subject We miss you, Ada (2)');
    const frame = within(preview).getByTitle('Preview of variant B (winback-2)');
    expect(frame).toHaveAttribute('sandbox', '');
    expect(frame.getAttribute('srcdoc')).toContain('Hello Ada');
    const calls = api.callsTo('POST', '/api/messages/winback-2/preview');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toEqual({});
    expect(screen.getByRole('button', { name: 'Hide preview of B' })).toHaveAttribute('aria-expanded', 'true');

    await user.click(screen.getByRole('button', { name: 'Hide preview of B' }));
    expect(screen.queryByTestId('preview-B')).not.toBeInTheDocument();
  });

  it('shows a 400 at the field it names', async () => {
    // The server knows no message "last-call": variants[1].message is refused.
    const { user } = setup({ messages: ['winback-1', 'winback-2'] });
    await form();
    await user.click(screen.getByRole('button', { name: 'Start the experiment' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Give the experiment a name.');
    expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');

    await user.type(screen.getByLabelText('Name'), 'Last call');
    await user.selectOptions(screen.getByLabelText('Variant B message'), 'last-call');
    await user.click(screen.getByRole('button', { name: 'Start the experiment' }));
    const variantB = screen.getByLabelText('Variant B message');
    await waitFor(() => expect(variantB).toHaveAttribute('aria-invalid', 'true'));
    expect(variantB).toHaveAccessibleDescription('No message last-call.');
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid');

    // Changing the field clears its error; a threshold the server refuses is shown at the threshold.
    await user.selectOptions(variantB, 'winback-2');
    expect(variantB).not.toHaveAttribute('aria-invalid');
    await user.clear(screen.getByLabelText('Probability a winner needs (%)'));
    await user.type(screen.getByLabelText('Probability a winner needs (%)'), '40');
    await user.click(screen.getByRole('button', { name: 'Start the experiment' }));
    const threshold = screen.getByLabelText('Probability a winner needs (%)');
    await waitFor(() => expect(threshold).toHaveAttribute('aria-invalid', 'true'));
    expect(threshold).toHaveAccessibleDescription(/Threshold must be between 0.5 and 1\./);
  });

  it('shows a 409 (one is running already) as an alert', async () => {
    const { state, user } = setup();
    await form();
    // Someone started one after the list was read.
    state.experiments.push(anExperimentDetail({ name: 'Elsewhere' }));
    await user.type(screen.getByLabelText('Name'), 'Mine');
    await user.click(screen.getByRole('button', { name: 'Start the experiment' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Another experiment is running: only one runs at a time. Experiment Elsewhere is running.',
    );
    expect(screen.getByRole('heading', { level: 1, name: 'Experiments' })).toBeInTheDocument();
  });

  it('disables the form while an experiment runs, and says which', async () => {
    const { api } = setup({ experiments: [anExperimentDetail({ experimentId: 'exp_9', name: 'Shorter subject' })] });
    await form();
    const note = screen.getByTestId('experiment-running-note');
    expect(note).toHaveTextContent(
      'Shorter subject is running. One experiment runs at a time: stop it to start another.',
    );
    expect(within(note).getByRole('link', { name: 'Shorter subject' })).toHaveAttribute('href', '/experiments/exp_9');
    expect(screen.getByLabelText('Name')).toBeDisabled();
    expect(screen.getByLabelText('Variant B message')).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Start the experiment' })).toBeDisabled();
    expect(api.callsTo('POST', '/api/experiments')).toHaveLength(0);
  });
});
