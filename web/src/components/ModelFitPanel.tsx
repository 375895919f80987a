import type { ReactNode } from 'react';
import type { ModelFit, ModelParams } from '../api/model/types';
import { formatCount, formatDateTime } from '../lib/format';
import {
  formatDay,
  formatDecimal,
  formatFitSeconds,
  formatParam,
  modelName,
  orderedParams,
  paramNote,
  purchaseParams,
  spendError,
  spendParams,
} from '../lib/model';

/** The current fit: what was fitted on what, how the optimiser fared, and the parameters. */
export function ModelFitPanel({ fit }: { fit: ModelFit }) {
  const purchase = purchaseParams(fit);
  const spend = spendParams(fit);
  const noSpend = spendError(fit);
  return (
    <section className="panel" aria-labelledby="fit-heading">
      <h2 id="fit-heading">Current fit</h2>
      <dl className="facts">
        <Fact label="Model" value={modelName(fit.model)} />
        <Fact label="Time unit" value={fit.unit} />
        <Fact label="Calibration end" value={formatDay(fit.until)} />
        <Fact label="Fitted" value={formatDateTime(fit.fittedAt)} />
        <Fact label="Clients" value={formatCount(fit.clients)} />
        <Fact label="Log-likelihood" value={formatDecimal(fit.logLikelihood)} />
        <Fact label="Iterations" value={formatCount(fit.iterations)} />
        <Fact
          label="Converged"
          value={
            fit.converged ? 'Yes' : <span className="text-alert">No: the optimiser stopped before it settled</span>
          }
        />
        <Fact label="Time to fit" value={formatFitSeconds(fit.seconds)} />
      </dl>
      <div className="grid-2 model-params">
        <ParamsTable
          caption={`Purchase model (${modelName(fit.model)})`}
          params={purchase}
          unit={fit.unit}
          testId="purchase-params"
        />
        {spend ? (
          <ParamsTable caption="Spend model (Gamma-Gamma)" params={spend} unit={fit.unit} testId="spend-params" />
        ) : (
          <p className="small muted">
            No spend model{noSpend ? `: ${noSpend}` : ''}. Predicted values need one (clients with repeat orders).
          </p>
        )}
      </div>
    </section>
  );
}

function Fact({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function ParamsTable({
  caption,
  params,
  unit,
  testId,
}: {
  caption: string;
  params: ModelParams;
  unit: string;
  testId: string;
}) {
  return (
    <div className="table-wrap">
      <table className="table table--compact" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col" className="num">
              Value
            </th>
            <th scope="col" className="hide-sm">
              Meaning
            </th>
          </tr>
        </thead>
        <tbody>
          {orderedParams(params).map(([name, value]) => (
            <tr key={name}>
              <th scope="row">
                <code>{name}</code>
              </th>
              <td className="num" data-param={name}>
                {formatParam(value)}
              </td>
              <td className="hide-sm small muted">{paramNote(name, unit)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
