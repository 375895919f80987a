// The lift against the holdout split by targeting rule on the Effectiveness page (issue 11):
// does choosing clients by churn probability win back more than choosing by score?

import type { RuleLift } from '../api/effectiveness/types';
import { formatInterval, formatLiftPoints, formatRate } from '../lib/effectiveness';
import { formatCount } from '../lib/format';
import { ruleLabel } from '../lib/model';

export function RuleLiftPanel({ byRule, windowDays }: { byRule: RuleLift[]; windowDays: number }) {
  return (
    <section className="panel" aria-labelledby="by-rule-heading">
      <h2 id="by-rule-heading">Lift by targeting rule</h2>
      <p className="muted small">
        Clients at risk in the last {windowDays} days by the rule that chose them: those emailed against those held out.
      </p>
      <div className="table-wrap" role="region" aria-label="Rules compared" tabIndex={0}>
        <table className="table table--compact rule-lift">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col" className="num">
                Emailed
              </th>
              <th scope="col" className="num">
                Emailed rate
              </th>
              <th scope="col" className="num">
                Held out
              </th>
              <th scope="col" className="num">
                Held-out rate
              </th>
              <th scope="col" className="num">
                Lift
              </th>
              <th scope="col" className="hide-sm">
                95% interval
              </th>
              <th scope="col">Significant</th>
            </tr>
          </thead>
          <tbody>
            {byRule.map((r) => {
              const comparable = r.emailed.clients > 0 && r.heldOut.clients > 0;
              return (
                <tr key={r.rule}>
                  <th scope="row">{ruleLabel(r.rule)}</th>
                  <td className="num">{formatCount(r.emailed.clients)}</td>
                  <td className="num">{formatRate(r.emailed.conversionRate)}</td>
                  <td className="num">{formatCount(r.heldOut.clients)}</td>
                  <td className="num">{formatRate(r.heldOut.conversionRate)}</td>
                  <td className="num">{comparable ? formatLiftPoints(r.absoluteLift) : '—'}</td>
                  <td className="hide-sm">{formatInterval(r.ci95)}</td>
                  <td>{!comparable ? 'Nothing to compare' : r.significant ? 'Yes' : 'No'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
