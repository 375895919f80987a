// Conversion by journey step on the Effectiveness page: which step wins clients back.

import type { StepConversion } from '../api/effectiveness/types';
import { formatCount, formatPercent } from '../lib/format';

export function StepConversionPanel({ byStep, windowDays }: { byStep: StepConversion[]; windowDays: number }) {
  return (
    <section className="panel" aria-labelledby="by-step-heading">
      <h2 id="by-step-heading">Conversion by step</h2>
      <p className="muted small">
        Emails of each journey step sent in the last {windowDays} days, and how many were followed by an order.
      </p>
      {byStep.length ? (
        <div className="table-wrap" role="region" aria-label="Steps compared" tabIndex={0}>
          <table className="table table--compact table--by-step">
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col" className="num">
                  Sent
                </th>
                <th scope="col" className="num">
                  Converted
                </th>
                <th scope="col" className="num">
                  Conversion rate
                </th>
              </tr>
            </thead>
            <tbody>
              {byStep.map((s) => (
                <tr key={s.step}>
                  <th scope="row">Step {s.step}</th>
                  <td className="num">{formatCount(s.sent)}</td>
                  <td className="num">{formatCount(s.converted)}</td>
                  <td className="num">{formatPercent(s.conversionRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">No journey emails in this window.</p>
      )}
    </section>
  );
}
