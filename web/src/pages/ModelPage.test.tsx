import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dismiss, getNotices } from '../lib/notices';
import { fail, fakeApi, ok } from '../test/fakeApi';
import { aFailedRun, aFit, aFittedRun, aFlatFit, aModelState, aRun, fitStarted, noModel } from '../test/modelFixtures';
import { renderApp } from '../test/render';

// Notices outlive a test (they go after NOTICE_MS): none may leak into the next.
afterEach(() => {
  for (const n of getNotices()) dismiss(n.id);
});

function params(testId: string) {
  return Object.fromEntries(
    within(screen.getByTestId(testId))
      .getAllByRole('row')
      .slice(1)
      .map((row) => [within(row).getByRole('rowheader').textContent, row.querySelector('[data-param]')?.textContent]),
  );
}

describe('The Predictions page', () => {
  it('shows the current fit, its parameters and the spend model’s', async () => {
    fakeApi({ 'GET /api/model': () => ok(aModelState()) });
    renderApp('/model');

    expect(await screen.findByRole('heading', { level: 2, name: 'Current fit' })).toBeInTheDocument();
    const fact = (label: string) => screen.getByText(label, { selector: 'dt' }).parentElement;
    expect(fact('Model')).toHaveTextContent('BG/NBD');
    expect(fact('Time unit')).toHaveTextContent('weeks');
    expect(fact('Calibration end')).toHaveTextContent('30 Sept 1997');
    expect(fact('Clients')).toHaveTextContent('2,357');
    expect(fact('Log-likelihood')).toHaveTextContent('−9,582.43');
    expect(fact('Iterations')).toHaveTextContent('41');
    expect(fact('Converged')).toHaveTextContent('Yes');
    expect(fact('Time to fit')).toHaveTextContent('0.42 s');
    expect(params('purchase-params')).toEqual({ r: '0.2426', alpha: '4.414', a: '0.7929', b: '2.426' });
    expect(Object.keys(params('purchase-params'))).toEqual(['r', 'alpha', 'a', 'b']);
    expect(params('spend-params')).toEqual({ p: '6.25', q: '3.74', gamma: '15.44' });
  });

  it('reads the first server’s flat parameters the same way', async () => {
    fakeApi({ 'GET /api/model': () => ok(aModelState({ fit: aFlatFit() })) });
    renderApp('/model');
    await screen.findByTestId('purchase-params');
    expect(params('purchase-params')).toEqual({ r: '0.2426', alpha: '4.414', a: '0.7929', b: '2.426' });
    expect(params('spend-params')).toEqual({ p: '6.25', q: '3.74', gamma: '15.44' });
  });

  it('warns when the optimiser did not converge and when there is no spend model', async () => {
    fakeApi({
      'GET /api/model': () =>
        ok(aModelState({ fit: aFlatFit({ converged: false, spendParams: null, spendError: 'no repeat buyers' }) })),
    });
    renderApp('/model');
    expect(await screen.findByText(/No: the optimiser stopped/)).toBeInTheDocument();
    expect(screen.getByText(/No spend model: no repeat buyers\./)).toBeInTheDocument();
    expect(screen.queryByTestId('spend-params')).not.toBeInTheDocument();
  });

  it('compares the holdout’s repeat orders with the model’s, group by group', async () => {
    fakeApi({ 'GET /api/model': () => ok(aModelState()) });
    renderApp('/model');
    const table = await screen.findByRole('table', {
      name: 'Repeat orders by repeat orders before the calibration end',
    });
    expect(within(table).getByRole('row', { name: '0 1,411 234 216.4' })).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: '7+ 27 180 160' })).toBeInTheDocument();
    expect(screen.getByText(/clients made 1,882 repeat orders; the model expected 1,653.4/)).toBeInTheDocument();
  });

  it('says there is no holdout to compare with when the fit ran to the last order', async () => {
    const fit = aFit();
    fit.diagnostics = { holdoutDays: 0, holdoutEnd: null, byPastOrders: [{ pastOrders: '0', clients: 1411 }] };
    fakeApi({ 'GET /api/model': () => ok(aModelState({ fit })) });
    renderApp('/model');
    expect(await screen.findByText(/there is no holdout to check the model against/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Clients by repeat orders' })).toBeInTheDocument();
  });

  it('shows the churn and value distributions, the targeting rule and the refit schedule', async () => {
    fakeApi({
      'GET /api/model': () =>
        ok(aModelState({ refit: { everyHours: 24, lastAttemptAt: null, lastError: 'the store was down' } })),
    });
    renderApp('/model');
    const churn = await screen.findByRole('table', { name: 'Churn probability' });
    expect(within(churn).getByRole('row', { name: '90–100% 109' })).toBeInTheDocument();
    const value = screen.getByRole('table', { name: 'Predicted value' });
    expect(within(value).getByRole('row', { name: '51.00 and more 40' })).toBeInTheDocument();
    expect(
      screen.getByText('Clients with a churn probability above 50% are emailed, whatever their score.'),
    ).toBeInTheDocument();
    expect(screen.getByText('The model is refitted every day.')).toBeInTheDocument();
    expect(screen.getByText(/The last automatic refit failed:/).parentElement).toHaveTextContent('the store was down');
  });

  it('renders against a server without the targeting, refit and distribution fields', async () => {
    const state = aModelState({ fit: aFlatFit() });
    delete state.targeting;
    delete state.refit;
    delete state.distributions;
    fakeApi({ 'GET /api/model': () => ok(state) });
    renderApp('/model');
    expect(await screen.findByTestId('purchase-params')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Targeting' })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Clients by prediction' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refit now' })).toBeEnabled();
  });

  it('says plainly why there is no prediction yet, and still offers the refit', async () => {
    fakeApi({ 'GET /api/model': () => ok(noModel('no model has been fitted yet: a fit needs 100 clients')) });
    renderApp('/model');
    const note = await screen.findByTestId('no-prediction');
    expect(note).toHaveTextContent('No prediction yet');
    expect(note).toHaveTextContent('No model has been fitted yet: a fit needs 100 clients.');
    expect(screen.getByRole('button', { name: 'Refit now' })).toBeEnabled();
    expect(screen.queryByRole('heading', { name: 'Current fit' })).not.toBeInTheDocument();
  });

  it('starts a fit in the background, follows it every second and then shows the new fit', async () => {
    // Before the click: no fit. The POST answers 202 at once; the next reading of the
    // model says the fit runs, the one after (a poll later) that it fitted.
    let posted = false;
    let readsAfterPost = 0;
    const api = fakeApi({
      'GET /api/model': () => {
        if (!posted) return ok(noModel());
        readsAfterPost++;
        return readsAfterPost === 1
          ? ok({ ...noModel(), running: true, lastRun: aRun() })
          : ok(aModelState({ lastRun: aFittedRun(2357) }));
      },
      'POST /api/model/fit': () => {
        posted = true;
        return ok(fitStarted(), 202);
      },
    });
    const { user, queryClient } = renderApp('/model');
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    await user.click(await screen.findByRole('button', { name: 'Refit now' }));

    expect(await screen.findByRole('button', { name: 'Fitting…' })).toBeDisabled();
    expect(await screen.findByText('Fitting the model on every client’s orders, started 09:00.')).toBeInTheDocument();
    expect(await screen.findByText('Model fitted: 2,357 clients have a new prediction.')).toBeInTheDocument();
    expect(await screen.findByTestId('purchase-params')).toBeInTheDocument();
    expect(screen.queryByTestId('no-prediction')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refit now' })).toBeEnabled();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(api.callsTo('POST', '/api/model/fit')).toHaveLength(1);
    expect(api.callsTo('POST', '/api/model/fit')[0]?.body).toEqual({});
    expect(readsAfterPost).toBe(2);

    // Every client's prediction changed: the users are read again, once; the run is announced once.
    const usersInvalidated = () => invalidate.mock.calls.filter(([f]) => f?.queryKey?.[0] === 'users').length;
    expect(usersInvalidated()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(usersInvalidated()).toBe(1);
    expect(readsAfterPost).toBe(2);
    expect(screen.getAllByText('Model fitted: 2,357 clients have a new prediction.')).toHaveLength(1);
  });

  it('shows why a fit that ran failed, and offers the refit again', async () => {
    let posted = false;
    const error = 'only 12 clients have an order on or before 2026-02-01: a fit needs at least 100';
    fakeApi({
      'GET /api/model': () => ok(posted ? { ...noModel(), lastRun: aFailedRun(error, { field: 'until' }) } : noModel()),
      'POST /api/model/fit': () => {
        posted = true;
        return ok(fitStarted(), 202);
      },
    });
    const { user } = renderApp('/model');
    await user.click(await screen.findByRole('button', { name: 'Refit now' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(`The model was not refitted: ${error}`);
    expect(screen.getByRole('button', { name: 'Refit now' })).toBeEnabled();
    expect(screen.queryByText(/Model fitted/)).not.toBeInTheDocument();
    expect(screen.getByTestId('no-prediction')).toBeInTheDocument();
  });

  it('sends the model, unit and calibration end chosen under Options', async () => {
    const api = fakeApi({
      'GET /api/model': () => ok(noModel()),
      'POST /api/model/fit': () => ok(fitStarted(), 202),
    });
    const { user } = renderApp('/model');
    await user.click(await screen.findByText('Options'));
    await user.selectOptions(screen.getByLabelText('Model'), 'paretonbd');
    await user.selectOptions(screen.getByLabelText('Time unit'), 'days');
    await user.type(screen.getByLabelText('Calibration end'), '1997-09-30');
    await user.click(screen.getByRole('button', { name: 'Refit now' }));
    await waitFor(() => expect(api.callsTo('POST', '/api/model/fit')).toHaveLength(1));
    expect(api.callsTo('POST', '/api/model/fit')[0]?.body).toEqual({
      model: 'paretonbd',
      unit: 'days',
      until: '1997-09-30',
    });
  });

  it('shows the server’s refusal: a fit already running (409) or a bad setting (400)', async () => {
    let answer = fail(409, 'conflict', 'a fit is already running; try again when it ends', 'fit');
    fakeApi({ 'GET /api/model': () => ok(noModel()), 'POST /api/model/fit': () => answer });
    const { user } = renderApp('/model');
    await user.click(await screen.findByRole('button', { name: 'Refit now' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The model was not refitted: a fit is already running; try again when it ends',
    );
    expect(screen.getByRole('button', { name: 'Refit now' })).toBeEnabled();

    answer = fail(400, 'validation_error', 'until must not be in the future', 'until');
    await user.click(screen.getByRole('button', { name: 'Refit now' }));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'The model was not refitted: until must not be in the future',
      ),
    );
  });

  it('follows a fit already running when the page opens, and says when it ends', async () => {
    // The schedule's fit: the page did not start it, but saw it run.
    let reads = 0;
    fakeApi({
      'GET /api/model': () =>
        ++reads === 1
          ? ok({ ...noModel(), running: true, lastRun: aRun({ trigger: 'schedule' }) })
          : ok(aModelState({ lastRun: aFittedRun(1234, { trigger: 'schedule' }) })),
    });
    renderApp('/model');
    expect(await screen.findByText('Fitting the model on every client’s orders, started 09:00.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Fitting…' })).toBeDisabled();
    expect(await screen.findByText('Model fitted: 1,234 clients have a new prediction.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refit now' })).toBeEnabled();
    expect(screen.getByTestId('purchase-params')).toBeInTheDocument();
  });

  it('says a fit is running on a server without lastRun, and waits for it rather than starting another', async () => {
    fakeApi({ 'GET /api/model': () => ok({ ...noModel(), running: true }) });
    renderApp('/model');
    expect(await screen.findByText('A fit is running; the page shows it when it ends.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Fitting…' })).toBeDisabled();
  });

  it('does not report a run that ended before the page was opened', async () => {
    fakeApi({ 'GET /api/model': () => ok(aModelState({ lastRun: aFailedRun('the store was down') })) });
    renderApp('/model');
    expect(await screen.findByTestId('purchase-params')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refit now' })).toBeEnabled();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('refits against an older server, which fits before answering', async () => {
    let fitted = false;
    fakeApi({
      'GET /api/model': () => ok(fitted ? aModelState() : noModel()),
      'POST /api/model/fit': () => {
        fitted = true;
        return ok({ fit: aFit(), predictions: 2300 });
      },
    });
    const { user } = renderApp('/model');
    await user.click(await screen.findByRole('button', { name: 'Refit now' }));
    expect(await screen.findByText('Model fitted: 2,300 clients have a new prediction.')).toBeInTheDocument();
    expect(await screen.findByTestId('purchase-params')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refit now' })).toBeEnabled();
  });

  it('links to the clients most likely to churn, and is in the main navigation', async () => {
    fakeApi({ 'GET /api/model': () => ok(aModelState()) });
    renderApp('/model');
    expect(await screen.findByRole('link', { name: 'Clients most likely to churn' })).toHaveAttribute(
      'href',
      '/clients?sort=churnProbability',
    );
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Predictions' })).toHaveAttribute('aria-current', 'page');
  });

  it('explains that predictions are missing when the server does not offer them yet', async () => {
    fakeApi({ 'GET /api/model': () => fail(404, 'not_found', 'no route for GET /api/model') });
    renderApp('/model');
    expect(await screen.findByRole('note')).toHaveTextContent('Predictions are not available yet');
  });
});
