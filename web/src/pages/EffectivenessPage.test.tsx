import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fail, fakeApi, ok } from '../test/fakeApi';
import { someEffectiveness } from '../test/fixtures';
import { renderApp } from '../test/render';

function step(name: string) {
  const funnel = screen.getByRole('list', { name: /^Funnel/ });
  const item = within(funnel)
    .getAllByRole('listitem')
    .find((li) => li.querySelector('.funnel__label')?.textContent?.startsWith(name));
  if (!item) throw new Error(`no funnel step ${name}`);
  return item;
}

describe('The effectiveness page', () => {
  it('asks for the last 30 days and shows the funnel from sent to converted', async () => {
    const api = fakeApi({ 'GET /api/effectiveness': () => ok(someEffectiveness()) });
    renderApp('/effectiveness');

    expect(await screen.findByRole('list', { name: 'Funnel, last 30 days' })).toBeInTheDocument();
    expect(step('Sent')).toHaveTextContent('1,200');
    expect(step('Sent')).toHaveTextContent('20 failed');
    expect(step('Delivered')).toHaveTextContent('1,18098.3% of sent');
    expect(step('Clicked')).toHaveTextContent('11810% of delivered');
    expect(step('Converted')).toHaveTextContent('595% of delivered');
    expect(screen.getByText('Revenue', { selector: 'dt' }).parentElement).toHaveTextContent('4,720.50');
    expect(screen.getByText('Unsubscribes', { selector: 'dt' }).parentElement).toHaveTextContent('6');
    expect(screen.getByText('Bounces', { selector: 'dt' }).parentElement).toHaveTextContent('14');
    expect(screen.getByText('Complaints', { selector: 'dt' }).parentElement).toHaveTextContent('1');
    expect(api.callsTo('GET', '/api/effectiveness')[0]?.query.get('days')).toBe('30');
  });

  it('marks opens as unreliable with a visible note about mail privacy features', async () => {
    fakeApi({ 'GET /api/effectiveness': () => ok(someEffectiveness()) });
    renderApp('/effectiveness');

    await screen.findByRole('list', { name: /^Funnel/ });
    expect(step('Opened')).toHaveTextContent('Opened unreliable702');
    expect(within(step('Clicked')).queryByText('unreliable')).not.toBeInTheDocument();
    const note = screen.getByText('Opens are unreliable.').parentElement;
    expect(note).toBeVisible();
    expect(note).toHaveTextContent('Apple Mail Privacy Protection');
  });

  it('compares emailed and held-out clients side by side and says a lift that excludes zero is significant', async () => {
    fakeApi({ 'GET /api/effectiveness': () => ok(someEffectiveness()) });
    renderApp('/effectiveness');

    const table = await screen.findByRole('table', { name: 'Emailed and held-out clients compared' });
    expect(within(table).getByRole('row', { name: 'Conversion rate 5.5% 2.5%' })).toBeInTheDocument();
    expect(within(table).getByRole('row', { name: 'Revenue per client 4.37 1.75' })).toBeInTheDocument();
    expect(screen.getByText('Absolute lift', { selector: 'dt' }).parentElement).toHaveTextContent('+3 pp');
    expect(screen.getByText('Relative lift', { selector: 'dt' }).parentElement).toHaveTextContent('+118%');
    expect(
      screen.getByRole('img', {
        name: /95% confidence interval of the lift: \+0\.05 to \+5\.9 percentage points.*zero is outside/,
      }),
    ).toBeInTheDocument();
    expect(screen.getByText(/excludes zero, so the difference is statistically significant\./)).toBeInTheDocument();
    expect(
      screen.getByText(/10% of at-risk clients, chosen by a stable hash of their id, are scored but not emailed\./),
    ).toBeInTheDocument();
  });

  it('says a lift whose interval includes zero is not significant', async () => {
    const report = someEffectiveness();
    report.lift = { ...report.lift, absoluteLift: 0.01, relativeLift: 0.4, ci95: [-0.012, 0.032], significant: false };
    fakeApi({ 'GET /api/effectiveness': () => ok(report) });
    renderApp('/effectiveness');

    expect(await screen.findByText(/The difference is not statistically significant/)).toHaveTextContent(
      '(−1.2 to +3.2 percentage points) includes zero, so it may be chance.',
    );
    expect(screen.getByRole('img', { name: /zero is inside the interval/ })).toBeInTheDocument();
  });

  it('says there is nothing to compare yet when nobody was held out (no interval from the server)', async () => {
    const report = someEffectiveness();
    report.lift = {
      ...report.lift,
      heldOut: { clients: 0, converted: 0, conversionRate: 0, revenue: 0, revenuePerClient: 0 },
      relativeLift: null,
      ci95: null,
      significant: false,
    };
    fakeApi({ 'GET /api/effectiveness': () => ok(report) });
    renderApp('/effectiveness');

    expect(await screen.findByText(/No at-risk client was held out in this window/)).toBeInTheDocument();
    expect(screen.getByText('Absolute lift', { selector: 'dt' }).parentElement).toHaveTextContent('—');
    expect(screen.queryByRole('img', { name: /confidence interval/ })).not.toBeInTheDocument();
  });

  it('shows conversion by journey step', async () => {
    fakeApi({
      'GET /api/effectiveness': () =>
        ok(
          someEffectiveness({
            byStep: [
              { step: 1, sent: 200, converted: 14, conversionRate: 0.07 },
              { step: 2, sent: 120, converted: 3, conversionRate: 0.025 },
              { step: 3, sent: 0, converted: 0, conversionRate: 0 },
            ],
          }),
        ),
    });
    renderApp('/effectiveness');
    const panel = await screen.findByRole('region', { name: 'Conversion by step' });
    expect(within(panel).getByRole('row', { name: 'Step 1 200 14 7.0%' })).toBeInTheDocument();
    expect(within(panel).getByRole('row', { name: 'Step 2 120 3 2.5%' })).toBeInTheDocument();
    expect(within(panel).getByRole('row', { name: 'Step 3 0 0 0%' })).toBeInTheDocument();
  });

  it('leaves conversion by step out on a server without journeys', async () => {
    fakeApi({ 'GET /api/effectiveness': () => ok(someEffectiveness()) });
    renderApp('/effectiveness');
    expect(await screen.findByText(/Lift|lift/, { selector: 'h2' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Conversion by step' })).not.toBeInTheDocument();
  });

  it('switches the window and asks the server for it', async () => {
    const api = fakeApi({
      'GET /api/effectiveness': (r) => ok(someEffectiveness({ windowDays: Number(r.query.get('days')) })),
    });
    const { user } = renderApp('/effectiveness');
    await screen.findByRole('list', { name: 'Funnel, last 30 days' });
    const window = screen.getByRole('group', { name: 'Window' });
    expect(within(window).getByRole('button', { name: '30 days' })).toHaveAttribute('aria-pressed', 'true');

    await user.click(within(window).getByRole('button', { name: '7 days' }));
    expect(await screen.findByRole('list', { name: 'Funnel, last 7 days' })).toBeInTheDocument();
    expect(within(window).getByRole('button', { name: '7 days' })).toHaveAttribute('aria-pressed', 'true');
    expect(api.callsTo('GET', '/api/effectiveness').map((c) => c.query.get('days'))).toContain('7');
  });

  it('says nothing was sent yet instead of showing empty figures', async () => {
    const report = someEffectiveness();
    report.funnel = {
      ...report.funnel,
      sent: 0,
      delivered: 0,
      failed: 0,
      opened: 0,
      clicked: 0,
      converted: 0,
      revenue: 0,
    };
    fakeApi({ 'GET /api/effectiveness': () => ok(report) });
    renderApp('/effectiveness');

    expect(await screen.findByText('Nothing sent in the last 30 days')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: /^Funnel/ })).not.toBeInTheDocument();
  });

  it('explains that effectiveness is missing when the server does not offer it yet', async () => {
    fakeApi({ 'GET /api/effectiveness': () => fail(404, 'not_found', 'no route for GET /api/effectiveness') });
    renderApp('/effectiveness');

    expect(await screen.findByRole('note')).toHaveTextContent('Effectiveness is not available yet');
    expect(screen.getByRole('heading', { level: 1, name: 'Effectiveness' })).toBeInTheDocument();
  });

  it('shows other failures as errors', async () => {
    fakeApi({ 'GET /api/effectiveness': () => fail(500, 'internal', 'internal error') });
    renderApp('/effectiveness');
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load effectiveness');
  });

  it('is in the main navigation', () => {
    fakeApi({ 'GET /api/effectiveness': () => ok(someEffectiveness()) });
    renderApp('/effectiveness');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Effectiveness' })).toHaveAttribute('aria-current', 'page');
  });

  it('compares the lift by targeting rule (issue 11)', async () => {
    const group = (clients: number, converted: number) => ({
      clients,
      converted,
      conversionRate: clients ? converted / clients : 0,
      revenue: converted * 80,
      revenuePerClient: clients ? (converted * 80) / clients : 0,
    });
    fakeApi({
      'GET /api/effectiveness': () =>
        ok(
          someEffectiveness({
            byRule: [
              {
                rule: 'score',
                emailed: group(600, 30),
                heldOut: group(60, 1),
                absoluteLift: 0.0333,
                ci95: [0.001, 0.066],
                significant: true,
              },
              {
                rule: 'churn',
                emailed: group(400, 12),
                heldOut: group(40, 1),
                absoluteLift: 0.005,
                ci95: [-0.045, 0.055],
                significant: false,
              },
              {
                rule: 'score+churn',
                emailed: group(80, 2),
                heldOut: group(0, 0),
                absoluteLift: 0,
                ci95: null,
                significant: false,
              },
            ],
          }),
        ),
    });
    renderApp('/effectiveness');
    const panel = await screen.findByRole('region', { name: 'Rules compared' });
    expect(
      within(panel).getByRole('row', { name: /^Engagement score 600 5% 60 1\.7% \+3\.3 pp .* Yes$/ }),
    ).toBeInTheDocument();
    expect(
      within(panel).getByRole('row', { name: /^Churn probability 400 3% 40 2\.5% \+0\.5 pp .* No$/ }),
    ).toBeInTheDocument();
    expect(
      within(panel).getByRole('row', { name: /^Score and churn 80 2\.5% 0 0% — .* Nothing to compare$/ }),
    ).toBeInTheDocument();
  });

  it('leaves the lift by rule out when the server sends none', async () => {
    fakeApi({ 'GET /api/effectiveness': () => ok(someEffectiveness({ byRule: [] })) });
    renderApp('/effectiveness');
    await screen.findByRole('heading', { name: 'Lift against the holdout' });
    expect(screen.queryByRole('heading', { name: 'Lift by targeting rule' })).not.toBeInTheDocument();
  });
});
